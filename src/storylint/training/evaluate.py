"""Story-level evaluation of the promo-tail classifier through the real check path.

Every generated script is scored by the same `ClassifierCheck` that `storylint check` runs
(exported weights, plain-Python scoring, backward scan), so the numbers describe what ships.
A tail story counts as found when a tail is reported; the hit is exact when the reported tail
starts on the first appended line. A clean story with any tail reported is a false alarm.
"""
from __future__ import annotations

from dataclasses import dataclass

from storylint.checks.classifier import Limits, locate_tails
from storylint.story import Story
from storylint.training.dataset import LabelledScript

CURVE_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)


@dataclass(frozen=True)
class StoryResult:
    """The truth about one script and the line probabilities the check computed for it."""

    news_source: str
    tail_source: str | None
    variant: str
    truth: tuple[int, int] | None
    segments: tuple
    scores: dict

    @property
    def top(self) -> float:
        """The story's highest line probability (its score for PR curves)."""
        return max(self.scores.values(), default=0.0)

    def outcome(self, limits: Limits) -> tuple[bool, bool]:
        """(a tail is reported, the reported tail starts on the true first line)."""
        tails = locate_tails(list(self.segments), self.scores, limits)
        if not tails:
            return False, False
        if self.truth is None:
            return True, False
        first, last = self.truth
        hit = [t for t in tails if t.first <= last and t.last >= first]
        return True, bool(hit) and hit[0].first == first


def score_scripts(check, scripts: list[LabelledScript]) -> list[StoryResult]:
    """Run the check's scorer over generated scripts."""
    results = []
    for labelled in scripts:
        script = labelled.script
        story = Story(script.text, f"{script.source}-{script.doc_id}.txt")
        segments, scores = check.scan(story)
        truth = (script.tail_start_line, script.tail_end_line) if labelled.has_tail else None
        tail_source = script.tail_source.split(":")[0] if script.tail_source else None
        if script.tail_source and script.tail_source.startswith("fixture:"):
            tail_source = script.tail_source
        results.append(StoryResult(script.source, tail_source, labelled.variant, truth,
                                   tuple(segments), scores))
    return results


def summarise(results: list[StoryResult], limits: Limits) -> dict:
    """Precision, recall, F1, false-alarm rate and first-line exactness at one threshold."""
    tails = clean = found = exact = alarms = 0
    for result in results:
        flagged, exact_hit = result.outcome(limits)
        if result.truth is None:
            clean += 1
            alarms += flagged
        else:
            tails += 1
            found += flagged
            exact += exact_hit
    precision = found / (found + alarms) if found + alarms else 1.0
    recall = found / tails if tails else None
    f1 = (2 * precision * recall / (precision + recall)) if recall else 0.0
    return {"stories": len(results), "tail_stories": tails, "clean_stories": clean,
            "tails_found": found, "first_line_exact": exact, "false_alarms": alarms,
            "precision": _r(precision), "recall": _r(recall), "f1": _r(f1),
            "false_alarm_rate": _r(alarms / clean) if clean else None,
            "first_line_exact_rate": _r(exact / found) if found else None}


def _r(value):
    return None if value is None else round(value, 4)


def by_group(results: list[StoryResult], key, limits: Limits) -> dict:
    """`summarise` per group (news source, tail source, script variant)."""
    groups: dict[str, list[StoryResult]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return {name: summarise(group, limits) for name, group in sorted(groups.items())}


def pr_curve(results: list[StoryResult], extend_ratio: float) -> list[dict]:
    """Story-level precision / recall / false-alarm rate, one threshold for every line."""
    points = []
    for threshold in CURVE_THRESHOLDS:
        s = summarise(results, Limits(threshold, threshold, extend_ratio))
        points.append({"threshold": threshold, "precision": s["precision"],
                       "recall": s["recall"], "false_alarm_rate": s["false_alarm_rate"],
                       "first_line_exact_rate": s["first_line_exact_rate"]})
    return points


def choose_limits(results: list[StoryResult], max_false_alarm_rate: float,
                  trailing_floor: float = 0.5, extend_ratio: float = 0.5) -> Limits:
    """Thresholds from validation stories: the lowest that keep false alarms in bounds.

    Lines after (or in) the boilerplate get the lowest threshold that raises no more than a
    tenth of the allowed false alarms, but never below `trailing_floor`; story lines then get
    the lowest threshold that keeps the total within `max_false_alarm_rate`.
    """
    clean = [r for r in results if r.truth is None]
    trailing = _lowest(clean, max_false_alarm_rate / 10, lambda t: Limits(1.0, t, extend_ratio),
                       trailing_floor)
    story = _lowest(clean, max_false_alarm_rate, lambda t: Limits(t, trailing, extend_ratio),
                    0.05)
    return Limits(story, trailing, extend_ratio)


def _lowest(clean: list[StoryResult], rate: float, make, floor: float) -> float:
    allowed = int(rate * len(clean))
    candidates = sorted({round(p, 4) for r in clean for p in r.scores.values() if p >= floor})
    best = 0.9999
    for threshold in reversed([floor] + [min(c + 1e-4, 0.9999) for c in candidates]):
        alarms = sum(r.outcome(make(threshold))[0] for r in clean)
        if alarms > allowed:
            break
        best = threshold
    return round(best, 4)


def evaluate(results: list[StoryResult], limits: Limits) -> dict:
    """Every number of the model card: overall, per source, per variant and the PR curve."""
    return {
        "operating_point": {"threshold": limits.story, "trailing_threshold": limits.trailing,
                            "extend_ratio": limits.extend_ratio},
        "overall": summarise(results, limits),
        "by_news_source": by_group(results, lambda r: r.news_source, limits),
        "by_tail_source": by_group([r for r in results if r.truth], lambda r: r.tail_source,
                                   limits),
        "by_variant": by_group(results, lambda r: r.variant, limits),
        "pr_curve": pr_curve(results, limits.extend_ratio),
    }
