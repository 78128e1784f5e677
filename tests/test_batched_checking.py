"""Checking stories in batches, rule by rule (`check_texts`, `check_files`): the same results as
one story at a time, in the order given, with a failing rule still confined to its story."""
from __future__ import annotations

import gc
import shutil
import threading
from pathlib import Path

from conftest import FIXTURES

from storylint.collector import COLLECTOR_PAUSE
from storylint.engine import BATCH_SIZE, Linter


def _fixture_paths() -> list[Path]:
    return sorted(FIXTURES.rglob("*.txt"))


def test_check_texts_gives_each_story_what_check_text_gives_it(linter: Linter):
    texts = [(p.read_bytes().decode("utf-8", "replace"), str(p), "utf-8")
             for p in _fixture_paths()]
    texts[3:3] = [("", "empty.txt", "utf-8"), (" \n\t\n", "blank.txt", None)]
    assert any("[storylint:" in text for text, _, _ in texts)  # suppressions are applied too
    batched = linter.check_texts(texts)
    assert len(texts) > BATCH_SIZE and len(batched) == len(texts)
    assert batched == [linter.check_text(*item) for item in texts]
    assert [f.name for f in batched[3]] == ["empty-story"] and batched[3][0].path == "empty.txt"
    assert sum(map(len, batched)) > 50


def test_check_files_gives_each_path_what_check_file_gives_it(linter: Linter, tmp_path: Path):
    paths = []
    for index, source in enumerate(_fixture_paths()):
        paths.append(tmp_path / f"{index:02}-{source.name}")
        shutil.copyfile(source, paths[-1])
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    (tmp_path / "folder.txt").mkdir()
    paths[5:5] = [tmp_path / "empty.txt", tmp_path / "binary.txt", tmp_path / "folder.txt",
                  tmp_path / "missing.txt"]
    names = [str(p) for p in paths]
    batched = linter.check_files(names)
    assert len(names) > 2 * BATCH_SIZE  # several batches, the last one partial
    assert [r.path for r in batched] == names
    assert batched == [linter.check_file(name) for name in names]
    assert [[f.name for f in r.findings] for r in batched[5:9]] == [
        ["empty-story"], ["binary-file"], ["not-regular-file"], ["unreadable-file"]]


def test_a_rule_failing_on_one_story_of_a_batch_spares_the_others(all_rules, monkeypatch):
    from storylint.checks import substitution
    from storylint.config import Config
    from storylint.engine import select_rules

    rules, fmt = all_rules
    linter = Linter(select_rules(rules, Config()), Config(), fmt)
    texts = [(p.read_bytes().decode("utf-8", "replace"), str(p), "utf-8")
             for p in _fixture_paths()[:BATCH_SIZE]]
    expected = [linter.check_text(*item) for item in texts]
    original = substitution._Substitution.run
    victim = texts[4][1]

    def failing(self, story, rule):  # the Linter itself may be compiled: patch the check
        if story.path == victim:
            raise RuntimeError("boom")
        return original(self, story, rule)

    monkeypatch.setattr(substitution._Substitution, "run", failing)
    batched = linter.check_texts(texts)
    assert linter.internal_errors == 1
    assert [f.name for f in batched[4] if f.name == "internal-error"] == ["internal-error"]
    assert "boom" in next(f.message for f in batched[4] if f.name == "internal-error")
    assert batched[:4] + batched[5:] == expected[:4] + expected[5:]


def test_checking_builds_no_reference_cycles(linter: Linter):
    """What lets check_texts pause the collector: everything a check builds is freed by
    reference counting, so a collection after a batch finds nothing."""
    texts = [(p.read_bytes().decode("utf-8", "replace"), str(p), "utf-8")
             for p in _fixture_paths()]
    linter.check_texts(texts)  # lazy model loads and compiled patterns first
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            linter.check_text(*text)
        results = linter.check_texts(texts)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert sum(map(len, results)) > 50 and unreachable == 0


def test_the_collector_pause_restores_the_state_it_found():
    assert gc.isenabled()
    with COLLECTOR_PAUSE:
        assert not gc.isenabled()
        with COLLECTOR_PAUSE:
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer user is still inside
    assert gc.isenabled()
    gc.disable()
    try:
        with COLLECTOR_PAUSE:
            pass
        assert not gc.isenabled()  # disabled by the program: left so
    finally:
        gc.enable()


def test_concurrent_batches_leave_the_collector_running(linter: Linter):
    texts = [(p.read_bytes().decode("utf-8", "replace"), str(p), "utf-8")
             for p in _fixture_paths()]
    expected = linter.check_texts(texts)
    inside = threading.Barrier(2)

    def worker(results: list):
        with COLLECTOR_PAUSE:  # overlap the two threads' pauses for certain
            inside.wait(timeout=30)
            results.append(linter.check_texts(texts))

    outputs: list = []
    threads = [threading.Thread(target=worker, args=(outputs,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outputs == [expected, expected] and gc.isenabled()


def test_rules_run_with_the_collector_paused_in_a_batch_only(linter: Linter, monkeypatch):
    from storylint.checks import substitution

    original = substitution._Substitution.run
    seen: list[bool] = []

    def recording(self, story, rule):  # the Linter itself may be compiled: patch the check
        seen.append(gc.isenabled())
        return original(self, story, rule)

    monkeypatch.setattr(substitution._Substitution, "run", recording)
    text = _fixture_paths()[0].read_text(encoding="utf-8")
    linter.check_texts([(text, "a.txt", "utf-8"), (text, "b.txt", "utf-8")])
    in_batch, seen[:] = list(seen), []
    linter.check_text(text)
    assert in_batch and not any(in_batch) and seen and all(seen) and gc.isenabled()
