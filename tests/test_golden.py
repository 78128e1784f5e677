"""Golden fixtures: each hand-written story and its expected JSON report, compared by content.

Regenerate only with `python -m pytest tests/test_golden.py --update-golden`, then review the
diff like code: a golden file must not freeze a bug.
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest

from storylint.cli import main

from conftest import FIXTURES, REPO

STORIES = sorted((FIXTURES / "stories").glob("*.txt"))


def report_for(path, monkeypatch) -> tuple[int, dict]:
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", "--isolated", "--format", "json", str(path.relative_to(REPO))])
    return code, json.loads(out.getvalue())


@pytest.mark.parametrize("story", STORIES, ids=[p.stem for p in STORIES])
def test_story_matches_golden_report(story, monkeypatch, update_golden):
    code, document = report_for(story, monkeypatch)
    golden = FIXTURES / "expected" / f"{story.stem}.json"
    document["tool"]["version"] = "<version>"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert document == expected
    assert code == expected["summary"]["exit_code"]


def test_clean_fixtures_are_clean_and_defect_fixtures_name_their_rule(monkeypatch):
    for story in STORIES:
        _, document = report_for(story, monkeypatch)
        names = {f["name"] for f in document["files"][0]["findings"]}
        if story.stem.startswith(("clean", "suppressed")):
            assert names == set(), story.name
        elif story.stem.startswith("shot-numbering"):
            assert names == {"shot-numbering"}, story.name
        elif story.stem.startswith("date-"):
            assert names == {"date-mismatch"}, story.name
        elif story.stem in {"windows-1252", "empty", "suppression-without-reason"}:
            assert names, story.name
        else:
            assert story.stem in names, (story.name, names)
