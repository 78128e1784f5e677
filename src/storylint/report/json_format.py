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
    text = json.dumps(to_document(result), indent=2, ensure_ascii=False)
    stream.write(_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    stream.write("\n")


def to_document(result) -> dict:
    """The run as plain data: version, tool, files with findings, summary."""
    files = [{"path": r.path, "encoding": r.encoding,
              "findings": [_finding(f) for f in r.findings], "score": r.score,
              "breakdown": [_contribution(c) for c in r.breakdown]} for r in result.files]
    return {"version": SCHEMA_VERSION, "tool": {"name": "storylint", "version": __version__},
            "files": files, "summary": summary(result)}


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
