"""Kind `pattern`: text that should not appear — words, phrases or RE2 patterns — in given sections."""
from __future__ import annotations

import re
import unicodedata

from storylint.checks import OptionError
from storylint.checks.base import make_finding, reads
from storylint.normalise import lower
from storylint.patterns import PatternError, PresenceScan, compile_pattern
from storylint.schema import Field

OPTIONS = {
    "patterns": Field("list", default=[], items=Field("str"), doc="RE2 patterns to report"),
    "words": Field("list", default=[], items=Field("str"),
                   doc="literal words or phrases to report, matched as whole words"),
    "ignore-case": Field("bool", default=False),
    "whole-word": Field("bool", default=False,
                        doc="patterns must start and end at word edges (Unicode-aware)"),
    "prefilter": Field("list", default=[], items=Field("str"), doc=(
        "literals of which at least one must occur (case-insensitive) for the patterns to run; "
        "derived from `words` automatically")),
    "once-per-section": Field("bool", default=False, doc="report only the first match per section"),
    "max-per-file": Field("int", default=20, doc="cap on findings per file"),
}
PARAMS = ("match", "codepoint")
PRESENCE = PresenceScan()  # one scan per story tells which pattern rules can match at all
DEFAULT_SECTIONS = ("headline", "shot", "body")


def build(rule):
    """Compile the patterns and the word list (one alternation) once."""
    opts = rule.options
    if not opts["patterns"] and not opts["words"]:
        raise OptionError("give `patterns` or `words` (or both)")
    for index, source in enumerate(opts["patterns"]):  # each alone first, for located errors
        _compile(source, opts["ignore_case"], opts["whole_word"], ("options", "patterns", index))
    compiled = []
    if opts["patterns"]:  # then all as one alternation: one scan of the story per rule
        combined = "|".join(f"(?:{source})" for source in opts["patterns"])
        compiled.append(_compile(combined, opts["ignore_case"], opts["whole_word"],
                                 ("options", "patterns")))
    if opts["words"]:
        words = "|".join(re.escape(w) for w in sorted(opts["words"], key=len, reverse=True))
        compiled.append(_compile(f"(?:{words})", opts["ignore_case"], True, ("options", "words")))
    prefilter = [lower(p) for p in opts["prefilter"]]
    if not prefilter and opts["words"] and not opts["patterns"]:
        prefilter = [lower(w) for w in opts["words"]]
    return _Pattern(compiled, tuple(prefilter), opts)


def _compile(source, ignore_case, whole_word, keys):
    try:
        return compile_pattern(source, ignore_case, whole_word)
    except PatternError as exc:
        raise OptionError(str(exc), keys) from None


class _Pattern:
    def __init__(self, compiled, prefilter, opts):
        self.compiled, self.prefilter = compiled, prefilter
        indices = [PRESENCE.register(pattern.compiled) for pattern in compiled]
        self.presence = None if None in indices else frozenset(indices)
        self.once = opts["once_per_section"]
        self.limit = opts["max_per_file"]

    def run(self, story, rule):
        """Report matches inside the rule's sections, at most `max-per-file` of them."""
        if self.presence is not None:
            present = PRESENCE.present(story.text, story.memo)
            if present is not None and self.presence.isdisjoint(present):
                return []
        if self.prefilter:
            lowered = lower(story.text)
            if not any(literal in lowered for literal in self.prefilter):
                return []
        spans = sorted({span for pattern in self.compiled for span in pattern.spans(story.text)})
        findings, seen_sections = [], set()
        for start, end in spans:
            section = story.section_at(story.position(start)[0])
            if not reads(rule, section.kind if section else None):
                continue
            if self.once and section in seen_sections:
                continue
            seen_sections.add(section)
            findings.append(make_finding(rule, story, start, end, _params(story.text[start:end])))
            if len(findings) >= self.limit:
                break
        return findings


_CONTROL_NAMES = {0: "NULL", 7: "BELL", 8: "BACKSPACE", 11: "LINE TABULATION",
                  12: "FORM FEED", 27: "ESCAPE", 127: "DELETE"}


def _params(matched: str) -> dict:
    if len(matched) == 1:
        name = unicodedata.name(matched, "") or _CONTROL_NAMES.get(ord(matched),
                                                                   "CONTROL CHARACTER")
        codepoint = f"U+{ord(matched):04X} {name}"
    else:
        codepoint = " ".join(f"U+{ord(ch):04X}" for ch in matched[:8])
    return {"match": matched, "codepoint": codepoint}
