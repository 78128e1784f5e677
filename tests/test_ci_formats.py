"""SARIF, GitHub annotations and JUnit XML, each tested against the rules of its consumer."""
from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from storylint.cli import main
from storylint.engine import run_check
from storylint.finding import Finding, Severity
from storylint.fingerprint import FINGERPRINT_KEY
from storylint.report import github, junit, render, sarif

STORY = """Army pushes into border district

(2 Oct 2022)

Hill country, Freedonia \u2013 2 October 2022
1. Aerial of armoured column on a mountain road

The army launched a lighting offensive on Sunday.


Clients are reminded to adhere to all listed restrictions. For further assistance, please contact the AP Archive on: Tel +44(0)2074827482 Email:

Facebook: https://www.facebook.com/APArchives
"""


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Work in an empty folder that is its own report root (no .git above /tmp)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYLINT_ROOT", raising=False)
    return tmp_path


def check(linter, files: dict[str, str]):
    """Write the stories and check them; paths are relative to the current folder."""
    for name, text in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")
    return run_check(sorted(files), linter)


def rendered(name: str, result) -> str:
    out = io.StringIO()
    render(name, result, out)
    return out.getvalue()


# --- SARIF -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sarif_validator(shared_data):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((shared_data / "sarif-schema" / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_sarif_validates_against_official_schema(linter, in_tmp, sarif_validator):
    result = check(linter, {"stories/a.txt": STORY, "stories/b c.txt": STORY.replace("lighting", "x"),
                            "stories/empty.txt": ""})
    log = json.loads(rendered("sarif", result))
    assert_valid(sarif_validator, log)
    assert log["runs"][0]["results"], "the stories have findings, so results must not be empty"


def test_sarif_schema_rejects_a_broken_log(linter, in_tmp, sarif_validator):
    """The validator is really checking: a region with line 0 and an unknown level fail."""
    log = sarif.to_sarif(check(linter, {"a.txt": STORY}))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    log["runs"][0]["results"][1]["level"] = "fatal"
    assert len(list(sarif_validator.iter_errors(log))) >= 2


