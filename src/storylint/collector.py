"""Pausing Python's cyclic garbage collector while a batch of stories is checked.

A batch's parsed stories are all alive until its last rule has run, and every young-generation
collection in between traverses all of them, to free nothing: checking a story builds no
reference cycles (tests/test_batched_checking.py checks this), so reference counting frees
everything once the batch is done. Measured over 10,000 generated scripts in batches of 16
(gc.callbacks): the collector took 54 us per story, against 39 us checking one story at a
time. Paused for the batch, it costs nothing there and runs as usual between batches.
"""
from __future__ import annotations

import gc
import threading


class CollectorPause:
    """A context manager that disables the collector and restores it afterwards.

    Nested and concurrent users share one pause: the collector is resumed when the last user
    leaves, and only if it was enabled when the first one came (a program that disabled it
    itself keeps it disabled)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._resume = False

    def __enter__(self) -> CollectorPause:
        with self._lock:
            if self._users == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._users += 1
        return self

    def __exit__(self, *exc_info) -> bool:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._resume:
                gc.enable()
        return False


COLLECTOR_PAUSE = CollectorPause()
