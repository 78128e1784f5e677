"""Configuration discovery, validation and selection."""
from __future__ import annotations

import pytest

from storylint.config import Config, ConfigError, find_config, load_config
from storylint.engine import select_rules
from storylint.finding import Severity


def test_found_upward_from_working_directory(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.storylint]\nignore = ['SL401']\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    path = find_config()
    assert path == tmp_path / "pyproject.toml"
    assert load_config(path).ignore == ("SL401",)


def test_pyproject_without_our_table_is_skipped_and_yaml_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert find_config(tmp_path) is None
    (tmp_path / ".storylint.yaml").write_text("fail-level: error\n")
    assert load_config(find_config(tmp_path)).fail_level == Severity.ERROR


def test_yaml_config_errors_are_located(tmp_path):
    path = tmp_path / ".storylint.yaml"
    path.write_text("fail-level: error\nselct: [SL301]\nseverity:\n  SL301: fatal\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    text = str(info.value)
    assert f"{path}:2:1: selct: unknown key 'selct' (did you mean 'select'?)" in text
    assert f"{path}:4:10: severity.SL301: unknown severity 'fatal'" in text


def test_toml_config_errors_name_the_line(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n\n[tool.storylint]\nfail-level = 'error'\nbogus = 1\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:6:1: bogus: unknown key 'bogus'"):
        load_config(path)


def test_extra_packs_are_relative_to_the_config_file(tmp_path):
    (tmp_path / ".storylint.yaml").write_text("packs: [house-rules]\nencoding-fallback: [latin-1]\n")
    config = load_config(tmp_path / ".storylint.yaml")
    assert config.packs == (tmp_path.resolve() / "house-rules",)
    assert config.encoding_fallback == ("latin-1",)


def test_unknown_encoding_is_an_error(tmp_path):
    (tmp_path / ".storylint.yaml").write_text("encoding-fallback: [klingon]\n")
    with pytest.raises(ConfigError, match="unknown encoding 'klingon'"):
        load_config(tmp_path / ".storylint.yaml")


def test_select_ignore_and_severity_by_code_name_or_prefix(all_rules):
    rules, _ = all_rules
    chosen = select_rules(rules, Config(select=("SL2", "confusable-word"), ignore=("SL202",),
                                        severity={"shot-numbering": Severity.INFO}))
    pack = {r.name: r for r in chosen if r.kind != "diagnostic"}
    assert set(pack) == {"shot-numbering", "confusable-word"}
    assert pack["shot-numbering"].severity == Severity.INFO
    assert any(r.name == "unreadable-file" for r in chosen)  # reading problems stay reported


def test_unknown_rule_in_selection_is_a_config_error(all_rules):
    rules, _ = all_rules
    with pytest.raises(ConfigError, match="unknown rule 'no-such-rule'"):
        select_rules(rules, Config(ignore=("no-such-rule",)))


def test_config_packs_may_not_escape_the_config_folder(tmp_path):
    (tmp_path / "repo").mkdir()
    config = tmp_path / "repo" / ".storylint.yaml"
    config.write_text("packs: [../elsewhere]\n")
    with pytest.raises(ConfigError, match=r"\.storylint\.yaml:1:\d+: packs\[0\]: pack folder "
                                          r"'\.\./elsewhere' is outside"):
        load_config(config)


def test_yaml_1_1_booleans_get_a_hint(tmp_path):
    (tmp_path / ".storylint.yaml").write_text("follow-symlinks: no\n")
    with pytest.raises(ConfigError, match=r"expected true or false, got str 'no' \(YAML 1\.1 "
                                          r"spelling\); write true or false"):
        load_config(tmp_path / ".storylint.yaml")
