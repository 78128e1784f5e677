"""Where SL301 and SL302 spend their instructions, stage by stage (callgrind, like
bench_instructions.py).

    python tests/bench/bench_confusable_stages.py [--stories 300] [TREE]

Each stage does the previous ones' work plus one more step, on freshly parsed stories of the
issue-3 corpus (a third with tails): parse; find the candidate words and build their hits (both
rules' scans); read each hit's clause; run SL301; list SL302's candidates; score them (SL302's
memoised comparisons); run SL302. The increase from one stage to the next is that step's cost
per story. Every child warms up on 200 other scripts first and has the garbage collector off.
Needs valgrind; about two minutes per stage.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_instructions import REPO, instructions  # noqa: E402

STAGES = ("parse", "find words, build hits", "read clauses", "SL301 (curated)",
          "SL302 candidates", "SL302 scores", "SL302 findings")
CHILD = """
import gc, glob, sys
gc.disable()
from storylint.checks.context import scan
from storylint.config import Config
from storylint.engine import load_rules
from storylint.story import Story
folder, count, stage = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rules, fmt = load_rules(Config())
index = {rule.name: rule for rule in rules}
curated, likely = index["confusable-word"], index["confusable-word-likely"]

def run(text, stage):
    story = Story(text, "story.txt", "utf-8", fmt)
    if stage >= 1:
        hits = scan(story, curated.check.finder, curated) + likely.check.hits(story, likely)
    if stage >= 2:
        for hit in hits:
            hit.ctx
    if stage >= 3:
        curated.check.run(story, curated)
    if stage == 4:
        list(likely.check.candidates(story, likely))
    if stage == 5:
        list(likely.check.scored(story, likely))
    if stage >= 6:
        likely.check.run(story, likely)

paths = sorted(glob.glob(folder + "/*.txt"))
for path in paths[-200:]:
    run(open(path, encoding="utf-8").read(), len(%s) - 1)
texts = [open(p, encoding="utf-8").read() for p in paths[:count]]
for text in texts:
    run(text, stage)
""" % (STAGES,)


def main() -> int:
    """Print the instructions per story of each stage and of each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=REPO)
    parser.add_argument("--stories", type=int, default=300)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_confusable_stages: needs valgrind")
    from bench_promo_tail import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        make_corpus(corpus, args.stories + 200)
        previous = None
        for stage, name in enumerate(STAGES):
            # reading the N story files is in both stages' counts, so it cancels in each step
            cost = (instructions(args.tree, corpus, args.stories, str(stage), CHILD)
                    - instructions(args.tree, corpus, 0, str(stage), CHILD)) // args.stories
            step = "" if previous is None else f"  (+{cost - previous:,})"
            print(f"{stage} {name:<24} {cost:>11,} instructions per story{step}", flush=True)
            previous = cost
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
