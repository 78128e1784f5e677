"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.

GitHub turns at most 10 errors, 10 warnings and 10 notices of one step into annotations and
drops the rest silently. So the most severe findings go first, each kind stops at its budget,
one plain line says how many were left out, and when `GITHUB_STEP_SUMMARY` names a file (it
does inside Actions) a Markdown table of every finding is appended there.

Escaping follows the workflow-command rules: `%`, CR and LF in the message; additionally `:`
and `,` in property values. A story can therefore never start a command line of its own.
"""
from __future__ import annotations

import os

from storylint.finding import Finding, Severity
from storylint.report.common import display_path, most_severe_first, project_root, visible

ANNOTATIONS_PER_KIND = 10
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
SUMMARY_MAX_ROWS = 1000  # a step summary may hold 1 MiB; a 1,000-row table stays well under it
_MARKDOWN_SPECIAL = set("\\`*_[]()!|~#")
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(result, stream) -> None:
    """Annotations for the most severe findings, a summary line, and the step-summary table."""
    write_annotations(result, stream, os.environ.get(SUMMARY_ENV))


def write_annotations(result, stream, summary_path: str | None,
                      budget: int = ANNOTATIONS_PER_KIND) -> None:
    """The testable core of `render`: the step-summary file is passed in, not read from env."""
    root = project_root()
    findings = most_severe_first(result.findings())
    used = {level: 0 for level in Severity}
    left_out = []
    for finding in findings:
        if used[finding.severity] >= budget:
            left_out.append(finding)
            continue
        used[finding.severity] += 1
        stream.write(annotation(finding, display_path(finding.path, root)) + "\n")
    stream.write(summary_line(result, left_out, summary_path) + "\n")
    if summary_path and findings:
        _append_summary(summary_path, findings, root, len(result.files))


def annotation(finding: Finding, path: str) -> str:
    """One workflow command for one finding."""
    props = {"file": path, "line": finding.line, "col": finding.column,
             "endLine": max(finding.end_line, finding.line)}
    if finding.end_line == finding.line and finding.end_column > finding.column:
        props["endColumn"] = finding.end_column
    props["title"] = f"{finding.code} {finding.name}"
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    message = escape_data(visible(finding.message, keep="\n\r\t"))
    return f"::{COMMANDS[finding.severity]} {head}::{message}"


def escape_data(text: str) -> str:
    """Escape a workflow command's message (`%`, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (also `:` and `,`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary_line(result, left_out: list[Finding], summary_path: str | None) -> str:
    """`storylint: 3 problems in 2 of 5 files` plus how many were not annotated and where."""
    total = len(result.findings())
    files = sum(1 for report in result.files if report.findings)
    line = (f"storylint: {total} problem{'s' if total != 1 else ''} in {files} of "
            f"{len(result.files)} file{'s' if len(result.files) != 1 else ''}")
    if left_out:
        where = "the job summary" if summary_path else "the SARIF or text output"
        line += (f"; {len(left_out)} not shown as annotations (GitHub shows "
                 f"{ANNOTATIONS_PER_KIND} per kind and step), see {where}")
    return line


def _append_summary(path: str, findings: list[Finding], root, file_count: int) -> None:
    shown = findings[:SUMMARY_MAX_ROWS]
    lines = ["## storylint", "",
             f"{len(findings)} problem(s) in {file_count} checked file(s), most severe first.", "",
             "| severity | file | line | rule | message |", "|---|---|---|---|---|"]
    lines += [f"| {f.severity} | {markdown_cell(display_path(f.path, root))} | {f.line}:{f.column} "
              f"| {f.code} {f.name} | {markdown_cell(f.message)} |" for f in shown]
    if len(findings) > len(shown):
        lines.append(f"\n{len(findings) - len(shown)} more not listed; see the SARIF upload.")
    with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write("\n".join(lines) + "\n\n")


def markdown_cell(text: str) -> str:
    """Untrusted text as inert Markdown in a table cell: HTML, links and emphasis neutralised."""
    text = visible(text, keep="").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)
