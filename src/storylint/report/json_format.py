"""The versioned JSON document for CI and scripts (its shape is documented in the README)."""
from __future__ import annotations

import json
import re

from storylint import __version__

SCHEMA_VERSION = "1.0"
# Invisible, bidi-control and lone-surrogate characters (from story text or odd file names) are
# written as \uXXXX escapes, so no viewer can reorder or hide text and the output stays UTF-8.
_UNSAFE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
                     "\ud800-\udfff]")


def render(result, stream) -> None:
    """Write the whole run as one JSON object."""
    stream.write(_safe(json.dumps(to_document(result), indent=2, ensure_ascii=False)))
    stream.write("\n")


def to_document(result) -> dict:
    """The run as plain data: version, tool, files with findings, summary."""
    return {"version": SCHEMA_VERSION, "tool": _tool(),
            "files": [file_entry(r) for r in result.files], "summary": summary(result)}


def file_entry(report) -> dict:
    """One file of the document: path, encoding, findings, score and its breakdown."""
    return {"path": report.path, "encoding": report.encoding,
            "findings": [_finding(f) for f in report.findings], "score": report.score,
            "breakdown": [_contribution(c) for c in report.breakdown]}


class StreamWriter:
    """The same document as `render`, byte for byte, written one file at a time (for `report`).

    Only the file being written is held in memory; the summary, which follows the files, comes
    from an `ArchiveTally` at the end.
    """

    def __init__(self, stream):
        self.stream = stream
        self.started = False
        head = {"version": SCHEMA_VERSION, "tool": _tool()}
        stream.write(_dumps(head, 0)[:-2] + ',\n  "files": [')

    def add(self, report) -> None:
        """Write one file's entry."""
        self.stream.write((",\n    " if self.started else "\n    ") + _dumps(file_entry(report), 4))
        self.started = True

    def finish(self, tally, fail_score: float | None = None) -> None:
        """Close the file list and write the summary."""
        close = "\n  ]" if self.started else "]"
        self.stream.write(f'{close},\n  "summary": {_dumps(tally_summary(tally, fail_score), 2)}'
                          "\n}\n")


def _dumps(data, indent: int) -> str:
    """`data` as indented JSON for nesting `indent` spaces deep (JSON strings hold no newline)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _safe(text.replace("\n", "\n" + " " * indent) if indent else text)


def _safe(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _tool() -> dict:
    return {"name": "storylint", "version": __version__}


def _finding(finding) -> dict:
    data = finding.to_dict()
    del data["path"]
    return data


def _contribution(contribution) -> dict:
    """One rule's part of a story's score (line and probability for model findings)."""
    return {"code": contribution.code, "name": contribution.name, "points": contribution.points,
            "line": contribution.line, "probability": contribution.probability}


def summary(result) -> dict:
    """Counts by severity and by rule, the fail level and the exit code."""
    findings = result.findings()
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.name] = by_rule.get(f.name, 0) + 1
    return {
        "files": len(result.files),
        "files_with_findings": sum(1 for r in result.files if r.findings),
        "findings": len(findings),
        "by_severity": {level: sum(1 for f in findings if str(f.severity) == level)
                        for level in ("error", "warning", "info")},
        "by_rule": dict(sorted(by_rule.items())),
        "fail_level": str(result.fail_level),
        "fail_score": result.fail_score,
        "max_score": max((r.score for r in result.files), default=0.0),
        "exit_code": result.exit_code(),
    }


def tally_summary(tally, fail_score: float | None = None) -> dict:
    """`summary` for a run counted by an ArchiveTally."""
    totals = tally.totals()
    return {
        "files": tally.files, "files_with_findings": tally.files_with_findings,
        "findings": tally.findings, "by_severity": totals["by_severity"],
        "by_rule": tally.findings_by_name(), "fail_level": str(tally.fail_level),
        "fail_score": fail_score, "max_score": tally.top_score,
        "exit_code": tally.exit_code(fail_score),
    }
