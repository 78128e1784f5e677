"""CSV, one row per finding (and one row for each clean story), for spreadsheets and pandas.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading
apostrophe: a story's text must not become a formula in an editor's copy of Excel.
"""
from __future__ import annotations

import csv

from storylint.report.common import display_path, project_root, visible

COLUMNS = ("path", "line", "column", "end_line", "end_column", "code", "name", "severity",
           "section", "message", "matched", "score", "fixable", "story_score", "encoding")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(result, stream) -> None:
    """Write a header row, then one row per finding in file order."""
    root = project_root()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for report in result.files:
        path = display_path(report.path, root)
        if not report.findings:
            writer.writerow(_safe([path, "", "", "", "", "", "", "", "", "", "", "", "",
                                   report.score, report.encoding or ""]))
        for f in report.findings:
            writer.writerow(_safe([
                path, f.line, f.column, f.end_line, f.end_column, f.code, f.name, str(f.severity),
                f.section or "", f.message, f.matched or "", "" if f.score is None else f.score,
                "yes" if f.fix is not None else "", report.score, report.encoding or ""]))


def _safe(row: list) -> list:
    return [_cell(value) for value in row]


def _cell(value):
    if not isinstance(value, str):
        return value
    text = visible(value, keep="")
    return "'" + text if text.startswith(_FORMULA_START) else text
