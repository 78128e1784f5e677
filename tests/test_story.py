"""The story parser: typed sections with exact line spans, positions, and never a crash."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint import story as story_module
from storylint.story import Story, classify_line

from conftest import FIXTURES


def kinds(story: Story) -> list[tuple]:
    return [(s.kind, s.start_line, s.end_line) for s in story.sections]


def test_seed_sections(seed_story):
    story = Story(seed_story.read_text(encoding="utf-8"))
    got = kinds(story)
    assert got[:5] == [("headline", 1, 1), ("date", 3, 3), ("location", 5, 5), ("shot", 6, 6),
                       ("shot", 7, 7)]
    # story text starts on the line right after the last shot, with no blank line
    assert got[5] == ("body", 8, 8)
    assert ("boilerplate", 29, 29) in got and ("boilerplate", 34, 34) in got
    assert got[-1] == ("trailing", 36, 36)
    assert story.of_kind("date")[0].value == "22 Apr 2024"
    assert story.of_kind("location")[0].value == "22 April 2024"


def test_soundbite_continues_on_next_line_and_numbering_spans_locations():
    story = Story((FIXTURES / "stories" / "clean.txt").read_text(encoding="utf-8"))
    shots = story.of_kind("shot")
    assert [s.number for s in shots] == [1, 2, 3, 4, 5, 6]
    assert (shots[2].start_line, shots[2].end_line) == (8, 9)  # SOUNDBITE + quoted words
    assert [s.start_line for s in story.of_kind("location")] == [5, 11]
    assert story.of_kind("body")[0].start_line == 14


def test_headers_and_multiline_quote():
    story = Story((FIXTURES / "stories" / "clean-headers.txt").read_text(encoding="utf-8"))
    assert [s.value for s in story.of_kind("header")] == ["SHOTLIST", "STORYLINE"]
    soundbite = story.of_kind("shot")[2]
    assert (soundbite.start_line, soundbite.end_line) == (9, 11)  # quote wraps over two lines
    assert story.of_kind("location")[1].value == "14 July 2021"  # FILE: archive footage


@pytest.mark.parametrize("line,kind", [
    ("(22 Apr 2024)", "date"),
    ("Kornidzor village, Armenia – 22 April 2024", "location"),
    ("Kornidzor village, Armenia - 22 April 2024", "location"),
    ("Kornidzor village, Armenia — 22 April 2024", "location"),
    ("FILE: Stepanakert, Karabakh - 19 September 2023", "location"),
    ("Moscow, Russia – Date unknown", "location"),
    ("3. SOUNDBITE (English) Ani Petrosyan, resident:", "shot"),
    ("12) Wide of the square", "shot"),
    ("SHOTLIST:", "header"),
    ("Storyline", "header"),
    ("Facebook: ", "boilerplate"),
    ("The talks – which began in May – ended without a deal.", "text"),
    ("1.5 million people voted.", "text"),
    ("   ", "blank"),
    ("[storylint: disable-file SL301 -- reason]", "directive"),
])
def test_classify_line(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize("text", ["", "\n\n", "Just a headline", "1. Wide\n2. Close",
                                  "(22 Apr 2024)", "Facebook:", "x\r\ny\rz", "\x00\x01",
                                  "Clients are reminded\nGreetings, buy now"])
def test_partial_scripts_parse_without_crashing(text):
    story = Story(text)
    for section in story.sections:
        assert 1 <= section.start_line <= section.end_line <= len(story.lines)


def test_text_before_boilerplate_is_not_trailing_and_text_after_is():
    story = Story("Headline\n\nBody paragraph.\n\nYou can license this story through AP Archive:"
                  " http://x\n\nBuy cheap watches now\nat our shop\n")
    assert kinds(story)[-2:] == [("boilerplate", 5, 5), ("trailing", 7, 8)]


def test_field_value_on_next_line_stays_in_boilerplate():
    story = Story("Headline\n\nBody.\n\nYou can license this story through AP Archive:\n"
                  "http://www.aparchive.com/metadata/1\n")
    assert kinds(story)[-1] == ("boilerplate", 5, 6)


def test_crlf_positions_map_to_original_offsets():
    text = "Head\r\n\r\nBody with lighting blitz\r\n"
    story = Story(text)
    offset = text.index("lighting")
    assert story.position(offset) == (3, 11)
    assert story.offset(3, 11) == offset
    assert story.lines[2] == "Body with lighting blitz"
    assert story.line_count == 3


def test_position_offset_round_trip():
    text = "a\nbc\n\ndef\n"
    story = Story(text)
    for offset in range(len(text)):
        line, column = story.position(offset)
        assert story.offset(line, column) == offset


def test_agency_source_and_restriction_lines_are_headers_not_story_text():
    story = Story((FIXTURES / "stories" / "clean-source-lines.txt").read_text(encoding="utf-8"))
    assert [s.value for s in story.of_kind("header")] == [
        "RESTRICTION SUMMARY: AP CLIENTS ONLY", "SHOTLIST", "ASSOCIATED PRESS", "AP TELEVISION",
        "STORYLINE"]
    assert [s.number for s in story.of_kind("shot")] == [1, 2, 3]  # `1.Various` has no space
    assert [s.start_line for s in story.of_kind("body")] == [15]
    assert not story.of_kind("trailing")  # Google+ and Tumblr lines are boilerplate


def test_pack_markers_find_boilerplate_after_blank_lines(all_rules):
    _, fmt = all_rules
    text = "Head\n\nBody.\n\n\n  Clients are reminded to adhere.\n\nFacebook:\nBuy now\n"
    story = Story(text, fmt=fmt)
    assert kinds(story)[-3:] == [("boilerplate", 6, 6), ("boilerplate", 8, 8), ("trailing", 9, 9)]


# Characters where the compiled line reader could part from Python's str methods: Unicode
# whitespace (the \x1c-\x1f separators and NEL strip too), digits that are not ASCII, a digit
# that is not decimal (superscript two), title case, lower case outside ASCII, the dashes.
_LINE_PIECES = ["", " ", "\t", "\u2003", "\x1c", "\x85", "\u3000", "1", "12", "\u0663", "\uff11",
                "\u00b2", ". ", ")", "(", "[", "]", "storylint:", "SHOT LIST", "STORYLINE:",
                "Paris", " - ", " \u2013 ", "\u2014", "22 April 2024", "Apr", "date unknown",
                "\u01c5", "\u00e9", "ABC", "AP CLIENTS ONLY", "x" * 95, "a", "Wide", ":", '"',
                ",", ".", "1234", "7)", "\u0663\u0664.", "\u00a0"]


@pytest.mark.skipif(story_module.COMPILED_READ_LINES is None,
                    reason="storylint._speedups was not built (no C compiler at install, or "
                           "STORYLINT_SPEEDUPS=off): the Python line reader is in use")
@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), max_size=8).map("".join), max_size=25),
       st.sets(st.integers(0, 30)))
@settings(max_examples=1500, deadline=None)
def test_compiled_line_reader_equals_python(lines, markers):
    """Kinds and values (the shot number, date-line text, location date) of any lines, marker
    lines given as they come (an index past the end, an empty line, included)."""
    assert story_module.read_lines(lines, markers) == \
        story_module.python_read_lines(lines, markers)


@pytest.mark.skipif(story_module.COMPILED_READ_LINES is None, reason="no compiled line reader")
def test_compiled_line_reader_passes_errors_on():
    def broken(line):
        raise RuntimeError("from the location reader")

    args = ({0}, story_module._DIRECTIVE, story_module._SHOT, story_module._HEADER,
            story_module._DATE_LINE)
    with pytest.raises(RuntimeError, match="location reader"):
        story_module.COMPILED_READ_LINES(["x", "Paris - 22 April 2024"], *args, broken)
    with pytest.raises(TypeError):
        story_module.COMPILED_READ_LINES(["x", 3], *args, story_module._location_date_part)
    with pytest.raises(TypeError):
        story_module.COMPILED_READ_LINES(("x",), *args, story_module._location_date_part)


def test_make_section_builds_the_named_tuple_its_constructor_builds():
    """The parser builds sections with tuple.__new__ (speed): same record, same defaults."""
    from storylint.story import Section, make_section

    assert make_section("shot", 3, 5, 2) == Section("shot", 3, 5, 2)
    assert type(make_section("date", 2, 2, None, "x")) is Section
    assert make_section("date", 2, 2, None, "x").value == "x"
    assert make_section("body", 1, 4)._asdict() == Section("body", 1, 4)._asdict()


@pytest.mark.skipif(story_module.COMPILED_READ_LINES is None, reason="no compiled line reader")
def test_compiled_line_reader_calls_a_shot_pattern_it_does_not_know():
    """The compiled reader reads story._SHOT's shots without calling it; any other pattern in
    its place is called, so editing the pattern in story.py still takes effect."""
    import re

    lines = ["12# Wide of city", "3. Mid of crowd"]
    args = ({99}, story_module._DIRECTIVE)
    rest = (story_module._HEADER, story_module._DATE_LINE, story_module._location_date_part)
    kinds, values = story_module.COMPILED_READ_LINES(lines, *args, re.compile(r"(\d+)#"), *rest)
    assert kinds == ["shot", "text"] and values == [12, None]
    kinds, values = story_module.COMPILED_READ_LINES(lines, *args, story_module._SHOT, *rest)
    assert kinds == ["text", "shot"] and values == [None, 3]
