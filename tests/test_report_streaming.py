"""`storylint report` streams: bounded work in flight, a tally equal to the whole-list summary,
incremental JSON/CSV equal to the whole-run formats, bad files all reported, atomic output."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import archive_faults
import pytest

from storylint import batch
from storylint.cli import main
from storylint.engine import iter_story_paths, run_check
from storylint.results import FileReport, RunResult
from storylint.finding import Severity
from storylint.report import html as html_report
from storylint.report import json_format, render
from storylint.report.archive import write_report
from storylint.report.summary import story_details, summarize, worst_stories
from storylint.report.tally import ArchiveTally, ScoreCounts, WorstStories

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STORY = FIXTURES / "archive" / "clean-harbour-reopens.txt"


@pytest.fixture
def stories(tmp_path, monkeypatch):
    """Every fixture story (archive and per-rule stories) in one folder, the cwd its parent."""
    folder = tmp_path / "stories"
    shutil.copytree(FIXTURES / "archive", folder)
    for path in sorted((FIXTURES / "stories").glob("*.txt")):
        shutil.copy(path, folder / f"rule-{path.name}")
    monkeypatch.chdir(tmp_path)
    return folder


def tally_of(result: RunResult, **options) -> ArchiveTally:
    tally = ArchiveTally(result.fail_level, **options)
    tally.internal_errors = result.internal_errors
    for report in result.files:
        tally.add(report)
    return tally


def test_tally_gives_the_whole_list_summary(stories, linter):
    result = run_check([str(stories)], linter)
    assert len(result.files) > 20 and sum(1 for r in result.files if r.findings) > 10
    tally = tally_of(result)
    assert tally.summary_data(stories.parent) == summarize(result, stories.parent)
    assert tally.exit_code() == result.exit_code() == 1
    assert json_format.tally_summary(tally) == json_format.summary(result)


def test_tally_keeps_only_the_worst_stories(stories, linter):
    result = run_check([str(stories)], linter)
    data = tally_of(result, detailed=3).summary_data(stories.parent)
    expected, hidden = story_details(result, stories.parent, limit=3)
    assert data["stories"] == expected and data["hidden_stories"] == hidden > 0
    assert data["worst"] == worst_stories(result, stories.parent)


def report_with_score(path: str, score: float) -> FileReport:
    from storylint.diagnostics import diagnostic

    return FileReport(path, "utf-8", (diagnostic("empty-story", path, "empty"),), score)


def test_worst_stories_heap_matches_a_full_sort():
    rng = random.Random(7)
    scores = [0.5, 1.0, 2.25, 3.0, 3.0, 3.0]  # many ties at the top: broken by path
    reports = [report_with_score(f"s{i:03d}.txt", rng.choice(scores) if i % 10 else rng.random())
               for i in range(300)]
    rng.shuffle(reports)
    worst = WorstStories(10)
    for report in reports:
        worst.add(report)
    expected = sorted(reports, key=lambda r: (-r.score, r.path))[:10]
    assert worst.ranked() == expected and {r.score for r in expected} == {3.0}


def test_score_counts_stay_bounded_and_keep_every_story():
    counts = ScoreCounts(limit=50)
    values = [round(i * 0.0137, 4) for i in range(1000)]
    for value in values:
        counts.add(value)
    assert len(counts.counts) <= 50 and sum(counts.counts.values()) == 1000
    assert counts.decimals is not None and counts.decimals < 4
    exact = ScoreCounts(limit=5000)
    for value in values:
        exact.add(value)
    assert exact.decimals is None and len(exact.counts) == 1000


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_streamed_formats_equal_the_whole_run_formats(stories, linter, fmt):
    result = run_check([str(stories)], linter)
    whole = io.StringIO()
    render(fmt, result, whole)
    streamed = io.StringIO()
    write_report(fmt, iter_story_paths([str(stories)], linter.config), linter, streamed, jobs=1)
    assert streamed.getvalue() == whole.getvalue()
    if fmt == "json":
        assert len(json.loads(streamed.getvalue())["files"]) == len(result.files)


def test_streamed_json_of_an_empty_archive_is_valid(tmp_path, linter):
    (tmp_path / "empty").mkdir()
    out = io.StringIO()
    tally = write_report("json", iter_story_paths([str(tmp_path / "empty")], linter.config),
                         linter, out, jobs=2)
    data = json.loads(out.getvalue())
    assert data["files"] == [] and data["summary"]["files"] == 0 and tally.exit_code() == 0
    whole = io.StringIO()
    json_format.render(RunResult([], linter.rules), whole)
    assert out.getvalue() == whole.getvalue()


def report(*argv: str) -> int:
    return main(["report", "--isolated", "--quiet", *argv])


def test_jobs_1_and_2_write_identical_valid_reports(stories, linter, monkeypatch):
    monkeypatch.setattr(batch, "MAX_CHUNK", 2)  # many small chunks through a window of 4
    monkeypatch.setattr(batch, "CHUNKS_PER_WORKER", 2)
    for suffix in ("json", "csv", "html"):
        assert report("stories", "-o", f"one.{suffix}", "-j", "1") == 1
        assert report("stories", "-o", f"two.{suffix}", "-j", "2") == 1
        assert Path(f"one.{suffix}").read_bytes() == Path(f"two.{suffix}").read_bytes()
    data = json.loads(Path("two.json").read_text(encoding="utf-8"))
    paths = [entry["path"] for entry in data["files"]]
    assert paths == list(iter_story_paths(["stories"], linter.config))
    rows = list(csv.DictReader(io.StringIO(Path("two.csv").read_text(encoding="utf-8"))))
    assert sum(1 for row in rows if row["code"]) == data["summary"]["findings"]
    assert len({row["path"] for row in rows}) == len(paths)


def test_pool_keeps_few_paths_in_flight(tmp_path, linter, monkeypatch):
    """The paths are pulled lazily: when the first reports come back, only the look-ahead and
    the chunks in flight have been read, not the whole archive."""
    monkeypatch.setattr(batch, "MAX_CHUNK", 3)
    monkeypatch.setattr(batch, "CHUNKS_PER_WORKER", 2)
    for index in range(200):
        shutil.copy(STORY, tmp_path / f"{index:03d}.txt")
    taken = []

    def paths():
        for path in iter_story_paths([str(tmp_path)], linter.config):
            taken.append(path)
            yield path

    chunks = batch.iter_checked(paths(), linter, jobs=2)
    first, _ = next(chunks)
    look_ahead = 2 * 2 * 3
    assert len(taken) <= look_ahead + 2 * 2 * 3 and len(taken) < 200
    rest = [r for reports, _ in chunks for r in reports]
    assert [r.path for r in first + rest] == taken and len(taken) == 200


def test_pool_internal_errors_are_counted(stories, linter, monkeypatch):
    # A rule that fails on one story (the Linter itself may be compiled: patch the check).
    from storylint.checks import substitution

    original = substitution._Substitution.run

    def failing(self, story, rule):
        if rule.name == "confusable-word" and story.path.endswith("markup-in-story.txt"):
            raise RuntimeError("boom")
        return original(self, story, rule)

    monkeypatch.setattr(substitution._Substitution, "run", failing)
    result = batch.check_paths(iter_story_paths(["stories"], linter.config), linter, jobs=2)
    assert result.internal_errors == 1 and result.exit_code() == 3
    assert report("stories", "-o", "r.json", "-j", "2") == 3


def make_faulty_archive(root: Path) -> tuple[dict[str, str], list[str]]:
    """An archive of good stories with one bad file of every kind; ({bad path: kind}, good)."""
    text = STORY.read_text(encoding="utf-8")
    good, bad = [], {}
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        for index in range(3):
            path = root / folder / f"good-{index}.txt"
            path.write_text(text, encoding="utf-8")
            good.append(str(path))
    for index, kind in enumerate(archive_faults.KINDS):
        path = root / ("a", "b")[index % 2] / f"bad-{kind}.txt"
        archive_faults.write_fault(kind, path, text, good_target=Path(good[0]))
        bad[str(path)] = kind
        if kind == "directory":  # a folder named like a story is reported and still walked
            inner = path / "inside.txt"
            inner.write_text(text, encoding="utf-8")
            good.append(str(inner))
    return bad, good


@pytest.mark.parametrize("mode", ["default", "strict"])
def test_every_bad_file_is_reported_and_no_good_file_skipped(tmp_path, monkeypatch, mode):
    monkeypatch.chdir(tmp_path)
    bad, good = make_faulty_archive(Path("archive"))
    config = Path("storylint.yaml")
    config.write_text(archive_faults.STRICT_CONFIG if mode == "strict"
                      else archive_faults.DEFAULT_CONFIG)
    code = main(["report", "archive", "--config", str(config), "-o", "r.json", "-j", "2", "-q"])
    assert code == 1
    data = json.loads(Path("r.json").read_text(encoding="utf-8"))
    files = {entry["path"]: entry for entry in data["files"]}
    assert len(files) == len(data["files"]) == len(bad) + len(good)
    assert archive_faults.problems(files, bad, good, mode) == []


def test_the_fault_check_notices_a_missing_or_misreported_file(tmp_path, monkeypatch):
    """The expectation checker used by the load benchmark can fail."""
    monkeypatch.chdir(tmp_path)
    bad, good = make_faulty_archive(Path("archive"))
    Path("c.yaml").write_text(archive_faults.DEFAULT_CONFIG)
    main(["report", "archive", "--config", "c.yaml", "-o", "r.json", "-j", "1", "-q"])
    files = {e["path"]: e for e in json.loads(Path("r.json").read_text())["files"]}
    fifo = next(path for path, kind in bad.items() if kind == "fifo")
    del files[fifo]
    files[good[1]] = {**files[good[1]], "findings": [{"code": "SL004", "message": "x"}]}
    found = archive_faults.problems(files, bad, good)
    assert found == [f"{fifo} (fifo): not in the report",
                     f"{good[1]}: good file has file-level findings ['SL004']"]


def test_report_interrupted_mid_write_keeps_the_old_file(stories, monkeypatch):
    Path("report.json").write_text("previous report")
    written = []
    original = json_format.StreamWriter.add

    def interrupt_later(self, report_):
        original(self, report_)
        written.append(report_.path)
        if len(written) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(json_format.StreamWriter, "add", interrupt_later)
    assert report("stories", "-o", "report.json", "-j", "2") == 130
    assert Path("report.json").read_text() == "previous report"
    assert sorted(os.listdir(".")) == ["report.json", "stories"]  # no temporary file left


def test_report_that_fails_at_the_end_leaves_no_file(stories, monkeypatch):
    def broken(self, tally, fail_score=None):
        raise RuntimeError("summary bug")

    monkeypatch.setattr(json_format.StreamWriter, "finish", broken)
    assert report("stories", "-o", "report.json", "-j", "1") == 3
    assert sorted(os.listdir(".")) == ["stories"]


def start_report(folder: Path, output: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "storylint", "report", "--isolated", "-q",
                             "archive", "-o", output, "-j", "2"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_temp(folder: Path, process: subprocess.Popen, written: int = 0) -> bool:
    """True once the report's temporary file exists and holds more than `written` bytes (the
    run is writing stories), False if the run ended first."""
    while process.poll() is None:
        for name in os.listdir(folder):
            if name.endswith(".storylint-tmp") and _size(folder / name) > written:
                return True
        time.sleep(0.002)
    return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def child_processes(pid: int) -> list[int]:
    """The direct children of `pid` (Linux /proc), e.g. the report's worker processes."""
    try:
        return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_until_gone(pids: list[int], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()
                 and "zombie" not in Path(f"/proc/{pid}/status").read_text(errors="replace")]
        if not alive:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def big_archive(tmp_path):
    """3,000 small stories: a run long enough (seconds) to be killed while it writes."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for index in range(3000):
        shutil.copy(STORY, folder / f"{index:04d}.txt")
    (tmp_path / "report.json").write_text("previous report")
    return tmp_path


@pytest.mark.parametrize("sig, exit_code", [(signal.SIGKILL, -9), (signal.SIGTERM, 143)])
def test_killed_report_leaves_the_old_file(big_archive, sig, exit_code):
    process = start_report(big_archive, "report.json")
    # well into the run: some stories already written to the temporary file
    assert wait_for_temp(big_archive, process, written=2000), process.stderr.read().decode()
    workers = child_processes(process.pid)
    process.send_signal(sig)
    assert process.wait(timeout=60) == exit_code
    try:
        assert wait_until_gone(workers), f"worker processes {workers} outlived the run"
    finally:
        for pid in workers:  # never leave an orphan behind, even when the test fails
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert (big_archive / "report.json").read_text() == "previous report"
    temps = [n for n in os.listdir(big_archive) if n.endswith(".storylint-tmp")]
    if sig == signal.SIGTERM:
        assert temps == []  # cleaned up on the way out
    else:
        assert len(temps) == 1 and temps[0].startswith(".report.json.")  # hidden, never *.txt


def test_report_to_stdout_streams_the_same_json(stories, capsys):
    assert report("stories", "--format", "json", "-j", "2") == 1
    printed = capsys.readouterr().out
    assert report("stories", "-o", "file.json", "-j", "1") == 1
    assert printed == Path("file.json").read_text(encoding="utf-8")


def test_walk_reports_a_folder_named_like_a_story_and_walks_it(tmp_path, linter, capsys):
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    shutil.copy(STORY, folder / "inside.txt")
    os.symlink(folder, tmp_path / "link.txt")
    paths = list(iter_story_paths([str(tmp_path)], linter.config))
    assert paths == [str(tmp_path / "link.txt"), str(folder), str(folder / "inside.txt")]
    assert main(["check", "--isolated", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{folder}:1:1: SL007 error not a regular file (a directory)" in out
    assert f"{tmp_path / 'link.txt'}:1:1: SL005 error symlink not followed" in out


def test_html_from_the_tally_equals_the_whole_run_page(stories, linter):
    result = run_check([str(stories)], linter)
    whole = html_report.render_page(result)
    streamed = io.StringIO()
    write_report("html", iter_story_paths([str(stories)], linter.config), linter, streamed, 1)
    assert streamed.getvalue() == whole


def test_tally_exit_code_follows_fail_level_and_score(stories, linter):
    result = run_check([str(stories)], linter)
    for level in Severity:
        for fail_score in (None, 0.5, 1e9):
            run = replace(result, fail_level=level, fail_score=fail_score)
            tally = tally_of(run)
            assert tally.exit_code(fail_score) == run.exit_code(), (level, fail_score)
