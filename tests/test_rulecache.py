"""The cache of validated rule files: same rules as a fresh load, never stale, never fatal."""
from __future__ import annotations

import shutil

import pytest

from storylint import rulecache
from storylint.engine import bundled_pack_dirs
from storylint.rulepack import RulePackError, load_pack


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("STORYLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("STORYLINT_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def pack(tmp_path):
    copy = tmp_path / "pack"
    shutil.copytree(bundled_pack_dirs()[0], copy)
    return copy


def test_cached_load_gives_the_same_rules(cache, pack):
    fresh = load_pack(pack)
    assert len(list(cache.glob("rule-*.json"))) == len(fresh.rules) + 1  # + pack.yaml
    cached = load_pack(pack)
    assert cached.rules == fresh.rules  # every field but the built check compares
    assert [r.options for r in cached.rules] == [r.options for r in fresh.rules]
    assert all(r.check is not None for r in cached.rules)


def test_an_edited_rule_file_is_validated_again(cache, pack):
    load_pack(pack)
    rule = pack / "shot-numbering.yaml"
    rule.write_text(rule.read_text().replace("severity: error", "severity: fatal"))
    with pytest.raises(RulePackError, match="'fatal' is not one of"):
        load_pack(pack)


def test_damaged_entries_are_ignored(cache, pack):
    fresh = load_pack(pack)
    for entry in cache.glob("rule-*.json"):
        entry.write_text("{not json")
    assert load_pack(pack).rules == fresh.rules


def test_cache_can_be_switched_off(cache, pack, monkeypatch):
    monkeypatch.setenv("STORYLINT_NO_CACHE", "1")
    assert rulecache.cache_dir() is None
    load_pack(pack)
    assert not cache.exists()


def test_unwritable_cache_folder_is_not_an_error(tmp_path, pack, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("STORYLINT_CACHE_DIR", str(blocker / "sub"))
    assert load_pack(pack).rules


def test_key_changes_with_content():
    assert rulecache.key_for("a.yaml", b"x") != rulecache.key_for("a.yaml", b"y")
    assert rulecache.key_for("a.yaml", b"x") != rulecache.key_for("b.yaml", b"x")


def test_cache_is_pruned_to_the_newest_entries(cache, monkeypatch):
    """Past MAX_ENTRIES, a store deletes the oldest entries and keeps the one just written."""
    import os

    monkeypatch.setattr(rulecache, "MAX_ENTRIES", 10)
    for index in range(10):
        rulecache.store(f"old{index}", {"n": index})
        os.utime(cache / f"rule-old{index}.json", ns=(index * 10**9, index * 10**9))
    assert len(list(cache.glob("rule-*.json"))) == 10
    rulecache.store("new", {"n": 99})
    kept = sorted(p.name for p in cache.glob("rule-*.json"))
    assert kept == sorted(["rule-new.json"] + [f"rule-old{i}.json" for i in range(6, 10)])
    assert rulecache.load("new")["n"] == 99
