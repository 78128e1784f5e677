"""Content fingerprints (shared by SARIF and baselines), and clean exits on SIGTERM."""
from __future__ import annotations

import io
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES

from storylint.atomic import write_bytes_atomic
from storylint.finding import Finding, Severity
from storylint.engine import RunResult
from storylint.fingerprint import content_fingerprints, excerpt, quoted_lines
from storylint.report import CONTEXT_FORMATS, FORMATS, render
from storylint.source import StoryFile

LINE = "The army launched a lighting offensive on Sunday."


def typo(line: int, text: str = LINE, path: str = "a.txt") -> Finding:
    column = text.index("lighting") + 1
    return Finding("SL301", "confusable-word", Severity.WARNING, "m", path, line, column, line,
                   column + 8, matched="lighting")


def test_fingerprint_ignores_position_and_path_but_not_content():
    first = content_fingerprints([typo(3)], "\n\n" + LINE + "\n")
    moved = content_fingerprints([typo(9, path="b.txt")], "\n" * 8 + LINE + "\n")
    assert first == moved
    assert content_fingerprints([typo(3)], "\n\nThe army LAUNCHED  a lighting offensive on "
                                           "Sunday.\n") == first  # case and spacing folded
    other = "Rebels launched a lighting offensive on Sunday."
    assert content_fingerprints([typo(1, other)], other) != first


def test_identical_findings_get_numbered_fingerprints():
    text = LINE + "\n\n" + LINE + "\n"
    prints = content_fingerprints([typo(1), typo(3)], text)
    assert len(set(prints)) == 2
    assert content_fingerprints([typo(1)], LINE + "\n")[0] == prints[0]


def test_context_is_a_window_so_distant_edits_keep_the_fingerprint():
    long_line = "x " * 200 + LINE + " y" * 200
    changed = "z " * 50 + "x " * 150 + LINE + " y" * 200  # differs 300+ characters away
    finding = typo(1, long_line)
    assert content_fingerprints([finding], long_line) == content_fingerprints([finding], changed)


def test_quoted_lines_are_cut_around_the_finding():
    long_line = "a" * 1000 + " lighting " + "b" * 1000
    quotes = quoted_lines([typo(1, long_line)], long_line + "\r\n")
    (line, text), = quotes
    assert line == 1 and "lighting" in text and len(text) <= 242
    assert text.startswith("\u2026") and text.endswith("\u2026") and "\r" not in text
    assert excerpt("short", 1) == "short"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_only_context_formats_read_fingerprints_or_quotes(linter, name):
    """`check` skips fingerprints and quoted lines unless the format is in CONTEXT_FORMATS: any
    other format must print the same with and without them (and the listed ones must not)."""
    story = (FIXTURES / "example-story.txt").read_text(encoding="utf-8")
    story += "\nGreetings, I'm Rich. Visit cheapdomains.example.com for deals!\n"
    full = linter.check_source(StoryFile("story.txt", text=story, encoding="utf-8"))
    bare = replace(full, fingerprints=(), quotes=())
    assert full.fingerprints and full.quotes

    def output(report):
        stream = io.StringIO()
        render(name, RunResult([report], linter.rules), stream)
        return re.sub(r'"(?:generated|date|timestamp)[^,\n]*', "", stream.getvalue())

    assert (output(full) != output(bare)) == (name in CONTEXT_FORMATS)


def test_interrupted_atomic_write_leaves_original_and_no_temp(tmp_path):
    target = tmp_path / "story.txt"
    target.write_bytes(b"original")

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"new content", before_replace=interrupted)
    assert target.read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.txt"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("storylint") is None and not Path(sys.prefix, "bin",
                    "storylint").exists(), reason="console script not installed")
def test_sigterm_exits_143_without_a_partial_report(tmp_path):
    """The installed console script, killed mid-run, leaves neither report nor temp file."""
    story = (Path(__file__).resolve().parents[1] / "fixtures" / "archive" /
             "typo-stripped-promo.txt").read_text()
    archive = tmp_path / "archive"
    archive.mkdir()
    for index in range(6000):
        (archive / f"{index:05d}.txt").write_text(story)
    script = shutil.which("storylint") or str(Path(sys.prefix, "bin", "storylint"))
    process = subprocess.Popen([script, "report", "--isolated", str(archive), "-o",
                                str(tmp_path / "report.html"), "--jobs", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(2.0)
        if process.poll() is not None:
            pytest.skip("the run finished before it could be interrupted (machine too fast)")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 143
        assert sorted(p.name for p in tmp_path.iterdir()) == ["archive"]
        assert b"Traceback" not in process.stderr.read()
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(archive)  # 6,000 files would slow pytest's later temp-folder cleanup
