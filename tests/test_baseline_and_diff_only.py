"""Adopting storylint in an archive: baselines and --diff-only for pull requests."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from storylint.cli import main
from storylint.gitdiff import parse_unified_diff

STORY = """Army pushes into border district

(2 Oct 2022)

Hill country, Freedonia \u2013 2 October 2022
1. Aerial of armoured column on a mountain road

The army launched a lighting offensive on Sunday.

Aid groups said it would wreck havoc on the harvest.


Clients are reminded to adhere to all listed restrictions. For further assistance, please contact the AP Archive on: Tel +44(0)2074827482 Email: info@aparchive.com

You can license this story through AP Archive: http://www.aparchive.com/metadata/youtube/1
"""


def check(*argv: str) -> int:
    return main(["check", "--isolated", *argv])


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "a.txt").write_text(STORY)
    (tmp_path / "stories" / "b.txt").write_text(STORY.replace("lighting", "lightning"))
    return tmp_path


def test_baseline_hides_known_findings_even_when_lines_move(archive, capsys):
    assert check("stories") == 1
    assert check("--write-baseline", "baseline.json", "stories") == 0
    data = json.loads(Path("baseline.json").read_text())
    assert data["format"] == "storylint-baseline" and len(data["findings"]) == 3
    assert {item["path"] for item in data["findings"]} == {"stories/a.txt", "stories/b.txt"}
    capsys.readouterr()
    a = Path("stories/a.txt")
    a.write_text(a.read_text().replace("(2 Oct 2022)\n", "(2 Oct 2022)\n\n\n\n"))
    assert check("--baseline", "baseline.json", "stories") == 0
    assert "3 known findings hidden by the baseline" in capsys.readouterr().err


def test_baseline_reports_only_new_findings(archive, capsys):
    check("--write-baseline", "baseline.json", "stories")
    capsys.readouterr()
    b = Path("stories/b.txt")
    b.write_text(b.read_text().replace("on Sunday.", "on Sunday.\n\nCrowds waited with baited "
                                       "breath."))
    assert check("--baseline", "baseline.json", "--format", "json", "stories") == 1
    out = json.loads(capsys.readouterr().out)
    new = [f for file in out["files"] for f in file["findings"]]
    assert [(f["name"], f["matched"]) for f in new] == [("confusable-word", "baited")]


def test_baseline_counts_repeated_findings(archive, capsys):
    """Two identical findings recorded once leave one new finding."""
    check("--write-baseline", "baseline.json", "stories")
    a = Path("stories/a.txt")
    a.write_text(a.read_text().replace("Aid groups said it would wreck havoc on the harvest.",
                                       "Aid groups said it would wreck havoc on the harvest.\n\n"
                                       "Aid groups said it would wreck havoc on the harvest."))
    capsys.readouterr()
    assert check("--baseline", "baseline.json", "--format", "json", "stories") == 1
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["findings"] == 1


def test_baseline_works_from_another_directory(archive, monkeypatch):
    check("--write-baseline", "baseline.json", "stories")
    monkeypatch.chdir(archive / "stories")
    assert check("--baseline", "../baseline.json", ".") == 0


@pytest.mark.parametrize("content,message", [
    (None, "baseline file not found"), ("{not json", "cannot read baseline"),
    ('{"findings": []}', "not a storylint baseline"),
    ('{"format": "storylint-baseline", "version": 99}', "baseline version 99 is not supported"),
    ('{"format": "storylint-baseline", "version": 1, "findings": [{"path": "a"}]}', "lacks"),
])
def test_bad_baseline_is_a_usage_error(archive, capsys, content, message):
    if content is not None:
        Path("baseline.json").write_text(content)
    assert check("--baseline", "baseline.json", "stories") == 2
    assert message in capsys.readouterr().err


def test_sarif_marks_results_new_under_a_baseline(archive, capsys):
    check("--write-baseline", "baseline.json", "stories/b.txt")
    capsys.readouterr()
    check("--baseline", "baseline.json", "--format", "sarif", "stories")
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert results and {r["baselineState"] for r in results} == {"new"}
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results} == {"stories/a.txt"}


# --- --diff-only -----------------------------------------------------------------------------

def test_parse_unified_diff_hunks_and_quoted_names():
    patch = "\n".join([
        "diff --git a/x.txt b/x.txt", "--- a/x.txt", "+++ b/x.txt",
        "@@ -3 +3 @@", "-old", "+new", "@@ -10,0 +11,2 @@", "+a", "+b",
        '--- "a/caf\\303\\251 \\"q\\".txt"', '+++ "b/caf\\303\\251 \\"q\\".txt"', "@@ -1,2 +1,0 @@",
        "--- a/gone.txt", "+++ /dev/null", "@@ -1 +0,0 @@",
    ])
    changes = parse_unified_diff(patch)
    assert changes == {"x.txt": {3, 11, 12}, 'caf\u00e9 "q".txt': set()}


git = shutil.which("git")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.mark.skipif(git is None, reason="git is not installed")
def test_diff_only_reports_findings_on_changed_lines(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    (repo / "stories").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "stories" / "a.txt").write_text(STORY)
    (repo / "stories" / "old.txt").write_text(STORY)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "archive")
    _git(repo, "checkout", "-q", "-b", "pr")
    a = repo / "stories" / "a.txt"
    a.write_text(a.read_text().replace("on Sunday.", "on Sunday.\n\nCrowds waited with baited "
                                       "breath."))
    _git(repo, "commit", "-q", "-am", "edit")
    (repo / "stories" / "new.txt").write_text(STORY)  # untracked: wholly new
    monkeypatch.chdir(repo)
    assert check("--diff-only", "main", "--format", "json", "stories") == 1
    files = {f["path"]: [x["matched"] for x in f["findings"]]
             for f in json.loads(capsys.readouterr().out)["files"]}
    assert files["stories/a.txt"] == ["baited"]
    assert files["stories/old.txt"] == []
    assert sorted(files["stories/new.txt"]) == ["lighting", "wreck"]


@pytest.mark.skipif(git is None, reason="git is not installed")
def test_diff_only_with_unknown_ref_is_exit_2(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "a.txt").write_text(STORY)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "x")
    monkeypatch.chdir(repo)
    assert check("--diff-only", "no-such-branch", "--fix", "a.txt") == 2
    assert "storylint: error: --diff-only: `git merge-base no-such-branch` failed" in \
        capsys.readouterr().err
    assert (repo / "a.txt").read_text() == STORY  # checked before anything was fixed


def test_bad_baseline_stops_before_fixing(archive, capsys):
    a = Path("stories/a.txt")
    assert check("--baseline", "missing.json", "--fix", "stories") == 2
    assert a.read_text() == STORY
