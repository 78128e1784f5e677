"""Deterministic cost per story: instructions (and, with --cache, cache misses) counted by
valgrind's callgrind, not time.

    python tests/bench/bench_instructions.py [--stories 300] [--ignore RULE,...]
        [--like-throughput] [--cache] [TREE ...]

Timing on a shared 2-core machine moves by ±30% between identical runs, too much to see a 15%
change. Instruction counts do not move. For each tree, a child Python builds the linter, warms
it on 200 scripts, then checks N scripts; the same child with N = 0 is subtracted, so start-up,
rule loading and warm-up cancel out. A tree is this checkout (the default), another checkout's
root, or a folder a wheel was installed into with `pip install --no-deps --target FOLDER` (the
compiled build). The garbage collector and the rule cache are off in the children (a full
collection, or a cache miss, falling inside one run and not the other moved totals by 10-40%).

Two workloads:
- the default: the issue 3 benchmark's corpus (`bench_promo_tail.make_corpus`: generated
  scripts from ../shared/data, a third with real promotional tails), written once to a
  temporary folder and checked one story at a time with `check_text`;
- `--like-throughput`: the issue 4 bar's workload, `bench_throughput.build_corpus` (seed 7,
  warm-up on seed 8) checked in batches with `check_texts`, as `bench_throughput.py` times it.

`--cache` also simulates the caches (callgrind --cache-sim=yes) with this machine's L1 sizes
and its per-core L2 as the last level, and prints per story the L1 instruction misses, the L1
data misses and the L2 misses. These, not instructions, are what a busy neighbour on the host
slows down: an L2 miss is served by the shared L3 when it holds the line, by memory when
another tenant has evicted it. `--last-level SIZE,WAYS,LINE` simulates another machine's L2 in
place of this one's (on the bar's workload a 512 KB 8-way L2 misses 2.6 times as often as
this host's 2 MB one). The machine (processor, cache sizes) is printed first. Needs
`valgrind`; 300 stories take about a minute per tree (five with --cache).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import SYSFS_CACHE, caches, describe

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import gc, glob, sys
gc.disable()
from storylint.config import Config
from storylint.engine import Linter, load_rules, select_rules
folder, count, ignore = sys.argv[1], int(sys.argv[2]), set(filter(None, sys.argv[3].split(",")))
paths = sorted(glob.glob(folder + "/*.txt"))
config = Config()
rules, fmt = load_rules(config)
linter = Linter([r for r in select_rules(rules, config) if r.name not in ignore], config, fmt)
for path in paths[-200:]:
    linter.check_text(open(path, encoding="utf-8").read())
for text in [open(p, encoding="utf-8").read() for p in paths[:count]]:
    linter.check_text(text)
"""
# The issue 4 bar's workload: bench_throughput's corpus, checked in batches (`folder`: this
# script's folder, for bench_throughput). The corpus is built to the same size whatever the
# count (`size`), so generating it cancels out with the rest.
THROUGHPUT_CHILD = """
import gc, sys
gc.disable()
folder, count, ignore = sys.argv[1], int(sys.argv[2]), tuple(filter(None, sys.argv[3].split(",")))
size = int(sys.argv[4])
sys.path.insert(0, folder)
from bench_throughput import build_corpus, make_linter, time_batches
texts, warm = build_corpus(size, 7)[:count], build_corpus(200, 8)
linter = make_linter(ignore)
time_batches(linter, warm)
time_batches(linter, texts)
"""
# callgrind's summary lines, and the name each count is printed under
_SUMMARY = {"instructions": r"I\s+refs:\s+([\d,]+)", "L1i misses": r"I1\s+misses:\s+([\d,]+)",
            "L1d misses": r"D1\s+misses:\s+([\d,]+)", "L2 misses": r"LL\s+misses:\s+([\d,]+)"}


