"""One score per story, summed the way SpamAssassin sums rule points and its Bayes result.

Each rule that fires adds its `weight` (from the rule pack) once, however many findings it has;
a model finding adds its weight times its probability. The breakdown says which rule (and which
segment, for model findings) contributed how much, so a reader can see why a story scored high.
"""
from __future__ import annotations

from dataclasses import dataclass

from storylint.finding import Finding


@dataclass(frozen=True)
class Contribution:
    """What one rule added to a story's score; `line` is the segment for model findings."""

    code: str
    name: str
    points: float
    line: int | None = None
    probability: float | None = None


def score_story(findings: list[Finding], weights: dict[str, float]) -> tuple[float,
                                                                               tuple[Contribution, ...]]:
    """The story's total score and its per-rule breakdown (largest contribution first)."""
    best: dict[str, Contribution] = {}
    for finding in findings:
        weight = weights.get(finding.code, 0.0)
        points = weight * finding.score if finding.score is not None else weight
        current = best.get(finding.code)
        if current is None or points > current.points:
            line = finding.line if finding.score is not None else None
            best[finding.code] = Contribution(finding.code, finding.name, round(points, 4), line,
                                              finding.score)
    parts = tuple(sorted(best.values(), key=lambda c: (-c.points, c.code)))
    return round(float(sum(c.points for c in parts)), 4), parts
