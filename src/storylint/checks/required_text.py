"""Kind `required-text`: text that must appear in given sections (e.g. licensing boilerplate)."""
from __future__ import annotations

from storylint.checks import OptionError
from storylint.checks.base import content_span, make_finding, read_sections
from storylint.patterns import PatternError, PresenceScan, compile_pattern
from storylint.schema import Field

OPTIONS = {
    "items": Field("list", required=True, min_items=1, doc="what must be present", items=Field(
        "map", fields={
            "name": Field("str", required=True, doc="what the item is, for the message"),
            "pattern": Field("str", required=True, doc="RE2 pattern that finds the item"),
            "insert": Field("str", doc="text a fix may append when the item is missing"),
        })),
    "ignore-case": Field("bool", default=True),
}
PARAMS = ("item",)
DEFAULT_SECTIONS = ("boilerplate",)


def build(rule):
    """Compile each item's pattern once."""
    items = []
    for index, item in enumerate(rule.options["items"]):
        try:
            pattern = compile_pattern(item["pattern"], rule.options["ignore_case"])
        except PatternError as exc:
            raise OptionError(str(exc), ("options", "items", index, "pattern")) from None
        items.append((item["name"], pattern))
    return _RequiredText(items)


class _RequiredText:
    def __init__(self, items):
        self.items = items
        self.presence = PresenceScan()  # one scan of the sections answers for every item
        self.indices = [self.presence.register(pattern.compiled) for _, pattern in items]

    def run(self, story, rule):
        """One finding per required item not found in the rule's sections."""
        sections = read_sections(story, rule)
        text = "\n".join(story.section_text(s) for s in sections)
        missing = [name for (name, _), found in zip(self.items, self._found(text)) if not found]
        if not missing:
            return []
        anchor = sections[0].start_line if sections else _last_line(story)
        start, end = content_span(story, anchor)
        return [make_finding(rule, story, start, end, {"item": name}) for name in missing]

    def _found(self, text: str) -> list[bool]:
        """Whether each item occurs in `text`."""
        present = self.presence.present(text)
        if present is None:  # no google-re2: each pattern's own search
            return [next(pattern.spans(text), None) is not None for _, pattern in self.items]
        return [index in present for index in self.indices]


def _last_line(story) -> int:
    for number in range(len(story.lines), 0, -1):
        if story.lines[number - 1].strip():
            return number
    return 1
