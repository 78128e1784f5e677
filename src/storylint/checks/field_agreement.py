"""Kind `field-agreement`: dates in one kind of section must agree with a reference date.

In a story script the date line `(22 Apr 2024)` is the story's date; each location line carries
the date its footage was shot. Archive footage may be older, but footage dated after the story
is a mistake. Dates that cannot be read at all are reported too.
"""
from __future__ import annotations

from storylint.checks import OptionError
from storylint.checks.base import make_finding, reads
from storylint.dates import UNDATED, parse_date
from storylint.schema import Field
from storylint.story import SECTION_KINDS

RELATIONS = ("not-after", "not-before", "equal")
OPTIONS = {
    "reference": Field("str", default="date", choices=SECTION_KINDS,
                       doc="section kind whose date is the reference"),
    "field": Field("str", default="location", choices=SECTION_KINDS,
                   doc="section kind whose dates are compared with the reference"),
    "relation": Field("str", default="not-after", choices=RELATIONS,
                      doc="how a field date must relate to the reference date"),
    "unreadable-message": Field(
        "str", default="Cannot read the date '{value}'; write it like 22 April 2024",
        doc="message for a date that cannot be parsed (same placeholders)"),
}
PARAMS = ("value", "reference", "relation")
DEFAULT_SECTIONS = ("date", "location")
_WORDS = {"not-after": "after", "not-before": "before", "equal": "different from"}


def build(rule):
    """Validate the unreadable-date template against the kind's placeholders."""
    import string

    for _, name, _, _ in string.Formatter().parse(rule.options["unreadable_message"]):
        if name is not None and name not in PARAMS:
            raise OptionError(f"unknown placeholder {{{name}}} in unreadable-message",
                              ("options", "unreadable-message"))
    return _FieldAgreement(rule.options)


class _FieldAgreement:
    def __init__(self, options: dict):
        self.reference_kind = options["reference"]
        self.field_kind = options["field"]
        self.relation = options["relation"]
        self.unreadable = options["unreadable_message"]

    def run(self, story, rule):
        """Compare each field date with the first reference date; report unreadable dates."""
        findings, reference = [], None
        for section in story.of_kind(self.reference_kind):
            if reads(rule, section.kind):
                reference = reference or self._read(story, rule, section, findings)
        for section in story.of_kind(self.field_kind):
            if not reads(rule, section.kind):
                continue
            value = self._read(story, rule, section, findings)
            if value and reference and self._disagrees(value, reference):
                findings.append(self._finding(story, rule, section, value, reference, None))
        return findings

    def _read(self, story, rule, section, findings):
        text = section.value
        if not text or UNDATED.match(text.strip()):
            return None
        value = parse_date(text)
        if value is None:
            findings.append(self._finding(story, rule, section, None, None, self.unreadable))
        return value

    def _disagrees(self, value, reference) -> bool:
        if self.relation == "not-after":
            return value > reference
        if self.relation == "not-before":
            return value < reference
        return value != reference

    def _finding(self, story, rule, section, value, reference, template):
        line = story.lines[section.start_line - 1]
        column = line.rfind(section.value)
        start = story.line_starts[section.start_line - 1] + max(column, 0)
        params = {"value": section.value, "relation": _WORDS[self.relation],
                  "reference": reference.strftime("%-d %B %Y") if reference else ""}
        finding = make_finding(rule, story, start, start + len(section.value), params)
        if template is None:
            return finding
        from dataclasses import replace

        return replace(finding, message=template.format_map(params))
