"""The cache geometry bench_instructions.py gives valgrind, read from a (fake) sysfs."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "bench"))
try:
    from bench_instructions import cache_options
finally:
    sys.path.pop(0)


def _level(folder: Path, name: str, level: int, kind: str, size: str, ways: int) -> None:
    index = folder / name
    index.mkdir(parents=True)
    for field, value in (("level", level), ("type", kind), ("size", size),
                         ("ways_of_associativity", ways), ("coherency_line_size", 64)):
        (index / field).write_text(f"{value}\n")


def test_l1_caches_and_the_per_core_l2_become_valgrinds_three_levels(tmp_path):
    _level(tmp_path, "index0", 1, "Data", "32K", 8)
    _level(tmp_path, "index1", 1, "Instruction", "64K", 4)
    _level(tmp_path, "index2", 2, "Unified", "1M", 16)
    _level(tmp_path, "index3", 3, "Unified", "32768K", 16)  # shared: not the simulated level
    assert cache_options(tmp_path) == ["--I1=65536,4,64", "--D1=32768,8,64",
                                       "--LL=1048576,16,64"]


def test_no_options_when_a_level_is_missing(tmp_path):
    _level(tmp_path, "index0", 1, "Data", "32K", 8)
    _level(tmp_path, "index1", 1, "Instruction", "32K", 8)
    assert cache_options(tmp_path) == []
    assert cache_options(tmp_path / "absent") == []
