"""The confusable-word scan: clause reading against its plain definition, RE2 spans, one scan per
story shared by SL301 and SL302, and the boilerplate left unscanned."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint.checks import context
from storylint.checks.context import (
    _TOKEN,
    CLAUSE_BREAKS,
    _reach,
    compile_finder,
    find_words,
    normalize,
    read_context,
    scan,
    serve_from,
)
from storylint.engine import rule_index
from storylint.story import Story


def _clause(tokens, edge):
    words = []
    for token in tokens:
        if token in CLAUSE_BREAKS or token[0] == "-":
            return words, token[0]
        words.append(token)
    return words, edge


def reference_context(line: str, start: int, end: int, limit: int):
    """The definition `read_context` implements fast: tokenise each window with `_TOKEN` and
    keep the words up to the first clause break on each side."""
    left_from = max(0, start - limit)
    left = _TOKEN.findall(normalize(line[left_from:start]))
    if left_from and left and line[left_from].isalnum() and line[left_from - 1].isalnum():
        left = left[1:]
    before, opened = _clause(reversed(left), "^" if left_from == 0 else None)
    right_to = min(len(line), end + limit)
    after, closed = _clause(_TOKEN.findall(normalize(line[end:right_to])),
                            "$" if right_to == len(line) else None)
    return tuple(reversed(before)), tuple(after), opened, closed


PIECES = st.sampled_from(["the", "Its", "it's", "it\u2019s", "more", "then", " ", " ", "  ",
                          ",", ".", "U.K.", "5.5%", "1,234", "-", " - ", "--", "\u2014", "(",
                          ")", '"', "\u201c", "'", "co-op", "x2", "caf\u00e9", "\u00b2", "_", ":",
                          "?", "e.g.", "don't", "\t"])
LINES = st.lists(PIECES, min_size=1, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(LINES, st.integers(0, 400), st.integers(1, 8), st.sampled_from([3, 10, 56, 100]))
def test_read_context_matches_its_definition(line, at, width, limit):
    start = at % len(line)
    end = min(len(line), start + width)
    ctx = read_context(line, start, end, limit)
    assert (ctx.before, ctx.after, ctx.opened, ctx.closed) == \
        reference_context(line, start, end, limit)
    assert ctx.back == ctx.before[::-1]


@pytest.mark.parametrize("text", [
    "Its lead, their lead and then THEIR leads.",
    "Caf\u00e9 \u2014 its \u00e9lead then \u201cthere\u201d it\u2019s \U0001f600 than",
    "",
    "no candidates at all",
])
def test_finder_spans_match_the_wrapper(text):
    finder = compile_finder(["its", "it's", "lead", "then", "than", "their", "there"])
    data = text.encode("utf-8")
    expected = []
    for match in finder.compiled.finditer(data):
        start, end = match.span()
        expected.append((len(data[:start].decode()), len(data[:end].decode())))
    assert finder.spans(text) == expected
    assert [text[s:e] for s, e in finder.spans(text)] == [text[s:e] for s, e in expected]


STORY = ("Headline: its lead grows\n\n(22 Apr 2024)\n\n1. Wide of the crowd waving there flags\n\n"
         "Shares rose more then expected. The firm said it's profits rose.\n\n"
         "Clients are reminded that their licence terms apply.\n")


def test_both_rules_share_one_scan_and_its_hits(all_rules):
    index = rule_index(all_rules[0])
    curated, likely = index["confusable-word"], index["confusable-word-likely"]
    story = Story(STORY, "s.txt")
    curated.check.run(story, curated)
    shared = scan(story, curated.check.finder, curated)
    assert scan(story, curated.check.finder, curated) is shared  # found once per story
    wide = likely.check.shared  # one scan for both rules' words...
    assert likely.check.own is None and set(curated.check.finder.words) < set(wide.words)
    both = story.memo[(wide.key,) + _reach(story, likely)]  # ...made by the curated rule's run
    assert [h for h in both if h.normal in curated.check.finder.words] == shared
    hits = likely.check.hits(story, likely)
    assert all(any(h is b for b in both) for h in hits)  # the same Hit objects
    assert all(h.normal in likely.check.members for h in hits)
    assert [h.start for h in hits] == sorted(h.start for h in hits)


_SCAN_TEXT_PARTS = st.sampled_from(
    [" ", "  ", ", ", ". ", "'", "\u2019", "-", "_", "1", "\u00e9", "\u212a", "\u017f", "s", "x",
     "it's", "its", "it", "they're", "their", "there", "re", "then", "than", "lead", "led",
     "lighting", "lightning", "THEN", "Their", "who's", "whose", "o'clock", "clock"])


def _served(wide, narrow_words, text):
    return [(s, e) for s, e in find_words(wide, text)
            if normalize(text[s:e]) in narrow_words]


@given(st.lists(_SCAN_TEXT_PARTS, max_size=30).map("".join))
@settings(max_examples=1500, deadline=None)
def test_a_served_scan_finds_exactly_what_its_own_scan_finds(all_rules, text):
    """The curated rule's hits, taken from the scan for both rules' words, are the hits of its
    own scan: whole words, any case, beside apostrophes, digits, KELVIN SIGN and LONG S."""
    index = rule_index(all_rules[0])
    narrow = index["confusable-word"].check.finder
    wide = index["confusable-word-likely"].check.shared
    assert find_words(narrow, text) == _served(wide, set(narrow.words), text)


def test_a_wider_scan_that_could_hide_a_word_is_not_shared(monkeypatch):
    """"it's" holds "s" after its apostrophe: a scan for both would take "it's" whole and never
    see the "s" that a scan for "s" alone finds, so the two are kept apart."""
    monkeypatch.setattr(context, "_WIDER", {})  # what this test ties stays in this test
    narrow, wide = compile_finder(["s", "its"]), compile_finder(["s", "its", "it's"])
    assert find_words(narrow, "it's") != _served(wide, {"s", "its"}, "it's")
    assert not serve_from(narrow, wide)
    assert not serve_from(compile_finder(["caf\u00e9"]), compile_finder(["caf\u00e9", "than"]))
    assert serve_from(compile_finder(["then"]), compile_finder(["then", "than", "it's"]))


def test_boilerplate_is_not_scanned_but_whole_text_is_without_a_rule(all_rules):
    curated = rule_index(all_rules[0])["confusable-word"]
    story = Story(STORY, "s.txt")
    words = [h.normal for h in scan(story, curated.check.finder, curated)]
    assert "their" not in words and "then" in words and "it's" in words
    assert "their" in [h.normal for h in scan(story, curated.check.finder)]


def test_findings_do_not_depend_on_which_rule_runs_first(all_rules):
    index = rule_index(all_rules[0])
    rules = [index["confusable-word"], index["confusable-word-likely"]]
    results = []
    for order in (rules, rules[::-1]):
        story = Story(STORY, "s.txt")
        results.append(sorted((f.code, f.line, f.column, f.message)
                              for rule in order for f in rule.check.run(story, rule)))
    assert results[0] == results[1] and results[0]


@given(st.text(alphabet=st.sampled_from(list("ab :\n\u00e9\u2014\U0001f600")), max_size=40),
       st.sampled_from([r"a+", r"\b", r"b*", "(?i)(?P<x>a)|(?P<y>\u00e9+)", r"$", r":[ \t]*$"]))
@settings(max_examples=300, deadline=None)
def test_pattern_char_spans_match_the_wrapper_on_str(text, source):
    """`char_spans` (RE2 on UTF-8 bytes through the C++ binding) gives the character spans the
    google-re2 wrapper gives for the str, non-ASCII text included. Empty matches are compared
    by position only: the wrapper repeats some (":a" with \\b gives (1, 1) twice), rules skip them."""
    import re2

    from storylint.patterns import char_spans, compile_regex

    compiled = compile_regex(source)
    expected = [m.span() for m in re2.compile(source).finditer(text)]
    got = list(char_spans(compiled, text))
    assert [s for s in got if s[0] != s[1]] == [s for s in expected if s[0] != s[1]]
    assert sorted(set(got)) == sorted(set(expected))
