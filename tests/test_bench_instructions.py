"""The machine the benchmarks describe and the cache geometry bench_instructions.py gives
valgrind, read from a (fake) sysfs and /proc/cpuinfo."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "bench"))
try:
    from bench_instructions import cache_options
    from machine import caches, describe
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


def test_a_last_level_given_replaces_this_machines_l2(tmp_path):
    _level(tmp_path, "index0", 1, "Data", "48K", 12)
    _level(tmp_path, "index1", 1, "Instruction", "32K", 8)
    _level(tmp_path, "index2", 2, "Unified", "2048K", 16)
    assert cache_options(tmp_path, last_level="524288,8,64") == [
        "--I1=32768,8,64", "--D1=49152,12,64", "--LL=524288,8,64"]


def test_the_machine_line_names_processor_generation_and_every_cache(tmp_path):
    _level(tmp_path, "index0", 1, "Data", "48K", 12)
    _level(tmp_path, "index1", 1, "Instruction", "32K", 8)
    _level(tmp_path, "index2", 2, "Unified", "2048K", 16)
    _level(tmp_path, "index3", 3, "Unified", "307200K", 15)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\ncpu family\t: 6\nmodel\t\t: 207\n"
                       "model name\t: Intel(R) Xeon(R) Processor\n\n"
                       "processor\t: 1\nmodel name\t: another\n")
    assert describe(tmp_path, cpuinfo) == (
        "Intel(R) Xeon(R) Processor (family 6, model 207), "
        "L1d 48 KB, L1i 32 KB, L2 2 MB, L3 300 MB")


def test_the_machine_line_says_what_it_could_not_read(tmp_path):
    assert describe(tmp_path / "absent", tmp_path / "absent") == (
        "unknown processor, caches unknown")
    _level(tmp_path, "index0", 1, "Data", "not a size", 8)
    assert caches(tmp_path) == {}
