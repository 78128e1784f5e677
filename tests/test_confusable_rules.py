"""The confusable-word rules as shipped: examples, the seed story, fixes, data integrity."""
from __future__ import annotations

import json

import pytest

from storylint.checks.context import normalize
from storylint.checks.likely_word import set_key
from storylint.engine import rule_index
from storylint.resources import data_dir
from storylint.story import Story

RULES = ("confusable-word", "confusable-word-likely")


@pytest.fixture(scope="module")
def rules(all_rules):
    index = rule_index(all_rules[0])
    return {name: index[name] for name in RULES}


def _examples(kind: str):
    from storylint.config import Config
    from storylint.engine import load_rules

    index = rule_index(load_rules(Config())[0])
    for name in RULES:
        rule = index[name]
        for text in (rule.examples_fail if kind == "fail" else rule.examples_pass):
            yield pytest.param(name, text, id=f"{name}:{text[:40]}")


def _run(rule, text: str):
    return rule.check.run(Story(text, "example.txt"), rule)


@pytest.mark.parametrize("name, text", list(_examples("fail")))
def test_fail_examples_are_flagged(rules, name, text):
    assert _run(rules[name], text), f"{name} should flag: {text}"


@pytest.mark.parametrize("name, text", list(_examples("pass")))
def test_pass_examples_are_clean(rules, name, text):
    assert [f.message for f in _run(rules[name], text)] == []


@pytest.mark.parametrize("name, text", list(_examples("fail")))
def test_applying_the_fix_clears_the_finding(rules, name, text):
    """A suggestion is never itself flagged by the same rule (no fix ping-pong)."""
    rule = rules[name]
    findings = _run(rule, text)
    for finding in sorted(findings, key=lambda f: -f.fix.start):
        text = text[:finding.fix.start] + finding.fix.replacement + text[finding.fix.end:]
    assert _run(rule, text) == []


def test_seed_lighting_blitz_is_flagged_with_lightning(linter, seed_story):
    report = linter.check_file(str(seed_story))
    [finding] = [f for f in report.findings if f.name == "confusable-word"]
    assert finding.matched == "lighting" and finding.fix.replacement == "lightning"
    assert "blitz" in finding.message and finding.fix.safe is True
    assert not [f for f in report.findings if f.name == "confusable-word-likely"]


def test_statistical_findings_name_the_evidence_and_are_never_safe(rules):
    rule = rules["confusable-word-likely"]
    [finding] = _run(rule, "The company lost it's appeal.")
    assert finding.fix.replacement == "its" and finding.fix.safe is False
    assert "times likelier after 'lost' and before 'appeal'" in finding.message
    assert finding.source == "model" and 0.5 < finding.score < 1


def test_a_word_the_curated_rule_flags_gets_one_finding(linter):
    findings = linter.check_text("Headline\n\nThe bank said it's profits rose by 5%.\n")
    flagged = [f for f in findings if f.name.startswith("confusable-word")]
    assert [(f.code, f.matched) for f in flagged] == [("SL301", "it's")]


def test_curated_entries_are_consistent(rules):
    entries = rules["confusable-word"].options["entries"]
    seen = set()
    for entry in entries:
        word, suggest = normalize(entry["word"]), normalize(entry["suggest"])
        assert word != suggest
        key = (word, suggest, tuple(entry["followed_by"]), tuple(entry["preceded_by"]),
               tuple(entry["phrases"]))
        assert key not in seen, f"duplicate entry for {word}"
        seen.add(key)
        for field in ("followed_by", "preceded_by", "unless_followed_by", "unless_preceded_by"):
            values = entry[field]
            assert all(v == v.strip() and v for v in values), (word, field)


def test_every_issue_set_has_curated_context(rules):
    words = set()
    for entry in rules["confusable-word"].options["entries"]:
        words.update((normalize(entry["word"]), normalize(entry["suggest"])))
    named = ("lighting lightning reign rein breach breech principal principle pique peak peek "
             "bated baited wreak wreck cords chords martial marshal discreet discrete complement "
             "compliment council counsel site sight cite waive wave flare flair hoard horde troop "
             "troupe pore pour lose loose than then whether weather their there its it's past "
             "passed led lead personnel personal prostate prostrate morale moral rogue rouge")
    assert sorted(set(named.split()) - words) == []


def test_statistical_sets_are_one_word_each_and_in_the_model(rules):
    rule = rules["confusable-word-likely"]
    manifest = json.loads((data_dir("models") / "confusables" / "manifest.json").read_text())
    model_sets = {set_key(s) for s in manifest["sets"]}
    for words in rule.options["sets"]:
        assert set_key(words) in model_sets
        assert manifest["thresholds"].get(set_key(words), 0) >= rule.options["min_ratio"]
    members = [w for words in rule.options["sets"] for w in words]
    assert len(members) == len(set(members))


def test_statistical_rule_respects_its_unless_phrases(rules):
    rule = rules["confusable-word-likely"]
    assert _run(rule, "Farmers hope to weather the coming storm.") == []
    [finding] = _run(rule, "Nobody knows weather the deal will survive.")
    assert finding.fix.replacement == "whether"


@pytest.mark.parametrize("change, problem", [
    ({"sets": [["than", "then"], ["then", "them"]]}, "in one set only"),
    ({"unless_phrases": {"lead": ["_ pipes"]}}, "not a member of any set"),
    ({"unless_phrases": {"than": ["_ by _"]}}, "exactly one `_`"),
    ({"defer_to": "no-such-rule"}, "no rule file no-such-rule.yaml"),
    ({"defer_to": "confusable-word-likely"}, "not a rule of kind substitution"),
    ({"model": "../elsewhere"}, "folder name under models"),
])
def test_bad_statistical_options_are_refused(rules, change, problem):
    from types import SimpleNamespace

    from storylint.checks import OptionError
    from storylint.checks.likely_word import build

    rule = rules["confusable-word-likely"]
    options = {**rule.options, "sets": [["than", "then"]], "unless_phrases": {},
               "defer_to": "", **change}
    with pytest.raises(OptionError, match=problem):
        build(SimpleNamespace(options=options, source=rule.source))


def test_thresholds_are_per_direction_with_the_set_as_fallback(rules):
    rule = rules["confusable-word-likely"]
    check = type(rule.check)(rule.check.members, rule.check.finder, {
        "model": "confusables", "min_ratio": 30.0, "skip_capitalized": True, "max_per_file": 5})
    check.prepare()
    manifest = check.model.manifest["thresholds"]
    assert check.threshold("its", "it's") == max(30.0, manifest["its>it's"])
    assert check.threshold("it's", "its") == max(30.0, manifest["it's>its"])
    assert manifest["its|it's"] >= max(manifest["its>it's"], manifest["it's>its"])
    del check.thresholds["its>it's"]
    assert check.threshold("its", "it's") == check.thresholds["its|it's"]


@pytest.mark.parametrize("text, word, inside", [
    ("a morale-boosting win", "morale", True),
    ("the US-lead war", "lead", True),
    ("a lead - and then", "lead", False),
    ("morale, boosting", "morale", False),
    ("-lead", "lead", False),
])
def test_words_inside_hyphenated_compounds_are_not_statistical_candidates(text, word, inside):
    from storylint.checks.likely_word import in_compound

    start = text.index(word)
    assert in_compound(text, start, start + len(word)) is inside


def test_statistical_rule_leaves_compounds_to_the_curated_rule(rules):
    assert _run(rules["confusable-word-likely"], "Ulster clung on for a morale-boosting win.") == []
