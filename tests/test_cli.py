"""The command line, called in-process through main(argv): outputs and exit codes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from storylint.cli import main

from conftest import FIXTURES, REPO

STORIES = FIXTURES / "stories"
CLEAN = str(STORIES / "clean.txt")
TYPO = str(STORIES / "confusable-word.txt")


def run(capsys, *argv):
    code = main(["check", "--isolated", *argv] if argv and argv[0] != "--" else list(argv[1:]))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_story_exits_0(capsys):
    code, out, _ = run(capsys, CLEAN)
    assert (code, out) == (0, "All 1 file clean.\n")


def test_findings_exit_1_with_one_line_each_and_a_summary(capsys):
    code, out, _ = run(capsys, TYPO)
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (f"{TYPO}:20:41: SL301 warning 'lighting' looks like a real-word typo here "
                        "(next to 'response'); did you mean 'lightning'? [confusable-word]")
    assert lines[1] == f"{TYPO}: score 1 = confusable-word 1"
    assert lines[2] == "Found 1 problem (1 warning) in 1 of 1 file."


def test_fail_level_error_lets_warnings_pass(capsys):
    assert run(capsys, "--fail-level", "error", TYPO)[0] == 0
    assert run(capsys, "--ignore", "confusable-word", TYPO)[0] == 0


def test_json_document_shape(capsys):
    code, out, _ = run(capsys, "--format", "json", CLEAN, TYPO)
    doc = json.loads(out)
    assert doc["version"] == "1.0" and doc["tool"]["name"] == "storylint"
    assert [f["path"] for f in doc["files"]] == [CLEAN, TYPO]
    finding = doc["files"][1]["findings"][0]
    assert {"code", "name", "severity", "line", "column", "message"} <= set(finding)
    assert doc["summary"]["findings"] == 1 and doc["summary"]["exit_code"] == code == 1


def test_directories_are_walked_for_include_patterns(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    shutil.copy(TYPO, tmp_path / "a" / "story.txt")
    shutil.copy(TYPO, tmp_path / ".git" / "hidden.txt")
    shutil.copy(TYPO, tmp_path / "a" / "notes.md")
    code, out, _ = run(capsys, "--format", "json", str(tmp_path))
    assert [f["path"] for f in json.loads(out)["files"]] == [str(tmp_path / "a" / "story.txt")]


def test_unreadable_story_is_a_finding_not_a_crash(tmp_path, capsys):
    code, out, _ = run(capsys, str(tmp_path / "missing.txt"), CLEAN)
    assert code == 1 and "SL004 error cannot read file: No such file or directory" in out


def test_config_error_exits_2_with_located_message(tmp_path, capsys, monkeypatch):
    (tmp_path / ".storylint.yaml").write_text("ignroe: [SL301]\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", CLEAN])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"storylint: error: {tmp_path / '.storylint.yaml'}:1:1: ignroe: "
                          "unknown key 'ignroe'")
    assert "Traceback" not in err


def test_broken_rule_pack_exits_2_before_reading_stories(tmp_path, capsys):
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: house\ndescription: x\n")
    (pack / "bad.yaml").write_text("code: HS101\nname: bad\nkind: pattern\nseverity: warning\n"
                                   "summary: s\nmessage: m\nwhy: w\noptions:\n  patterns: ['(a']\n"
                                   "examples: {fail: [a], pass: [b]}\n")
    code, _, err = run(capsys, "--pack", str(pack), CLEAN)
    assert code == 2 and "bad.yaml:9:" in err and "rule bad: invalid pattern" in err


def test_usage_errors_exit_2(capsys):
    assert main(["check", "--format", "nope", CLEAN]) == 2
    assert main(["check", "--isolated", "--select", "no-such-rule", CLEAN]) == 2
    assert "unknown rule 'no-such-rule'" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2


def test_internal_error_in_a_rule_exits_3_and_other_findings_survive(capsys, monkeypatch):
    from storylint.checks import substitution

    def explode(self, story, rule):
        raise RuntimeError("boom")

    monkeypatch.setattr(substitution._Substitution, "run", explode)
    code, out, err = run(capsys, str(STORIES / "shot-numbering-gap.txt"))
    assert code == 3
    assert "SL900 error internal error in rule confusable-word" in out and "RuntimeError: boom" in out
    assert "SL201" in out  # the other rules still ran


def test_output_file_is_written_and_missing_folder_is_exit_2(tmp_path, capsys):
    target = tmp_path / "report.json"
    assert run(capsys, "--format", "json", "-o", str(target), TYPO)[0] == 1
    assert json.loads(target.read_text())["summary"]["findings"] == 1
    code, _, err = run(capsys, "-o", str(tmp_path / "nope" / "r.txt"), TYPO)
    assert code == 2 and "does not exist" in err


def test_rules_and_rule_docs(capsys):
    assert main(["rules", "--isolated"]) == 0
    listing = capsys.readouterr().out
    assert "SL201  shot-numbering" in listing
    assert main(["rule", "--isolated", "SL301"]) == 0
    page = capsys.readouterr().out
    for heading in ("**What it checks.**", "**Why it matters.**", "**Example that fails:**",
                    "**Example that passes:**", "**How to suppress.**", "**Fix safety.**"):
        assert heading in page
    assert "did you mean 'lightning'?" in page  # the fail example's real finding
    assert main(["rule", "--isolated", "no-such-rule"]) == 2


def test_committed_rule_docs_match_the_rule_data(capsys):
    assert main(["rules", "--isolated", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    committed = (REPO / "rules" / "RULES.md").read_text(encoding="utf-8")
    assert generated == committed, "regenerate: storylint rules --format markdown > rules/RULES.md"


def test_console_script_and_module_entry_points():
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    script = shutil.which("storylint")
    commands = [[sys.executable, "-m", "storylint", "check", "--isolated", TYPO]]
    if script:
        commands.append([script, "check", "--isolated", TYPO])
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 1 and "SL301" in done.stdout, done.stderr


def test_odd_file_names_and_bidi_text_are_escaped_in_output(tmp_path, capsys):
    name = os.fsdecode(b"story-\xff\xe2\x80\xae.txt")  # invalid UTF-8 byte, then U+202E
    (tmp_path / name).write_bytes(b"Head\n\nSee \xe2\x80\xaegnp.exe today.\n")
    code, out, _ = run(capsys, "--format", "json", str(tmp_path))
    assert code == 1 and "\u202e" not in out and "\\u202e" in out and "\\udcff" in out
    json.loads(out)
    code, out, _ = run(capsys, str(tmp_path))
    assert "\u202e" not in out and "\\u202e" in out


@pytest.mark.parametrize("module, package, argv", [
    ("yaml", "pyyaml", ["check", "--isolated", "fixtures/example-story.txt"]),
    ("jinja2", "jinja2", ["report", "--isolated", "-q", "fixtures/archive", "--format", "html"]),
])
def test_missing_dependency_is_exit_2_naming_the_package(module, package, argv):
    """A run from a source checkout without a declared dependency says what to install."""
    code = (f"import sys; sys.modules[{module!r}] = None; from storylint.cli import main; "
            f"sys.exit(main({argv!r}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "STORYLINT_NO_CACHE": "1"})
    assert result.returncode == 2, result.stderr
    assert f"needs the Python package '{package}'" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
