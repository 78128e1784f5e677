"""Load benchmark for `storylint report`: 100,000 stories with a few hundred bad files mixed in.

    python tests/bench/bench_load.py [--sizes 10000,30000,100000] [--bad-per-kind 24]
                                     [--work DIR] [--jobs 0] [--before SRC_DIR]

Builds archives of real BBC News text wrapped as scripts (needs ../shared/data), in folders of
1,000, with every kind of bad file from tests/archive_faults.py mixed in (binary, cp1252,
UTF-16, undecodable, empty, oversize, links, FIFOs, folders named *.txt, NUL bytes, 1 MB lines),
then runs `storylint report` on each under `/usr/bin/time -v` and checks the JSON: every bad
file carries its expected rule code, every good file appears exactly once, nothing else. A
third, small archive is checked with no encoding fallback and symlinks followed.

Memory: GNU time's "maximum resident set size" is the largest single process (the parent or
one worker), so the script also samples the proportional set size (PSS, shared pages split
between processes) of the whole process tree every 0.1 s and reports its peak. `--before`
runs the same commands with another storylint source tree first on PYTHONPATH (e.g. the
code before streaming, from `git archive`), side by side. Not collected by pytest.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: archive_faults

import archive_faults

from storylint.training.corpora import bbc_news, default_data_dir, sms_spam
from storylint.training.scripts import make_script

PER_FOLDER = 1000


@dataclass
class Archive:
    """A generated archive: its folder, the bad files ({path: kind}) and the good ones."""

    root: str
    bad: dict[str, str]
    good: list[str]


@dataclass
class Run:
    """One measured `storylint report` run."""

    label: str
    stories: int
    exit_code: int
    wall: float
    cpu: float
    max_rss_mb: float
    peak_pss_mb: float
    output_mb: float
    problems: list[str]


def main() -> int:
    """Build the archives, run the reports, check them, print the table."""
    args = parse_args()
    data = default_data_dir()
    if data is None:
        raise SystemExit("needs ../shared/data (or STORYLINT_SHARED_DATA)")
    work = Path(args.work or tempfile.mkdtemp(prefix="storylint-load-"))
    work.mkdir(parents=True, exist_ok=True)
    os.chdir(work)
    texts = story_texts(data, args.seed)
    Path("default.yaml").write_text(archive_faults.DEFAULT_CONFIG)
    Path("strict.yaml").write_text(archive_faults.STRICT_CONFIG)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    archives = {size: build_archive(f"archive-{size}", size, args.bad_per_kind, texts, args.seed)
                for size in sizes}
    strict = build_archive("archive-strict", 1000, args.bad_per_kind, texts, args.seed + 1)
    runs = []
    for source in ([args.before] if args.before else []) + [None]:
        runs += run_all(archives, strict, args, source)
    print_table(runs, archives)
    return 1 if any(run.problems for run in runs if not run.label.startswith("before")) else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000",
                        help="stories in each archive (memory is compared across them)")
    parser.add_argument("--bad-per-kind", type=int, default=24, help="bad files of each kind")
    parser.add_argument("--work", help="folder for archives and reports (reused if complete)")
    parser.add_argument("--jobs", type=int, default=0, help="storylint --jobs (0: all cores)")
    parser.add_argument("--formats", default="json,html", help="report formats to run")
    parser.add_argument("--before", help="another storylint src/ folder to run side by side")
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def story_texts(data: Path, seed: int):
    """An endless supply of scripts: real BBC articles, a fifth with a real SMS-spam tail."""
    rng = random.Random(seed)
    spam = list(sms_spam(data))
    for doc in itertools.cycle([d for d in bbc_news(data) if d.paragraphs]):
        tail = rng.choice(spam) if rng.random() < 0.2 else None
        boilerplate = "stripped" if rng.random() < 0.33 else "full"
        yield make_script(doc, rng, tail=tail, boilerplate=boilerplate).text


def build_archive(root: str, count: int, per_kind: int, texts, seed: int) -> Archive:
    """`count` good stories in folders of PER_FOLDER, and `per_kind` bad files of each kind at
    random places among them (each named to sort right after a good story)."""
    manifest = Path(root + ".json")
    if manifest.is_file():  # built by an earlier run with the same settings
        saved = json.loads(manifest.read_text())
        if saved["count"] == count and saved["per_kind"] == per_kind:
            return Archive(root, saved["bad"], saved["good"])
    if os.path.lexists(root):  # left half-built by an interrupted run
        shutil.rmtree(root)
    started = time.monotonic()
    good = write_good_stories(root, count, texts)
    rng = random.Random(seed)
    bad: dict[str, str] = {}
    for kind, index in itertools.product(archive_faults.KINDS, range(per_kind)):
        neighbour = good[rng.randrange(count)]
        path = neighbour[:-len(".txt")] + f"-{kind}-{index}.txt"
        archive_faults.write_fault(kind, Path(path), next(texts), good_target=Path(neighbour))
        bad[path] = kind
        if kind == "directory":  # a folder named like a story: reported, and still walked
            inner = os.path.join(path, "inside.txt")
            Path(inner).write_text(next(texts), encoding="utf-8")
            good.append(inner)
    manifest.write_text(json.dumps({"count": count, "per_kind": per_kind, "bad": bad,
                                    "good": good}))
    print(f"built {root}: {count:,} stories + {len(bad)} bad files in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    return Archive(root, bad, good)


def write_good_stories(root: str, count: int, texts) -> list[str]:
    good = []
    for index in range(count):
        folder = os.path.join(root, f"f{index // PER_FOLDER:03d}")
        if index % PER_FOLDER == 0:
            os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"s{index:06d}.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(next(texts))
        good.append(path)
    return good


def run_all(archives: dict[int, Archive], strict: Archive, args, source: str | None) -> list:
    prefix = "before " if source else ""
    runs = []
    for size, archive in sorted(archives.items()):
        for fmt in args.formats.split(","):
            runs.append(measure(f"{prefix}{size:,} {fmt}", archive, "default.yaml", fmt,
                                args.jobs, source, "default"))
    if not source:
        runs.append(measure("strict config json", strict, "strict.yaml", "json", args.jobs,
                            None, "strict"))
    return runs


def measure(label: str, archive: Archive, config: str, fmt: str, jobs: int,
            source: str | None, mode: str) -> Run:
    """Run one report under /usr/bin/time -v while sampling the tree's memory; check it."""
    output = f"out-{label.replace(' ', '-').replace(',', '')}.{fmt}"
    command = ["/usr/bin/time", "-v", "-o", "time.txt", sys.executable, "-m", "storylint",
               "report", archive.root, "--config", config, "-o", output, "--jobs", str(jobs),
               "--quiet"]
    env = dict(os.environ, PYTHONPATH=source) if source else None
    print(f"running {label} ...", file=sys.stderr)
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    sampler = TreeMemory(process.pid)
    sampler.start()
    _, stderr = process.communicate()
    sampler.stop()
    timing = parse_time(Path("time.txt").read_text())
    problems = check_output(output, fmt, archive, mode)
    if stderr.strip():
        problems.append(f"stderr: {stderr.decode(errors='replace')[:300]}")
    stories = len(archive.good) + len(archive.bad)
    return Run(label, stories, timing["exit"], timing["wall"], timing["cpu"], timing["rss_mb"],
               sampler.peak_mb, os.path.getsize(output) / 1e6 if os.path.exists(output) else 0,
               problems)