def counts(tree: Path, workload: str, count: int, ignore: str, child: str,
           cache: list[str] | None = None, size: int = 0) -> dict[str, int]:
    """What callgrind counts for one child run over `count` stories: instructions, and with
    `cache` (valgrind's cache options) the misses too (`size`: the corpus size, for
    THROUGHPUT_CHILD)."""
    folder = tree / "src" if (tree / "src" / "storylint").is_dir() else tree
    env = dict(os.environ, PYTHONPATH=str(folder), PYTHONHASHSEED="0",
               STORYLINT_NO_CACHE="1")  # a rule-cache miss in only one of the two runs skews
    tool = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    if cache is not None:
        tool += ["--cache-sim=yes", *cache]
    result = subprocess.run([*tool, sys.executable, "-c", child, workload, str(count), ignore,
                             str(size)],
                            capture_output=True, text=True, env=env, check=True)
    found = {name: re.search(pattern, result.stderr) for name, pattern in _SUMMARY.items()}
    return {name: int(match.group(1).replace(",", "")) for name, match in found.items()
            if match is not None}


def instructions(tree: Path, corpus: Path, count: int, ignore: str, child: str = CHILD) -> int:
    """Instructions callgrind counts for one child run over `count` stories (`child`: the
    script, given the corpus folder, the count and `ignore` as arguments)."""
    return counts(tree, str(corpus), count, ignore, child)["instructions"]


def cache_options(sysfs: Path = SYSFS_CACHE, last_level: str | None = None) -> list[str]:
    """valgrind's --I1, --D1 and --LL options for this machine, with the per-core L2 as the last
    level (the shared L3 is the part other tenants contend for), or `last_level`
    (`size,ways,line`) in its place; [] when sysfs does not say."""
    levels = caches(sysfs)
    wanted = {"--I1": ("1", "Instruction"), "--D1": ("1", "Data"), "--LL": ("2", "Unified")}
    if not all(key in levels for key in wanted.values()):
        return []
    options = {option: levels[key].valgrind() for option, key in wanted.items()}
    if last_level is not None:
        options["--LL"] = last_level
    return [f"{option}={spec}" for option, spec in options.items()]


def main() -> int:
    """Print instructions (and cache misses) per story for each tree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[REPO])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--ignore", default="", help="rules to leave out, comma-separated")
    parser.add_argument("--like-throughput", action="store_true",
                        help="bench_throughput's corpus, checked in batches")
    parser.add_argument("--cache", action="store_true", help="count cache misses too")
    parser.add_argument("--last-level", metavar="SIZE,WAYS,LINE",
                        help="with --cache: simulate this last level instead of this machine's "
                             "L2, e.g. 524288,8,64 for a 512 KB 8-way L2")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_instructions: needs valgrind")
    if args.last_level is not None and not args.cache:
        parser.error("--last-level simulates a cache: give --cache too")
    if args.last_level is not None and not re.fullmatch(r"\d+,\d+,\d+", args.last_level):
        parser.error(f"--last-level takes SIZE,WAYS,LINE in bytes, not {args.last_level!r}")
    print(f"machine: {describe()}", flush=True)
    cache = cache_options(last_level=args.last_level) if args.cache else None
    if cache == []:
        print("cache sizes not found in sysfs: valgrind's defaults (its last level is the "
              "host's last level, not the L2)", flush=True)
    elif cache:
        print(f"simulated caches: {' '.join(cache)} (size,ways,line)", flush=True)
    sys.path.insert(0, str(Path(__file__).parent))
    with tempfile.TemporaryDirectory() as tmp:
        if args.like_throughput:
            workload, child = str(Path(__file__).parent), THROUGHPUT_CHILD
        else:
            from bench_promo_tail import make_corpus

            workload, child = tmp, CHILD
            make_corpus(Path(tmp), args.stories + 200)
        for tree in args.trees:
            full, base = (counts(tree, workload, count, args.ignore, child, cache, args.stories)
                          for count in (args.stories, 0))
            per_story = {name: (full[name] - base[name]) // args.stories for name in full}
            print(f"{tree}: " + ", ".join(f"{value:,} {name}" for name, value in
                                           per_story.items())
                  + f" per story over {args.stories} stories"
                  + (" checked in batches" if args.like_throughput else "")
                  + (f" without {args.ignore}" if args.ignore else ""), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
