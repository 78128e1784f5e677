"""Checking an archive of thousands of stories on all cores, for `storylint report`.

Each worker process builds its own Linter once, in the pool's initializer (rules compiled and any
model loaded once per worker, not once per file), then checks chunks of paths. The parent built
a Linter first, so a bad config, rule pack or model stops the run with exit 2 before any worker
starts. Results come back in the order of the paths, so reports are deterministic.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed

_WORKER_LINTER = None  # set in each worker process by _init_worker, never at import time
MAX_CHUNK = 32


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_paths(paths: list[str], linter, jobs: int = 0, progress=None):
    """A RunResult for `paths`, checked in `jobs` processes (0: all cores, 1: in this process).

    `progress(n)` is called as each batch of n files is done.
    """
    from storylint.engine import RunResult

    jobs = jobs or default_jobs()
    if jobs == 1 or len(paths) < 2:
        reports, errors = _check_here(paths, linter, progress)
    else:
        reports, errors = _check_in_pool(paths, linter.config, jobs, progress)
    return RunResult(reports, linter.rules, linter.config.fail_level,
                     linter.internal_errors + errors)


def _check_here(paths, linter, progress):
    reports = []
    for path in paths:
        reports.append(linter.check_file(path))
        if progress:
            progress(1)
    return reports, 0


def _check_in_pool(paths, config, jobs, progress):
    import multiprocessing

    size = max(1, min(MAX_CHUNK, len(paths) // (jobs * 4)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    results: list = [None] * len(chunks)
    context = multiprocessing.get_context(_start_method())
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context,
                               initializer=_init_worker, initargs=(config,))
    try:
        futures = {pool.submit(_check_chunk, chunk): index for index, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if progress:
                progress(len(chunks[index]))
    except BaseException:  # Ctrl-C, SIGTERM, a worker crash: do not wait for queued chunks
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    reports = [report for chunk_reports, _ in results for report in chunk_reports]
    return reports, sum(errors for _, errors in results)


def _start_method() -> str | None:
    """`fork` where it exists: a worker starts in ~0.1 s instead of re-importing everything
    (measured: 20 stories, --jobs 2: 0.58 s with fork, 1.04 s forkserver, 1.94 s spawn). The
    worker still builds its own Linter in the initializer, so nothing shared is mutated."""
    import multiprocessing

    return "fork" if "fork" in multiprocessing.get_all_start_methods() else None


def _init_worker(config) -> None:
    """Build this worker's Linter once (rules compiled, models loaded)."""
    global _WORKER_LINTER
    from storylint.engine import Linter, load_rules, select_rules

    rules, fmt = load_rules(config)
    _WORKER_LINTER = Linter(select_rules(rules, config), config, fmt)


def _check_chunk(paths: list[str]):
    """Check some files in a worker; return their reports and the internal errors they caused."""
    linter = _WORKER_LINTER
    before = linter.internal_errors
    reports = [linter.check_file(path) for path in paths]
    return reports, linter.internal_errors - before
