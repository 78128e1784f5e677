"""Throughput of the whole rule pack on 10,000 generated scripts, side by side with parse-only.

Usage: python tests/bench/bench_throughput.py [--stories 10000] [--repeat 3] [--seed 7]

Builds scripts from real news (BBC, AG News, Lee in ../shared/data) with `training/scripts.py`,
then times, in one process on one core and in the same run: (a) parse only (`Story(...)`),
(b) every enabled rule, (c) every enabled rule except the confusable-word ones. Each mode runs
`--repeat` times in interleaved order; the best and the median CPU time are reported as stories
per second per core (on a shared machine the best run is the least disturbed one).
"""
from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time

from storylint.config import Config
from storylint.engine import Linter, load_rules, select_rules
from storylint.story import Story
from storylint.training.corpora import ag_news, bbc_news, default_data_dir, lee_news
from storylint.training.scripts import make_script

CONFUSABLE_RULES = ("confusable-word", "confusable-word-likely")


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


def make_linter(ignore: tuple[str, ...] = ()) -> Linter:
    """A Linter with every enabled rule except `ignore`."""
    config = Config()
    rules, fmt = load_rules(config)
    chosen = [r for r in select_rules(rules, config) if r.name not in ignore]
    return Linter(chosen, config, fmt)


def time_mode(run, texts: list[str]) -> float:
    """CPU seconds of this process to run `run(text)` over every text once (CPU time, not wall
    time: other work on a shared machine then hardly shifts the figures; "per core")."""
    start = time.process_time()
    for text in texts:
        run(text)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    """Time each mode and print stories/s plus the ratio to parse-only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    texts = build_corpus(args.stories, args.seed)
    full, rest = make_linter(), make_linter(CONFUSABLE_RULES)
    modes = {
        "parse only (rules off)": lambda text: Story(text),
        "all rules": full.check_text,
        "all rules except confusables": rest.check_text,
    }
    for run in modes.values():  # warm-up: lazy model loads, regex caches
        time_mode(run, texts[:200])
    seconds: dict[str, list[float]] = {name: [] for name in modes}
    for _ in range(args.repeat):
        for name, run in modes.items():
            seconds[name].append(time_mode(run, texts))
    chars = sum(map(len, texts))
    print(f"{len(texts):,} scripts, {chars / len(texts):,.0f} chars on average, "
          f"{args.repeat} runs, CPU time of one process (one core)")
    base = min(seconds["parse only (rules off)"])
    print(f"{'mode':<30} {'best':>9} {'median':>9}  stories/s per core")
    for name, values in seconds.items():
        best, median = min(values), statistics.median(values)
        print(f"{name:<30} {len(texts) / best:>9,.0f} {len(texts) / median:>9,.0f}  "
              f"{best * 1e6 / len(texts):>7.0f} us/story (best)  x{best / base:.2f} of parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
