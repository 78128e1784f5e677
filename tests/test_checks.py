"""Each check kind on small inline snippets: expected (line, column, code) and messages."""
from __future__ import annotations

import pytest

BOILERPLATE = ("Clients are reminded to adhere to all listed restrictions and to check the terms "
               "of their licence agreements. For further assistance, please contact the AP Archive"
               " on: Tel +44(0)2074827482 Email: info@aparchive.com\n\nYou can license this story "
               "through AP Archive: http://www.aparchive.com/metadata/1\n")


def positions(linter, text, code=None):
    return [(f.line, f.column, f.code) for f in linter.check_text(text)
            if code is None or f.code == code]


@pytest.mark.parametrize("text,expected", [
    ("H\n\nA 1\n1. a\n2. b\n3. c\n", []),
    ("H\n\nA – 1 May 2024\n1. a\n2. b\n4. c\n", [(6, 1, "SL201")]),
    ("H\n\nA – 1 May 2024\n1. a\n1. b\n", [(5, 1, "SL201")]),
    ("H\n\nA – 1 May 2024\n0. a\n1. b\n", [(4, 1, "SL201")]),
    ("H\n\nA – 1 May 2024\n1. a\n3. b\n2. c\n", [(5, 1, "SL201")]),  # only the first break
    ("H\n\nA – 1 May 2024\n  1. a\n  2. b\nB – 1 May 2024\n  4. c\n", [(7, 3, "SL201")]),
])
def test_shot_numbering(linter, text, expected):
    assert positions(linter, text, "SL201") == expected


def test_shot_numbering_message_names_expected(linter):
    finding = next(f for f in linter.check_text("H\n\nA – 1 May 2024\n1. a\n2. b\n5. c\n")
                   if f.name == "shot-numbering")
    assert finding.message == ("Shot numbering is broken: numbering skips from 2 to 5; "
                               "expected 3")


@pytest.mark.parametrize("location,expected", [
    ("22 April 2024", []),
    ("21 April 2024", []),          # archive footage may be older
    ("23 April 2024", [(5, 22)]),   # after the story date
    ("April 23, 2024", [(5, 22)]),
    ("31 April 2024", [(5, 22)]),   # not a date
    ("Date unknown", []),
])
def test_date_mismatch(linter, location, expected):
    text = f"Head\n\n(22 Apr 2024)\n\nKornidzor, Armenia – {location}\n1. Wide\n"
    assert [(f.line, f.column) for f in linter.check_text(text) if f.code == "SL202"] == expected


def test_unreadable_story_date_is_reported(linter):
    text = "Head\n\n(32 Apr 2024)\n\nKornidzor, Armenia – 1 April 2024\n1. Wide\n"
    finding = next(f for f in linter.check_text(text) if f.code == "SL202")
    assert (finding.line, finding.message) == (3, "Cannot read the date '32 Apr 2024'; write it "
                                                  "like 22 April 2024")


@pytest.mark.parametrize("sentence,word,suggestion", [
    ("Azerbaijan launched a lighting blitz in September.", "lighting", "lightning"),
    ("Lighting strikes hit the coast.", "Lighting", "Lightning"),
    ("ARMY LAUNCHES LIGHTING RAID", "LIGHTING", "LIGHTNING"),  # an all-capitals headline
    ("He was struck by lighting on the golf course.", "lighting", "lightning"),
    ("They were given free reign.", "reign", "rein"),
])
def test_confusable_word_suggests_with_case(linter, sentence, word, suggestion):
    finding = next(f for f in linter.check_text(sentence) if f.code == "SL301")
    assert finding.matched == word and finding.fix.replacement == suggestion
    assert finding.fix.safe and sentence[finding.fix.start:finding.fix.end] == word


@pytest.mark.parametrize("sentence", [
    "The stage lighting failed.", "New street lighting strikes residents as too bright.",
    "The lighting was poor.", "Lightning struck twice.", "Her reign ended in 1901.",
])
def test_confusable_word_leaves_correct_uses(linter, sentence):
    assert positions(linter, sentence, "SL301") == []


def test_empty_fields_and_their_template_fix(linter):
    text = "H\n\nBody.\n\n" + BOILERPLATE.replace("info@aparchive.com", "") + "\nFacebook: \n"
    found = {f.message: f for f in linter.check_text(text) if f.code == "SL102"}
    email = found["Boilerplate field 'Email' is empty (its value was probably stripped)"]
    assert (email.line, email.fix.replacement, email.fix.safe) == (5, " info@aparchive.com", True)
    facebook = found["Boilerplate field 'Facebook' is empty (its value was probably stripped)"]
    assert facebook.line == 9 and "facebook.com/APArchives" in facebook.fix.replacement


def test_field_value_on_following_line_counts_as_filled(linter):
    text = "H\n\nBody.\n\nYou can license this story through AP Archive:\nhttp://x.example/1\n"
    assert positions(linter, text, "SL102") == []


