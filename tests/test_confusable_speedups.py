"""The compiled parts of the confusable-word rules (storylint._speedups: find_words, clause_words,
compare_counts) give exactly what their pure-Python definitions (checks/context.py,
wordmodel.Counts.python_compare) give."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint.checks import context
from storylint.checks.context import (
    _left_clause,
    _right_clause,
    compile_finder,
    find_words,
    python_find_words,
    read_clause,
    read_context,
)
from storylint.engine import rule_index
from storylint.wordmodel import COMPILED_COMPARE, Counts, read_model

try:
    from storylint import _speedups
except ImportError:
    _speedups = None

pytestmark = pytest.mark.skipif(
    context.COMPILED_FIND_WORDS is None,
    reason="storylint._speedups was not built (no C compiler at install, or "
           "STORYLINT_SPEEDUPS=off); the pure-Python scan is in use")

# Characters that sit on every edge the scan decides: ASCII and typographic apostrophes, digits,
# underscores, hyphens, non-ASCII letters and digits, letters RE2 case-folds to ASCII (KELVIN
# SIGN, LONG S), emoji, dashes, quotes and clause punctuation.
TRICKY = list("abcdehilnorstwyABEHIST '\u2019_-0912.,;:!?\u00e9\u00c9\u0663\u00b2\u2014\u2013\"\u201c"
              "\u201d()/\t\n") + ["\u212a", "\u017f", "\U0001f600", "\u0130", "\u00df"]
WORDS = ["its", "it's", "it", "their", "there", "they're", "then", "than", "lead", "led",
         "leads", "aid", "aide", "as", "is", "this", "so", "sh"]
PIECES = st.sampled_from(WORDS + [w.upper() for w in WORDS] + [w.title() for w in WORDS]
                         + ["it\u2019s", "they\u2019re", "caf\u00e9", "don't", "x2", "_its"])
TEXTS = st.lists(st.one_of(PIECES, st.sampled_from(TRICKY)), max_size=60).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS, st.lists(st.sampled_from(WORDS), min_size=1, unique=True))
def test_find_words_equals_the_re2_scan(text, words):
    finder = compile_finder(words)
    assert find_words(finder, text) == list(python_find_words(finder, text))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_find_words_equals_the_re2_scan_on_any_text(text):
    finder = compile_finder(["its", "it's", "than", "then", "lead"])
    assert find_words(finder, text) == list(python_find_words(finder, text))


def test_find_words_equals_the_re2_scan_on_every_fixture(all_rules):
    index = rule_index(all_rules[0])
    likely = index["confusable-word-likely"].check
    finders = [index["confusable-word"].check.finder, likely.shared]  # and both rules' words
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    found = 0
    for finder in finders:
        assert finder.prefilter is not None  # the bundled words are all plain ASCII
        for text in texts:
            spans = find_words(finder, text)
            assert spans == list(python_find_words(finder, text))
            found += len(spans)
    assert found > 100


def test_kelvin_sign_and_long_s_fall_back_to_re2():
    """RE2 folds U+212A to k and U+017F to s; the compiled scan hands such texts back."""
    finder = compile_finder(["ask", "its"])
    assert _speedups.find_words("a\u212a it\u017f", finder.key[1], finder.prefilter,
                                finder.longest) is None
    assert find_words(finder, "as\u212a it\u017f its") == \
        list(python_find_words(finder, "as\u212a it\u017f its"))


def test_words_only_re2_can_scan_get_no_prefilter():
    """Non-ASCII words, or words longer than the table covers, keep the RE2 scan."""
    assert compile_finder(["caf\u00e9", "its"]).prefilter is None
    assert compile_finder(["a" * 33]).prefilter is None
    assert compile_finder(["it's", "a" * 32]).prefilter is not None


def test_find_words_rejects_bad_arguments():
    finder = compile_finder(["its"])
    table, words = finder.prefilter, finder.key[1]
    for args, error in [(("its", words, b"\0" * 10, 3), ValueError),  # table of the wrong size
                        (("its", words, table, 33), ValueError),  # longer than the table covers
                        (("its", set(words), table, 3), TypeError),  # not a frozenset
                        ((b"its", words, table, 3), TypeError)]:  # bytes, not str
        with pytest.raises(error):
            _speedups.find_words(*args)
    assert _speedups.find_words("Its", words, table, 3) == [(0, 3)]


WINDOW_PIECES = st.sampled_from(["the", "its", "it's", "more", "then", " ", "  ", ",", ".",
                                 "U.K.", "5.5%", "1,234", "3:30", "-", " - ", "--", "---a",
                                 "a--", "\u2014", "\u2013", "(", ")", '"', "\u201c", "'",
                                 "\u2019", "co-op", "x2", "caf\u00e9", "\u00b2", "_", ":", "?",
                                 "e.g.", "don't", "\t", "\u0663", "\u2026", "/", "&", "\u00a0",
                                 "\U0001f600", "\u2163", "a'", "'b"])
WINDOWS = st.lists(WINDOW_PIECES, max_size=40).map("".join)


@settings(max_examples=800, deadline=None)
@given(WINDOWS, st.booleans())
def test_clause_words_equal_the_python_readers(window, cut):
    left, opened = _left_clause(window.split(), cut)
    assert _speedups.clause_words(window, True, cut) == (tuple(left), opened)
    right, closed = _right_clause(window.split())
    assert _speedups.clause_words(window, False, False) == (tuple(right), closed)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60), st.booleans())
def test_clause_words_equal_the_python_readers_on_any_text(window, cut):
    left, opened = _left_clause(window.split(), cut and window[:1].isalnum())
    assert _speedups.clause_words(window, True, cut and window[:1].isalnum()) == \
        (tuple(left), opened)
    right, closed = _right_clause(window.split())
    assert _speedups.clause_words(window, False, False) == (tuple(right), closed)


def test_contexts_of_every_fixture_hit_do_not_depend_on_the_build(all_rules, monkeypatch):
    finder = rule_index(all_rules[0])["confusable-word"].check.finder
    cases = []
    for path in sorted(FIXTURES.rglob("*.txt")):
        for line in path.read_bytes().decode("utf-8", "replace").splitlines():
            cases += [(line, start, end) for start, end in find_words(finder, line)]
    read_clause.cache_clear()
    compiled = [read_context(*case) for case in cases]
    monkeypatch.setattr(context, "COMPILED_CLAUSE_WORDS", None)
    read_clause.cache_clear()
    python = [read_context(*case) for case in cases]
    read_clause.cache_clear()
    assert len(cases) > 100 and compiled == python


SHIPPED = Path(__file__).parents[1] / "models" / "confusables"


@pytest.fixture(scope="module")
def shipped():
    return read_model(SHIPPED).counts()


def _same_evidence(counts, word, alternatives, left, right, far):
    compiled = counts.compare(word, alternatives, left, right, far)
    python = counts.python_compare(word, alternatives, left, right, far)
    assert (compiled.alternative, compiled.log_ratio, compiled.support) == \
        (python.alternative, python.log_ratio, python.support)  # exactly, not approximately


def test_compiled_compare_equals_python_on_the_shipped_model(shipped):
    assert COMPILED_COMPARE is not None
    sets = read_model(SHIPPED).manifest["sets"]
    learned = sorted(shipped.classes)[:3]
    neighbours = [None, "<s>", "</s>", "<c>", "</c>", "<num>", "more", "the", "been", "zzqx",
                  "near-term", "governments", "by", *learned]
    checked = 0
    for members in sets[::3]:
        for word in members:
            others = [w for w in members if w != word]
            for left, right in itertools.product(neighbours, neighbours[::2]):
                far = (left and "said", right and "companies")
                _same_evidence(shipped, word, others, left, right, far)
                checked += 1
    assert checked > 2000


NEIGHBOUR = st.one_of(st.none(), st.sampled_from(["<s>", "</s>", "<c>", "</c>", "<num>"]),
                      st.text("abcdehilnorstwy-'", min_size=1, max_size=12))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["than", "then", "its", "it's", "their", "there", "they're", "lead",
                        "led", "affect", "effect", "zzqx"]),
       st.lists(st.sampled_from(["than", "then", "its", "it's", "there", "effect", "qq"]),
                min_size=1, max_size=3), NEIGHBOUR, NEIGHBOUR, NEIGHBOUR, NEIGHBOUR)
def test_compiled_compare_equals_python_on_any_tokens(shipped, word, others, left, right,
                                                      far_left, far_right):
    _same_evidence(shipped, word, others, left, right, (far_left, far_right))


def test_compiled_compare_follows_python_on_awkward_counts():
    """Integer counts whose product exceeds 2**53 (Python multiplies them exactly), a zero lift
    and an empty learned class (both falsy: the next choice is taken), ties between
    alternatives (the first wins)."""
    big = 3 ** 35 + 1  # float(big) * float(big + 2) != float(big * (big + 2))
    assert float(big) * float(big + 2) != float(big * (big + 2))
    raw = {"unigrams": {"a": big, "b": big + 2, "c": big + 2, "x": 7, "lefty": 11},
           "bigrams": {"x a": 5}, "floor": 1e300, "scale": 1.5, "total": 1e9,
           "default_unigram": 3.0, "classes": {"": ["lefty"]},
           "lifts": {"left": {"a": {"lent": 0.0, "~t": 2.5, "~y": 1.5}, "b": {"<s>": 0.5}},
                     "right": {}, "left2": {"c": {"~y": 3.0}}, "right2": {}}}
    counts = Counts(raw)
    for word, others in (("a", ["b", "c"]), ("b", ["a", "c"]), ("c", ["b", "a"])):
        for left in (None, "x", "lefty", "lent", "<s>", "b"):
            for far in ((None, None), ("lefty", None), ("zz-top", "a")):
                _same_evidence(counts, word, others, left, "a", far)
    assert counts.compare("a", ["b", "c"], None, None).alternative == "b"  # b and c tie
    # scaled so that the rounding of the product shows in the last bit of the log ratio
    exact = Counts({**raw, "scale": 1 / big, "total": float(big + 2), "lifts": {},
                    "bigrams": {"b c": 5}})
    for side in ("left", "right", "left2", "right2"):
        exact.lifts[side] = {}
    _same_evidence(exact, "a", ["c"], "b", None, (None, None))
    assert exact._side("a", "b", "left") == (0.0, False)  # 2.2e-16 from the rounded product


def test_compiled_compare_rejects_bad_arguments(shipped):
    shipped.compare("than", ["then"], None, None)
    state = shipped._state
    for args, error in [((state, "than", [], None, None, None, None), ValueError),
                        ((state, "than", ["then"], "", None, None, None), ValueError),
                        ((state, "than", ["then"], 3, None, None, None), ValueError),
                        ((state[:5], "than", ["then"], None, None, None, None), TypeError),
                        ((state, "than", 3, None, None, None, None), TypeError),
                        ((state, "than", [3], None, None, None, None), TypeError)]:
        with pytest.raises(error):
            _speedups.compare_counts(*args)
