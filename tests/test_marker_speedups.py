"""The compiled boilerplate-marker scan (storylint._speedups.marker_lines) finds exactly the lines
the bundled pack's marker pattern finds with RE2, and is used only for that pattern."""
from __future__ import annotations

import itertools

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint import story as story_module
from storylint.config import Config
from storylint.engine import load_rules
from storylint.patterns import compile_regex
from storylint.rulepack import _story_format
from storylint.story import (
    BUNDLED_MARKERS,
    COMPILED_MARKER_LINES,
    DEFAULT_BOILERPLATE_MARKERS,
    DEFAULT_FORMAT,
    MARKER_LITERALS,
    StoryFormat,
    reads_bundled_markers,
)

pytestmark = pytest.mark.skipif(
    COMPILED_MARKER_LINES is None,
    reason="storylint._speedups was not built (no C compiler at install, or "
           "STORYLINT_SPEEDUPS=off); every format runs its marker pattern")

# Marker words whole, cut short, run on, in other cases; the characters around them that decide
# a match: RE2's horizontal space ([\t\f\r ]) and what it is not (\v, no-break and em spaces),
# word characters after a word, colons, dashes, and the letters RE2 folds to k and s.
PIECES = ["Clients are reminded", "CLIENTS ARE REMINDED", "clients are remind", "For further "
          "assistance", "Find out more about AP Archive", "You can license this story",
          "you can license this CLIP", "You can license this video", "You can license these",
          "Facebook", "Twitter", "Instagram", "YouTube", "LinkedIn", "TikTok", "Google+",
          "Google", "Tumblr", "Pinterest", "Tel", "TEL", "Telephone", "Teleph", "E-mail",
          "Email", "e-mai", "E mail", "Website", "Websites", "lin\u212aedin", "Web\u017fite",
          "Ti\u212aTo\u212a", ":", " :", " ", "\t", "\f", "\r", "\x0b", "\n", "\n\n", "\u00a0",
          "\u2003", "x", "1", "_", "-", "+", "\u00e9", "\u2013", "\U0001f600", "\u0130"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@pytest.fixture(scope="module")
def bundled_format() -> StoryFormat:
    """The story format of the bundled rule pack (its markers compiled by RE2)."""
    return load_rules(Config())[1]


def re2_marker_lines(fmt: StoryFormat, text: str, monkeypatch) -> set[int]:
    """What the format's own pattern finds (the compiled scan switched off)."""
    with monkeypatch.context() as patch:
        patch.setattr(story_module, "COMPILED_MARKER_LINES", None)
        return fmt.marker_lines(text)


def test_the_bundled_pack_uses_the_compiled_scan(bundled_format):
    assert reads_bundled_markers(bundled_format.markers)


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_compiled_scan_equals_re2(bundled_format, text):
    with pytest.MonkeyPatch.context() as patch:
        expected = re2_marker_lines(bundled_format, text, patch)
    assert bundled_format.marker_lines(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_compiled_scan_equals_re2_on_any_text(bundled_format, text):
    with pytest.MonkeyPatch.context() as patch:
        expected = re2_marker_lines(bundled_format, text, patch)
    assert bundled_format.marker_lines(text) == expected


def test_compiled_scan_equals_re2_on_every_fixture(bundled_format, monkeypatch):
    paths = sorted(p for p in FIXTURES.rglob("*.txt") if p.is_file())
    assert paths
    marked = 0
    for path in paths:
        text = path.read_text("utf-8", "surrogateescape")
        found = bundled_format.marker_lines(text)
        assert found == re2_marker_lines(bundled_format, text, monkeypatch), path
        marked += bool(found)
    assert marked >= 5  # the fixtures include stories with their licensing boilerplate


def test_compiled_scan_equals_re2_on_news_scripts(bundled_format, shared_data, monkeypatch):
    import random

    from storylint.training.corpora import bbc_news
    from storylint.training.scripts import make_script

    rng = random.Random(3)
    docs = [doc for doc in itertools.islice(bbc_news(shared_data), 300) if doc.paragraphs]
    for doc in docs:
        text = make_script(doc, rng, boilerplate=rng.choice(("full", "stripped"))).text
        assert bundled_format.marker_lines(text) == re2_marker_lines(bundled_format, text,
                                                                     monkeypatch)


def test_literals_cover_each_marker():
    """Every alternative of every bundled marker has its literal, and nothing else does: each
    literal, alone on a line, is a marker line for the pattern (with a colon where it needs
    one), and a line that changes its last letter is not."""
    pattern = compile_regex(BUNDLED_MARKERS, ignore_case=True)
    fmt = StoryFormat(pattern)
    assert len(MARKER_LITERALS) == 20
    for literal, colon in MARKER_LITERALS:
        line = literal + (":" if colon else "")
        assert any(compile_regex(m, ignore_case=True).match(line)
                   for m in DEFAULT_BOILERPLATE_MARKERS), literal
        changed = literal[:-1] + ("q" if literal[-1] != "q" else "z") + (":" if colon else "")
        with pytest.MonkeyPatch.context() as patch:
            assert re2_marker_lines(fmt, line, patch) == {0}
            assert re2_marker_lines(fmt, changed, patch) == set()


@pytest.mark.parametrize("make", [
    lambda: DEFAULT_FORMAT.markers,  # Python's re: Unicode \b and \s, not RE2's
    lambda: compile_regex(BUNDLED_MARKERS),  # case-sensitive
    lambda: compile_regex(BUNDLED_MARKERS.replace("Tel|", "Phone|Tel|"), ignore_case=True),
])
def test_other_marker_patterns_run_themselves(make):
    assert not reads_bundled_markers(make())


def test_a_pack_with_other_markers_finds_its_own(monkeypatch):
    fmt = _story_format({"boilerplate_markers": [r"[^\S\n]*Phone[^\S\n]*:"]}, [])
    assert not reads_bundled_markers(fmt.markers)
    assert fmt.marker_lines("Story.\nPhone: 123\nTel: 456\n") == {1}


def test_the_same_pack_markers_use_the_scan():
    fmt = _story_format({"boilerplate_markers": list(DEFAULT_BOILERPLATE_MARKERS)}, [])
    assert reads_bundled_markers(fmt.markers)
    assert fmt.marker_lines("Story.\n  Tel: 1\nTelly\nYouTube :\n") == {1, 3}


@pytest.mark.parametrize("literals, error", [
    ((("tel", True), ("caf\u00e9", False)), ValueError),
    ((("", True),), ValueError),
    ((("tel",),), TypeError),
    (("tel",), TypeError),
    (tuple(itertools.repeat(("tel", True), 65)), ValueError),
])
def test_bad_literals_raise(literals, error):
    from storylint import _speedups

    with pytest.raises(error):
        _speedups.marker_lines("Tel: 1", literals)
