"""Kind `empty-field`: a labelled field whose value is missing (`Email:` with nothing after it).

When links are stripped from AP boilerplate the labels stay behind: `Facebook: `, `Email:` at the
end of the licensing paragraph, `You can license this story through AP Archive:`. A value on the
same line or on the next line (a link, an address) counts as filled.
"""
from __future__ import annotations

from storylint.checks import OptionError
from storylint.checks.base import make_finding
from storylint.finding import Fix
from storylint.patterns import PatternError, compile_regex
from storylint.schema import Field

OPTIONS = {
    "fields": Field("list", required=True, min_items=1, items=Field("map", fields={
        "name": Field("str", required=True, doc="the field's name, for the message"),
        "label": Field("str", required=True, doc="RE2 pattern for the label before the colon"),
        "value": Field("str", default=r"\S", doc="RE2 pattern a filled value matches"),
        "template": Field("str", doc="the known value a fix may restore"),
    })),
}
PARAMS = ("field",)
DEFAULT_SECTIONS = ("boilerplate",)


def build(rule):
    """Compile `label:` followed by nothing, and the value pattern, for each field."""
    fields = []
    for index, spec in enumerate(rule.options["fields"]):
        keys = ("options", "fields", index)
        label = _compile(f"(?:{spec['label']})[ \\t]*:[ \\t]*$", keys + ("label",))
        value = _compile(spec["value"], keys + ("value",))
        fields.append((spec["name"], label, value, spec["template"]))
    return _EmptyField(fields)


def _compile(source, keys):
    try:
        return compile_regex(source, ignore_case=True)
    except PatternError as exc:
        raise OptionError(str(exc), keys) from None


class _EmptyField:
    def __init__(self, fields):
        self.fields = fields

    def run(self, story, rule):
        """One finding per field label left without a value."""
        findings = []
        for section in story.sections:
            if not rule.applies_to(section.kind):
                continue
            for number in range(section.start_line, section.end_line + 1):
                findings.extend(self._check_line(story, rule, number))
        return findings

    def _check_line(self, story, rule, number):
        text = story.lines[number - 1]
        for name, label, value, template in self.fields:
            match = label.search(text)
            if match is None or (match.start() > 0 and text[match.start() - 1].isalnum()):
                continue
            following = story.lines[number].strip() if number < len(story.lines) else ""
            if following and value.search(following) and not _is_label(following):
                continue
            colon = text.rindex(":")
            start = story.line_starts[number - 1] + colon
            fix = None
            if template:
                fix = Fix(start + 1, story.line_starts[number - 1] + len(text), " " + template,
                          True, f"restore {name}: {template}")
            yield make_finding(rule, story, start, start + 1, {"field": name}, fix=fix)
            return


def _is_label(line: str) -> bool:
    head = line.strip().split(":", 1)
    return len(head) == 2 and 0 < len(head[0]) <= 40 and not head[0].startswith(("http", "www"))
