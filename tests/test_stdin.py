"""`storylint check -`: a story read from standard input (editors, pipes), named in findings."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from storylint.cli import main

STORY = b"Headline\n\nThe army launched a lighting blitz on the town.\n"


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_story_on_stdin_is_checked_and_named(monkeypatch, capsys):
    _stdin(monkeypatch, STORY)
    assert main(["check", "--isolated", "--format", "json", "--select", "SL301", "-"]) == 1
    files = _json(capsys)["files"]
    assert [f["path"] for f in files] == ["<stdin>"]
    assert [(x["code"], x["line"]) for x in files[0]["findings"]] == [("SL301", 3)]


def test_stdin_filename_names_the_story(monkeypatch, capsys):
    _stdin(monkeypatch, STORY)
    assert main(["check", "--isolated", "--select", "SL301", "--stdin-filename",
                 "stories/blitz.txt", "-"]) == 1
    assert capsys.readouterr().out.startswith("stories/blitz.txt:3:")


def test_stdin_gets_the_same_decoding_as_files(monkeypatch, capsys):
    _stdin(monkeypatch, STORY.replace(b"town", b"caf\xe9"))
    assert main(["check", "--isolated", "--format", "json", "--select", "SL001", "-"]) == 1
    finding = _json(capsys)["files"][0]["findings"][0]
    assert finding["code"] == "SL001" and "0xE9 at 3:" in finding["message"]


def test_too_much_stdin_is_refused(monkeypatch, tmp_path, capsys):
    (tmp_path / ".storylint.yaml").write_text("max-file-size: 100\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, STORY * 10)
    assert main(["check", "--format", "json", "-"]) == 1
    finding = _json(capsys)["files"][0]["findings"][0]
    assert finding["code"] == "SL006" and "standard input too large" in finding["message"]


@pytest.mark.parametrize("flag", ["--fix", "--diff"])
def test_fixing_stdin_is_a_usage_error(monkeypatch, capsys, flag):
    _stdin(monkeypatch, STORY)
    assert main(["check", "--isolated", flag, "-"]) == 2
    assert "not on standard input" in capsys.readouterr().err


def test_a_real_pipe(tmp_path):
    result = subprocess.run([sys.executable, "-m", "storylint", "check", "--isolated",
                             "--select", "SL301", "-"], input=STORY, capture_output=True,
                            cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert b"<stdin>:3:" in result.stdout and b"lightning" in result.stdout
