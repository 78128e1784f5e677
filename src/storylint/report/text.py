"""Compact text: one line per finding (`path:line:col: CODE severity message [name]`) and a summary."""
from __future__ import annotations

from storylint.finding import Severity


def render(result, stream) -> None:
    """Write one line per finding, then a one-line summary."""
    for report in result.files:
        for f in report.findings:
            stream.write(f"{printable(f.path)}:{f.line}:{f.column}: {f.code} {f.severity} "
                         f"{printable(f.message)} [{f.name}]\n")
        if report.breakdown:
            stream.write(score_line(report, result.fail_score) + "\n")
    stream.write(summary_line(result) + "\n")


def score_line(report, fail_score: float | None = None) -> str:
    """`path: score 9.98 = promo-tail 4.98 (line 36, p=1.00) + boilerplate-empty-field 3 ...`"""
    parts = []
    for c in report.breakdown:
        where = f" (line {c.line}, p={c.probability:.2f})" if c.probability is not None else ""
        parts.append(f"{c.name} {c.points:g}{where}")
    verdict = ""
    if fail_score is not None:
        verdict = " - fails" if report.score >= fail_score else " - passes"
        verdict += f" --fail-score {fail_score:g}"
    return f"{printable(report.path)}: score {report.score:g} = {' + '.join(parts)}{verdict}"


def summary_line(result) -> str:
    """`Found 3 problems (1 error, 2 warnings) in 1 of 4 files.` or `All 4 files clean.`"""
    findings = result.findings()
    files = len(result.files)
    noun = "file" if files == 1 else "files"
    if not findings:
        return f"All {files} {noun} clean." if files else "No story files found."
    counts = {level: sum(1 for f in findings if f.severity == level) for level in Severity}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in
             sorted(counts.items(), reverse=True) if n]
    with_findings = sum(1 for r in result.files if r.findings)
    total = len(findings)
    return (f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
            f"in {with_findings} of {files} {noun}.")


def printable(text: str) -> str:
    """Text safe for a terminal: control, bidi and invisible characters shown as escapes."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000
                   else f"\\U{ord(ch):08x}" for ch in text)
