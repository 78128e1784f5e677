"""Items of ../shared/RELIABILITY.md not covered elsewhere; README "Reliability catalogue" maps
every item to its test. Each asserts the documented message, exit code and untouched inputs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from storylint.cli import main
from storylint.source import decode_story

from conftest import FIXTURES, REPO, SEED

RULE = """\
code: HS101
name: bad
kind: pattern
severity: warning
summary: s
message: m
why: w
options:
  patterns: ['{pattern}']
examples: {{fail: [a], pass: [b]}}
"""


def pack_with(tmp_path, rule_text: str | None, name: str = "bad.yaml"):
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / "pack.yaml").write_text("name: house\ndescription: x\n")
    if rule_text is not None:
        (pack / name).write_text(rule_text)
    return pack


def check(capsys, *argv):
    code = main(["check", "--isolated", *argv])
    out, err = capsys.readouterr()
    return code, out, err


CLEAN = str(FIXTURES / "stories" / "clean.txt")


@pytest.mark.parametrize("text,message", [
    ("", "rule pack file is empty"),
    ("just a scalar\n", "expected a mapping at top level"),
    ("- a\n- b\n", "expected a mapping at top level"),
])
def test_item16_empty_or_scalar_rule_file(tmp_path, capsys, text, message):
    code, _, err = check(capsys, "--pack", str(pack_with(tmp_path, text)), CLEAN)
    assert code == 2 and message in err and "Traceback" not in err


def test_item18_missing_pack_folder(tmp_path, capsys):
    code, _, err = check(capsys, "--pack", str(tmp_path / "nope"), CLEAN)
    assert code == 2 and "rule pack folder not found" in err


def test_item19_catastrophic_pattern_runs_in_linear_time(tmp_path, capsys):
    story = tmp_path / "s.txt"
    story.write_text("Head\n\n" + "a" * 31 + "!\n")
    pack = pack_with(tmp_path, RULE.format(pattern="(a+)+$"))
    code, out, _ = check(capsys, "--pack", str(pack), "--select", "HS101", str(story))
    assert code == 0 and "All 1 file clean." in out  # (re: 122 s on these 31 bytes)


@pytest.mark.parametrize("pattern,message", [
    (r"(a)\1", "pattern uses a backreference, unsupported by the safe regex engine (RE2)"),
    (r"(?<=a)b", "pattern uses lookbehind, unsupported by the safe regex engine (RE2)"),
    (r"(?>a)", "pattern uses atomic group, unsupported by the safe regex engine (RE2)"),
    (r"a++", "invalid pattern: bad repetition operator: ++"),
    (r"a\Z", "invalid pattern: invalid escape sequence: \\Z"),
    (r"a{1001}", "invalid pattern: invalid repetition size: {1001}"),
])
def test_item20_unsupported_syntax_is_a_located_load_error(tmp_path, capsys, pattern, message):
    pack = pack_with(tmp_path, RULE.format(pattern=pattern))
    code, _, err = check(capsys, "--pack", str(pack), CLEAN)
    assert code == 2 and "bad.yaml:9:" in err and f"rule bad: {message}" in err


def test_item26_latin1_story_is_read_and_reported():
    result = decode_story("s.txt", "Headline\n\nThe caf\u00e9 reopened.\n".encode("latin-1"))
    assert result.encoding == "cp1252" and "caf\u00e9" in result.text
    assert [f.code for f in result.findings] == ["SL001"]
    assert "byte 0xE9 at 3:8" in result.findings[0].message


def test_item31_nul_byte_is_reported_and_the_rest_still_linted(linter):
    names = {f.name: f for f in linter.check_text("Head\n\nA lighting blitz\x00 began.\n")}
    assert (names["control-character"].line, names["control-character"].column) == (3, 17)
    assert "confusable-word" in names


def test_item32_whitespace_only_story_is_empty(linter):
    assert [f.name for f in linter.check_text("  \n\t\n\n")] == ["empty-story"]


def test_item34_long_lines_keep_columns_and_excerpts_short(linter):
    text = "Head\n\nBody.\n\n" + "x" * 500_000 + " a lighting blitz\n"
    finding = next(f for f in linter.check_text(text) if f.name == "confusable-word")
    assert (finding.line, finding.column) == (5, 500_004)
    tail = "Head\n\nBody text of the story.\n\nYou can license this story through AP Archive: " \
           "http://x.example/1\n\nBuy cheap watches " + "now " * 50_000 + "\n"
    longest = max(len(f.matched or "") for f in linter.check_text(tail))
    assert longest <= 201


def test_item35_line_numbers_count_newlines_as_git_does(linter):
    crlf = "Head\r\n\r\nLine three.\nA lighting blitz\r\n"
    assert [(f.line, f.column) for f in linter.check_text(crlf) if f.code == "SL301"] == [(4, 3)]
    separators = "Head\n\nOne\u2028two\x0bthree\x0cfour, a lighting blitz\n"
    assert [f.line for f in linter.check_text(separators) if f.code == "SL301"] == [3]
    cr_only = "Head\r\rA lighting blitz\r"  # old Mac endings: one line, as git counts it
    assert [f.line for f in linter.check_text(cr_only) if f.code == "SL301"] == [1]


def _seed_with_tail(replace_tail):
    if not SEED.is_file():
        pytest.skip(f"needs the seed story {SEED}")
    text = SEED.read_text(encoding="utf-8")
    head, tail = text.split("Greetings", 1)
    return head + replace_tail("Greetings" + tail)


def test_item36_zero_width_characters_cannot_hide_a_tail(linter):
    text = _seed_with_tail(lambda t: "\u200b".join(t))  # a zero-width space between letters
    names = [f.name for f in linter.check_text(text)]
    assert "promo-tail" in names and "invisible-character" in names


def test_item37_look_alike_letters_cannot_hide_a_tail(linter):
    swap = str.maketrans({"e": "\u0435", "o": "\u043e", "a": "\u0430", "p": "\u0440"})
    text = _seed_with_tail(lambda t: t.translate(swap))  # Cyrillic е, о, а, р
    names = [f.name for f in linter.check_text(text)]
    assert "promo-tail" in names and "mixed-script" in names


def test_item39_followed_symlink_must_stay_in_the_project(tmp_path, capsys, monkeypatch):
    project, outside = tmp_path / "project", tmp_path / "secret.txt"
    project.mkdir()
    outside.write_text("Head\n")
    shutil.copy(CLEAN, project / "inside.txt")
    (project / "a.txt").symlink_to(outside)
    (project / "b.txt").symlink_to(project / "inside.txt")
    monkeypatch.chdir(project)
    code, out, _ = check(capsys, "--follow-symlinks", "a.txt", "b.txt")
    assert code == 1 and f"a.txt:1:1: SL005 error symlink points outside {project}" in out
    assert "b.txt" not in out


def test_item44_double_dash_and_dash_named_files(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(CLEAN, tmp_path / "-x.txt")
    code, out, _ = check(capsys, "--", "-x.txt")
    assert (code, out) == (0, "All 1 file clean.\n")


def test_item55_closed_stdout_is_quiet():
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = (f"{sys.executable} -m storylint check --isolated {FIXTURES / 'stories'} "
               "| head -c 10 > /dev/null")
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True,
                          text=True, env=env, check=False)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_no_input_is_modified_by_checking(tmp_path, capsys):
    stories = tmp_path / "stories"
    shutil.copytree(FIXTURES / "stories", stories)
    before = {p.name: (p.read_bytes(), p.stat().st_mode) for p in stories.iterdir()}
    check(capsys, "--format", "sarif", str(stories))
    check(capsys, "--diff", str(stories))
    after = {p.name: (p.read_bytes(), p.stat().st_mode) for p in stories.iterdir()}
    assert before == after


def test_catalogue_names_existing_tests():
    import ast
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reliability catalogue", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\| \d+ \|", line)]
    assert [int(line.split("|")[1]) for line in rows] == list(range(1, 57))
    for path, name in set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", section)):
        tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert name in names, f"{path}::{name} named in the catalogue does not exist"
