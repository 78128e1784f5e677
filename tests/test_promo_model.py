"""The promo-tail model files: export, verified loading, and every refusal of RELIABILITY 1-7."""
from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from array import array
from pathlib import Path

import pytest

from storylint import features as F
from storylint.cli import main
from storylint.model import (FORMAT_VERSION, MANIFEST, WEIGHTS, ModelError, load_model,
                             read_manifest, resolve_model_dir)
from tinymodel import train_tiny

STORY = """Storm hits coast

(3 Mar 2024)

Cork, Ireland - 3 March 2024
1. Wide of waves breaking over the pier

Waves battered the coast on Sunday, flooding homes near the harbour.

Clients are reminded to adhere to all listed restrictions and to check the terms of their licence agreements.

You can license this story through AP Archive: http://www.aparchive.com/metadata/1

Subscribe to my channel for daily storm videos and follow me on Instagram @stormchaser!
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """A tiny model trained on the fixtures (module scope: trained once)."""
    folder = tmp_path_factory.mktemp("tiny") / "model"
    train_tiny(folder)
    return folder


@pytest.fixture
def model_copy(tiny, tmp_path) -> Path:
    """A private copy of the tiny model that a test may damage."""
    target = tmp_path / "model"
    shutil.copytree(tiny, target)
    return target


def _story(tmp_path: Path, text: str = STORY, name: str = "story.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _check(model: Path, *paths, extra=()) -> int:
    return main(["check", "--isolated", "--select", "promo-tail", "--model", str(model),
                 *extra, *map(str, paths)])


def _rewrite_manifest(folder: Path, **changes) -> None:
    data = json.loads((folder / MANIFEST).read_text())
    data.update(changes)
    (folder / MANIFEST).write_text(json.dumps(data))


def test_export_writes_manifest_with_the_weights_checksum(tiny):
    manifest = read_manifest(tiny)
    raw = (tiny / WEIGHTS).read_bytes()
    assert manifest.data["files"][WEIGHTS]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert len(raw) == 4 * ((1 << 12) + len(manifest.data["dense_features"]))
    assert manifest.data["format_version"] == FORMAT_VERSION


def test_tiny_model_loads_and_flags_the_appended_promotion(tiny, tmp_path, capsys):
    code = _check(tiny, _story(tmp_path))
    out = capsys.readouterr().out
    assert code == 1
    assert ":14:1: SL501 error Promotional or off-topic text" in out


@pytest.mark.parametrize("name", ["model.pkl", "pipeline.joblib"])
def test_pickle_files_are_refused_before_anything_is_read(model_copy, tmp_path, capsys, name):
    (model_copy / name).write_bytes(pickle.dumps({"any": "object"}))
    assert _check(model_copy, _story(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"model format not allowed: {model_copy / name} (pickle/joblib)" in err
    assert "Traceback" not in err


def test_a_pickle_under_an_innocent_name_is_recognised_by_its_bytes(model_copy, tmp_path,
                                                                      capsys):
    (model_copy / "extra.bin").write_bytes(pickle.dumps([1, 2, 3], protocol=4))
    assert _check(model_copy, _story(tmp_path)) == 2
    assert "model format not allowed" in capsys.readouterr().err


def test_a_model_path_naming_a_joblib_file_is_refused(tmp_path, capsys):
    path = tmp_path / "promo.joblib"
    path.write_bytes(pickle.dumps("payload"))
    assert _check(path, _story(tmp_path)) == 2
    assert f"model format not allowed: {path} (pickle/joblib)" in capsys.readouterr().err


def test_checksum_mismatch_is_refused(model_copy, tmp_path, capsys):
    raw = bytearray((model_copy / WEIGHTS).read_bytes())
    raw[100] ^= 0xFF
    (model_copy / WEIGHTS).write_bytes(bytes(raw))
    assert _check(model_copy, _story(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"model checksum mismatch: {model_copy / WEIGHTS} (expected " in err
    assert ", got " in err


def test_truncated_weights_are_refused(model_copy):
    raw = (model_copy / WEIGHTS).read_bytes()
    (model_copy / WEIGHTS).write_bytes(raw[:len(raw) // 2])
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_model(model_copy)


def test_empty_weights_file_is_refused(model_copy):
    (model_copy / WEIGHTS).write_bytes(b"")
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_model(model_copy)


@pytest.mark.parametrize("content, message", [
    (b"", "manifest is not valid JSON"),
    (b"{not json", "manifest is not valid JSON"),
    (b"[1, 2]", "manifest must be a JSON object"),
    (b"\xff\xfe", "manifest is not valid JSON"),
])
def test_malformed_manifest_is_refused(model_copy, content, message):
    (model_copy / MANIFEST).write_bytes(content)
    with pytest.raises(ModelError, match=message):
        load_model(model_copy)


@pytest.mark.parametrize("changes, message", [
    ({"format": "sklearn-pickle"}, "unknown model format 'sklearn-pickle'"),
    ({"hash_bits": 40}, "hash_bits 40 out of range"),
    ({"hash_bits": 13}, "weights.f32 is listed as"),
    ({"intercept": "high"}, "field 'intercept' is missing or not a float"),
    ({"files": {}}, "must list weights.f32 with its sha256 and bytes"),
])
def test_manifest_shape_errors_name_the_problem(model_copy, changes, message):
    _rewrite_manifest(model_copy, **changes)
    with pytest.raises(ModelError, match=message):
        load_model(model_copy)


def test_newer_format_version_names_both_versions(model_copy, tmp_path, capsys):
    _rewrite_manifest(model_copy, format_version=FORMAT_VERSION + 1)
    assert _check(model_copy, _story(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"model format version {FORMAT_VERSION + 1} is newer than this storylint supports " \
           f"({FORMAT_VERSION})" in err


def test_feature_version_skew_is_an_error_unless_allowed(model_copy, tmp_path, capsys):
    _rewrite_manifest(model_copy, feature_version=99)
    assert _check(model_copy, _story(tmp_path)) == 2
    err = capsys.readouterr().err
    assert ("model was built with features version 99 (this storylint computes version "
            f"{F.FEATURE_VERSION})") in err
    assert "--allow-model-version-skew" in err
    assert _check(model_copy, _story(tmp_path), extra=["--allow-model-version-skew"]) == 1
    captured = capsys.readouterr()
    assert "storylint: warning:" in captured.err
    assert "SL501" in captured.out


def test_missing_model_folder_says_how_to_build_it(tmp_path, capsys):
    assert _check(tmp_path / "nowhere", _story(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"model not found: {tmp_path / 'nowhere'}; run `storylint train`" in err


def test_missing_weights_file_is_reported(model_copy):
    (model_copy / WEIGHTS).unlink()
    with pytest.raises(ModelError, match="model file missing"):
        load_model(model_copy)


def test_nan_probability_is_an_internal_error_for_that_file_only(model_copy, tmp_path, capsys):
    data = json.loads((model_copy / MANIFEST).read_text())
    weights = array("f", [float("nan")] * (data["files"][WEIGHTS]["bytes"] // 4))
    raw = weights.tobytes()
    (model_copy / WEIGHTS).write_bytes(raw)
    data["files"][WEIGHTS]["sha256"] = hashlib.sha256(raw).hexdigest()
    (model_copy / MANIFEST).write_text(json.dumps(data))
    first, second = _story(tmp_path, name="a.txt"), _story(tmp_path, name="b.txt")
    assert _check(model_copy, first, second) == 3
    out = capsys.readouterr().out
    assert out.count("SL900 error internal error in rule promo-tail on") == 2
    assert "model returned NaN" in out


@pytest.mark.parametrize("text", ["!!!\n", "...\n\n???\n", "\u200b\n", "x"])
def test_odd_stories_do_not_crash_the_scorer(tiny, tmp_path, capsys, text):
    code = _check(tiny, _story(tmp_path, text))
    assert code in (0, 1)
    assert "SL900" not in capsys.readouterr().out


def test_bundled_model_name_resolves_to_the_models_folder():
    folder = resolve_model_dir("promo-tail")
    assert folder.name == "promo-tail" and folder.parent.name == "models"


def test_shipped_model_verifies_against_its_manifest():
    model = load_model(resolve_model_dir("promo-tail"))
    assert 0.0 < model.threshold < 1.0
    card = (resolve_model_dir("promo-tail") / "MODEL_CARD.md").read_text()
    assert model.manifest.data["files"][WEIGHTS]["sha256"] in card


def _json_scores(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {Path(f["path"]).name: [(x["code"], x["line"], x.get("score")) for x in f["findings"]]
            for f in data["files"]}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_report_workers_use_the_model_given_on_the_command_line(tiny, tmp_path, monkeypatch,
                                                                   jobs):
    """`report --model DIR` scores with DIR in every worker process, exactly as `check` does."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for index in range(6):
        _story(folder, STORY.replace("storm videos", f"storm videos {index}"), f"s{index}.txt")
    monkeypatch.chdir(tmp_path)
    base = ["--isolated", "--select", "promo-tail", "--format", "json"]
    assert main(["report", *base, "--jobs", jobs, "--model", str(tiny), "-q",
                 "-o", "with.json", "archive"]) == 1
    assert main(["report", *base, "--jobs", jobs, "-q", "-o", "bundled.json", "archive"]) in (0, 1)
    assert main(["check", *base, "--model", str(tiny), "-o", "check.json", "archive"]) == 1
    with_model = _json_scores(tmp_path / "with.json")
    assert with_model == _json_scores(tmp_path / "check.json")
    assert len(with_model) == 6 and all(with_model.values())
    assert with_model != _json_scores(tmp_path / "bundled.json")
