"""Helpers every check kind shares: turning offsets into Findings, the sections a rule reads, and
filling message templates."""
from __future__ import annotations

from storylint.finding import Finding, Fix
from storylint.story import Story

MAX_MATCHED_CHARS = 200
MAX_FINDINGS_PER_RULE = 100  # per file: a flood of one finding helps nobody
_new_object = object.__new__  # records built without their Python-level __init__ (see below)


def make_finding(rule, story: Story, start: int, end: int, params: dict,
                 fix: Fix | None = None, score: float | None = None,
                 source: str = "rule") -> Finding:
    """A Finding for text[start:end] of the story, with the rule's message filled in."""
    line, column = story.position(start)
    end_line, end_column = story.position(end)
    section = story.section_at(line)
    matched = story.text[start:end]
    if len(matched) > MAX_MATCHED_CHARS:
        matched = matched[:MAX_MATCHED_CHARS] + "\u2026"
    finding = _new_object(Finding)
    # What Finding.__init__ does, without calling it: that __init__ is a Python function with
    # fourteen keyword arguments even in the compiled build (tests/test_checks.py compares the
    # two records field by field).
    finding.__dict__.update({
        "code": rule.code, "name": rule.name, "severity": rule.severity,
        "message": fill(rule.message, params), "path": story.path, "line": line,
        "column": column, "end_line": end_line, "end_column": end_column,
        "section": section.kind if section else None, "matched": matched, "fix": fix,
        "score": score, "source": source})
    return finding


def make_fix(start: int, end: int, replacement: str, safe: bool, description: str = "") -> Fix:
    """`Fix(...)`, built as `make_finding` builds a Finding (Fix.__init__ is a Python function
    even in the compiled build)."""
    fix = _new_object(Fix)
    fix.__dict__.update({"start": start, "end": end, "replacement": replacement, "safe": safe,
                         "description": description})
    return fix


def read_sections(story: Story, rule) -> list:
    """The story's sections the rule reads, in story order; worked out once per story for all
    the rules that read the same kinds (kept in `story.memo`: callers must not change it)."""
    key = ("sections", rule.sections)
    found = story.memo.get(key)
    if found is None:
        kinds = rule.sections
        found = story.memo[key] = list(story.sections) if "all" in kinds else [
            s for s in story.sections if s.kind in kinds]
    return found


def reads(rule, section_kind: str | None) -> bool:
    """True when the rule reads sections of this kind. A function in a compiled module, not a
    method of `Rule` (a Python class): checks ask this per line or per candidate word."""
    sections = rule.sections
    return "all" in sections or section_kind in sections


def fill(template: str, params: dict) -> str:
    """The message template with its {placeholders} replaced (validated at load time)."""
    return template.format_map(params)


def line_span(story: Story, line: int) -> tuple[int, int]:
    """Offsets of a whole line's text (without its line ending)."""
    start = story.line_starts[line - 1]
    return start, start + len(story.lines[line - 1])


def content_span(story: Story, line: int) -> tuple[int, int]:
    """Offsets of a line's text without leading and trailing whitespace."""
    text = story.lines[line - 1]
    start = story.line_starts[line - 1] + len(text) - len(text.lstrip())
    return start, story.line_starts[line - 1] + len(text.rstrip())


def in_sections(rule, story: Story, offset: int) -> bool:
    """True when the character at `offset` lies in a section the rule reads."""
    section = story.section_at(story.position(offset)[0])
    return reads(rule, section.kind if section else None)
