"""Write a synthetic archive of AP-style scripts for benchmarks (not collected by pytest).

    python tests/bench/bench_make_archive.py OUT_DIR --count 2000 [--seed 5]

Real BBC News articles wrapped in the script format (storylint.training.scripts); a third get
stripped boilerplate, a fifth a real SMS-spam tail. Reads ../shared/data; writes nothing else.
"""
from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

from storylint.training.corpora import bbc_news, default_data_dir, sms_spam
from storylint.training.scripts import make_script


def main() -> None:
    """Generate --count scripts into OUT_DIR as 00000.txt, 00001.txt, ..."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    data = default_data_dir()
    if data is None:
        raise SystemExit("needs ../shared/data (or STORYLINT_SHARED_DATA)")
    rng = random.Random(args.seed)
    spam = list(sms_spam(data))
    args.out.mkdir(parents=True, exist_ok=True)
    docs = itertools.cycle(d for d in bbc_news(data) if d.paragraphs)
    for index in range(args.count):
        doc = next(docs)
        tail = rng.choice(spam) if rng.random() < 0.2 else None
        boilerplate = "stripped" if rng.random() < 0.33 else "full"
        script = make_script(doc, rng, tail=tail, boilerplate=boilerplate)
        (args.out / f"{index:05d}.txt").write_text(script.text, encoding="utf-8")


if __name__ == "__main__":
    main()
