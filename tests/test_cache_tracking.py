"""The long-lived caches hold values the garbage collector can stop tracking.

A plain tuple of strings, numbers and such tuples is untracked by the first collection that
sees it; a named tuple never is. Tens of thousands of cached named tuples were traversed by
every full collection of an archive run (measured: ~9 us of ~450 us per story), so the caches
keep plain tuples and rebuild the named tuple when they hand one out.
"""
import gc

from conftest import FIXTURES

from storylint.checks import context
from storylint.checks.context import Context, read_clause, read_context
from storylint.engine import Linter, rule_index
from storylint.features import LineText
from storylint.story import Story
from storylint.wordmodel import Evidence


def _fixture_texts() -> list[str]:
    return [p.read_bytes().decode("utf-8", "replace") for p in sorted(FIXTURES.rglob("*.txt"))]


def _untracked_after_collection(values) -> bool:
    """True when no value is tracked once collections have run: each pass may untrack one
    level of nesting only (an outer tuple can be visited before its inner ones), so three."""
    for _ in range(3):
        gc.collect()
    return not any(gc.is_tracked(value) for value in values)


def test_the_likely_word_memo_keeps_plain_untracked_tuples(all_rules, linter: Linter):
    likely = rule_index(all_rules[0])["confusable-word-likely"].check
    likely.memo.clear()
    for text in _fixture_texts():
        linter.check_text(text)
    values = list(likely.memo.values())
    assert len(values) > 50
    assert all(type(value) is tuple and len(value) == len(Evidence._fields) for value in values)
    assert _untracked_after_collection(values)


def test_memo_hits_hand_out_the_same_evidence_as_a_fresh_comparison(all_rules):
    likely = rule_index(all_rules[0])["confusable-word-likely"].check
    rule = rule_index(all_rules[0])["confusable-word-likely"]
    story_text = next(t for t in _fixture_texts() if " their " in t or " then " in t)
    likely.memo.clear()
    first = list(likely.scored(Story(story_text), rule))  # misses: compared afresh
    again = list(likely.scored(Story(story_text), rule))  # hits: rebuilt from the memo
    assert first and [e for _, e in first] == [e for _, e in again]
    assert all(type(e) is Evidence for _, e in again)


def test_read_context_is_a_context_built_from_the_cached_plain_clause():
    line = "The army launched a lighting blitz, then paused."
    start = line.index("lighting")
    read_clause.cache_clear()
    ctx = read_context(line, start, start + len("lighting"))
    assert type(ctx) is Context and ctx.before == ("the", "army", "launched", "a")
    assert ctx.after == ("blitz",) and ctx.closed == ","
    cached = read_clause(line, start, start + len("lighting"), context.WINDOW_CHARS)
    assert type(cached) is tuple and tuple(ctx) == cached
    assert read_clause.cache_info().hits == 1  # read_context's call filled the cache
    assert _untracked_after_collection([cached])
    assert context.read_clause is read_clause


def test_the_classifier_text_cache_keeps_plain_untracked_tuples(all_rules, linter: Linter):
    check = rule_index(all_rules[0])["promo-tail"].check
    check.prepare()
    scorer = check.model
    scorer._texts.clear()
    for text in _fixture_texts() * 2:  # lines are cached from their second sighting on
        linter.check_text(text)
    values = list(scorer._texts.values())
    assert len(values) > 50
    assert all(type(fields) is tuple and type(fields[0]) is tuple for fields in values)
    assert _untracked_after_collection(values)
    text = next(iter(scorer._texts))
    analysed, hashed = scorer.text_part(text)  # a hit: the LineText is rebuilt
    assert type(analysed) is LineText and (tuple(analysed), hashed) == scorer._texts[text]


def test_a_line_is_cached_from_its_second_sighting_with_the_same_result(all_rules):
    check = rule_index(all_rules[0])["promo-tail"].check
    check.prepare()
    scorer = check.model
    line = "Greetings I'm Renegade Rich, I own lots of websites and domain names 31415926"
    scorer._sighted = bytearray(len(scorer._sighted))  # no earlier line shares its bit
    assert line not in scorer._texts
    first = scorer.text_part(line)
    assert line not in scorer._texts  # seen once: analysed, not kept
    second = scorer.text_part(line)
    assert line in scorer._texts
    third = scorer.text_part(line)  # from the cache
    assert first == second == third and type(third[0]) is LineText
