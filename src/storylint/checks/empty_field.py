"""Kind `empty-field`: a labelled field whose value is missing (`Email:` with nothing after it).

When links are stripped from AP boilerplate the labels stay behind: `Facebook: `, `Email:` at the
end of the licensing paragraph, `You can license this story through AP Archive:`. A value on the
same line or on the next line (a link, an address) counts as filled.
"""
from __future__ import annotations

from storylint.checks import OptionError
from storylint.checks.base import make_finding, make_fix, read_sections
from storylint.patterns import PatternError, char_spans, compile_regex, raw_search
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
    """Compile one pattern for all labels (`Label:` followed by nothing) and each value pattern."""
    fields, labels = [], []
    for index, spec in enumerate(rule.options["fields"]):
        keys = ("options", "fields", index)
        _compile(f"(?:{spec['label']})", keys + ("label",))  # alone first, for located errors
        labels.append(f"(?P<f{index}>{spec['label']})")
        fields.append((spec["name"], _compile(spec["value"], keys + ("value",)), spec["template"]))
    label = _compile(f"(?:{'|'.join(labels)})[ \\t]*:[ \\t]*$", ("options", "fields"))
    group_of_field = [label.groupindex[f"f{index}"] for index in range(len(fields))]
    return _EmptyField(fields, label, group_of_field)


def _compile(source, keys):
    try:
        return compile_regex(source, ignore_case=True)
    except PatternError as exc:
        raise OptionError(str(exc), keys) from None


_VERDICT_LIMIT = 10_000  # distinct (line, next line) pairs kept; cleared when full


class _EmptyField:
    def __init__(self, fields, label, group_of_field):
        self.fields, self.label, self.group_of_field = fields, label, group_of_field
        self._verdicts: dict[tuple[str, str], int | None] = {}

    def run(self, story, rule):
        """One finding per field label left without a value."""
        findings = []
        for section in read_sections(story, rule):
            for number in range(section.start_line, section.end_line + 1):
                finding = self._check_line(story, rule, number)
                if finding is not None:
                    findings.append(finding)
        return findings

    def _check_line(self, story, rule, number):
        text = story.lines[number - 1]
        if not text.rstrip().endswith(":"):
            return None  # every empty field ends in its label's colon
        following = story.lines[number].strip() if number < len(story.lines) else ""
        index = self.empty_field(text, following)
        if index is None:
            return None
        name, _, template = self.fields[index]
        colon = text.rindex(":")
        start = story.line_starts[number - 1] + colon
        fix = None
        if template:
            fix = make_fix(start + 1, story.line_starts[number - 1] + len(text), " " + template,
                      True, f"restore {name}: {template}")
        return make_finding(rule, story, start, start + 1, {"field": name}, fix=fix)

    def empty_field(self, text: str, following: str) -> int | None:
        """The index of the field whose label ends `text` with no value there or on the
        `following` (stripped) line, else None. Memoised: the same boilerplate lines recur
        story after story in an archive."""
        key = (text, following)
        if key in self._verdicts:
            return self._verdicts[key]
        if len(self._verdicts) >= _VERDICT_LIMIT:
            self._verdicts.clear()
        verdict = self._verdicts[key] = self._judge(text, following)
        return verdict

    def _judge(self, text: str, following: str) -> int | None:
        found = _search_label(self.label, text)
        if found is None:
            return None
        start, groups = found
        if start > 0 and text[start - 1].isalnum():
            return None
        index = next(i for i, group in enumerate(self.group_of_field) if groups[group])
        value = self.fields[index][1]
        if following and next(char_spans(value, following), None) and not _is_label(following):
            return None
        return index


def _search_label(label, text: str):
    """(character start, is-group-matched flags indexed by group number) of the label match in
    `text`, or None. Runs on UTF-8 bytes through the RE2 binding when it is there (the
    wrapper's match objects cost more than the search)."""
    search = raw_search(label)
    if search is None:
        match = label.search(text)
        if match is None:
            return None
        return match.start(), (True,) + tuple(g is not None for g in match.groups())
    data = text.encode("utf-8", "surrogatepass")
    spans = search(data, 0, len(data))
    start = spans[0][0]
    if start < 0:
        return None
    if len(data) != len(text):
        start = len(data[:start].decode("utf-8", "surrogatepass"))
    return start, tuple(span[0] >= 0 for span in spans)


def _is_label(line: str) -> bool:
    head = line.strip().split(":", 1)
    return len(head) == 2 and 0 < len(head[0]) <= 40 and not head[0].startswith(("http", "www"))
