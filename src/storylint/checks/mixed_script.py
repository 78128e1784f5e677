"""Kind `mixed-script`: words that mix alphabets, or are spelled in look-alike foreign letters.

"Арр1е" written with Cyrillic А, р, р and е reads as "Apple" but matches no filter or search.
A word that mixes Latin with Cyrillic or Greek letters, or that consists only of Cyrillic/Greek
letters that look Latin, inside a story written in Latin script, is reported with the scripts
involved. Genuine Cyrillic or Greek words (names, quotes) contain letters with no Latin twin and
are left alone.
"""
from __future__ import annotations

import re

from storylint.checks.base import MAX_FINDINGS_PER_RULE, make_finding, reads
from storylint.normalise import LOOKALIKES, non_ascii, script_of
from storylint.schema import Field

OPTIONS = {
    "scripts": Field("list", default=["CYRILLIC", "GREEK"], items=Field("str"),
                     doc="scripts whose letters are suspicious inside Latin text"),
}
PARAMS = ("word", "scripts", "reads_as")
DEFAULT_SECTIONS = ("headline", "shot", "body", "trailing")
_WORD = re.compile(r"[^\W_]+")
_FOREIGN = re.compile("[\u0370-\u03ff\u0400-\u052f]")


def build(rule):
    """Nothing to compile beyond the set of suspicious scripts."""
    return _MixedScript(frozenset(rule.options["scripts"]))


class _MixedScript:
    def __init__(self, scripts: frozenset):
        self.scripts = scripts

    def run(self, story, rule):
        """Report suspicious words; stories without Greek or Cyrillic letters cost one search."""
        if not _FOREIGN.search(non_ascii(story.text)):  # Greek and Cyrillic are never ASCII
            return []
        findings = []
        for match in _WORD.finditer(story.text):
            if not _FOREIGN.search(match.group()):
                continue
            scripts = self._suspicious(match.group())
            if scripts and self._in_sections(story, rule, match.start()):
                reads_as = "".join(LOOKALIKES.get(ch, ch) for ch in match.group())
                params = {"word": match.group(), "scripts": " and ".join(scripts),
                          "reads_as": reads_as}
                findings.append(make_finding(rule, story, match.start(), match.end(), params))
                if len(findings) >= MAX_FINDINGS_PER_RULE:
                    break
        return findings

    def _suspicious(self, word: str) -> list[str]:
        scripts = {script for script in map(script_of, word) if script is not None}
        foreign = scripts & self.scripts
        if not foreign:
            return []
        if "LATIN" in scripts:
            return [name.title() for name in sorted(scripts)]
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) >= 2 and all(ch in LOOKALIKES for ch in letters):
            return [name.title() for name in sorted(scripts)] + ["Latin look-alike letters"]
        return []

    @staticmethod
    def _in_sections(story, rule, offset: int) -> bool:
        section = story.section_at(story.position(offset)[0])
        return reads(rule, section.kind if section else None)
