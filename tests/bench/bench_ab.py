"""Whole-pack throughput of two source trees, measured in alternation (A B B A A B ...).

    python tests/bench/bench_ab.py TREE_A TREE_B [--rounds 10] [--stories 3000] [--ignore RULE,...]

On a shared machine the speed of the same code drifts by tens of percent within minutes, so
two trees timed one after the other compare the machine's moods as much as the code. Here each
round runs one child process per tree, in alternating order, each on the same generated
scripts (`bench_throughput.build_corpus`) after warming its linter on 200 others, and reports
stories per CPU second; the best and the median per tree, and their ratios, are printed. Both
trees are checked in batches (`bench_throughput.time_batches`), the way `check` and `report`
run, so each needs `Linter.check_texts` (4b62826 on). Give for each tree the root of a checkout
(with its compiled module built, if it has one), or a folder a wheel was installed into with
`pip install --no-deps --target FOLDER` (the compiled build).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CHILD = """
import sys, gc
sys.path.insert(0, sys.argv[3])
from bench_throughput import build_corpus, make_linter, time_batches
count, ignore = int(sys.argv[1]), tuple(filter(None, sys.argv[2].split(",")))
texts, warm = build_corpus(count, 7), build_corpus(200, 8)
linter = make_linter(ignore)
time_batches(linter, warm)
gc.collect()
print(count / time_batches(linter, texts))
"""


def rate(tree: Path, stories: int, ignore: str) -> float:
    """Stories per CPU second of one child run of `tree`."""
    folder = tree / "src" if (tree / "src" / "storylint").is_dir() else tree
    env = dict(os.environ, PYTHONPATH=str(folder))
    result = subprocess.run([sys.executable, "-c", CHILD, str(stories), ignore, str(BENCH)],
                            env=env, capture_output=True, text=True, check=True)
    return float(result.stdout)


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print each run, then best and median per tree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, type=Path)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--ignore", default="", help="rules to leave out, comma-separated")
    args = parser.parse_args(argv)
    runs: dict[Path, list[float]] = {tree: [] for tree in args.trees}
    for round_ in range(args.rounds):
        for tree in args.trees if round_ % 2 == 0 else args.trees[::-1]:
            runs[tree].append(rate(tree, args.stories, args.ignore))
            print(f"round {round_ + 1}: {tree} {runs[tree][-1]:,.0f} stories/s", flush=True)
    a, b = (runs[tree] for tree in args.trees)
    for tree, values in runs.items():
        print(f"{tree}: best {max(values):,.0f}, median {statistics.median(values):,.0f} "
              "stories/s per core")
    median_ratio = statistics.median(b) / statistics.median(a)
    print(f"B/A: best x{max(b) / max(a):.3f}, median x{median_ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
