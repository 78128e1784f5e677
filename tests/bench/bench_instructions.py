"""Deterministic cost per story: instructions counted by valgrind's callgrind, not time.

    python tests/bench/bench_instructions.py [--stories 300] [--ignore RULE,...] [TREE ...]

Timing on a shared 2-core machine moves by ±30% between identical runs, too much to see a 15%
change. Instruction counts do not move. For each tree, a child Python builds the linter, warms
it on 200 scripts, then runs `check_text` over N scripts; the same child with N = 0 is
subtracted, so start-up, rule loading and warm-up cancel out. A tree is this checkout (the
default), another checkout's root, or a folder a wheel was installed into with
`pip install --no-deps --target FOLDER` (the compiled build). The garbage collector and the
rule cache are off in the children (a full collection, or a cache miss, falling inside one run
and not the other moved totals by 10-40%).

The corpus is the issue 3 benchmark's (`bench_promo_tail.make_corpus`: generated scripts from
../shared/data, a third with real promotional tails), written once to a temporary folder.
Needs `valgrind`; a run of 300 stories takes about a minute per tree.
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


def instructions(tree: Path, corpus: Path, count: int, ignore: str, child: str = CHILD) -> int:
    """Instructions callgrind counts for one child run over `count` stories (`child`: the
    script, given the corpus folder, the count and `ignore` as arguments)."""
    folder = tree / "src" if (tree / "src" / "storylint").is_dir() else tree
    env = dict(os.environ, PYTHONPATH=str(folder), PYTHONHASHSEED="0",
               STORYLINT_NO_CACHE="1")  # a rule-cache miss in only one of the two runs skews
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-c", child, str(corpus), str(count), ignore],
        capture_output=True, text=True, env=env, check=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def main() -> int:
    """Print instructions per story for each tree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[REPO])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--ignore", default="", help="rules to leave out, comma-separated")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_instructions: needs valgrind")
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_promo_tail import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        make_corpus(corpus, args.stories + 200)
        for tree in args.trees:
            cost = (instructions(tree, corpus, args.stories, args.ignore)
                    - instructions(tree, corpus, 0, args.ignore)) // args.stories
            print(f"{tree}: {cost:,} instructions per story over {args.stories} stories"
                  f"{' without ' + args.ignore if args.ignore else ''}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
