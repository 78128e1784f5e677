"""Context reading and the curated `substitution` kind: clauses, phrases, unless-rules, case."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint.checks import OptionError, substitution
from storylint.checks.context import (
    compile_finder,
    find_words,
    left_token,
    model_clauses,
    read_context,
    right_token,
)
from storylint.checks.substitution import build, match_case
from storylint.finding import Severity
from storylint.rulepack import Rule
from storylint.schema import Violations, validate_mapping
from storylint.story import Story


def _context(text: str, word: str):
    start = text.index(word)
    return read_context(text, start, start + len(word))


@pytest.mark.parametrize("text, word, before, after, opened, closed", [
    ("Azerbaijan launched a lighting blitz.", "lighting",
     ("azerbaijan", "launched", "a"), ("blitz",), "^", "."),
    ("The stage lighting. Strike action followed", "lighting", ("the", "stage"), (), "^", "."),
    ("He said their, staff left", "their", ("he", "said"), (), "^", ","),
    ("He said, their own staff left", "own", ("their",), ("staff", "left"), ",", "$"),
    ("a lightning-fast raid", "lightning", ("a",), ("fast", "raid"), "^", "$"),
    ("It\u2019s its own", "its", ("it's",), ("own",), "^", "$"),
    ("prices rose 5% then", "then", ("prices", "rose", "5%"), (), "^", "$"),
])
def test_read_context_stays_in_the_clause(text, word, before, after, opened, closed):
    ctx = _context(text, word)
    assert (ctx.before, ctx.after, ctx.opened, ctx.closed) == (before, after, opened, closed)


def test_context_window_edge_is_unknown_not_a_clause_edge():
    text = "x " * 60 + "lead the way"
    ctx = _context(text, "lead")
    assert ctx.opened is None and ctx.before[-1] == "x"


@pytest.mark.parametrize("text, expected", [
    ("the lead said", ["lead"]),
    ("misleading claims", []),
    ("the council's budget", []),
    ("\u00e9lead and Lead", ["Lead"]),
    ("it\u2019s late, its owner said", ["it\u2019s", "its"]),
    ("LIGHTING BLITZ", ["LIGHTING"]),
])
def test_find_words_whole_words_only(text, expected):
    finder = compile_finder(["lead", "its", "it's", "lighting"])
    assert [text[s:e] for s, e in find_words(finder, text)] == expected


def test_model_clauses_match_the_check_edges():
    text = "Than McAllister scored, then left in 2004."
    assert model_clauses(text) == [["<s>", "than", "mcallister", "scored", "</c>"],
                                   ["<c>", "then", "left", "in", "<num>", "</s>"]]
    ctx = _context(text, "then")
    assert (left_token(ctx), right_token(ctx)) == ("<c>", "left")
    ctx = _context(text, "Than")
    assert (left_token(ctx), right_token(ctx)) == ("<s>", "mcallister")


def _rule(entries: list[dict]) -> Rule:
    class _Doc:
        path = "test.yaml"

        def where(self, keys, of_key=False):
            return (1, 1)

    out = Violations(_Doc())
    options = validate_mapping({"entries": entries}, substitution.OPTIONS, ("options",), out)
    assert not out.messages, out.messages
    rule = Rule(code="SL399", name="test-confusable", kind="substitution",
                severity=Severity.WARNING, summary="s",
                message="'{word}' next to '{context}'; did you mean '{suggestion}'?", why="w",
                sections=("headline", "shot", "body"), weight=1.0, enabled=True,
                options=options)
    check = build(rule)
    check.validate()  # as the rule loader does: every entry compiled, errors located
    return Rule(**{**rule.__dict__, "check": check})


def _flags(rule: Rule, text: str) -> list[tuple[str, str]]:
    return [(f.matched, f.fix.replacement) for f in rule.check.run(Story(text, "t"), rule)]


PHRASE_CASES = [
    ({"word": "reign", "suggest": "rein", "phrases": ["free _"]},
     "He had free reign.", [("reign", "rein")]),
    ({"word": "reign", "suggest": "rein", "phrases": ["free _"]},
     "His reign was free.", []),
    ({"word": "principal", "suggest": "principle", "phrases": ["in _ $"]},
     "They agreed in principal, then left.", [("principal", "principle")]),
    ({"word": "principal", "suggest": "principle", "phrases": ["in _ $"]},
     "He invested in principal protected notes.", []),
    ({"word": "pour", "suggest": "pore", "phrases": ["_ over .. documents"]},
     "They pour over the court documents.", [("pour", "pore")]),
    ({"word": "pour", "suggest": "pore", "phrases": ["_ over .. documents"]},
     "They pour over the many hundreds of old documents.", []),
    ({"word": "peek", "suggest": "peak", "phrases": ["reached ~ _"]},
     "Prices reached a peek.", [("peek", "peak")]),
    ({"word": "than", "suggest": "then", "phrases": ["^ _ he|she"]},
     "Than he left.", [("Than", "Then")]),
    ({"word": "than", "suggest": "then", "phrases": ["_ *ed the"]},
     "Shares than reversed the gains.", [("than", "then")]),
    ({"word": "than", "suggest": "then", "phrases": ["^. _"]},
     "Prices fell. Than they rose.", [("Than", "Then")]),
    ({"word": "than", "suggest": "then", "phrases": ["^. _"]},
     "Prices were higher in the U.K. than in France.", []),  # no capital: not a sentence
    ({"word": "than", "suggest": "then", "phrases": ["^. _"]},
     "Prices fell, than they rose.", []),
    ({"word": "than", "suggest": "then", "phrases": ["^, _"]},
     "If prices fall, than they will rise.", [("than", "then")]),
    ({"word": "than", "suggest": "then", "phrases": ["^, _"]},
     "Prices fell. Than they rose.", []),
    ({"word": "then", "suggest": "than", "phrases": ["more ... _"]},
     "He ate more of the very many cakes on the plate then she did.", [("then", "than")]),
    ({"word": "then", "suggest": "than", "phrases": ["more .. _"]},
     "He ate more of the very many cakes on the plate then she did.", []),
    ({"word": "then", "suggest": "than", "phrases": ["more ... _"]},
     "He ate more, then she did.", []),
    ({"word": "steak", "suggest": "stake", "preceded-by": ["<num>"]},
     "It bought a 20 steak.", [("steak", "stake")]),
    ({"word": "lighting", "suggest": "lightning", "followed-by": ["blitz*"], "window": 2},
     "A lighting fast blitzkrieg.", [("lighting", "lightning")]),
]


@pytest.mark.parametrize("entry, text, expected", PHRASE_CASES)
def test_context_patterns(entry, text, expected):
    assert _flags(_rule([entry]), text) == expected


def test_messages_name_the_anchor_word_or_the_edge():
    rule = _rule([{"word": "then", "suggest": "than", "phrases": ["more ... _"]}])
    [finding] = rule.check.run(Story("He ate more of the cakes then she did.", "t"), rule)
    assert finding.message.startswith("'then' next to 'more';")
    rule = _rule([{"word": "than", "suggest": "then", "phrases": ["^. _"]}])
    [finding] = rule.check.run(Story("Than she left.", "t"), rule)
    assert finding.message.startswith("'Than' next to 'the start of the sentence';")


def test_unless_any_words_before_wins():
    rule = _rule([{"word": "then", "suggest": "than", "phrases": ["more .. .. _"],
                   "unless-phrases": ["if ... _"]}])
    assert _flags(rule, "Sales were more robust then they were.") == [("then", "than")]
    assert _flags(rule, "If sales were much more robust then they would be happy.") == []


def test_unless_rules_win_over_context():
    rule = _rule([{"word": "lighting", "suggest": "lightning", "followed-by": ["strike"],
                   "unless-preceded-by": ["stage"], "unless-phrases": ["_ strike action"]}])
    assert _flags(rule, "a lighting strike") == [("lighting", "lightning")]
    assert _flags(rule, "the stage lighting strike") == []
    assert _flags(rule, "the lighting strike action") == []


def test_acronyms_in_ordinary_text_are_skipped_but_caps_headlines_are_not():
    rule = _rule([{"word": "led", "suggest": "lead", "preceded-by": ["to"]}])
    assert _flags(rule, "Cities switched to LED lamps.") == []
    assert _flags(rule, "PARTY HOPES TO LED COALITION") == [("LED", "LEAD")]


def test_finding_names_word_suggestion_and_context():
    rule = _rule([{"word": "lighting", "suggest": "lightning", "followed-by": ["blitz"]}])
    story = Story("Headline\n\nA lighting blitz began.\n", "s.txt")
    [finding] = rule.check.run(story, rule)
    assert (finding.line, finding.column, finding.code) == (3, 3, "SL399")
    assert finding.message == "'lighting' next to 'blitz'; did you mean 'lightning'?"
    assert story.text[finding.fix.start:finding.fix.end] == "lighting"
    assert finding.fix.safe is True


@pytest.mark.parametrize("entry, problem", [
    ({"word": "two words", "suggest": "x", "followed-by": ["y"]}, "single word"),
    ({"word": "lead", "suggest": "led"}, "needs followed-by"),
    ({"word": "lead", "suggest": "led", "phrases": ["_ by _"]}, "exactly one `_`"),
    ({"word": "lead", "suggest": "led", "phrases": ["_ ^ by"]}, "own side"),
    ({"word": "than", "suggest": "then", "phrases": ["_ ^. he"]}, "own side"),
])
def test_bad_entries_are_refused(entry, problem):
    with pytest.raises(OptionError, match=problem):
        _rule([entry])


@pytest.mark.parametrize("original, replacement, expected", [
    ("lighting", "lightning", "lightning"), ("Lighting", "lightning", "Lightning"),
    ("LIGHTING", "lightning", "LIGHTNING"), ("Its", "it's", "It's"),
])
def test_match_case(original, replacement, expected):
    assert match_case(original, replacement) == expected


def _shipped_curated():
    from storylint.config import Config
    from storylint.engine import load_rules

    rules, _ = load_rules(Config())
    rule = next(r for r in rules if r.name == "confusable-word")
    rule.check.validate()
    return rule.check


_CURATED = _shipped_curated()
_SUSPECTS = sorted(_CURATED.raw)
# the words any entry names (so clauses often hold a trigger), a few others, and punctuation
_VOCABULARY = sorted({w for t in _CURATED.triggers.values() if t for w in t}) + [
    "the", "a", "it", "said", "2024", "12", ",", ".", ";", "-", "(", "The", "Minister"]


@given(st.sampled_from(_SUSPECTS),
       st.lists(st.sampled_from(_VOCABULARY), max_size=8),
       st.lists(st.sampled_from(_VOCABULARY), max_size=8))
@settings(max_examples=4000, deadline=None)
def test_trigger_words_never_hide_a_match(word, before, after):
    """The curated rule skips a candidate whose clause has none of the words its entries need
    (`_Substitution.triggers`), and a phrase whose nearest fixed words are not there
    (`_Phrase.fixed`); on any clause it must answer as it does without those tests."""
    line = " ".join(before + [word] + after)
    start = len(" ".join(before)) + (1 if before else 0)
    ctx = read_context(line, start, start + len(word))
    with_test = _CURATED.match(word, line, ctx)
    saved = dict(_CURATED.triggers)
    phrases = [p for entries in _CURATED.built.values() for e in entries
               for p in e.phrases + e.not_phrases]
    fixed = [p.fixed for p in phrases]
    try:
        _CURATED.triggers.update(dict.fromkeys(saved))  # None: no trigger test for any word
        for phrase in phrases:
            phrase.fixed = []
        without_test = _CURATED.match(word, line, ctx)
    finally:
        _CURATED.triggers.update(saved)
        for phrase, steps in zip(phrases, fixed):
            phrase.fixed = steps
    assert with_test == without_test


def test_trigger_words_are_known_for_most_suspects():
    """The test above would pass vacuously if no word had trigger words or fixed steps."""
    known = [w for w, t in _CURATED.triggers.items() if t is not None]
    assert len(known) > len(_CURATED.triggers) // 2
    assert "is" in _CURATED.triggers["their"] and _CURATED.triggers["lighting"] is None
    phrases = [p for entries in _CURATED.built.values() for e in entries for p in e.phrases]
    assert sum(bool(p.fixed) for p in phrases) > len(phrases) // 2
    reign = substitution.parse_phrase("take|took ~ _ of", ("k",))
    assert [(left, index, sorted(m.exact)) for left, index, m in reign.fixed] == [
        (True, 1, ["take", "took"]), (False, 0, ["of"])]
