"""The HTML report opened in real headless Chromium: it loads without errors, makes no request,
runs no script, applies its stylesheet under its own CSP, and shows the archive's counts.

Uses Debian's chromium (`apt-get install chromium`; `.ci/run` installs it) driven by playwright
with `executable_path`, so playwright never downloads a browser. Skips, saying why, when either
is missing.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from storylint.cli import main
from storylint.engine import run_check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "archive"
BROWSER_ENV = "STORYLINT_CHROMIUM"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """$STORYLINT_CHROMIUM, or Debian's chromium on PATH."""
    explicit = os.environ.get(BROWSER_ENV)
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """A fresh Chromium profile and page; records console errors, page errors and requests."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium browser: install Debian's chromium (apt-get install -y "
                    f"chromium, as .ci/run does) or set {BROWSER_ENV}")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=FLAGS)
        page = context.new_page()
        page.events = {"console": [], "pageerror": [], "requests": [], "dialogs": []}
        page.on("console", lambda m: page.events["console"].append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.events["pageerror"].append(str(e)))
        page.on("request", lambda r: page.events["requests"].append(r.url))
        page.on("dialog", lambda d: (page.events["dialogs"].append(d.message), d.dismiss()))
        yield page
        context.close()


@pytest.mark.slow
def test_report_in_headless_chromium(browser_page, linter, tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES, archive)
    shutil.copy(archive / "markup-in-story.txt", archive / "<script>alert(2)<script>.txt")
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--isolated", "archive", "-o", "report.html", "-j", "1"]) == 1
    result = run_check(["archive"], linter)
    findings = result.findings()

    page = browser_page
    url = (tmp_path / "report.html").as_uri()
    page.goto(url, wait_until="load")

    problems = [m for m in page.events["console"] if m.startswith(("error", "warning"))]
    assert problems == [] and page.events["pageerror"] == []
    assert page.events["dialogs"] == []
    assert set(page.events["requests"]) == {url}, "the report must not load anything else"
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("getComputedStyle(document.querySelector('.totals')).display") == \
        "flex", "the stylesheet was blocked (CSP hash mismatch?)"

    shown = {key: int(page.text_content(f"#count-{key}")) for key in
             ("files", "findings", "files-with-findings", "error", "warning")}
    assert shown == {
        "files": len(result.files), "findings": len(findings),
        "files-with-findings": sum(1 for r in result.files if r.findings),
        "error": sum(1 for f in findings if str(f.severity) == "error"),
        "warning": sum(1 for f in findings if str(f.severity) == "warning")}
    assert shown["files"] == 5 and shown["findings"] > 0
    assert page.locator("details.story").count() == shown["files-with-findings"]
    assert page.locator("#rule-table tbody tr").count() == len({f.code for f in findings})
    bar = page.locator("#rules svg rect").first.bounding_box()
    assert bar and bar["width"] > 0 and bar["height"] > 0  # the inline SVG was laid out
    page.locator("details.story").first.locator("summary").click()
    assert page.locator("details.story").first.locator("tr.finding").first.is_visible()
    assert '<script>alert(2)<script>.txt' in page.inner_text("#stories")
