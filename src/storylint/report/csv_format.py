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
    writer = StreamWriter(stream)
    for report in result.files:
        writer.add(report)


class StreamWriter:
    """The rows of `render`, written one file at a time (for `report` on a large archive)."""

    def __init__(self, stream):
        self.root = project_root()
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(COLUMNS)

    def add(self, report) -> None:
        """Write one file's rows: one per finding, or one for a clean story."""
        self.writer.writerows(rows(report, display_path(report.path, self.root)))

    def finish(self, tally, fail_score: float | None = None) -> None:
        """Nothing follows the rows."""


def rows(report, path: str) -> list[list]:
    """The CSV rows of one file, cells made safe for spreadsheets."""
    if not report.findings:
        return [_safe([path, "", "", "", "", "", "", "", "", "", "", "", "", report.score,
                       report.encoding or ""])]
    return [_safe([path, f.line, f.column, f.end_line, f.end_column, f.code, f.name,
                   str(f.severity), f.section or "", f.message, f.matched or "",
                   "" if f.score is None else f.score, "yes" if f.fix is not None else "",
                   report.score, report.encoding or ""]) for f in report.findings]


def _safe(row: list) -> list:
    return [_cell(value) for value in row]


def _cell(value):
    if not isinstance(value, str):
        return value
    text = visible(value, keep="")
    return "'" + text if text.startswith(_FORMULA_START) else text
