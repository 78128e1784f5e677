"""Property tests: any bytes as a story are checked without an exception, positions are valid."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storylint.source import decode_story
from storylint.story import Story

SCRIPT_LINES = st.sampled_from([
    "", "Headline about talks", "(22 Apr 2024)", "(31 Febuary 2024)", "Moscow, Russia – 22 April 2024",
    "Kyiv - 23 Apr 2024", "1. Wide of street", "2. SOUNDBITE (English) Name, role:", '"We will stay."',
    "3) Close", "SHOTLIST:", "STORYLINE:", "ASSOCIATED PRESS", "A lighting blitz began.",
    "Clients are reminded to adhere to all listed restrictions.", "Email:", "Facebook: ",
    "You can license this story through AP Archive:", "Greetings I'm Rich, subscribe now 😁",
    "[storylint: disable-next-line SL301 -- quoted]", "[storylint: disable-file]", "Арр1е\u200b",
    "\u202eevil", "\x00\x0c", "â€™", "x" * 300,
])
SCRIPTS = st.lists(SCRIPT_LINES, max_size=40).map("\n".join)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_valid(findings, story_text):
    lines = story_text.split("\n")
    for f in findings:
        assert 1 <= f.line <= max(1, len(lines)) and f.column >= 1
        assert (f.end_line, f.end_column) >= (f.line, f.column)
        assert f.message and f.code.startswith("SL")
        if f.fix is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(story_text)


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_are_decoded_or_reported(linter, raw):
    result = decode_story("story.txt", raw)
    assert (result.text is None) == bool(result.findings and result.findings[0].code in
                                          ("SL002", "SL003"))
    if result.text is not None:
        assert_valid(linter.check_text(result.text, "story.txt", result.encoding), result.text)
    assert linter.internal_errors == 0


@SETTINGS
@given(SCRIPTS, NEWLINES)
def test_script_like_text_never_crashes_a_rule(linter, text, newline):
    text = text.replace("\n", newline)
    assert_valid(linter.check_text(text), text)
    assert linter.internal_errors == 0


@SETTINGS
@given(st.text(max_size=2000))
def test_any_text_parses_into_ordered_in_range_sections(text):
    story = Story(text)
    previous_end = 0
    for section in story.sections:
        assert previous_end < section.start_line <= section.end_line <= len(story.lines)
        previous_end = section.end_line


@SETTINGS
@given(SCRIPTS | st.text(max_size=600), NEWLINES)
def test_section_at_is_the_section_holding_the_line(text, newline):
    story = Story(text.replace("\n", newline))
    for line in range(-1, len(story.lines) + 3):
        holding = [s for s in story.sections if s.start_line <= line <= s.end_line]
        assert story.section_at(line) == (holding[0] if holding else None)


@SETTINGS
@given(st.text(max_size=500), st.data())
def test_offsets_and_positions_round_trip(text, data):
    story = Story(text)
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    line, column = story.position(offset)
    assert story.offset(line, column) == offset
    assert text[story.line_starts[line - 1]:offset].count("\n") == 0


def test_cli_on_random_files_exits_0_or_1_without_traceback(tmp_path, capsys):
    import random

    from storylint.cli import main

    rng = random.Random(7)
    for index in range(30):
        (tmp_path / f"s{index}.txt").write_bytes(bytes(rng.randrange(256) for _ in range(
            rng.randrange(2000))))
    code = main(["check", "--isolated", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in out + err
    assert out.rstrip().endswith(("of 30 files.", "All 30 files clean."))


_HIDING = st.text(alphabet=st.sampled_from(
    list("ab AZ.\u2019\u2013") + ["\u200b", "\u202e", "\u00ad", "\ufeff", "ｆ", "\u00bd", "ﬁ",
                                   "А", "о", "Ο", "é", "e", "\u0301", "ж"]), max_size=60)


@given(_HIDING)
@settings(max_examples=500, deadline=None)
def test_skeleton_fast_paths_equal_the_plain_definition(text):
    """`skeleton` skips work when a quick search finds nothing to change; the result must be
    the plain definition: strip invisibles, NFKC, look-alikes to Latin."""
    import unicodedata

    from storylint.normalise import _TO_LATIN, INVISIBLE, skeleton, strip_invisible

    plain = unicodedata.normalize("NFKC", text.translate(INVISIBLE)).translate(_TO_LATIN)
    assert skeleton(text) == plain
    assert strip_invisible(text) == text.translate(INVISIBLE)


_TRIGGERS = st.text(alphabet=st.sampled_from(
    list("TKX[]insert ab\n") + ["\u200b", "\u202e", "\x00", "\x0c", "â", "€", "™", "Ã", "©",
                                "😁", "\u2600", "А", "р", "\u00ad"]), max_size=40)


@SETTINGS
@given(SCRIPTS | _TRIGGERS)
def test_presence_scan_agrees_with_each_patterns_own_search(all_rules, script):
    """The shared one-scan prefilter of the `pattern` rules (patterns.PresenceScan) may only
    skip a rule whose patterns match nowhere: it must name exactly the patterns that match."""
    from storylint.checks.pattern import PRESENCE

    patterns = [p for rule in all_rules[0] if rule.kind == "pattern" for p in rule.check.compiled]
    present = PRESENCE.present(script)
    assert present is not None  # google-re2 is installed in the test environment
    for pattern in patterns:
        found = pattern.compiled.search(script) is not None
        assert (PRESENCE.register(pattern.compiled) in present) == found, pattern.source