def parse_time(text: str) -> dict:
    """Wall time, CPU time, max RSS and exit status from GNU time -v."""
    def field(name: str) -> str:
        return re.search(rf"{re.escape(name)}: (.+)", text).group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    status = re.search(r"Exit status: (\d+)", text)
    return {"wall": wall, "cpu": cpu, "rss_mb": int(field("Maximum resident set size (kbytes)"))
            / 1024, "exit": int(status.group(1)) if status else -1}


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and all its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak_mb = max(self.peak_mb, total / 1024)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            queue += [int(c) for c in
                      Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            pass
    return pids


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def check_output(output: str, fmt: str, archive: Archive, mode: str) -> list[str]:
    """Problems with a report: bad files misreported, good files missing or repeated."""
    if not os.path.exists(output):
        return [f"{output}: not written"]
    expected_files = len(archive.good) + len(archive.bad)
    if fmt == "html":
        text = Path(output).read_text(encoding="utf-8")
        shown = re.search(r'id="count-files">(\d+)<', text)
        count = int(shown.group(1)) if shown else -1
        wrong = f"HTML shows {count} stories, expected {expected_files}"
        return [] if count == expected_files else [wrong]
    with open(output, encoding="utf-8") as handle:
        files = json.load(handle)["files"]
    seen = Counter(entry["path"] for entry in files)
    problems = [f"{path}: reported {n} times" for path, n in seen.items() if n > 1][:20]
    extra = set(seen) - set(archive.bad) - set(archive.good)
    problems += [f"{path}: in the report but not in the archive" for path in sorted(extra)[:20]]
    by_path = {entry["path"]: entry for entry in files}
    return problems + archive_faults.problems(by_path, archive.bad, archive.good, mode)


def print_table(runs: list[Run], archives: dict[int, Archive]) -> None:
    """One row per run, then the memory ratio of the large to the small archive."""
    head = (f"{'run':<24} {'files':>8} {'exit':>4} {'wall s':>7} {'CPU s':>7} {'files/s':>8} "
            f"{'files/CPU-s':>11} {'max RSS MB':>10} {'tree PSS MB':>11} {'out MB':>7}  checks")
    print(head)
    print("-" * len(head))
    for run in runs:
        checks = "ok" if not run.problems else f"{len(run.problems)} PROBLEMS"
        print(f"{run.label:<24} {run.stories:>8,} {run.exit_code:>4} {run.wall:>7.1f} "
              f"{run.cpu:>7.1f} {run.stories / run.wall:>8.0f} {run.stories / run.cpu:>11.0f} "
              f"{run.max_rss_mb:>10.1f} {run.peak_pss_mb:>11.1f} {run.output_mb:>7.1f}  {checks}")
    for run in runs:
        for problem in run.problems[:10]:
            print(f"  {run.label}: {problem}")
    sizes = sorted(archives)
    bad = Counter(archives[sizes[-1]].bad.values())
    print(f"\nbad files per archive: {sum(bad.values())} ({len(bad)} kinds x {max(bad.values())})")
    for prefix in ("before ", ""):
        for fmt in ("json", "html"):
            _print_growth(runs, prefix, fmt, sizes)


def _print_growth(runs: list[Run], prefix: str, fmt: str, sizes: list[int]) -> None:
    """Peak memory per archive size, and the largest archive's over the smallest's."""
    by_label = {run.label: run for run in runs}
    chosen = [(size, by_label[f"{prefix}{size:,} {fmt}"]) for size in sizes
              if f"{prefix}{size:,} {fmt}" in by_label]
    if len(chosen) < 2:
        return
    steps = ", ".join(f"{size:,}: {run.peak_pss_mb:.0f} MB" for size, run in chosen)
    (small, first), (large, last) = chosen[0], chosen[-1]
    print(f"{prefix or 'streamed '}{fmt} peak tree PSS {steps}; {large:,}/{small:,} = "
          f"{last.peak_pss_mb / first.peak_pss_mb:.2f}x (max RSS of one process "
          f"{last.max_rss_mb / first.max_rss_mb:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())
