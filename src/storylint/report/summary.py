"""Archive statistics for the HTML report: totals, findings per rule, score histograms, worst
stories and per-story details. Plain data, computed from a RunResult; no formatting here."""
from __future__ import annotations

from dataclasses import dataclass

from storylint.report.common import display_path, severity_counts

PROMO_RULE = "promo-tail"
WORST_STORIES = 25
MAX_DETAILED_STORIES = 1000  # keeps a report of a huge archive openable; JSON/CSV have all


@dataclass(frozen=True)
class Bin:
    """One histogram bar: [low, high) and how many values fell in it."""

    low: float
    high: float
    count: int


def histogram(values: list[float], low: float, high: float, bins: int = 10) -> list[Bin]:
    """Equal-width bins over [low, high]; the top edge belongs to the last bin."""
    width = (high - low) / bins if high > low else 1.0
    counts = [0] * bins
    for value in values:
        index = min(max(int((value - low) / width), 0), bins - 1)
        counts[index] += 1
    return [Bin(round(low + i * width, 4), round(low + (i + 1) * width, 4), n)
            for i, n in enumerate(counts)]


def totals(result) -> dict:
    """Counts over the whole run."""
    findings = result.findings()
    with_findings = sum(1 for report in result.files if report.findings)
    return {"files": len(result.files), "files_with_findings": with_findings,
            "clean_files": len(result.files) - with_findings, "findings": len(findings),
            "by_severity": severity_counts(findings), "internal_errors": result.internal_errors,
            "fail_level": str(result.fail_level), "exit_code": result.exit_code()}


def per_rule(result) -> list[dict]:
    """Rules that fired: findings and files per rule, most findings first."""
    rows: dict[str, dict] = {}
    for report in result.files:
        for code in {f.code for f in report.findings}:
            rows.setdefault(code, {"files": 0})["files"] += 1
        for finding in report.findings:
            row = rows[finding.code]
            row.update(code=finding.code, name=finding.name, severity=str(finding.severity))
            row["findings"] = row.get("findings", 0) + 1
    return sorted(rows.values(), key=lambda row: (-row["findings"], row["code"]))


def promo_scores(result) -> list[float]:
    """The promo-tail probabilities of every finding that has one (the classifier's)."""
    return [f.score for f in result.findings() if f.name == PROMO_RULE and f.score is not None]


def worst_stories(result, root, limit: int = WORST_STORIES) -> list[dict]:
    """The highest-scoring stories with their main contributions."""
    ranked = sorted((r for r in result.files if r.findings), key=lambda r: (-r.score, r.path))
    return [{"path": display_path(r.path, root), "score": r.score, "findings": len(r.findings),
             "reasons": ", ".join(f"{c.name} +{c.points:g}" for c in r.breakdown[:3])}
            for r in ranked[:limit]]


def story_details(result, root, limit: int = MAX_DETAILED_STORIES) -> tuple[list[dict], int]:
    """Per-story findings with quoted lines (worst first), and how many stories were left out."""
    ranked = sorted((r for r in result.files if r.findings), key=lambda r: (-r.score, r.path))
    stories = []
    for report in ranked[:limit]:
        quotes = dict(report.quotes)
        stories.append({
            "path": display_path(report.path, root), "score": report.score,
            "encoding": report.encoding or "unread",
            "counts": severity_counts(list(report.findings)),
            "findings": [{"line": f.line, "column": f.column, "code": f.code, "name": f.name,
                          "severity": str(f.severity), "message": f.message,
                          "score": f.score, "fixable": f.fix is not None} for f in report.findings],
            "quotes": [{"line": line, "text": quotes[line]} for line in sorted(quotes)],
        })
    return stories, max(len(ranked) - limit, 0)


def summarize(result, root) -> dict:
    """Everything the HTML report shows, as plain data."""
    scores = promo_scores(result)
    story_scores = [r.score for r in result.files]
    top = max(story_scores, default=0.0)
    stories, hidden = story_details(result, root)
    return {
        "totals": totals(result), "rules": per_rule(result),
        "promo_scores": len(scores), "promo_histogram": histogram(scores, 0.0, 1.0),
        "score_histogram": histogram(story_scores, 0.0, max(top, 1.0)),
        "worst": worst_stories(result, root), "stories": stories, "hidden_stories": hidden,
    }
