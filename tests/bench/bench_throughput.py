"""Throughput of the whole rule pack on 10,000 generated scripts, side by side with parse-only.

Usage: python tests/bench/bench_throughput.py [--stories 10000] [--repeat 3] [--seed 7]

Builds scripts from real news (BBC, AG News, Lee in ../shared/data) with `training/scripts.py`,
then times, in one process on one core and in the same run: (a) parse only (`Story(...)`),
(b) every enabled rule, (c) every enabled rule except the confusable-word ones, (d) parsing and
the two confusable-word rules only, (e) every enabled rule except the promo-tail classifier,
and (f) every enabled rule, story by story. (b)-(e) check the scripts the way `storylint check`
and `storylint report` do: `Linter.check_texts`, BATCH_SIZE stories at a time, rule by rule;
(f) calls `Linter.check_text` once per story, the way a program checking one story at a time
does. Each mode runs `--repeat` times in interleaved order, each time with a freshly built linter
warmed up on other scripts (so memoised model scores from an earlier pass over the same scripts
never flatter a figure); the best and the median CPU time are reported as stories per second
per core (on a shared machine the best run is the least disturbed one). A line names the
processor and its caches (`machine.py`): figures from different hosts do not compare (the same
code ran the whole pack at a median of ~2,800 stories/s on a host with a 512 KB L2 per core and
~4,400 on one with 2 MB). The cost of the two confusable-word rules is (d) - (a), and (b) - (c).
"""
from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time

from machine import describe
from storylint.config import Config
from storylint.engine import BATCH_SIZE, Linter, load_rules, select_rules
from storylint.story import Story
from storylint.training.corpora import ag_news, bbc_news, default_data_dir, lee_news
from storylint.training.scripts import make_script

CONFUSABLE_RULES = ("confusable-word", "confusable-word-likely")
CLASSIFIER_RULES = ("promo-tail",)


def build_corpus(count: int, seed: int) -> list[str]:
    """`count` generated scripts cycling over the news documents, reproducible from `seed`."""
    data = default_data_dir()
    if data is None:
        sys.exit("bench_throughput: needs ../shared/data (or $STORYLINT_SHARED_DATA)")
    docs = [d for d in itertools.chain(bbc_news(data), ag_news(data), lee_news(data))
            if d.paragraphs]
    rng = random.Random(seed)
    rng.shuffle(docs)
    return [make_script(docs[i % len(docs)], rng, boilerplate=rng.choice(("full", "stripped"))).text
            for i in range(count)]


def make_linter(ignore: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> Linter:
    """A Linter with every enabled rule except `ignore` (or only the rules in `only`)."""
    config = Config()
    rules, fmt = load_rules(config)
    chosen = [r for r in select_rules(rules, config)
              if r.name not in ignore and (not only or r.name in only)]
    return Linter(chosen, config, fmt)


def time_mode(run, texts: list[str]) -> float:
    """CPU seconds of this process to run `run(text)` over every text once (CPU time, not wall
    time: other work on a shared machine then hardly shifts the figures; "per core")."""
    start = time.process_time()
    for text in texts:
        run(text)
    return time.process_time() - start


def time_pass(linter: Linter | None, texts: list[str], one_by_one: bool = False) -> float:
    """CPU seconds to parse the texts (no linter), or to check them with `check_text` one by
    one, or in batches the way `check` and `report` do (`time_batches`)."""
    if linter is None:
        return time_mode(Story, texts)
    return time_mode(linter.check_text, texts) if one_by_one else time_batches(linter, texts)


def time_batches(linter: Linter, texts: list[str], size: int = BATCH_SIZE) -> float:
    """`time_mode` for `linter.check_texts`, `size` stories at a time."""
    items = [(text, "<story>", "utf-8") for text in texts]
    start = time.process_time()
    for first in range(0, len(items), size):
        linter.check_texts(items[first:first + size])
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    """Time each mode and print stories/s plus the ratio to parse-only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    texts = build_corpus(args.stories, args.seed)
    warm = build_corpus(200, args.seed + 1)
    modes = {  # name: (a fresh linter, or None to parse only; check story by story?)
        "parse only (rules off)": (lambda: None, False),
        "all rules": (make_linter, False),
        "all rules except confusables": (lambda: make_linter(CONFUSABLE_RULES), False),
        "all rules except classifier": (lambda: make_linter(CLASSIFIER_RULES), False),
        "parse + confusables only": (lambda: make_linter(only=CONFUSABLE_RULES), False),
        "all rules, story by story": (make_linter, True),
    }
    seconds: dict[str, list[float]] = {name: [] for name in modes}
    for _ in range(args.repeat):
        for name, (fresh, one_by_one) in modes.items():
            linter = fresh()  # a new linter: no scores memoised from an earlier pass
            time_pass(linter, warm, one_by_one)  # lazy model loads, regex caches
            seconds[name].append(time_pass(linter, texts, one_by_one))
    chars = sum(map(len, texts))
    print(f"{len(texts):,} scripts, {chars / len(texts):,.0f} chars on average, "
          f"{args.repeat} runs, CPU time of one process (one core)")
    print(f"machine: {describe()}")
    base = min(seconds["parse only (rules off)"])
    print(f"{'mode':<30} {'best':>9} {'median':>9}  stories/s per core")
    for name, values in seconds.items():
        best, median = min(values), statistics.median(values)
        print(f"{name:<30} {len(texts) / best:>9,.0f} {len(texts) / median:>9,.0f}  "
              f"{best * 1e6 / len(texts):>7.0f} us/story (best)  x{best / base:.2f} of parse")
    for label, (a, b) in {
            "confusable rules in the pack": ("all rules", "all rules except confusables"),
            "confusable rules alone": ("parse + confusables only", "parse only (rules off)")}.items():
        best = (min(seconds[a]) - min(seconds[b])) * 1e6 / len(texts)
        median = (statistics.median(seconds[a]) - statistics.median(seconds[b])) * 1e6 / len(texts)
        print(f"{label:<30} {best:>7.0f} us/story (best - best), {median:.0f} (median - median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