def test_empty_field_verdicts_are_remembered_per_line_and_following_line(linter, monkeypatch):
    """The same label line is judged again when the line after it differs, and a full memo
    is cleared rather than grown."""
    from storylint.checks import empty_field

    label = "You can license this story through AP Archive:"
    filled = f"H\n\nBody.\n\n{label}\nhttp://x.example/1\n"
    empty = f"H\n\nBody.\n\n{label}\n"
    for _ in range(2):  # the second round answers from the memo
        assert positions(linter, filled, "SL102") == []
        assert positions(linter, empty, "SL102") == [(5, len(label), "SL102")]
    monkeypatch.setattr(empty_field, "_VERDICT_LIMIT", 1)
    for number in range(3):
        assert positions(linter, filled.replace("/1", f"/{number}"), "SL102") == []
        assert positions(linter, empty + "\n" * number, "SL102") == [(5, len(label), "SL102")]
    check = next(r.check for r in linter.rules if r.name == "boilerplate-empty-field")
    assert len(check._verdicts) == 1


def test_boilerplate_missing_names_each_item(linter):
    findings = [f for f in linter.check_text("Head\n\nBody text.\n") if f.code == "SL101"]
    assert len(findings) == 2 and findings[0].line == 3
    assert "licensing paragraph" in findings[0].message and "license line" in findings[1].message


@pytest.mark.parametrize("text,code,column", [
    ("Head\n\nFans cheered 🎉 loudly.\n", "SL401", 14),
    ("Head\n\nAzerbaijanâ€™s army.\n", "SL402", 11),
    ("Head\n\nThe vi\u200bagra trade.\n", "SL403", 7),
    ("Head\n\nSee \u202egnp.exe now.\n", "SL404", 5),
    ("Head\n\nThe mayor, TK, said.\n", "SL601", 12),
    ("Head\n\nNull\x00byte.\n", "SL405", 5),
])
def test_character_rules_report_exact_columns(linter, text, code, column):
    assert positions(linter, text, code) == [(3, column, code)]


def test_pattern_whole_word_is_unicode_aware(linter):
    assert positions(linter, "Head\n\nThe TKÖ group and ÖTK met.\n", "SL601") == []


GREEK_WORD_RULE = """\
code: HS201
name: road-word
kind: pattern
severity: warning
summary: A test rule with a Greek word, matched without regard to case.
message: "Greek word: '{match}'"
why: Upper- and lower-case Greek must both be found.
sections: [headline, shot, body]
options:
  words: ["ΟΔΟΣ"]
  ignore-case: true
examples:
  fail: ["Η ΟΔΟΣ έκλεισε.", "Η οδος έκλεισε."]
  pass: ["Ο δρόμος έκλεισε."]
"""


def test_pattern_prefilter_lowers_greek_as_python_does(tmp_path):
    """The prefilter's literal and the story are both lower-cased ("οδος", final sigma): a
    letter-by-letter lower (mypyc's own) would give "οδοσ" for the story and miss it."""
    from storylint.config import Config
    from storylint.engine import Linter
    from storylint.rulepack import load_pack

    pack = tmp_path / "greek"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: greek\ndescription: test\n", encoding="utf-8")
    (pack / "road-word.yaml").write_text(GREEK_WORD_RULE, encoding="utf-8")
    linter = Linter(load_pack(pack).rules, Config())
    findings = linter.check_text("Τίτλος\n\nΗ ΟΔΟΣ έκλεισε χθες.\n", "greek.txt")
    assert [(f.code, f.line, f.column) for f in findings] == [("HS201", 3, 3)]


def test_emoji_outside_configured_sections_is_not_reported_by_emoji_rule(linter):
    text = "Head\n\nBody.\n\n" + BOILERPLATE + "\nI love this 😁\n"
    assert positions(linter, text, "SL401") == []


def test_findings_per_rule_are_capped_per_file(linter):
    from storylint.checks.base import MAX_FINDINGS_PER_RULE

    text = "Head\n\n" + "a lighting blitz " * (MAX_FINDINGS_PER_RULE + 50) + "\n"
    assert len(positions(linter, text, "SL301")) == MAX_FINDINGS_PER_RULE


@pytest.mark.parametrize("text,expected", [
    ("Shares in Аpple rose.", "'Аpple' mixes Cyrillic and Latin; it reads as 'Apple'"),
    ("Get your Арр1е card.", "'Арр1е' mixes Cyrillic and Latin look-alike letters; it reads as "
                            "'App1e'"),
    ("Buy Ϲhеар meds.", "'Ϲhеар' mixes Cyrillic and Greek and Latin"),
])
def test_mixed_script_words_are_named(linter, text, expected):
    findings = [f for f in linter.check_text(text) if f.name == "mixed-script"]
    assert len(findings) == 1 and findings[0].message.startswith(expected)


@pytest.mark.parametrize("text", ["Putin (Путин) spoke.", "Athens (Αθήνα) voted.",
                                  "Plain Latin text only."])
