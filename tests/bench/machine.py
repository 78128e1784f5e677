"""What machine a benchmark ran on: processor model and cache sizes, read from Linux's sysfs
and /proc/cpuinfo.

Throughput figures compare only on the same kind of machine: the same code ran the issue 4
bar's whole pack at a median of ~2,800 stories/s per core on a host with a 512 KB L2 per core
and ~4,400 on one with a 2 MB L2. So the benchmarks print this next to their figures.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

SYSFS_CACHE = Path("/sys/devices/system/cpu/cpu0/cache")
CPUINFO = Path("/proc/cpuinfo")


class Cache(NamedTuple):
    """One cache level as sysfs describes it."""

    level: str  # "1", "2", "3"
    kind: str  # "Data", "Instruction", "Unified"
    size: int  # bytes
    ways: int
    line: int  # bytes

    def valgrind(self) -> str:
        """The `size,ways,line` form valgrind's --I1/--D1/--LL options take."""
        return f"{self.size},{self.ways},{self.line}"


def caches(sysfs: Path = SYSFS_CACHE) -> dict[tuple[str, str], Cache]:
    """Cache levels of the first core by (level, kind); {} when sysfs does not say."""
    found = {}
    for index in sorted(sysfs.glob("index*")):
        try:
            read = {name: (index / name).read_text().strip()
                    for name in ("level", "type", "size", "ways_of_associativity",
                                 "coherency_line_size")}
            cache = Cache(read["level"], read["type"], _bytes(read["size"]),
                          int(read["ways_of_associativity"]), int(read["coherency_line_size"]))
        except (OSError, ValueError):
            continue
        found[(cache.level, cache.kind)] = cache
    return found


def _bytes(size: str) -> int:
    """`48K`, `2048K`, `2M` or a plain number of bytes, as bytes."""
    size = size.upper()
    for suffix, factor in (("K", 1024), ("M", 1024 * 1024)):
        if size.endswith(suffix):
            return int(size[:-1]) * factor
    return int(size)


def processor(cpuinfo: Path = CPUINFO) -> str:
    """The first core's model name with its family and model numbers (a virtual machine often
    reports only a generic name; the numbers tell the generation)."""
    fields: dict[str, str] = {}
    try:
        text = cpuinfo.read_text()
    except OSError:
        return "unknown processor"
    for line in text.split("\n\n")[0].splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    name = fields.get("model name", "unknown processor")
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def describe(sysfs: Path = SYSFS_CACHE, cpuinfo: Path = CPUINFO) -> str:
    """One line naming the processor and its caches, for a benchmark's header."""
    levels = caches(sysfs)
    names = {("1", "Data"): "L1d", ("1", "Instruction"): "L1i", ("2", "Unified"): "L2",
             ("3", "Unified"): "L3"}
    sizes = [f"{label} {_human(levels[key].size)}" for key, label in names.items()
             if key in levels]
    return processor(cpuinfo) + (", " + ", ".join(sizes) if sizes else ", caches unknown")


def _human(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} KB"
