"""A tiny promo-tail model trained on the repository's own fixtures (no ../shared needed).

Used by the classifier tests: a few hundred generated scripts from fixtures/promo-tail, a
4,096-column hash space, fitted with the same pipeline and exported with the same code as the
shipped model.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from storylint.checks.classifier import Limits
from storylint.training import dataset as D, train as T
from storylint.training.corpora import Document

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "promo-tail"
TINY_BITS = 12


def fixture_news() -> list[Document]:
    """The hand-written news stories of fixtures/promo-tail/news.txt as documents."""
    docs = []
    for index, (_, text) in enumerate(D.read_fixture_file(FIXTURES / "news.txt")):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        docs.append(Document("fixture-news", str(index), paragraphs[0], tuple(paragraphs[1:])))
    return docs


def tiny_pools() -> D.Pools:
    """One pool holding every fixture (the tests train and score on the same small world)."""
    pools = D.fixture_pools(FIXTURES, fixture_news())
    merged = D.Pools()
    for pool in pools.values():
        merged.news += pool.news
        for name, docs in pool.tails.items():
            merged.tails.setdefault(name, []).extend(docs)
        merged.endings += pool.endings
        merged.trailing += pool.trailing
    return merged


def train_tiny(folder: Path, scripts: int = 240, seed: int = 5):
    """Fit and export a tiny model into `folder`; returns (pipeline, examples)."""
    pool = tiny_pools()
    labelled = D.make_scripts(pool, scripts, seed, D.TRAIN_MIX)
    examples = T.build_examples(labelled, seed)
    pipeline = T.fit(examples, TINY_BITS, 4.0, seed)
    T.export(pipeline, folder, Limits(0.5, 0.5), 0.02, {"name": "tiny-test-model"})
    return pipeline, examples


def random_scripts(count: int, seed: int = 9) -> list[D.LabelledScript]:
    """Generated scripts (half with tails) from the fixtures, for scoring in tests."""
    return D.make_scripts(tiny_pools(), count, seed)


def shuffled(items: list, seed: int = 3) -> list:
    """A deterministic shuffle."""
    items = list(items)
    random.Random(seed).shuffle(items)
    return items
