"""`storylint report`: HTML/JSON/CSV over an archive, parallel, escaped, written atomically."""
from __future__ import annotations

import csv
import io
import os
import json
import shutil
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storylint.cli import main
from storylint.config import Config
from storylint.engine import Linter, load_rules, run_check, select_rules
from storylint.report import html as html_report
from storylint.report.summary import histogram, story_details

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "archive"


class Page(HTMLParser):
    """Collects every tag, attribute and text node of a page, and elements by id."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text, self.by_id = [], [], [], {}
        self._open_id = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
        self._open_id = dict(attrs).get("id")

    def handle_data(self, data):
        self.text.append(data)
        if self._open_id:
            self.by_id[self._open_id] = data
            self._open_id = None


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """A copy of the fixture archive as the working folder (report paths relative to it)."""
    folder = tmp_path / "archive"
    shutil.copytree(FIXTURES, folder)
    monkeypatch.chdir(tmp_path)
    return folder


def report(*argv: str) -> int:
    return main(["report", "--isolated", *argv])


def expected_counts(linter, folder: Path) -> dict[str, int]:
    result = run_check([str(folder)], linter)
    findings = result.findings()
    return {"count-files": len(result.files), "count-findings": len(findings),
            "count-files-with-findings": sum(1 for r in result.files if r.findings),
            "count-error": sum(1 for f in findings if str(f.severity) == "error"),
            "count-warning": sum(1 for f in findings if str(f.severity) == "warning")}


def test_html_report_shows_the_archive_counts(archive, linter):
    assert report("archive", "-o", "report.html", "--jobs", "1") == 1
    page = Page(Path("report.html").read_text(encoding="utf-8"))
    counts = expected_counts(linter, archive)
    assert counts["count-files"] == 4 and counts["count-findings"] > 0
    assert {key: int(page.by_id[key]) for key in counts} == counts
    rows = [v for tag, k, v in page.attrs if tag == "tr" and k == "data-rule"]
    assert "SL301" in rows and "SL102" in rows


def test_report_is_self_contained_and_inert(archive):
    evil = archive / '"><img src=x onerror=alert(1)>.txt'
    shutil.copy(archive / "markup-in-story.txt", evil)
    report("archive", "-o", "report.html", "--jobs", "1")
    markup = Path("report.html").read_text(encoding="utf-8")
    page = Page(markup)
    assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    assert not [a for a in page.attrs if a[1].startswith("on") or a[1] in ("href", "src")]
    text = "".join(page.text)
    assert '<script>alert("story")</script>' in text
    assert '"><img src=x onerror=alert(1)>.txt' in text
    assert "javascript:alert(document.cookie)" in text
    assert "\u202e" not in markup and "\\u202e" in text
    assert "http://" not in "".join(v for _, _, v in page.attrs if v)
    csp = next(v for tag, k, v in page.attrs if k == "content" and "default-src" in (v or ""))
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_template_environment_escapes_and_is_strict():
    from jinja2 import UndefinedError

    env = html_report._environment()
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing.value }}").render()


def test_parallel_report_equals_serial_report(archive):
    assert report("archive", "-o", "one.html", "--jobs", "1") == 1
    assert report("archive", "-o", "two.html", "--jobs", "2") == 1
    assert Path("one.html").read_bytes() == Path("two.html").read_bytes()


def test_json_and_csv_formats(archive, linter):
    counts = expected_counts(linter, archive)
    assert report("archive", "-o", "report.json", "-j", "1") == 1
    data = json.loads(Path("report.json").read_text())
    assert data["summary"]["findings"] == counts["count-findings"]
    assert all("score" in f for f in data["files"])
    assert report("archive", "--format", "csv", "-o", "out.txt", "-j", "1") == 1
    rows = list(csv.DictReader(io.StringIO(Path("out.txt").read_text())))
    assert sum(1 for r in rows if r["code"]) == counts["count-findings"]
    formula = [r for r in rows if r["code"] == "SL404"]
    assert formula and all(not r["message"].startswith("=") for r in rows)


def test_csv_cells_cannot_become_formulas():
    from storylint.report.csv_format import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("@SUM(1)") == "'@SUM(1)" and _cell("plain") == "plain" and _cell(3) == 3


def test_missing_output_folder_is_exit_2_before_any_work(archive, capsys):
    assert report("archive", "-o", "no/such/folder/report.html") == 2
    err = capsys.readouterr().err
    assert "storylint: error: cannot write no/such/folder/report.html: folder no/such/folder " \
           "does not exist" in err


def test_missing_archive_is_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert report("nowhere") == 2
    assert "archive not found: nowhere" in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(archive, capsys, monkeypatch):
    report("archive", "-o", "r.html", "-j", "1")
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    report("archive", "-o", "r.html", "-j", "1")
    assert "/4 [" in capsys.readouterr().err  # tqdm: "n/4 [elapsed<eta, rate]"
    report("archive", "-o", "r.html", "-j", "1", "--quiet")
    assert capsys.readouterr().err == ""


def test_report_keeps_previous_file_when_rendering_fails(archive, monkeypatch):
    Path("report.html").write_text("previous report")

    def broken(self, tally, fail_score=None):
        self.stream.write("<html>half")
        raise RuntimeError("template bug")

    monkeypatch.setattr(html_report.StreamWriter, "finish", broken)
    assert report("archive", "-o", "report.html", "-j", "1") == 3
    assert Path("report.html").read_text() == "previous report"


def test_promo_scores_histogram(archive, linter):
    result = run_check([str(archive)], linter)
    report_ = next(r for r in result.files if any(f.name == "promo-tail" for f in r.findings))
    index = result.files.index(report_)
    scored = tuple(replace(f, score=0.93) if f.name == "promo-tail" else f
                   for f in report_.findings)
    result.files[index] = replace(report_, findings=scored)
    page = html_report.render_page(result)
    assert "no-promo-scores" not in page
    assert "from 0.9: 1 segments" in page
    config = Config(ignore=("promo-tail",))  # no model scores at all: the page says so
    rules, fmt = load_rules(config)
    plain = html_report.render_page(run_check([str(archive)], Linter(select_rules(rules, config),
                                                                     config, fmt)))
    assert 'id="no-promo-scores"' in plain


def test_histogram_bins_include_both_edges():
    bins = histogram([0.0, 0.05, 0.1, 0.999, 1.0], 0.0, 1.0)
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_story_details_are_capped(archive, linter):
    result = run_check([str(archive)], linter)
    stories, hidden = story_details(result, archive.parent, limit=1)
    assert len(stories) == 1 and hidden == 2
    assert stories[0]["score"] == max(r.score for r in result.files)
    assert stories[0]["quotes"] and all(len(q["text"]) <= 242 for q in stories[0]["quotes"])


def test_undecodable_file_name_does_not_break_any_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "archive"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    shutil.copy(FIXTURES / "typo-stripped-promo.txt", folder / name)
    for suffix in ("html", "json", "csv"):
        assert report("archive", "-o", f"r.{suffix}", "-j", "1") == 1
        assert "caf\\udce9.txt" in Path(f"r.{suffix}").read_text(encoding="utf-8")


@pytest.mark.slow
def test_wheel_ships_the_report_template(tmp_path):
    """The HTML report reads its template and stylesheet as package data."""
    import subprocess
    import zipfile

    pytest.importorskip("build", reason="the `build` package is not installed")
    repo = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "build", "--wheel", "-o", str(tmp_path), str(repo)],
                   check=True, capture_output=True)
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    assert "storylint/report/templates/report.html.j2" in names
    assert "storylint/report/templates/report.css" in names
