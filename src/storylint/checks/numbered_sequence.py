"""Kind `numbered-sequence`: numbered entries (shots) must run start, start+step, ... without gaps."""
from __future__ import annotations

from storylint.checks.base import make_finding, read_sections
from storylint.schema import Field

OPTIONS = {
    "start": Field("int", default=1, doc="the number the first entry must carry"),
    "step": Field("int", default=1, doc="the increment between consecutive entries"),
}
PARAMS = ("found", "expected", "previous", "problem")
DEFAULT_SECTIONS = ("shot",)


def build(rule):
    """Numbering needs no compilation; the options are already validated."""
    return _NumberedSequence(rule.options["start"], rule.options["step"])


class _NumberedSequence:
    def __init__(self, start: int, step: int):
        self.start, self.step = start, step

    def run(self, story, rule):
        """Report the first entry whose number breaks the sequence, with what was expected."""
        expected, previous = self.start, None
        for section in read_sections(story, rule):
            if section.number is None:
                continue
            if section.number != expected:
                return [self._finding(story, rule, section, expected, previous)]
            previous, expected = section.number, expected + self.step
        return []

    def _finding(self, story, rule, section, expected, previous):
        found = section.number
        if previous is None:
            problem = f"the list does not start at {self.start}"
        elif found == previous:
            problem = f"{found} is repeated"
        elif found < previous:
            problem = f"numbering goes back from {previous} to {found}"
        else:
            problem = f"numbering skips from {previous} to {found}"
        line_text = story.lines[section.start_line - 1]
        start = story.line_starts[section.start_line - 1] + len(line_text) - len(line_text.lstrip())
        params = {"found": found, "expected": expected, "previous": previous, "problem": problem}
        return make_finding(rule, story, start, start + len(str(found)), params)
