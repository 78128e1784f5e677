"""--fix, --unsafe-fixes and --diff: fixes applied, files never lost (RELIABILITY 43-51)."""
from __future__ import annotations

import codecs
import errno
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storylint import fixing
from storylint.cli import main
from storylint.config import Config
from storylint.engine import Linter, select_rules
from storylint.finding import Fix, Severity
from storylint.rulepack import Rule

STORY = """Army pushes into border district

(2 Oct 2022)

Hill country, Freedonia \u2013 2 October 2022
1. Aerial of armoured column on a mountain road

The army launched a lighting offensive on Sunday, the minister\u2019s office said.

Aid groups said it would wreck havoc on the harvest.


Clients are reminded to adhere to all listed restrictions. For further assistance, please contact the AP Archive on: Tel +44(0)2074827482 Email:

Find out more about AP Archive:
Facebook: 

You can license this story through AP Archive:
"""
FIXED_LINES = ("launched a lightning offensive", "would wreak havoc",
               "Email: info@aparchive.com",
               "Find out more about AP Archive: http://www.aparchive.com/HowWeWork",
               "Facebook: https://www.facebook.com/APArchives")


def run(*argv: str) -> int:
    return main(["check", "--isolated", *argv])


def test_fix_applies_safe_fixes_and_is_idempotent(tmp_path, capsys):
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    assert run("--fix", str(story)) == 1  # the license link has no known value: still an error
    text = story.read_text(encoding="utf-8")
    for fixed in FIXED_LINES:
        assert fixed in text
    out, err = capsys.readouterr()
    assert "fixed 5 problems in 1 file" in err
    assert "license link" in out and "lighting" not in out
    once = story.read_bytes()
    assert run("--fix", str(story)) == 1
    assert story.read_bytes() == once
    assert "fixed 0 problems in 0 files" in capsys.readouterr().err


def test_diff_shows_fixes_without_writing(tmp_path, capsys):
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    before = story.read_bytes()
    assert run("--diff", str(story)) == 1
    out = capsys.readouterr().out
    assert story.read_bytes() == before
    assert out.startswith(f"--- a/{story}\n+++ b/{story}\n")
    assert "-The army launched a lighting offensive" in out
    assert "+The army launched a lightning offensive" in out
    assert "+Facebook: https://www.facebook.com/APArchives" in out


def test_diff_of_clean_file_exits_zero(tmp_path, capsys):
    story = tmp_path / "s.txt"
    story.write_text("Headline\n\nBody only.\n")
    code = run("--diff", "--ignore", "boilerplate-missing", str(story))
    assert capsys.readouterr().out == "" and code == 0