def test_sarif_rule_catalogue_and_results(linter, in_tmp):
    result = check(linter, {"stories/a.txt": STORY})
    run = sarif.to_sarif(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in result.rules]
    typo = next(r for r in rules if r["name"] == "confusable-word")
    assert typo["shortDescription"]["text"] and typo["fullDescription"]["text"]
    assert "disable-next-line confusable-word" in typo["help"]["text"]
    assert typo["defaultConfiguration"]["level"] == "warning"
    assert run["columnKind"] == "unicodeCodePoints"
    found = next(r for r in run["results"] if r["ruleId"] == "SL301")
    assert rules[found["ruleIndex"]]["id"] == "SL301"
    location = found["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "stories/a.txt", "uriBaseId": "SRCROOT"}
    line = STORY.split("\n")[7]
    assert location["region"]["startLine"] == 8
    assert location["region"]["startColumn"] == line.index("lighting") + 1
    assert location["region"]["endColumn"] == line.index("lighting") + len("lighting") + 1
    assert location["region"]["snippet"]["text"] == "lighting"
    assert found["level"] == "warning" and len(found["partialFingerprints"][FINGERPRINT_KEY]) == 32
    assert "markdown" not in json.dumps(run)


def test_sarif_columns_count_code_points_not_utf16_units(linter, in_tmp):
    story = STORY.replace("The army launched", "\U0001F600\U0001F600 The army launched")
    run = sarif.to_sarif(check(linter, {"a.txt": story}))["runs"][0]
    found = next(r for r in run["results"] if r["ruleId"] == "SL301")
    line = story.split("\n")[7]
    assert found["locations"][0]["physicalLocation"]["region"]["startColumn"] == \
        line.index("lighting") + 1  # two astral characters count once each


def test_sarif_fingerprints_survive_moved_lines(linter, in_tmp):
    before = sarif.to_sarif(check(linter, {"a.txt": STORY}))["runs"][0]["results"]
    moved = STORY.replace("(2 Oct 2022)\n", "(2 Oct 2022)\n\n\n\n")
    after = sarif.to_sarif(check(linter, {"a.txt": moved}))["runs"][0]["results"]
    key = lambda r: r["partialFingerprints"][FINGERPRINT_KEY]  # noqa: E731
    assert sorted(map(key, before)) == sorted(map(key, after))
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != \
        [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before]
    edited = STORY.replace("launched a lighting", "began a lighting")
    changed = sarif.to_sarif(check(linter, {"a.txt": edited}))["runs"][0]["results"]
    assert set(map(key, changed)) != set(map(key, before))


def test_sarif_model_score_in_properties(linter, in_tmp):
    result = check(linter, {"a.txt": STORY})
    report = result.files[0]
    scored = replace(report.findings[0], score=0.875, source="model")
    result.files[0] = replace(report, findings=(scored, *report.findings[1:]))
    first = sarif.to_sarif(result)["runs"][0]["results"][0]
    assert first["properties"]["score"] == 0.875
    assert first["properties"]["storyScore"] == report.score


def test_sarif_text_escapes_links_placeholders_and_bidi():
    assert sarif.sarif_text("[x](1) {0} \\ \u202e") == "\\[x\\](1) {{0}} \\\\ \\\\u202e"


def test_sarif_uri_percent_encodes_odd_file_names(linter, in_tmp, sarif_validator):
    raw_name = b"caf\xe9 #1 100%.txt"  # not UTF-8; '#' and '%' must not survive unescaped
    Path(os.fsdecode(raw_name)).write_bytes(STORY.encode())
    result = run_check([os.fsdecode(raw_name)], linter)
    log = sarif.to_sarif(result)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "caf%E9%20%231%20100%25.txt"
    assert_valid(sarif_validator, log)
    json.dumps(log, ensure_ascii=False).encode("utf-8")  # no lone surrogates left anywhere


def test_sarif_paths_outside_root_are_absolute_file_uris(linter, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(STORY)
    monkeypatch.setenv("STORYLINT_ROOT", str(tmp_path / "elsewhere"))
    result = run_check([str(tmp_path / "a.txt")], linter)
    location = sarif.to_sarif(result)["runs"][0]["results"][0]["locations"][0]
    artifact = location["physicalLocation"]["artifactLocation"]
    assert artifact["uri"].startswith("file:///") and "uriBaseId" not in artifact


# --- GitHub workflow commands ----------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<name>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def parse_command(line: str) -> tuple[str, dict, str]:
    """Parse one workflow command as the runner does; fail on anything malformed."""
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = {}
    for part in (match.group("props") or "").split(","):
        key, _, value = part.partition("=")
        assert key in ("file", "line", "col", "endLine", "endColumn", "title"), key
        props[key] = unescape(value, prop=True)
    return match.group("name"), props, unescape(match.group("message"))


def unescape(text: str, prop: bool = False) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
    for code, ch in pairs + [("%25", "%")]:
        text = text.replace(code, ch)
    return text


def test_github_annotations_parse_and_point_at_findings(linter, in_tmp):
    result = check(linter, {"stories/a.txt": STORY})
    lines = rendered("github", result).splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(result.findings())
    name, props, message = next(c for c in commands if "lighting" in c[2])
    line = STORY.split("\n")[7]
    assert name == "warning" and props["file"] == "stories/a.txt" and props["line"] == "8"
    assert props["col"] == str(line.index("lighting") + 1)
    assert props["title"] == "SL301 confusable-word"
    assert [c[0] for c in commands] == sorted((c[0] for c in commands),
                                              key=["error", "warning", "notice"].index)
    assert lines[-1].startswith("storylint: ") and "not shown" not in lines[-1]


def test_github_escapes_data_and_properties(tmp_path):
    finding = Finding("SL999", "x", Severity.ERROR, "50% done\r\n::set-output name=x::1",
                      "dir,with:odd\nname.txt", 3, 2, 3, 5)
    line = github.annotation(finding, finding.path)
    assert "\n" not in line and "\r" not in line
    name, props, message = parse_command(line)
    assert props["file"] == "dir,with:odd\nname.txt" and props["endColumn"] == "5"
    assert message == "50% done\r\n::set-output name=x::1"


def many_findings(count: int, severity: Severity, path: str = "s.txt") -> list[Finding]:
    return [Finding(f"SL{int(severity)}00", "r", severity, f"problem {i}", path, i + 1, 1,
                    i + 1, 2) for i in range(count)]


def fake_result(findings: list[Finding], files: int = 1):
    from storylint.results import FileReport, RunResult

    by_path: dict[str, list] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    reports = [FileReport(p, "utf-8", tuple(fs)) for p, fs in by_path.items()]
    reports += [FileReport(f"clean{i}.txt", "utf-8", ()) for i in range(files - len(reports))]
    return RunResult(reports, (), Severity.WARNING)


def test_github_budget_most_severe_first_and_step_summary(tmp_path):
    findings = (many_findings(4, Severity.INFO) + many_findings(15, Severity.WARNING)
                + many_findings(25, Severity.ERROR))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    out = io.StringIO()
    github.write_annotations(fake_result(findings), out, str(summary))
    lines = out.getvalue().splitlines()
    names = [parse_command(line)[0] for line in lines if line.startswith("::")]
    assert names == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 4
    assert len([line for line in lines if not line.startswith("::")]) == 1
    assert "44 problems" in lines[-1] and "20 not shown as annotations" in lines[-1]
    table = summary.read_text()
    assert table.startswith("earlier step\n")  # appended, never overwritten
    rows = [row for row in table.splitlines() if row.startswith("| ") and "SL" in row]
    assert len(rows) == 44 and rows[0].startswith("| error |")


def test_github_summary_cell_is_inert_markdown():
    cell = github.markdown_cell('<img src=x onerror=alert(1)> [a](javascript:x) | *b*')
    assert "<" not in cell and "|" not in cell.replace("\\|", "")
    assert "\\[a\\]\\(javascript" in cell and "\\*b\\*" in cell


def test_github_format_via_cli_writes_step_summary(linter, in_tmp, monkeypatch, capsys):
    Path("a.txt").write_text(STORY)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(in_tmp / "step.md"))
    assert main(["check", "--isolated", "--format", "github", "a.txt"]) == 1
    assert capsys.readouterr().out.startswith("::error file=a.txt,")
    assert "| error | a.txt |" in (in_tmp / "step.md").read_text()


# --- JUnit XML -------------------------------------------------------------------------------

def test_junit_parses_with_one_testcase_per_file(linter, in_tmp):
    result = check(linter, {"a.txt": STORY, "b.txt": STORY.replace("Email:", "Email: x@y.z"),
                            "clean.txt": "Headline\n\nBody text only.\n"})
    root = ET.fromstring(rendered("junit", result).encode("utf-8"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["a.txt", "b.txt", "clean.txt"]
    failing = [c.get("name") for c in cases if c.find("failure") is not None]
    expected = [r.path for r in result.files
                if any(f.severity >= result.fail_level for f in r.findings)]
    assert failing == expected and "a.txt" in failing
    assert suite.get("tests") == "3" and suite.get("failures") == str(len(expected))
    assert root.get("failures") == suite.get("failures")
    failure = cases[0].find("failure")
    assert failure.text.count("\n") + 1 == len(result.files[0].findings)


def test_junit_survives_control_characters_and_odd_names(in_tmp):
    findings = [Finding("SL402", "control-character", Severity.ERROR, "bad \x00\x1b[31m\udcff",
                        "we\x01ird\udcff.txt", 1, 1, 1, 2),
                Finding("SL900", "internal-error", Severity.ERROR, "boom", "x.txt", 1, 1, 1, 1,
                        source="internal"),
                Finding("SL301", "confusable-word", Severity.INFO, "minor", "y.txt", 1, 1, 1, 1)]
    out = io.StringIO()
    junit.render(fake_result(findings, files=4), out)
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    weird = suite.find("testcase[@name='we\\u0001ird\\udcff.txt']")
    assert weird is not None and "\\u0000" in weird.find("failure").text
    info_case = suite.find("testcase[@name='y.txt']")
    assert info_case.find("failure") is None and "minor" in info_case.find("system-out").text
