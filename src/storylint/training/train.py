"""Fitting the promo-tail classifier with scikit-learn and exporting it to the weights-only format.

The pipeline is `SegmentFeatures` (the shared pure-Python features of `storylint.features`,
hashed into a sparse matrix) followed by `LogisticRegression`. Because the features are hashed
columns plus dense values and the model is linear, the fitted coefficients *are* the model:
`export` writes them as float32 next to a manifest, and `storylint check` scores them in plain
Python. The fitted pipeline is also kept with joblib for retraining and analysis, outside
`models/`, and is never loaded by `check`.

Imports scikit-learn and numpy: used by `storylint train`, `storylint eval` and the tests only.
"""
from __future__ import annotations

import random
from array import array
from dataclasses import dataclass
from pathlib import Path

from sklearn.base import BaseEstimator, TransformerMixin

from storylint import features as F
from storylint.story import Story
from storylint.training.dataset import LabelledScript

DEFAULT_C = 4.0
INNER_BODY_KEEP = 0.35  # share of body lines far from the end kept as training negatives
HARD_NEGATIVE_WEIGHT = 4.0  # a story's own last paragraph: the line most like a tail


@dataclass(frozen=True)
class Example:
    """One training row: the line's text, its context feature values and its label."""

    text: str
    context: tuple[float, ...]
    label: int
    source: str = ""
    weight: float = 1.0


def script_examples(labelled: LabelledScript, rng: random.Random, fmt=None) -> list[Example]:
    """The labelled lines of one script: every candidate line, some inner body lines dropped."""
    script = labelled.script
    story = Story(script.text, "train.txt") if fmt is None else Story(script.text, "train.txt",
                                                                      "utf-8", fmt)
    ctx = F.StoryContext(story)
    segments = F.story_segments(story)
    body = [s.line for s in segments if s.kind == "body"]
    near_end = set(body[-3:])
    first, last = script.tail_start_line, script.tail_end_line
    story_lines = [n for n in body if first is None or not first <= n <= last]
    last_story_line = story_lines[-1] if story_lines else None  # e.g. a legitimate ending
    out = []
    for segment in segments:
        in_tail = first is not None and first <= segment.line <= last
        if segment.kind == "body" and not in_tail and segment.line not in near_end \
                and rng.random() > INNER_BODY_KEEP:
            continue
        text = F.analyse_text(segment.text)
        source = script.tail_source if in_tail else script.source
        weight = HARD_NEGATIVE_WEIGHT if segment.line == last_story_line and not in_tail else 1.0
        out.append(Example(segment.text, F.context_values(ctx, segment, text), int(in_tail),
                           source or "", weight))
    return out


def build_examples(scripts: list[LabelledScript], seed: int) -> list[Example]:
    """Examples of many scripts (deterministic for a seed)."""
    rng = random.Random(seed)
    return [example for labelled in scripts for example in script_examples(labelled, rng)]


class SegmentFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: (text, context) pairs to the sparse hashed feature matrix."""

    def __init__(self, hash_bits: int = F.DEFAULT_HASH_BITS):
        self.hash_bits = hash_bits

    def fit(self, rows, y=None):
        """Stateless: hashing needs no vocabulary."""
        return self

    def transform(self, rows):
        """CSR matrix with one row per (text, context) pair."""
        from scipy.sparse import csr_matrix

        mask = (1 << self.hash_bits) - 1
        indptr, indices, data, cache = [0], array("i"), array("d"), {}
        for text, context in rows:
            columns, values = F.row(F.analyse_text(text), tuple(context), mask, cache)
            indices.extend(columns)
            data.extend(values)
            indptr.append(len(indices))
        shape = (len(indptr) - 1, mask + 1 + len(F.DENSE_NAMES))
        return csr_matrix((data, indices, indptr), shape=shape)


def make_pipeline(hash_bits: int = F.DEFAULT_HASH_BITS, c: float = DEFAULT_C, seed: int = 0):
    """The scikit-learn pipeline: shared features, then L2 logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("features", SegmentFeatures(hash_bits)),
                     ("model", LogisticRegression(C=c, solver="liblinear", max_iter=400,
                                                  random_state=seed))])


def fit(examples: list[Example], hash_bits: int = F.DEFAULT_HASH_BITS, c: float = DEFAULT_C,
        seed: int = 0):
    """Fit the pipeline on examples; returns the fitted pipeline."""
    pipeline = make_pipeline(hash_bits, c, seed)
    pipeline.fit([(e.text, e.context) for e in examples], [e.label for e in examples],
                 model__sample_weight=[e.weight for e in examples])
    return pipeline


def export(pipeline, folder: Path, limits, stop: float, extra: dict):
    """Write the fitted weights and manifest to `folder` in the weights-only format."""
    from storylint.model import write_model

    model = pipeline.named_steps["model"]
    bits = pipeline.named_steps["features"].hash_bits
    extra = dict(extra, trailing_threshold=limits.trailing, extend_ratio=limits.extend_ratio,
                 stop_threshold=stop)
    return write_model(folder, model.coef_[0], float(model.intercept_[0]), limits.story, bits,
                       extra)


def pipeline_probabilities(pipeline, rows) -> list[float]:
    """P(tail) per (text, context) row from the scikit-learn pipeline itself."""
    return [float(p) for p in pipeline.predict_proba(list(rows))[:, 1]]