def test_genuine_foreign_words_are_not_mixed_script(linter, text):
    assert [f for f in linter.check_text(text) if f.name == "mixed-script"] == []


def test_skeleton_reveals_hidden_words():
    from storylint.normalise import skeleton

    assert skeleton("vi\u200bagra") == "viagra"
    assert skeleton("ｆｒｅｅ Арр1е") == "free App1e"


@pytest.mark.parametrize("record", ["Finding", "Fix"])
def test_record_constructors_take_every_field(record):
    """Finding and Fix have hand-written __init__s (speed); each must take exactly the
    dataclass fields, in order, with the same defaults."""
    import dataclasses
    import inspect

    from storylint import finding

    cls = getattr(finding, record)
    params = inspect.signature(cls.__init__).parameters
    fields = dataclasses.fields(cls)
    assert [f.name for f in fields] == list(params)[1:]
    for f in fields:
        default = params[f.name].default
        assert default == (f.default if f.default is not dataclasses.MISSING
                           else inspect.Parameter.empty), f.name


def test_finding_stays_frozen():
    """Assignment is still refused, and replace() still builds a changed copy."""
    import dataclasses

    from storylint.finding import Finding, Severity

    finding = Finding("SL1", "x", Severity.ERROR, "m", "p", 1, 1, 1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 2
    assert dataclasses.replace(finding, line=3).line == 3 and finding.source == "rule"


def test_make_finding_and_make_fix_build_what_the_constructors_build(linter):
    """The checks build findings and fixes without calling the records' __init__ (speed); the
    records must be the ones the constructors give, field for field and in field order."""
    import dataclasses

    from storylint.checks.base import make_finding, make_fix
    from storylint.finding import Finding, Fix
    from storylint.story import Story

    story = Story("Headline\n\nThe story text is here.\n", "a.txt")
    rule = next(r for r in linter.rules if r.name == "placeholder-text")
    fix = make_fix(12, 16, "new", False, "replace it")
    assert fix == Fix(12, 16, "new", False, "replace it")
    assert list(vars(fix)) == [f.name for f in dataclasses.fields(Fix)]
    assert make_fix(1, 2, "", True) == Fix(1, 2, "", True)
    start = story.text.index("text")  # line 3, column 11
    made = make_finding(rule, story, start, start + 4, {"match": "text", "codepoint": ""},
                        fix=fix, score=0.5, source="model")
    expected = Finding(code=rule.code, name=rule.name, severity=rule.severity,
                       message="Placeholder left in the text: 'text'", path="a.txt", line=3,
                       column=11, end_line=3, end_column=15, section="body", matched="text",
                       fix=fix, score=0.5, source="model")
    assert made == expected and vars(made) == vars(expected)
    assert list(vars(made)) == [f.name for f in dataclasses.fields(Finding)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 2


@pytest.mark.parametrize("sections, kind, expected", [
    (("all",), "boilerplate", True), (("all",), None, True), (("body", "shot"), "shot", True),
    (("body", "shot"), "headline", False), (("body",), None, False)])
def test_reads_tells_which_sections_a_rule_reads(linter, sections, kind, expected):
    import dataclasses

    from storylint.checks.base import reads

    rule = dataclasses.replace(linter.rules[0], sections=sections)
    assert reads(rule, kind) is expected


def test_read_sections_are_the_sections_a_rule_reads(linter):
    """The shared list of a rule's sections is what asking `reads` of each section gives."""
    import dataclasses

    from storylint.checks.base import read_sections, reads
    from storylint.story import Story

    story = Story("Head\n(1 May 2024)\n\n1. Wide\n\nBody text.\n\nClients are reminded\n",
                  "a.txt")
    for sections in [("all",), ("body", "shot"), ("boilerplate",), ("trailing",)]:
        rule = dataclasses.replace(linter.rules[0], sections=sections)
        expected = [s for s in story.sections if reads(rule, s.kind)]
        assert read_sections(story, rule) == expected
        assert read_sections(story, rule) is read_sections(story, rule)  # once per story
    assert len(read_sections(story, dataclasses.replace(rule, sections=("all",)))) == \
        len(story.sections)


@pytest.mark.parametrize("text, expected", [
    ("22 April 2024", (2024, 4, 22)), ("22nd Apr. 2024", (2024, 4, 22)),
    ("April 22, 2024", (2024, 4, 22)), ("Sept 3 1999", (1999, 9, 3)),
    ("2024-04-22", (2024, 4, 22)), ("22\u00a0APRIL  2024.", (2024, 4, 22)),
    ("30 February 2024", None), ("22 Octember 2024", None), ("2024-13-01", None),
    ("Date unknown", None)])
def test_parse_date_reads_the_three_forms(text, expected):
    import datetime

    from storylint.dates import parse_date

    assert parse_date(text) == (datetime.date(*expected) if expected else None)
