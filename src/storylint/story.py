"""The parsed story: typed sections with exact line spans, and offset <-> line/column mapping.

A script has a headline, a date line `(22 Apr 2024)`, location/date lines, a numbered shot list
(entries may continue on the next lines with a soundbite's quoted words), story paragraphs, the
licensing boilerplate and whatever trails after it. Parsing never fails: a part that cannot be
found is simply absent, and rules report it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

from storylint.dates import DATE_HINT, UNDATED
from storylint.normalise import utf8
from storylint.patterns import byte_spans, char_spans
from storylint.speedups import compiled

STORY_VERSION = 1  # of read_lines; _speedups.h holds the same number
COMPILED_READ_LINES = compiled("read_lines", "STORY_VERSION", STORY_VERSION)
SECTION_KINDS = (
    "headline", "date", "location", "header", "shot", "body", "boilerplate", "trailing",
    "directive",
)
CONTENT_KINDS = ("headline", "shot", "body", "trailing")

_SHOT = re.compile(r"\s*(\d{1,3})\s*[.)]\s*(?=[^\d\s.,)])")
_HEADER = re.compile(r"\s*(SHOT ?LIST|STORY ?LINE|SCRIPT)\s*:?\s*\Z", re.IGNORECASE)
_DATE_LINE = re.compile(r"\s*\(\s*([^()]{3,40}?)\s*\)\s*\Z")
_LOCATION = re.compile(
    r"\s*(?:FILE\s*[:-]\s*)?(?P<place>[^\s.!?][^.!?]{0,120}?)\s+[-\u2013\u2014]+\s+"
    r"(?P<date>[^-\u2013\u2014]{3,40}?)\s*\Z")
_DIRECTIVE = re.compile(r"\s*\[storylint:[^\]]*\]\s*\Z")
_QUOTE_START = ("\"", "\u201c", "'", "\u2018")
# A line that only carries a boilerplate field's value (a link, an address, a phone number).
# Matched against the stripped line, whole: no two parts can take the same characters, so
# backtracking stays linear (the earlier `\s*(...[\d ()-]{7,})\s*\Z` took 22 s on 2,000 spaces).
_FIELD_VALUE = re.compile(
    r"https?://\S+|www\.\S+|[^\s@]+@[^\s@]+\.\w+|Tel\b.*|\+?[\d ()-]{7,}", re.IGNORECASE)
DEFAULT_BOILERPLATE_MARKERS = (
    r"[^\S\n]*Clients are reminded\b",
    r"[^\S\n]*For further assistance\b",
    r"[^\S\n]*Find out more about AP Archive\b",
    r"[^\S\n]*You can license this (?:story|clip|video)\b",
    r"[^\S\n]*(?:Facebook|Twitter|Instagram|YouTube|LinkedIn|TikTok|Google\+|Tumblr|Pinterest)[^\S\n]*:",
    r"[^\S\n]*(?:Tel|Telephone|E-?mail|Website)[^\S\n]*:",
)
# The markers as a rule pack's `boilerplate-markers` become one pattern (rulepack._story_format),
# and that pattern for these markers, line by line: optional horizontal space, then one of these
# literals (ignoring case) followed by an ASCII word boundary (False) or by optional horizontal
# space and a colon (True). The compiled `marker_lines` reads the bundled pack's markers from this
# table instead of running RE2 once per marker line (tests/test_marker_speedups.py checks both
# agree).
BUNDLED_MARKERS = "(?m)^(?:" + "|".join(f"(?:{m})" for m in DEFAULT_BOILERPLATE_MARKERS) + ")"
MARKER_LITERALS = tuple(
    [(text, False) for text in ("clients are reminded", "for further assistance",
                                "find out more about ap archive")]
    + [(f"you can license this {what}", False) for what in ("story", "clip", "video")]
    + [(name, True) for name in ("facebook", "twitter", "instagram", "youtube", "linkedin",
                                 "tiktok", "google+", "tumblr", "pinterest", "tel",
                                 "telephone", "e-mail", "email", "website")])
COMPILED_MARKER_LINES = compiled("marker_lines", "STORY_VERSION", STORY_VERSION)
COMPILED_LOCATION_DATE = compiled("location_date", "STORY_VERSION", STORY_VERSION)


class Section(NamedTuple):
    """A typed span of whole lines (1-based, inclusive); `number` for shots, `value` for dates.

    A named tuple, not a dataclass: a story has a dozen or more, and a frozen dataclass costs
    several times more to build (measured 2 us of the parser's ~130 us per story)."""

    kind: str
    start_line: int
    end_line: int
    number: int | None = None
    value: str | None = None


_new_tuple = tuple.__new__


def make_section(kind: str, start_line: int, end_line: int, number: int | None = None,
                 value: str | None = None) -> Section:
    """`Section(...)` without the named tuple's own `__new__`, which is a Python function even
    in the compiled build (the parser makes a dozen or more per story)."""
    return _new_tuple(Section, (kind, start_line, end_line, number, value))


@dataclass(frozen=True)
class StoryFormat:
    """Pack-supplied hints for the parser: the lines that make up the licensing boilerplate.

    `markers` is one compiled pattern, anchored at line starts in multi-line mode, for all the
    pack's marker regexes; it runs once over a story instead of once per line and marker.
    """

    markers: Any = re.compile("(?m)^(?:" + "|".join(DEFAULT_BOILERPLATE_MARKERS) + ")",
                              re.IGNORECASE)

    def marker_lines(self, text: str) -> set[int]:
        """0-based indices of the lines that start with a boilerplate marker."""
        if COMPILED_MARKER_LINES is not None and reads_bundled_markers(self.markers):
            return COMPILED_MARKER_LINES(text, MARKER_LITERALS)
        subject: Any  # the text, or its UTF-8 (str or bytes, with the newline to match)
        newline: Any
        if isinstance(self.markers, re.Pattern):  # Python's re (no google-re2)
            subject, spans, newline = text, char_spans(self.markers, text), "\n"
        else:  # line numbers need no character offsets: stay on the UTF-8 bytes
            subject = utf8(text)
            spans, newline = byte_spans(self.markers, subject), b"\n"
        lines = set()
        line = counted = 0  # line numbers are counted on from the previous match
        for start, end in spans:
            if subject[start:start + 1].isspace():  # a leading \s* may start on an earlier,
                found = subject[start:end]  # blank line: the marker's line is where it ends
                start += len(found) - len(found.lstrip())
            line += subject.count(newline, counted, start)
            counted = start
            lines.add(line)
        return lines


DEFAULT_FORMAT = StoryFormat()
_BUNDLED: dict[int, tuple[Any, bool]] = {}  # id(markers) -> (markers, reads_bundled_markers)


def reads_bundled_markers(markers: Any) -> bool:
    """True when `markers` is BUNDLED_MARKERS compiled by RE2 ignoring case, as the bundled
    pack's format holds it (what the compiled `marker_lines` reads from MARKER_LITERALS)."""
    known = _BUNDLED.get(id(markers))
    if known is None or known[0] is not markers:
        options = getattr(markers, "options", None)
        known = _BUNDLED[id(markers)] = (markers, options is not None and not isinstance(
            markers, re.Pattern) and markers.pattern == BUNDLED_MARKERS and _re2_defaults(options))
    return known[1]


def _re2_defaults(options: Any) -> bool:
    """Whether RE2 options are `patterns.compile_regex`'s with ignore_case: every setting that
    changes what a pattern matches at its default, case sensitivity off."""
    try:
        return (not options.case_sensitive and options.encoding == options.Encoding.UTF8
                and not (options.posix_syntax or options.longest_match or options.literal
                         or options.never_nl or options.dot_nl or options.word_boundary
                         or options.one_line))
    except AttributeError:  # another google-re2 version: run the pattern itself
        return False


class Story:
    """One decoded story: text, lines, sections, and the mapping between offsets and positions."""

    def __init__(self, text: str, path: str = "<story>", encoding: str | None = "utf-8",
                 fmt: StoryFormat = DEFAULT_FORMAT):
        self.text, self.path, self.encoding = text, path, encoding
        raw = text.split("\n")
        self.line_starts = list(accumulate([len(line) + 1 for line in raw[:-1]], initial=0))
        self.lines = [line[:-1] if line.endswith("\r") else line for line in raw] \
            if "\r" in text else raw
        self.sections: tuple[Section, ...] = tuple(
            parse_sections(self.lines, fmt, None if self.lines is not raw else text))
        self._section_starts: list[int] | None = None
        self.memo: dict = {}  # derived data that checks share, computed once per story

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into the text."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Character offset of a 1-based (line, column)."""
        return self.line_starts[line - 1] + column - 1

    def section_text(self, section: Section) -> str:
        """The section's lines joined with newlines (line endings normalised)."""
        return "\n".join(self.lines[section.start_line - 1:section.end_line])

    def of_kind(self, *kinds: str) -> list[Section]:
        """The sections of the given kinds, in story order."""
        return [s for s in self.sections if s.kind in kinds]

    def section_at(self, line: int) -> Section | None:
        """The section that holds a 1-based line, or None for blank lines."""
        starts = self._section_starts  # sections are in line order and never overlap
        if starts is None:
            starts = self._section_starts = [section.start_line for section in self.sections]
        index = bisect_right(starts, line) - 1
        if index < 0:
            return None
        section = self.sections[index]
        return section if line <= section.end_line else None

    @property
    def line_count(self) -> int:
        """Number of lines as editors and git count them (a final newline ends, not starts, one)."""
        return len(self.lines) - (1 if self.text.endswith("\n") else 0)


def classify_line(line: str, fmt: StoryFormat = DEFAULT_FORMAT,
                  is_marker: bool | None = None) -> str:
    """The structural kind of a single line, before context is considered."""
    if is_marker is None:
        is_marker = bool(fmt.marker_lines(line))
    return read_line(line, is_marker)[0]


_BLANK = ("blank", None)


def read_line(line: str, is_marker: bool) -> tuple[str, object]:
    """The line's kind (see `classify_line`) and what its match already read: the shot number,
    the date line's text, the location line's date, else None; so the parser matches once."""
    stripped = line.strip()
    if not stripped:
        return _BLANK
    first = stripped[0]  # cheap gates: most lines are story text and need no regex at all
    if first == "[" and _DIRECTIVE.match(line):
        return "directive", None
    if first.isdigit():
        match = _SHOT.match(line)
        if match:
            return "shot", int(match.group(1))
    if len(stripped) <= 12 and _HEADER.match(line):
        return "header", None
    if first == "(" and any(ch.isdigit() for ch in line):
        match = _DATE_LINE.match(line)
        if match:
            return "date", match.group(1)
    if is_marker:
        return "boilerplate", None
    if len(line) <= 160 and _has_dash(stripped):
        date = _location_date_part(line)
        if date is not None:
            return "location", date.strip()
    # ASSOCIATED PRESS, AP TELEVISION, RESTRICTION SUMMARY: AP CLIENTS ONLY
    if len(line) <= 100 and not any(ch.islower() for ch in line) and \
            sum(ch.isalpha() for ch in line) >= 3:
        return "note", None
    return "text", None


def _has_dash(text: str) -> bool:
    return "-" in text or "\u2013" in text or "\u2014" in text


def _location_date_part(line: str) -> str | None:
    """The (unstripped) date part of a location/date line, or None when the line is not one."""
    date = location_date_group(line)
    if date is None:
        return None
    return date if DATE_HINT.search(date) or UNDATED.match(date.strip()) else None


def location_date_group(line: str) -> str | None:
    """The `date` group of `_LOCATION.match(line)`, None when it does not match (read by the
    compiled `location_date` without running the pattern, where it is built: the same group,
    tests/test_speedups.py checks, in a fifth of the time)."""
    # _LOCATION's date holds no dash, so it is what follows the line's last dash: whitespace,
    # then at most 40 characters. Lines of text with a dash rarely end that way, and trying
    # every split of them costs _LOCATION far more than these tests (on Python's re, 9 s for
    # a dash, 5,000 spaces and 41 letters).
    last_dash = max(line.rfind("-"), line.rfind("\u2013"), line.rfind("\u2014"))
    after = line[last_dash + 1:]
    if last_dash < 0 or not after[:1].isspace() or len(after.strip()) > 40:
        return None
    if COMPILED_LOCATION_DATE is not None:
        return COMPILED_LOCATION_DATE(line)
    match = _LOCATION.match(line)
    return match.group("date") if match else None


def location_date(line: str) -> str | None:
    """The date part of a location/date line, e.g. `22 April 2024`."""
    date = location_date_group(line)
    return date.strip() if date is not None else None


def parse_sections(lines: list[str], fmt: StoryFormat = DEFAULT_FORMAT,
                   text: str | None = None) -> list[Section]:
    """Split the lines of a script into typed sections; never raises. `text`: the lines joined
    with newlines, when the caller has it already."""
    markers = fmt.marker_lines("\n".join(lines) if text is None else text)
    kinds, values = read_lines(lines, markers)
    start = _boilerplate_start(kinds)
    sections = _Parser(lines, kinds, values).run(start)
    sections.extend(_tail_sections(lines, kinds, start))
    return sections


def read_lines(lines: list[str], markers: set[int]) -> tuple[list[str], list]:
    """Each line's kind and value (`read_line`; `markers`: the indices of the marker lines),
    in two lists. Compiled when storylint._speedups is built: the same lists."""
    if COMPILED_READ_LINES is not None:
        return COMPILED_READ_LINES(lines, markers, _DIRECTIVE, _SHOT, _HEADER, _DATE_LINE,
                                   _location_date_part)
    return python_read_lines(lines, markers)


def python_read_lines(lines: list[str], markers: set[int]) -> tuple[list[str], list]:
    """`read_lines` in Python: the definition the compiled one matches."""
    read = [read_line(line, index in markers) if line else _BLANK  # a third of the lines
            for index, line in enumerate(lines)]
    return [kind for kind, _ in read], [value for _, value in read]


def _boilerplate_start(kinds: list[str]) -> int:
    """Index of the first boilerplate line, or len(kinds) when absent."""
    for index, kind in enumerate(kinds):
        if kind == "boilerplate":
            return index
    return len(kinds)


def _tail_sections(lines: list[str], kinds: list[str], start: int) -> list[Section]:
    """Boilerplate paragraphs and trailing (non-boilerplate) paragraphs from `start` on."""
    sections: list[Section] = []
    current: list = []  # [part, first, last]
    previous = ""  # the part of the last non-blank line
    for index in range(start, len(lines)):
        kind = kinds[index]
        if kind in ("blank", "directive"):
            current = _close(sections, current)
            if kind == "directive":
                sections.append(make_section("directive", index + 1, index + 1))
            continue
        part = "trailing"
        if kind == "boilerplate" or (previous == "boilerplate"
                                     and _FIELD_VALUE.fullmatch(lines[index].strip())):
            part = "boilerplate"
        if current and current[0] != part:
            current = _close(sections, current)
        current = current or [part, index + 1, index + 1]
        current[2] = index + 1
        previous = part
    _close(sections, current)
    return sections


def _close(sections: list[Section], current: list) -> list:
    if current:
        sections.append(make_section(current[0], current[1], current[2]))
    return []


class _Parser:
    """The state machine for everything before the boilerplate: top, shots, body."""

    def __init__(self, lines: list[str], kinds: list[str], values: list):
        """`kinds` and `values`: each line's kind and value from `read_line`."""
        self.lines, self.kinds, self.values = lines, kinds, values
        self.sections: list[Section] = []
        self.state = "top"
        self.open: Any = None  # [kind, first, last, number] while a section is open
        self.after_blank = False

    def run(self, stop: int) -> list[Section]:
        for index in range(stop):
            self.step(index, self.kinds[index], self.lines[index])
        self.close()
        return self.sections

    def close(self) -> None:
        if self.open:
            kind, first, last, number = self.open
            self.sections.append(make_section(kind, first, last, number))
            self.open = None

    def single(self, kind: str, index: int, value: str | None = None) -> None:
        self.close()
        self.sections.append(make_section(kind, index + 1, index + 1, None, value))

    def step(self, index: int, kind: str, line: str) -> None:
        if kind == "blank":
            if self.open and not (self.open[0] == "shot" and self._awaits_quote()):
                self.close()
            self.after_blank = True
            return
        if kind == "directive":
            self.single("directive", index)
            return
        if self.state == "body":  # most lines of a story
            self.in_body(index, kind, line)
        elif self.state == "shots":
            self.in_shots(index, kind, line)
        else:
            self.in_top(index, kind, line)
        self.after_blank = False

    def in_top(self, index: int, kind: str, line: str) -> None:
        if kind in ("text", "note") and all(s.kind == "directive" for s in self.sections):
            self.single("headline", index)
        elif kind == "note":
            self.single("header", index, line.strip())
        elif kind in ("date", "location", "header"):
            self.structural(index, kind, line)
        elif kind == "text" and self._next_is_shot(index, adjacent=True):
            self.single("location", index, location_date(line))  # an odd dash or date format
        elif kind == "shot":
            self.state = "shots"
            self.in_shots(index, kind, line)
        else:
            self.state = "body"
            self.in_body(index, kind, line)

    def in_shots(self, index: int, kind: str, line: str) -> None:
        if kind == "shot":
            self.close()
            self.open = ["shot", index + 1, index + 1, self.values[index]]
        elif kind in ("location", "header", "date"):
            self.structural(index, kind, line)
        elif kind == "note" and not (self.open and self._awaits_quote()):
            self.single("header", index, line.strip())
        elif self.open and self.open[0] == "shot" and self._continues_shot(line):
            self.open[2] = index + 1
        else:
            self.state = "body"
            self.in_body(index, kind, line)

    def in_body(self, index: int, kind: str, line: str) -> None:
        if kind == "header" or (kind in ("location", "note") and self._next_is_shot(index)):
            self.structural(index, kind, line)
            return
        if self.open and self.open[0] == "body" and not self.after_blank:
            self.open[2] = index + 1
            return
        self.close()
        self.open = ["body", index + 1, index + 1, None]

    def structural(self, index: int, kind: str, line: str) -> None:
        if kind == "date":
            self.single("date", index, self.values[index])
        elif kind == "location":
            self.single("location", index, self.values[index])
            if self.state == "body":
                self.state = "shots"
        elif kind == "note":
            self.single("header", index, line.strip())
            self.state = "shots"
        else:
            header = _HEADER.match(line)  # a "header" line is one it matched (read_line)
            name = header.group(1).upper().replace(" ", "")  # type: ignore[union-attr]
            self.single("header", index, name)
            self.state = "body" if name == "STORYLINE" else "shots"

    def _continues_shot(self, line: str) -> bool:
        if self.after_blank and not self._awaits_quote():
            return False
        return line.lstrip().startswith(_QUOTE_START) or self._awaits_quote()

    def _awaits_quote(self) -> bool:
        """True while a soundbite shot ends in a colon or has an unclosed quotation."""
        first, last = self.open[1], self.open[2]
        text = "\n".join(self.lines[first - 1:last])
        if text.rstrip().endswith(":"):
            return True
        return text.count('"') % 2 == 1 or text.count("\u201c") > text.count("\u201d")

    def _next_is_shot(self, index: int, adjacent: bool = False) -> bool:
        """True when the next non-blank line (or, if `adjacent`, the very next line) is a shot."""
        for kind in self.kinds[index + 1:]:
            if kind != "blank" or adjacent:
                return kind == "shot"
        return False