def test_unsafe_fixes_need_the_flag(tmp_path, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: test-pack\ndescription: unsafe fix test\n")
    (pack / "us-spelling.yaml").write_text("""code: TP001
name: us-spelling
kind: substitution
severity: warning
summary: US spelling in a UK story.
message: "'{word}' next to '{context}': write '{suggestion}'"
why: House style.
options:
  entries:
    - word: color
      suggest: colour
      followed-by: [scheme]
      safe: false
examples:
  fail: ["a color scheme"]
  pass: ["a colour scheme"]
""")
    story = tmp_path / "s.txt"
    story.write_text("The color scheme changed.\n")
    assert run("--pack", str(pack), "--select", "TP001", "--fix", str(story)) == 1
    assert story.read_text() == "The color scheme changed.\n"
    assert run("--pack", str(pack), "--select", "TP001", "--fix", "--unsafe-fixes", str(story)) == 0
    assert story.read_text() == "The colour scheme changed.\n"
    assert run("--unsafe-fixes", str(story)) == 2
    assert "--unsafe-fixes needs --fix or --diff" in capsys.readouterr().err


# --- bytes in, bytes out ---------------------------------------------------------------------

@pytest.mark.parametrize("codec,bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-32-le", codecs.BOM_UTF32_LE), ("cp1252", b""),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fix_keeps_encoding_bom_and_line_endings(tmp_path, codec, bom, newline):
    text = STORY.replace("\u2013", "-") if codec == "cp1252" else STORY
    text = text.replace("\n", newline)
    story = tmp_path / "s.txt"
    story.write_bytes(bom + text.encode(codec))
    run("--fix", "--encoding-fallback", "cp1252", str(story))
    data = story.read_bytes()
    assert data.startswith(bom)
    fixed = data[len(bom):].decode(codec)
    for line in FIXED_LINES:
        assert line in fixed
    assert fixed.count("\r\n") == (text.count("\n") if newline == "\r\n" else 0)
    expected = text
    for old, new in (("a lighting", "a lightning"), ("wreck havoc", "wreak havoc"),
                     ("Email:", "Email: info@aparchive.com"),
                     ("AP Archive:" + newline + "Facebook: ",
                      "AP Archive: http://www.aparchive.com/HowWeWork" + newline
                      + "Facebook: https://www.facebook.com/APArchives")):
        expected = expected.replace(old, new, 1)
    assert fixed == expected  # every byte outside the fixed spans is unchanged


def test_cp1252_story_that_needs_a_non_cp1252_character_is_not_written(tmp_path, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: p\ndescription: d\n")
    (pack / "curly-word.yaml").write_text("""code: TP002
name: curly-word
kind: substitution
severity: warning
summary: s
message: "'{word}' near '{context}' -> '{suggestion}'"
why: w
options:
  entries:
    - word: arrow
      suggest: "\u2192"
      followed-by: [sign]
examples:
  fail: ["an arrow sign"]
  pass: ["a sign"]
""", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_bytes("Caf\u00e9 has an arrow sign.\n".encode("cp1252"))
    before = story.read_bytes()
    assert run("--pack", str(pack), "--select", "TP002", "--fix", str(story)) == 1
    assert story.read_bytes() == before
    assert "SL020 error not fixed: the fix needs '\u2192', which cp1252 cannot encode" in \
        capsys.readouterr().out


def test_fix_keeps_permission_bits(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    os.chmod(story, 0o640)
    run("--fix", str(story))
    assert stat.S_IMODE(story.stat().st_mode) == 0o640
    assert "lightning" in story.read_text()


def test_links_and_read_only_files_are_not_fixed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # followed links must stay inside the project folder
    target = tmp_path / "target.txt"
    target.write_text(STORY)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    hard = tmp_path / "hard.txt"
    hard.write_text(STORY)
    os.link(hard, tmp_path / "hard-twin.txt")
    readonly = tmp_path / "readonly.txt"
    readonly.write_text(STORY)
    os.chmod(readonly, 0o444)
    assert run("--fix", "--follow-symlinks", str(link), str(hard), str(readonly)) == 1
    out = capsys.readouterr().out
    assert link.is_symlink() and target.read_text() == STORY
    assert hard.read_text() == STORY and readonly.read_text() == STORY
    assert f"{link}:1:1: SL020 error file is a symlink; not fixed" in out
    assert f"{hard}:1:1: SL020 error file has 2 hard links; not fixed" in out
    assert f"{readonly}:1:1: SL020 error file is read-only; not fixed" in out


def test_file_changed_after_reading_is_not_overwritten(tmp_path, linter):
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    plan = fixing.plan_file(str(story), linter)
    assert plan.changes
    story.write_text(STORY + "An editor's late addition.\n")
    with pytest.raises(fixing.FileChanged):
        fixing.write_plan(plan)
    assert story.read_text().endswith("An editor's late addition.\n")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".storylint-tmp")]


def test_edit_racing_the_rename_is_detected(tmp_path, linter, monkeypatch, capsys):
    """The comparison runs after the temp file is written, just before os.replace."""
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    real_fsync = os.fsync

    def editor_saves_during_fsync(fd):
        real_fsync(fd)
        if not story.read_text().endswith("edited\n"):
            story.write_text(STORY + "edited\n")

    monkeypatch.setattr(os, "fsync", editor_saves_during_fsync)
    assert run("--fix", str(story)) == 1
    assert story.read_text() == STORY + "edited\n"
    assert "SL020 error file changed during run, not fixed" in capsys.readouterr().out


def test_disk_full_keeps_original_and_exits_2(tmp_path, monkeypatch, capsys):
    story = tmp_path / "s.txt"
    story.write_text(STORY)

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    assert run("--fix", str(story)) == 2
    assert story.read_text() == STORY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.txt"]
    assert "No space left on device" in capsys.readouterr().out


# --- generic fixes, overlaps and stability ---------------------------------------------------

class _FixCheck:
    """A test check that proposes whatever fixes `make(story)` returns."""

    def __init__(self, make):
        self.make = make

    def run(self, story, rule):
        from storylint.checks.base import make_finding

        return [make_finding(rule, story, fix.start, max(fix.end, fix.start + 1), {}, fix=fix)
                for fix in self.make(story)]


def linter_with(make, code="TP100") -> Linter:
    rule = Rule(code=code, name="test-fix", kind="test", severity=Severity.ERROR, summary="s",
                message="test", why="w", sections=("all",), weight=1.0, enabled=True,
                check=_FixCheck(make))
    from storylint.diagnostics import BUILTIN_RULES

    return Linter([*BUILTIN_RULES, rule], Config())


def cut_tail(story):
    """Like the promo-tail classifier's fix: remove trailing text after the boilerplate."""
    marker = story.text.find("\nBuy now")
    return [Fix(marker, len(story.text), "\n", True, "cut promo tail")] if marker >= 0 else []


def test_generic_tail_cut_fix(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text(STORY + "\nBuy now at www.example.test!\nBest prices.\n")
    linter = linter_with(cut_tail)
    result = fixing.run_fixes([str(story)], linter)
    assert story.read_text() == STORY + "\n"
    assert result.fixed == 1 and not result.result.findings()


def test_overlapping_fixes_resolved_deterministically():
    fixes = [Fix(5, 9, "B", True), Fix(0, 6, "A", True), Fix(9, 9, "C", True),
             Fix(9, 9, "D", True), Fix(12, 14, "E", False)]
    from storylint.finding import Finding

    findings = [Finding("X", "x", Severity.ERROR, "m", "p", 1, 1, 1, 1, fix=f) for f in fixes]
    assert fixing.select_fixes(findings, unsafe=False) == [fixes[1], fixes[2]]
    assert fixing.select_fixes(list(reversed(findings)), unsafe=True) == \
        [fixes[1], fixes[2], fixes[4]]
    assert fixing.apply_fixes("0123456789abcdef", [fixes[1], fixes[2]]) == "A678C9abcdef"


def test_fix_that_never_settles_is_rejected(tmp_path, capsys):
    story = tmp_path / "s.txt"
    story.write_text("grow\n")
    linter = linter_with(lambda s: [Fix(0, 0, "x", True, "prepend forever")])
    result = fixing.run_fixes([str(story)], linter)
    assert story.read_text() == "grow\n" and result.failed == 1
    codes = [f.code for f in result.result.findings()]
    assert "SL902" in codes


def test_fix_that_adds_a_finding_is_rejected(tmp_path):
    def make(story):  # replacing 'a' adds a 'zz' that the second rule reports
        at = story.text.find("a")
        return [Fix(at, at + 1, "zz", True)] if at >= 0 else []

    rule_z = Rule(code="TP200", name="no-zz", kind="test", severity=Severity.ERROR,
                  summary="s", message="zz", why="w", sections=("all",), weight=1.0,
                  enabled=True, check=_FixCheck(lambda s: []))

    class _ZZ:
        def run(self, story, rule):
            from storylint.checks.base import make_finding

            at = story.text.find("zz")
            return [make_finding(rule, story, at, at + 2, {})] if at >= 0 else []

    linter = linter_with(make)
    linter.checks.append(Rule(**{**rule_z.__dict__, "check": _ZZ()}))
    story = tmp_path / "s.txt"
    story.write_text("a b\n")
    run_ = fixing.run_fixes([str(story)], linter)
    assert story.read_text() == "a b\n" and run_.failed == 1


def test_fix_exit_code_2_for_unstable_fix_via_cli(tmp_path, monkeypatch, capsys):
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    monkeypatch.setattr(fixing, "MAX_PASSES", 0)  # nothing can settle in zero passes
    assert run("--fix", str(story)) == 2
    assert story.read_text() == STORY
    assert "SL902 error fix not stable" in capsys.readouterr().out


# --- properties ------------------------------------------------------------------------------

WORDS = st.sampled_from(["lighting blitz", "wreck havoc", "free reign", "the", "Email:",
                         "Facebook: ", "stage lighting", "news", "\u00e9t\u00e9", "\u202e"])


@pytest.fixture(scope="module")
def word_linter(all_rules):
    """Every default rule but the promo-tail classifier: the random lines appended below sit
    after the boilerplate, where the classifier rightly removes them as a tail (tested apart)."""
    rules, fmt = all_rules
    config = Config(ignore=("promo-tail",))
    return Linter(select_rules(rules, config), config, fmt)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.lists(WORDS, max_size=6).map(" ".join), min_size=1, max_size=8),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_fixing_is_idempotent_and_only_touches_fixed_spans(word_linter, lines, newline):
    linter = word_linter
    text = STORY + newline.join(lines) + newline
    result = fixing.fix_text(text, lambda t: linter.check_text(t, "p.txt"))
    assert result.stable
    again = fixing.fix_text(result.text, lambda t: linter.check_text(t, "p.txt"))
    assert again.text == result.text and not again.applied
    assert result.text.count("\r\n") == text.count("\r\n")
    before, after = text.split("\n"), result.text.split("\n")
    assert len(before) == len(after)
    fixable = {f.line - 1 for f in linter.check_text(text, "p.txt") if f.fix and f.fix.safe}
    changed = {i for i, (old, new) in enumerate(zip(before, after)) if old != new}
    assert changed <= fixable


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.lists(WORDS, max_size=6).map(" ".join), min_size=1, max_size=8),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_cutting_a_tail_is_idempotent_and_keeps_the_story(linter, lines, newline):
    text = STORY + newline + newline.join(lines) + newline
    result = fixing.fix_text(text, lambda t: linter.check_text(t, "p.txt"))
    if not result.stable:  # refused (e.g. cutting exposed a new finding): nothing changes
        assert result.text == text and not result.applied
        return
    again = fixing.fix_text(result.text, lambda t: linter.check_text(t, "p.txt"))
    assert again.text == result.text and not again.applied
    story_part = STORY[:STORY.index("Clients are reminded")]
    fixed_story_part = story_part.replace("lighting offensive", "lightning offensive").replace(
        "wreck havoc", "wreak havoc")
    assert result.text.startswith(fixed_story_part)  # a tail cut never reaches into the story
    assert "You can license this story through AP Archive" in result.text
