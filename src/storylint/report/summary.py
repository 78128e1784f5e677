"""Archive statistics for the HTML report: totals, findings per rule, score histograms, worst
stories and per-story details. Plain data, computed from a RunResult; no formatting here.
`tally.ArchiveTally` computes the same data one story at a time for `storylint report`."""
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
    return counted_histogram(_multiplicities(values), low, high, bins)


def counted_histogram(counts: dict[float, int], low: float, high: float,
                      bins: int = 10) -> list[Bin]:
    """`histogram` of values given as {value: how many times it occurred}."""
    width = bin_width(low, high, bins)
    totals = [0] * bins
    for value, n in counts.items():
        totals[bin_index(value, low, width, bins)] += n
    return make_bins(totals, low, width)


def make_bins(totals: list[int], low: float, width: float) -> list[Bin]:
    """Bins from per-bin counts, the first starting at `low`."""
    return [Bin(round(low + i * width, 4), round(low + (i + 1) * width, 4), n)
            for i, n in enumerate(totals)]


def bin_width(low: float, high: float, bins: int) -> float:
    """The width of each of `bins` equal bins over [low, high]."""
    return (high - low) / bins if high > low else 1.0


def bin_index(value: float, low: float, width: float, bins: int) -> int:
    """The bin `value` falls in; values outside the range go to the first or last bin."""
    return min(max(int((value - low) / width), 0), bins - 1)


def _multiplicities(values: list[float]) -> dict[float, int]:
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


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
    ranked = sorted((r for r in result.files if r.findings), key=rank_key)
    return [worst_row(r, root) for r in ranked[:limit]]


def rank_key(report) -> tuple:
    """Worst first: highest score, then path."""
    return (-report.score, report.path)


def worst_row(report, root) -> dict:
    """One row of the worst-stories table."""
    return {"path": display_path(report.path, root), "score": report.score,
            "findings": len(report.findings),
            "reasons": ", ".join(f"{c.name} +{c.points:g}" for c in report.breakdown[:3])}


def story_details(result, root, limit: int = MAX_DETAILED_STORIES) -> tuple[list[dict], int]:
    """Per-story findings with quoted lines (worst first), and how many stories were left out."""
    ranked = sorted((r for r in result.files if r.findings), key=rank_key)
    return [story_detail(r, root) for r in ranked[:limit]], max(len(ranked) - limit, 0)


def story_detail(report, root) -> dict:
    """One story's findings with its quoted lines, for the details section."""
    quotes = dict(report.quotes)
    return {
        "path": display_path(report.path, root), "score": report.score,
        "encoding": report.encoding or "unread",
        "counts": severity_counts(list(report.findings)),
        "findings": [{"line": f.line, "column": f.column, "code": f.code, "name": f.name,
                      "severity": str(f.severity), "message": f.message,
                      "score": f.score, "fixable": f.fix is not None} for f in report.findings],
        "quotes": [{"line": line, "text": quotes[line]} for line in sorted(quotes)],
    }


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
