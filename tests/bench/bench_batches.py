"""Checking in batches (`Linter.check_texts`) against one story at a time (`check_text`).

    python tests/bench/bench_batches.py [--stories 10000] [--segment 250] [--batch N]

On a shared 2-core machine the speed of the same code moves by tens of percent within minutes,
more than the difference measured here. So two linters, one checking in batches of `--batch`
(default `engine.BATCH_SIZE`) and one story by story, take turns over the same generated
scripts (`bench_throughput.build_corpus`) in segments of `--segment` scripts, the order
alternating per segment: both see the same moments of the machine. Each linter is warmed up
on 200 other scripts first. Printed: stories per CPU second for each, the ratio of the totals,
the median of the per-segment ratios, and in how many segments batches were faster.
"""
from __future__ import annotations

import argparse
import statistics
import sys

from bench_throughput import build_corpus, make_linter, time_batches, time_mode

from storylint import engine


def main(argv: list[str] | None = None) -> int:
    """Time the two ways over alternating segments and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--segment", type=int, default=250)
    parser.add_argument("--batch", type=int, default=engine.BATCH_SIZE)
    args = parser.parse_args(argv)
    texts, warm = build_corpus(args.stories, 7), build_corpus(200, 8)
    batched, one_by_one = make_linter(), make_linter()
    time_batches(batched, warm, args.batch)
    time_mode(one_by_one.check_text, warm)
    total_batched = total_single = 0.0
    ratios = []
    for index, first in enumerate(range(0, len(texts), args.segment)):
        segment = texts[first:first + args.segment]
        if index % 2:
            single = time_mode(one_by_one.check_text, segment)
            batch = time_batches(batched, segment, args.batch)
        else:
            batch = time_batches(batched, segment, args.batch)
            single = time_mode(one_by_one.check_text, segment)
        total_batched, total_single = total_batched + batch, total_single + single
        ratios.append(single / batch)
    print(f"{len(texts):,} scripts in {len(ratios)} segments of {args.segment}, batches of "
          f"{args.batch}, CPU time of one process")
    print(f"in batches     {len(texts) / total_batched:>7,.0f} stories/s per core")
    print(f"story by story {len(texts) / total_single:>7,.0f} stories/s per core")
    print(f"batches x{total_single / total_batched:.3f} over the totals; per segment: median "
          f"x{statistics.median(ratios):.3f}, faster in {sum(r > 1 for r in ratios)} of "
          f"{len(ratios)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
