"""The train-half check: design choices for the confusable-word rules measured without the
held-out split.

The model's pair counts come from the train split, so train sentences cannot measure it. Here the
model is rebuilt from one half of the train documents, weights and thresholds are chosen on the
dev split exactly as `storylint confusables tune` does (at several false-alarm budgets), and the
other half of train, never counted nor tuned on, is scored; then the halves swap. The figures are
those of a model built from half the counts, so recall runs a few points below the shipped
model's, but they compare choices (features, floors, budgets, curated entries) on 27,000
sentences no choice was fitted to. Never imported by `check`.
"""
from __future__ import annotations

import hashlib
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

BUDGETS = (0.25, 0.5, 0.75, 1.0, 1.5)  # false alarms per 1,000 dev sentences, as in `tune`


@dataclass
class HalfResult:
    """Figures on one held-apart half of train at one budget."""

    budget: float
    sentences: int
    errors: int
    caught: int  # by either rule
    flags_on_clean: int  # flags of either rule on the untouched sentences


SPLITS = ("fold", "half")  # two ways of halving train: four models in all


def half_of(split: str, source: str, doc_id: str) -> int:
    """0 or 1: which half of the train split a document falls in, for one way of halving."""
    return hashlib.sha1(f"{split}/{source}/{doc_id}".encode()).digest()[0] % 2


def crossfit(config, data: Path, budgets=BUDGETS, splits=SPLITS) -> list[HalfResult]:
    """Per way of halving, half and budget: counts from the other half, tuning on dev, figures
    on this half. Each train sentence is scored once per way of halving; averaging over two
    ways steadies figures that rest on a few dozen flags."""
    from storylint.training.typo_eval import load_split

    train, dev = load_split(data, "train"), load_split(data, "dev")
    out = []
    for split in splits:
        for half in (0, 1):
            counted = [s.text for s in train if half_of(split, s.source, s.doc_id) != half]
            scored = [s for s in train if half_of(split, s.source, s.doc_id) == half]
            out += _one_half(config, data, counted, scored, dev, budgets)
    return out


def _one_half(config, data: Path, counted: list[str], scored: list, dev: list, budgets) -> list:
    from storylint.training.confusables import build
    from storylint.training.typo_eval import (
        THRESHOLD_MARGIN,
        Rules,
        directions,
        fit_weights,
        load_known_errors,
        make_swaps,
        tuning_points,
    )

    rules = Rules(config)
    check = rules.likely.check
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / check.model_name
        build(data, rules.likely.options["sets"], folder, counted, {"name": "train half"})
        check.prepare(folder)
        check.model.counts()  # parsed while the folder exists
    dev_points = tuning_points(rules, dev, load_known_errors())
    weights = fit_weights(dev_points)
    dev_clean, dev_errors = dev_points.scores(weights)
    points = tuning_points(rules, scored)
    clean, errors = points.scores(weights)
    swaps = make_swaps(scored, rules.members, rules.finder)
    curated_caught = sum(_curated_flags(rules, swap.text, swap.start) for swap in swaps)
    curated_flags = sum(_curated_flags(rules, s.text) for s in scored)
    keys = directions(rules.members)
    rows = []
    for budget in budgets:
        cuts = _thresholds(dev_clean, dev_errors, dev_points.sizes(rules.members), keys,
                           budget * len(dev) / 1000, check.min_ratio, THRESHOLD_MARGIN)
        rows.append(HalfResult(
            budget, len(scored), len(swaps),
            curated_caught + sum(v >= cuts[k] for k in keys for v in errors.get(k, ())),
            curated_flags + sum(v >= cuts[k] for k in keys for v in clean.get(k, ()))))
    return rows


def _thresholds(clean, errors, occurrences, keys, budget, floor, margin) -> dict:
    from storylint.training.typo_eval import choose_thresholds

    chosen = choose_thresholds(clean, errors, occurrences, keys, budget, floor, margin,
                               group_of=keys)
    return {k: math.log(max(floor, v)) for k, v in chosen.items()}


def _curated_flags(rules, text: str, start: int | None = None) -> int:
    """1 when the curated rule flags the text (at `start`, when given), else 0."""
    story = rules.story(text)
    found = rules.curated.check.run(story, rules.curated)
    return int(any(f.fix.start == start for f in found) if start is not None else bool(found))


def format_crossfit(rows: list[HalfResult]) -> str:
    """One line per budget: both halves together, then each half."""
    lines = [f"{'budget':>6} {'flags on clean':>15} {'per 1,000':>10} {'recall':>8}   "
             "per half: flags/recall"]
    for budget in sorted({r.budget for r in rows}):
        part = [r for r in rows if r.budget == budget]
        flags, caught = sum(r.flags_on_clean for r in part), sum(r.caught for r in part)
        errors, sentences = sum(r.errors for r in part), sum(r.sentences for r in part)
        halves = "  ".join(f"{r.flags_on_clean}/{100 * r.caught / r.errors:.1f}%" for r in part)
        flags, sentences = flags / len(SPLITS), sentences / len(SPLITS)
        lines.append(f"{budget:>6} {flags:>15.1f} {1000 * flags / sentences:>10.2f} "
                     f"{100 * caught / errors:>7.1f}%   {halves}")
    lines.append(f"{sentences:,.0f} train sentences, each scored {len(part) // 2} times by "
                 "models counted on the other half (flags: mean per scoring); flags on clean "
                 "sentences include real errors of the source text (not audited)")
    return "\n".join(lines)
