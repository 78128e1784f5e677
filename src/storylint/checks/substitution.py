"""Kind `substitution`: real words that are wrong in a given context, with a suggested replacement.

"Azerbaijan launched a lighting blitz" passes any spell-checker because "lighting" is a word;
next to "blitz" it is almost certainly "lightning". Each entry names the suspect word, the
replacement and the neighbouring words that make the suspect wrong, plus neighbours that make
it right again ("stage lighting").
"""
from __future__ import annotations

import re

from storylint.checks import OptionError
from storylint.checks.base import MAX_FINDINGS_PER_RULE, make_finding
from storylint.finding import Fix
from storylint.schema import Field

_WORDS = Field("list", default=[], items=Field("str"))
OPTIONS = {
    "entries": Field("list", required=True, min_items=1, items=Field("map", fields={
        "word": Field("str", required=True, doc="the suspect word (case-insensitive)"),
        "suggest": Field("str", required=True, doc="the replacement"),
        "followed-by": _WORDS, "preceded-by": _WORDS,
        "unless-followed-by": _WORDS, "unless-preceded-by": _WORDS,
        "window": Field("int", default=1, doc="how many neighbouring words to look at"),
        "safe": Field("bool", default=True, doc="whether --fix may apply it without asking"),
    }), doc=("context words may end in * to match a prefix (offensive* matches offensives); "
             "an entry fires when a followed-by or preceded-by word is near and no unless-word is")),
}
PARAMS = ("word", "suggestion", "context")
DEFAULT_SECTIONS = ("headline", "shot", "body")
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
CONTEXT_CHARS_PER_WORD = 40


def build(rule):
    """Index the entries by suspect word and compile one alternation to find all of them."""
    table: dict[str, list] = {}
    for index, entry in enumerate(rule.options["entries"]):
        word = entry["word"].lower()
        if not _TOKEN.fullmatch(word):
            raise OptionError(f"word {entry['word']!r} must be a single word",
                              ("options", "entries", index, "word"))
        if not entry["followed_by"] and not entry["preceded_by"]:
            raise OptionError("an entry needs followed-by or preceded-by context words",
                              ("options", "entries", index))
        table.setdefault(word, []).append(_Entry(entry))
    alternation = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    finder = re.compile(rf"(?<![\w'\u2019-])(?:{alternation})(?![\w'\u2019-])", re.IGNORECASE)
    window = max(entry.window for entries in table.values() for entry in entries)
    return _Substitution(table, finder, window + 1)


class _Entry:
    def __init__(self, entry: dict):
        self.suggest, self.window, self.safe = entry["suggest"], entry["window"], entry["safe"]
        self.after = _Matcher(entry["followed_by"])
        self.before = _Matcher(entry["preceded_by"])
        self.not_after = _Matcher(entry["unless_followed_by"])
        self.not_before = _Matcher(entry["unless_preceded_by"])

    def context(self, before: list[str], after: list[str]) -> str | None:
        """The neighbouring word that makes the suspect wrong, or None."""
        before, after = before[-self.window:], after[:self.window]
        if self.not_after.find(after) or self.not_before.find(before):
            return None
        return self.after.find(after) or self.before.find(before)


class _Matcher:
    def __init__(self, words: list[str]):
        self.exact = {w.lower() for w in words if not w.endswith("*")}
        self.prefixes = tuple(w[:-1].lower() for w in words if w.endswith("*"))

    def find(self, words: list[str]) -> str | None:
        for word in words:
            if word in self.exact or (self.prefixes and word.startswith(self.prefixes)):
                return word
        return None


class _Substitution:
    def __init__(self, table, finder, window: int):
        self.table, self.finder, self.window = table, finder, window

    def run(self, story, rule):
        """Report each suspect word whose neighbours show it is the wrong word."""
        findings = []
        for match in self.finder.finditer(story.text):
            finding = self._check(story, rule, match)
            if finding is not None:
                findings.append(finding)
                if len(findings) >= MAX_FINDINGS_PER_RULE:
                    break
        return findings

    def _check(self, story, rule, match):
        line, _ = story.position(match.start())
        section = story.section_at(line)
        if not rule.applies_to(section.kind if section else None):
            return None
        text = story.lines[line - 1]
        line_start = story.line_starts[line - 1]
        start, end = match.start() - line_start, match.end() - line_start
        reach = CONTEXT_CHARS_PER_WORD * self.window  # bounded, so long lines stay linear
        before = [w.lower() for w in _TOKEN.findall(text[max(0, start - reach):start])]
        after = [w.lower() for w in _TOKEN.findall(text[end:end + reach])]
        for entry in self.table[match.group().lower()]:
            context = entry.context(before, after)
            if context:
                return self._finding(story, rule, match, entry, context)
        return None

    def _finding(self, story, rule, match, entry, context):
        replacement = match_case(match.group(), entry.suggest)
        fix = Fix(match.start(), match.end(), replacement, entry.safe,
                  f"replace {match.group()!r} with {replacement!r}")
        params = {"word": match.group(), "suggestion": replacement, "context": context}
        return make_finding(rule, story, match.start(), match.end(), params, fix=fix)


def match_case(original: str, replacement: str) -> str:
    """The replacement written in the original's case (UPPER, Title or lower)."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
