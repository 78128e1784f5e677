"""`storylint report` on an archive of any size: each story's report goes to the output format
and to an ArchiveTally as soon as it is checked, and is then dropped.

Memory holds the reports in flight (a few chunks per worker, see `batch`), the tally (counts and
the worst stories, bounded) and one walk of the folder tree (one folder listing at a time), so
it does not grow with the number of stories.
"""
from __future__ import annotations

from collections.abc import Iterable

from storylint.batch import iter_checked
from storylint.report import stream_writer
from storylint.report.tally import ArchiveTally


def write_report(fmt: str, paths: Iterable[str], linter, stream, jobs: int = 0,
                 progress=None) -> ArchiveTally:
    """Check `paths` (in `jobs` processes) and write the `fmt` report to `stream` as they come.

    Returns the tally, whose `exit_code()` is the run's exit code.
    """
    tally = ArchiveTally(linter.config.fail_level)
    tally.internal_errors = linter.internal_errors
    writer = stream_writer(fmt, stream)
    for reports, errors in iter_checked(paths, linter, jobs, progress):
        tally.internal_errors += errors
        for report in reports:
            tally.add(report)
            writer.add(report)
    writer.finish(tally)
    return tally
