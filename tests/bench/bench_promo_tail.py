"""Benchmark: the promo-tail classifier's cost at check time, side by side in one run.

    python tests/bench/bench_promo_tail.py [--stories 10000] [--runs 3] [--json OUT]

1. Start-up: `storylint check SEED` with the classifier on vs off (`--ignore promo-tail`),
   timed by hyperfine (-N, warm-up runs; hyperfine runs all of one command, then the other),
   and again by this script with the two commands alternating run by run (wall and CPU time,
   medians), which a shared machine's changing load cannot bias (bar: on/off <= 1.2).
2. Throughput: a generated corpus of N scripts (real news wrapped in the script format, a third
   with real promotional tails; ../shared/data) checked by one `storylint check` process per
   mode, rules only vs rules + classifier, runs alternating; stories/s per core is N divided by
   the child's CPU time (user + sys), so a noisy shared machine does not count against it
   (bar: >= 800 with the classifier on). Wall-clock rates are printed too.

Python's bytecode cache is on by default here, as for an installed package (pip compiles
.pyc files at install time): the package is compiled once with compileall and the children run
without PYTHONDONTWRITEBYTECODE. `--no-bytecode-cache` measures compiling every module from
source on every run instead.

Not collected by pytest (no test_ prefix); timing never runs as a unit test.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "000_92e443b0f223b98d.txt"


def storylint_command() -> list[str]:
    """The installed console script next to this Python, else `python -m storylint`."""
    script = Path(sys.executable).with_name("storylint")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "storylint"]


def make_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """Write `count` generated scripts (about a third with a real promotional tail)."""
    from storylint.training import corpora
    from storylint.training.scripts import make_script

    data = corpora.default_data_dir()
    if data is None:
        sys.exit("needs ../shared/data (the public corpora) to generate the corpus")
    rng = random.Random(seed)
    news = list(corpora.bbc_news(data)) + list(corpora.ag_news(data)) + list(
        corpora.lee_news(data))
    tails = list(corpora.sms_spam(data)) + [d for d in corpora.spamassassin(data)
                                            if len(d.paragraphs[0]) < 400]
    for index in range(count):
        doc = rng.choice(news)
        tail = rng.choice(tails) if rng.random() < 0.33 else None
        script = make_script(doc, rng, tail=tail, boilerplate=rng.choice(("full", "stripped")))
        (folder / f"story-{index:05d}.txt").write_text(script.text, encoding="utf-8")


def child_env(bytecode_cache: bool) -> dict:
    """The environment of the timed commands (with or without .pyc files)."""
    env = dict(os.environ)
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        import compileall

        compileall.compile_dir(str(REPO / "src"), quiet=1)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def startup(runs: int, env: dict) -> dict:
    """hyperfine: check the seed story with the classifier on and off, in one run."""
    hyperfine = shutil.which("hyperfine") or "/usr/bin/hyperfine"
    base = " ".join(storylint_command())
    on = f"{base} check --isolated {SEED}"
    off = f"{base} check --isolated --ignore promo-tail {SEED}"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "startup.json"
        subprocess.run([hyperfine, "-N", "-i", "--warmup", "5", "--runs", str(runs),
                        "--style", "basic", "--export-json", str(out), on, off], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        results = json.loads(out.read_text())["results"]
    mean_on, mean_off = results[0]["mean"], results[1]["mean"]
    return {"classifier_on_ms": round(mean_on * 1000, 1),
            "classifier_off_ms": round(mean_off * 1000, 1),
            "median_on_ms": round(results[0]["median"] * 1000, 1),
            "median_off_ms": round(results[1]["median"] * 1000, 1),
            "ratio_mean": round(mean_on / mean_off, 3),
            "ratio_median": round(results[0]["median"] / results[1]["median"], 3)}


def startup_interleaved(runs: int, env: dict) -> dict:
    """The same comparison with the two commands alternating run by run, so load that comes
    and goes on a shared machine hits both alike; wall and CPU time per run, medians."""
    base = storylint_command() + ["check", "--isolated"]
    commands = {"off": base + ["--ignore", "promo-tail", str(SEED)], "on": base + [str(SEED)]}
    samples: dict[str, list[tuple[float, float]]] = {"off": [], "on": []}
    for index in range(runs + 3):
        for name, command in commands.items():
            wall, cpu = _run_once(command, env)
            if index >= 3:  # warm-up
                samples[name].append((wall, cpu))
    out = {}
    for kind, position in (("wall", 0), ("cpu", 1)):
        off = statistics.median(v[position] for v in samples["off"])
        on = statistics.median(v[position] for v in samples["on"])
        out[f"{kind}_off_ms"] = round(off * 1000, 1)
        out[f"{kind}_on_ms"] = round(on * 1000, 1)
        out[f"{kind}_ratio"] = round(on / off, 3)
    return out


def _run_once(command: list[str], env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_check(corpus: Path, extra: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one `storylint check` over the corpus."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(storylint_command() + ["check", "--isolated", *extra, str(corpus)],
                   stdout=subprocess.DEVNULL, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def throughput(corpus: Path, count: int, runs: int, env: dict) -> dict:
    """Stories per second, rules only vs rules + classifier, runs alternating."""
    modes = {"rules_only": ["--ignore", "promo-tail"], "rules_and_classifier": []}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in modes}
    for _ in range(runs):
        for name, extra in modes.items():
            samples[name].append(timed_check(corpus, extra, env))
    out = {}
    for name, values in samples.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        out[name] = {"stories_per_cpu_second": round(count / cpu), "stories_per_wall_second":
                     round(count / wall), "cpu_seconds": round(cpu, 2),
                     "wall_seconds": round(wall, 2)}
    out["classifier_cost_us_per_story"] = round(
        (out["rules_and_classifier"]["cpu_seconds"] - out["rules_only"]["cpu_seconds"])
        / count * 1e6)
    return out


def main() -> int:
    """Run both measurements and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="throughput runs per mode")
    parser.add_argument("--startup-runs", type=int, default=40)
    parser.add_argument("--json", metavar="OUT", help="also write the figures to OUT")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile every module from source on every run")
    args = parser.parse_args()
    if not SEED.is_file():
        sys.exit(f"needs the seed story {SEED}")
    env = child_env(not args.no_bytecode_cache)
    report = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                          "bytecode_cache": not args.no_bytecode_cache},
              "startup": startup(args.startup_runs, env)}
    report["startup_interleaved"] = startup_interleaved(args.startup_runs, env)
    print(json.dumps({"startup": report["startup"],
                      "startup_interleaved": report["startup_interleaved"]}, indent=2), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.stories)
        report["throughput"] = throughput(corpus, args.stories, args.runs, env)
    report["throughput"]["stories"] = args.stories
    print(json.dumps({"throughput": report["throughput"]}, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
