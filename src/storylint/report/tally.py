"""Archive statistics gathered one story at a time, so `storylint report` keeps no list of reports.

What the report formats need from a whole run, in memory that does not grow with the archive:
counts (stories, findings by severity and by rule), the inputs of the exit code, promo-tail
probabilities as fixed histogram bins, story scores as {score: stories} (coarsened if the scores
ever get too varied), and the worst stories, with their findings and quoted lines, in a heap of
fixed size. `summary.summarize` computes the same figures from a complete RunResult (for
`check --format html`); the tests hold the two to the same answers.
"""
from __future__ import annotations

import heapq

from storylint.finding import Finding, Severity
from storylint.report.summary import (MAX_DETAILED_STORIES, PROMO_RULE, WORST_STORIES, bin_index,
                                      bin_width, counted_histogram, make_bins, rank_key,
                                      story_detail, worst_row)

PROMO_BINS = 10
MAX_DISTINCT_SCORES = 20_000


class ArchiveTally:
    """Running totals of a report run; `add` each FileReport once, in path order."""

    def __init__(self, fail_level: Severity = Severity.WARNING,
                 detailed: int = MAX_DETAILED_STORIES):
        self.fail_level = fail_level
        self.detailed = detailed
        self.files = self.files_with_findings = self.internal_errors = 0
        self.by_severity = {level: 0 for level in Severity}
        self.rules: dict[str, dict] = {}
        self.promo_bins = [0] * PROMO_BINS
        self.scores = ScoreCounts()
        self.max_score: float | None = None
        self.worst_severity = self.worst_io_severity = 0
        self.worst = WorstStories(max(detailed, WORST_STORIES))

    def add(self, report) -> None:
        """Count one story's report."""
        self.files += 1
        self.scores.add(report.score)
        if self.max_score is None or report.score > self.max_score:
            self.max_score = report.score
        if not report.findings:
            return
        self.files_with_findings += 1
        for finding in report.findings:
            self._count(finding)
        for code in {f.code for f in report.findings}:
            self.rules[code]["files"] += 1
        self.worst.add(report)

    def _count(self, finding: Finding) -> None:
        self.by_severity[finding.severity] += 1
        self.worst_severity = max(self.worst_severity, finding.severity)
        if finding.source == "io":
            self.worst_io_severity = max(self.worst_io_severity, finding.severity)
        row = self.rules.setdefault(finding.code, {"files": 0, "findings": 0})
        row.update(code=finding.code, name=finding.name, severity=str(finding.severity))
        row["findings"] += 1
        if finding.name == PROMO_RULE and finding.score is not None:
            width = bin_width(0.0, 1.0, PROMO_BINS)
            self.promo_bins[bin_index(finding.score, 0.0, width, PROMO_BINS)] += 1

    @property
    def findings(self) -> int:
        """How many findings all stories had."""
        return sum(self.by_severity.values())

    @property
    def top_score(self) -> float:
        """The highest story score (0.0 for an empty archive)."""
        return 0.0 if self.max_score is None else self.max_score

    def exit_code(self, fail_score: float | None = None) -> int:
        """The same answer as `RunResult.exit_code` for the stories added."""
        if self.internal_errors:
            return 3
        if fail_score is not None:
            failing = self.max_score is not None and self.max_score >= fail_score
            return 1 if failing or self.worst_io_severity >= self.fail_level else 0
        return 1 if self.worst_severity >= self.fail_level else 0

    def rule_rows(self) -> list[dict]:
        """Rules that fired: findings and files per rule, most findings first."""
        return sorted(self.rules.values(), key=lambda row: (-row["findings"], row["code"]))

    def findings_by_name(self) -> dict[str, int]:
        """Findings per rule name, sorted by name."""
        counts: dict[str, int] = {}
        for row in self.rules.values():
            counts[row["name"]] = counts.get(row["name"], 0) + row["findings"]
        return dict(sorted(counts.items()))

    def totals(self) -> dict:
        """The run's counts, as `summary.totals` gives them for a RunResult."""
        return {"files": self.files, "files_with_findings": self.files_with_findings,
                "clean_files": self.files - self.files_with_findings, "findings": self.findings,
                "by_severity": {str(level): self.by_severity[level]
                                for level in sorted(Severity, reverse=True)},
                "internal_errors": self.internal_errors, "fail_level": str(self.fail_level),
                "exit_code": self.exit_code()}

    def summary_data(self, root) -> dict:
        """Everything the HTML report shows, as `summary.summarize` gives it for a RunResult."""
        ranked = self.worst.ranked()
        return {
            "totals": self.totals(), "rules": self.rule_rows(),
            "promo_scores": sum(self.promo_bins),
            "promo_histogram": make_bins(self.promo_bins, 0.0, bin_width(0.0, 1.0, PROMO_BINS)),
            "score_histogram": counted_histogram(self.scores.counts, 0.0, max(self.top_score, 1.0)),
            "worst": [worst_row(r, root) for r in ranked[:WORST_STORIES]],
            "stories": [story_detail(r, root) for r in ranked[:self.detailed]],
            "hidden_stories": max(self.files_with_findings - self.detailed, 0),
        }


class ScoreCounts:
    """How many stories had each score.

    Exact (the engine rounds scores to 4 decimals) while at most `limit` distinct scores have
    been seen; past that, every score is rounded to one decimal fewer, as often as needed, so
    the table never holds more than about `limit` entries whatever the archive's size.
    """

    def __init__(self, limit: int = MAX_DISTINCT_SCORES):
        self.limit = limit
        self.decimals: int | None = None  # None: exact
        self.counts: dict[float, int] = {}

    def add(self, score: float) -> None:
        """Count one story's score."""
        key = score if self.decimals is None else round(score, self.decimals)
        self.counts[key] = self.counts.get(key, 0) + 1
        if len(self.counts) > self.limit:
            self._coarsen()

    def _coarsen(self) -> None:
        self.decimals = 3 if self.decimals is None else self.decimals - 1
        merged: dict[float, int] = {}
        for value, n in self.counts.items():
            key = round(value, self.decimals)
            merged[key] = merged.get(key, 0) + n
        self.counts = merged


class WorstStories:
    """The `size` highest-scoring stories with findings (ties broken by path), in a heap."""

    def __init__(self, size: int):
        self.size = size
        self._heap: list[_Ranked] = []

    def add(self, report) -> None:
        """Keep `report` if it is among the worst seen so far."""
        item = _Ranked(report)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, item)
        elif item.key < self._heap[0].key:
            heapq.heapreplace(self._heap, item)

    def ranked(self) -> list:
        """The kept reports, worst first."""
        return [item.report for item in sorted(self._heap, key=lambda item: item.key)]


class _Ranked:
    """A report ordered so that the heap's top is the least bad story kept."""

    __slots__ = ("key", "report")

    def __init__(self, report):
        self.key = rank_key(report)
        self.report = report

    def __lt__(self, other: _Ranked) -> bool:
        return self.key > other.key
