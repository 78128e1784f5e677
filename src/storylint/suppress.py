"""Inline suppressions written in a story, each of which must give a reason.

    [storylint: disable-next-line confusable-word -- the quote is verbatim from the minister]
    [storylint: disable-file SL501 -- archive copy kept as published]

A directive sits on a line of its own; `disable-next-line` covers the next line that is neither
blank nor another directive. Rules are named by code or name. A directive without a reason, with
an unknown rule or a bad form is itself reported (SL009) and suppresses nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from storylint.diagnostics import diagnostic
from storylint.finding import Finding

_OPEN = "[storylint:"
_ACTION = re.compile(r"[\w-]+")
ACTIONS = ("disable-next-line", "disable-file")


@dataclass
class Suppressions:
    """Rule codes suppressed for the whole file and per line."""

    whole_file: set[str] = field(default_factory=set)
    by_line: dict[int, set[str]] = field(default_factory=dict)

    def covers(self, finding: Finding) -> bool:
        """True when the finding's rule is switched off for its file or starting line."""
        return finding.code in self.whole_file or finding.code in self.by_line.get(finding.line, ())


def read_suppressions(story, codes_by_key: dict[str, str], rule=None) -> tuple[Suppressions,
                                                                               list[Finding]]:
    """Parse every directive line; return what they suppress and findings for invalid ones."""
    result, problems = Suppressions(), []
    for section in story.of_kind("directive"):
        number = section.start_line
        text = story.lines[number - 1]
        error, codes, action = _parse(text, codes_by_key)
        if error:
            column = len(text) - len(text.lstrip()) + 1
            problems.append(diagnostic("invalid-suppression", story.path, error, number, column,
                                       rule=rule))
            continue
        if action == "disable-file":
            result.whole_file.update(codes)
        else:
            target = _next_content_line(story, number)
            if target:
                result.by_line.setdefault(target, set()).update(codes)
    return result, problems


def split_directive(text: str) -> tuple[str, str, str | None] | None:
    """(action, rules, reason or None) of a `[storylint: ACTION RULES -- REASON]` line, or None
    when it has another form.

    Read with string methods, not one regex: the pattern this replaces backtracked in cubic time
    on a directive with long runs of spaces between single dashes (0.46 s at 800 spaces,
    minutes for a 5,000-character line)."""
    body = text.strip()
    if not (body.startswith(_OPEN) and body.endswith("]")):
        return None
    inner = body[len(_OPEN):-1].lstrip()
    action = _ACTION.match(inner)
    if "]" in inner or action is None or not inner[action.end():action.end() + 1].isspace():
        return None
    rest = inner[action.end():].strip()
    rules, dashes, reason = rest.partition("--")
    return action.group(), rules.rstrip(), reason.strip() if dashes else None


def _parse(text: str, codes_by_key: dict[str, str]) -> tuple[str | None, set[str], str]:
    parts = split_directive(text)
    if parts is None:
        return ("malformed suppression; write [storylint: disable-next-line RULE -- reason]",
                set(), "")
    action, rules, reason = parts
    if action not in ACTIONS:
        return f"unknown suppression {action!r}; use {' or '.join(ACTIONS)}", set(), action
    if not reason:
        return "suppression needs a reason after '--'", set(), action
    keys = [k for k in re.split(r"[\s,]+", rules) if k]
    unknown = [k for k in keys if k not in codes_by_key]
    if unknown or not keys:
        return f"suppression names unknown rule(s): {', '.join(unknown) or '(none)'}", set(), action
    return None, {codes_by_key[k] for k in keys}, action


def _next_content_line(story, number: int) -> int | None:
    for candidate in range(number + 1, len(story.lines) + 1):
        section = story.section_at(candidate)
        if section is not None and section.kind != "directive":
            return candidate
    return None
