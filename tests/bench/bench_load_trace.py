"""Memory of one report run as it goes: RSS every N stories, in one process (`--jobs 1`).

    python tests/bench/bench_load_trace.py ARCHIVE [--config FILE] [--every 10000]

The same streaming path as `storylint report ARCHIVE --format json -o /dev/null --jobs 1`
(lazy walk, checking, ArchiveTally, JSON writer), with the resident set size printed every
`--every` stories: flat numbers mean nothing in the run grows with the archive. Use an archive
built by bench_load.py. Not collected by pytest.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from storylint.batch import iter_checked
from storylint.config import Config, load_config
from storylint.engine import Linter, iter_story_paths, load_rules, select_rules
from storylint.report import stream_writer
from storylint.report.tally import ArchiveTally


def rss_mb() -> float:
    """This process's resident set size (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    """Stream the archive into a JSON report on /dev/null, printing RSS as it goes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--every", type=int, default=10_000)
    args = parser.parse_args()
    config = load_config(args.config) if args.config else Config()
    rules, fmt = load_rules(config)
    linter = Linter(select_rules(rules, config), config, fmt)
    print(f"{'stories':>8} {'RSS MB':>7} {'distinct scores':>15}")
    print(f"{0:>8} {rss_mb():>7.1f} {0:>15}")
    tally = ArchiveTally(config.fail_level)
    with open(os.devnull, "w", encoding="utf-8") as sink:
        writer = stream_writer("json", sink)
        for reports, _ in iter_checked(iter_story_paths([args.archive], config), linter, 1):
            for report in reports:
                tally.add(report)
                writer.add(report)
                if tally.files % args.every == 0:
                    print(f"{tally.files:>8} {rss_mb():>7.1f} {len(tally.scores.counts):>15}",
                          flush=True)
        writer.finish(tally)
    print(f"{tally.files:>8} {rss_mb():>7.1f} {len(tally.scores.counts):>15}  (end)")


if __name__ == "__main__":
    main()
