"""Rule packs: every rule's own examples, pack structure, and located validation errors."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from storylint.config import Config
from storylint.engine import bundled_pack_dirs, load_rules
from storylint.rulepack import RulePackError, load_pack
from storylint.story import Story

RULES, _FORMAT = load_rules(Config())
PACK_RULES = [r for r in RULES if r.kind != "diagnostic"]


def _examples(kind: str):
    for rule in PACK_RULES:
        examples = rule.examples_fail if kind == "fail" else rule.examples_pass
        for index, text in enumerate(examples):
            yield pytest.param(rule, text, id=f"{rule.name}-{kind}{index}")


def _run(rule, text):
    return list(rule.check.run(Story(text, "example.txt"), rule))


@pytest.mark.parametrize("rule,text", list(_examples("fail")))
def test_fail_example_fires(rule, text):
    findings = _run(rule, text)
    assert findings, f"{rule.name} did not fire on its own fail example"
    assert all(f.code == rule.code and f.message for f in findings)


@pytest.mark.parametrize("rule,text", list(_examples("pass")))
def test_pass_example_is_clean(rule, text):
    assert _run(rule, text) == []


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(re.fullmatch(r"SL\d{3}", c) for c in codes)


def test_every_pack_rule_has_both_kinds_of_example_and_docs():
    for rule in PACK_RULES:
        assert rule.examples_fail and rule.examples_pass, rule.name
        assert rule.summary and rule.why and rule.message, rule.name


def test_bundled_pack_is_found():
    assert [p.name for p in bundled_pack_dirs()] == ["ap-archive"]


def test_required_rule_names_exist():
    names = {r.name for r in RULES}
    assert {"boilerplate-missing", "boilerplate-empty-field", "shot-numbering", "date-mismatch",
            "confusable-word", "promo-tail"} <= names


GOOD_RULE = """\
code: XX101
name: no-foo
kind: pattern
severity: warning
summary: No foo.
message: "Found {match}"
why: Foo is bad.
options:
  words: [foo]
examples:
  fail: ["a foo here"]
  pass: ["a bar here"]
"""


def make_pack(tmp_path: Path, rule_text: str, name: str = "no-foo") -> Path:
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / "pack.yaml").write_text("name: test\ndescription: test pack\n")
    (pack / f"{name}.yaml").write_text(textwrap.dedent(rule_text))
    return pack


def errors_for(tmp_path: Path, rule_text: str, name: str = "no-foo") -> str:
    with pytest.raises(RulePackError) as info:
        load_pack(make_pack(tmp_path, rule_text, name))
    return str(info.value)


def test_good_rule_loads(tmp_path):
    pack = load_pack(make_pack(tmp_path, GOOD_RULE))
    assert [r.name for r in pack.rules] == ["no-foo"]


@pytest.mark.parametrize("change,expected", [
    (("severity: warning", "severity: warning\nseverty: error"),
     r"no-foo\.yaml:5:1: severty: unknown key 'severty' \(did you mean 'severity'\?\)"),
    (("words: [foo]", "patterns: ['(?<=a)foo']"),
     r"no-foo\.yaml:\d+:\d+: rule no-foo: pattern uses lookbehind, unsupported by the safe regex"),
    (("words: [foo]", "patterns: ['[a-']"), r"no-foo\.yaml:\d+:\d+: rule no-foo: invalid pattern"),
    (("words: [foo]", "patterns: ['a*']"), r"rule no-foo: pattern matches the empty string"),
    (("summary: No foo.\n", ""), r"no-foo\.yaml:1:1: missing required key 'summary'"),
    (("kind: pattern", "kind: patern"), r"no-foo\.yaml:3:7: kind: unknown kind 'patern'"),
    (("severity: warning", "severity: fatal"), r"severity: 'fatal' is not one of: error, warning"),
    (('"Found {match}"', '"Found {word}"'), r"message: unknown placeholder \{word\}"),
    (("code: XX101", "code: 101"), r"code: expected a string, got int 101; quote the value"),
    (("  fail: [\"a foo here\"]\n", ""), r"examples: missing required key 'fail'"),
])
def test_invalid_rules_are_located_errors(tmp_path, change, expected):
    text = GOOD_RULE.replace(*change)
    assert text != GOOD_RULE
    assert re.search(expected, errors_for(tmp_path, text)), errors_for(tmp_path, text)


def test_all_problems_in_a_file_are_listed_at_once(tmp_path):
    text = GOOD_RULE.replace("severity: warning", "severity: fatal\nextra: 1")
    message = errors_for(tmp_path, text)
    assert "unknown key 'extra'" in message and "'fatal' is not one of" in message


def test_file_name_must_match_rule_name(tmp_path):
    assert "must match the file name 'other'" in errors_for(tmp_path, GOOD_RULE, name="other")


def test_duplicate_code_across_packs_is_an_error(tmp_path):
    from storylint.engine import load_rules

    pack = make_pack(tmp_path, GOOD_RULE.replace("XX101", "SL201"))
    with pytest.raises(RulePackError, match="'SL201' is already used by"):
        load_rules(Config(packs=(pack,)))


def test_unsafe_yaml_in_rule_file_executes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = f"code: !!python/object/apply:os.system ['touch {marker}']\n"
    assert "tag not allowed" in errors_for(tmp_path, text)
    assert not marker.exists()


def test_whole_words_match_accented_names_as_whole_words(tmp_path):
    rule = GOOD_RULE.replace("words: [foo]", "words: [Zürich, café]").replace(
        '["a foo here"]', '["in Zürich today"]').replace('["a bar here"]', '["the Zürichsee"]')
    pack = load_pack(make_pack(tmp_path, rule))
    check = pack.rules[0]
    found = [f.matched for f in check.check.run(Story("in Zürich, a café; Zürichsee cafés"),
                                                 check)]
    assert found == ["Zürich", "café"]


def test_huge_word_lists_are_refused_with_the_documented_limit(tmp_path):
    words = ", ".join(f"word{i:05d}" for i in range(10_000))
    message = errors_for(tmp_path, GOOD_RULE.replace("words: [foo]", f"words: [{words}]"))
    assert "pattern too long" in message and "64,000" in message
