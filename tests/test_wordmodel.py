"""The confusable-word model: building from counts, checksums, lazy loading, bad files."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections import Counter

import pytest

from storylint.training.confusables import (
    add_contractions,
    class_lifts,
    count_news,
    learn_classes,
    model_counts,
    write_manifest,
    write_model,
)
from storylint.wordmodel import FEATURES, MANIFEST, ModelError, read_model

SETS = [["than", "then"], ["its", "it's"]]
UNIGRAMS = {"than": 5_000_000, "then": 4_000_000, "its": 5_000_000, "it": 30_000_000,
            "is": 50_000_000, "has": 10_000_000, "more": 20_000_000, "own": 3_000_000,
            "and": 90_000_000, "the": 200_000_000, "a": 100_000_000}
BIGRAMS = {"more than": 80_000_000, "and then": 60_000_000, "its own": 40_000_000,
           "it is": 900_000_000, "it has": 300_000_000, "is a": 700_000_000,
           "the than": 10, "then the": 30_000_000}


def _build(folder, news=None):
    counts = model_counts(SETS, dict(UNIGRAMS), dict(BIGRAMS), news)
    return write_model(folder, SETS, counts, [{"name": "test counts"}])


def test_built_model_prefers_the_observed_pair(tmp_path):
    _build(tmp_path)
    counts = read_model(tmp_path).counts()
    evidence = counts.compare("then", ["than"], "more", None)
    assert evidence.alternative == "than" and evidence.log_ratio > 3 and evidence.support > 0
    assert counts.compare("than", ["then"], "more", None).log_ratio < 0


def test_contractions_are_derived_from_their_expansions():
    unigrams, bigrams = dict(UNIGRAMS), dict(BIGRAMS)
    add_contractions(unigrams, bigrams, 30.0, {"it's"})
    assert unigrams["it's"] == round((900_000_000 + 300_000_000) / 30)
    assert bigrams["it's a"] > 0 and "it's own" not in bigrams


def test_contractions_take_their_left_neighbours_from_subject_pronouns():
    unigrams = {**UNIGRAMS, "he": 20_000_000, "she": 10_000_000, "sold": 1_000_000,
                "said": 5_000_000}
    bigrams = {**BIGRAMS, "sold it": 50_000_000, "said he": 80_000_000}
    add_contractions(unigrams, bigrams, 30.0, {"it's"})
    assert "sold it's" not in bigrams  # "it" after "sold" is an object, never "it is"
    assert bigrams["said it's"] == round(80_000_000 * unigrams["it's"] / 30_000_000)


def test_news_counts_add_pairs_edges_and_class_lifts():
    news = count_news(["Than he left.", "Its profits rose, its shares fell."] * 15,
                      {"than", "its"})
    assert news.bigrams["<s> than"] == 15 and news.bigrams["its profits"] == 15
    lifts = class_lifts(news)
    assert lifts["right"]["its"]["~s"] > 1  # plural nouns follow "its"


def test_learned_classes_group_words_by_their_neighbours():
    nouns, verbs = ("cat", "dog", "cow", "hen"), ("sat", "ran", "slept", "ate")
    text = [f"The {n} {v} here." for n in nouns for v in verbs] * 3
    news = count_news(text, {"the"})
    classes = learn_classes(news, {}, count=3)
    assert len({classes[n] for n in nouns}) == 1 and len({classes[v] for v in verbs}) == 1
    assert classes["cat"] != classes["sat"]


def test_learned_classes_estimate_pairs_never_counted(tmp_path):
    """"its" is followed by nouns in the news counts, so "its hen" (never counted) is
    estimated higher than "its ran" although both words end in the same letters class-wise."""
    nouns, verbs = ("cat", "dog", "cow", "hen"), ("sat", "ran", "slept", "ate")
    text = [f"The {n} {v} here, its {n} {v} too." for n in nouns[:3] for v in verbs] * 10
    text += [f"The {n} {v} here." for n in nouns for v in verbs] * 3
    news = count_news(text, {"its", "it's"})
    bigrams = {k: v for k, v in BIGRAMS.items() if v > 1000}  # a floor above the estimates
    counts = model_counts(SETS, dict(UNIGRAMS), bigrams, news, class_count=4)
    write_model(tmp_path, SETS, counts, [{"name": "test counts"}])
    model = read_model(tmp_path).counts()
    assert model.classes["hen"] == model.classes["cat"] != model.classes["ran"]
    hen, seen = model.pair("its", "hen", "its", "right")
    ran, _ = model.pair("its", "ran", "its", "right")
    assert not seen and hen > ran


def test_checksum_mismatch_is_refused(tmp_path):
    manifest = _build(tmp_path)
    (tmp_path / manifest["data"]).write_bytes(gzip.compress(b"{}"))
    with pytest.raises(ModelError, match="checksum mismatch"):
        read_model(tmp_path)


def test_missing_and_future_models_are_refused(tmp_path):
    with pytest.raises(ModelError, match="model not found"):
        read_model(tmp_path)
    manifest = _build(tmp_path)
    write_manifest(tmp_path, {**manifest, "format_version": 99})
    with pytest.raises(ModelError, match="newer than this storylint supports"):
        read_model(tmp_path)
    write_manifest(tmp_path, {**manifest, "weights": [1.0]})
    with pytest.raises(ModelError, match="weights"):
        read_model(tmp_path)


def test_corrupt_data_with_matching_checksum_is_a_model_error(tmp_path):
    manifest = _build(tmp_path)
    data = b"not gzip at all"
    (tmp_path / manifest["data"]).write_bytes(data)
    write_manifest(tmp_path, {**manifest, "sha256": hashlib.sha256(data).hexdigest()})
    model = read_model(tmp_path)
    with pytest.raises(ModelError, match="unreadable model data"):
        model.counts()


def _rewrite_data(folder, manifest, change):
    """Apply `change` to the model's decoded counts and write them back with a matching
    checksum (a well-formed file whose numbers are wrong)."""
    path = folder / manifest["data"]
    raw = json.loads(gzip.decompress(path.read_bytes()))
    change(raw)
    data = gzip.compress(json.dumps(raw).encode())
    path.write_bytes(data)
    write_manifest(folder, {**manifest, "sha256": hashlib.sha256(data).hexdigest()})


@pytest.mark.parametrize("change, named", [
    (lambda raw: raw["unigrams"].update({"than": 0}), "unigrams.than is 0"),
    (lambda raw: raw["bigrams"].update({"more than": -3}), "bigrams.more than is -3"),
    (lambda raw: raw.update({"total": 0}), "total is 0.0"),
    (lambda raw: raw["lifts"]["left"].update({"than": {"": 0.0}}), "lifts.left.than. is 0.0"),
    (lambda raw: raw["unigrams"].update({"then": "many"}), "unigrams.then is 'many'"),
    (lambda raw: raw["lifts"].update({"right": []}), "lifts.right is not a mapping"),
    (lambda raw: raw["bigrams"].update({"its own": float("nan")}), "bigrams.its own is nan"),
    (lambda raw: raw.update({"floor": float("inf")}), "floor is inf"),
    (lambda raw: raw["unigrams"].update({"than": 10 ** 400}), "unigrams.than is 1000"),
])
def test_counts_the_scores_take_logs_of_must_be_positive(tmp_path, change, named):
    manifest = _build(tmp_path)
    _rewrite_data(tmp_path, manifest, change)
    model = read_model(tmp_path)
    with pytest.raises(ModelError, match="not a positive number|not a mapping") as raised:
        model.counts()
    assert named in str(raised.value) and str(tmp_path) in str(raised.value)


def test_a_scalar_beyond_any_float_is_unreadable_data(tmp_path):
    manifest = _build(tmp_path)
    _rewrite_data(tmp_path, manifest, lambda raw: raw.update({"floor": 10 ** 400}))
    with pytest.raises(ModelError, match="unreadable model data"):
        read_model(tmp_path).counts()


def test_an_untouched_model_passes_the_number_check(tmp_path):
    manifest = _build(tmp_path)
    _rewrite_data(tmp_path, manifest, lambda raw: None)
    assert read_model(tmp_path).counts().invalid_number() is None


def test_counts_are_parsed_only_when_a_candidate_occurs(all_rules):
    from storylint.engine import rule_index
    from storylint.story import Story

    rule = rule_index(all_rules[0])["confusable-word-likely"]
    check = type(rule.check)(rule.check.members, rule.check.finder, {
        "model": "confusables", "min_ratio": 10.0, "skip_capitalized": True, "max_per_file": 5})
    check.prepare()
    assert check.model._counts is None
    check.run(Story("No candidate words at all here.", "x"), rule)
    assert check.model._counts is None
    check.run(Story("Prices rose more then expected.", "x"), rule)
    assert check.model._counts is not None


def test_bundled_model_matches_its_manifest():
    from storylint.resources import data_dir

    folder = data_dir("models") / "confusables"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert hashlib.sha256((folder / manifest["data"]).read_bytes()).hexdigest() == \
        manifest["sha256"]
    assert len(manifest["weights"]) == len(FEATURES)
    assert manifest["tuning"]["split"] == "dev"
    assert read_model(folder).counts().invalid_number() is None


@pytest.mark.parametrize("damage, said", [
    (lambda folder, manifest: (folder / manifest["data"]).write_bytes(b"tampered"),
     "model checksum mismatch"),
    (lambda folder, manifest: _rewrite_data(folder, manifest,
                                            lambda raw: raw["unigrams"].update({"then": 0})),
     "unigrams.then is 0, not a positive number"),
])
def test_cli_reports_a_broken_model_with_exit_2(tmp_path, monkeypatch, capsys, damage, said):
    """The bundled model, damaged: refused before any story, or (bad numbers) when the counts
    are first read, for the first story with a candidate word."""
    from storylint import resources
    from storylint.cli import main

    models = tmp_path / "models" / "confusables"
    shutil.copytree(resources.data_dir("models") / "confusables", models)
    (models.parent / "promo-tail").symlink_to(resources.data_dir("models") / "promo-tail")
    damage(models, json.loads((models / MANIFEST).read_text()))
    real = resources.data_dir
    monkeypatch.setattr(resources, "data_dir",
                        lambda name: tmp_path / "models" if name == "models" else real(name))
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(4):
        (archive / f"story-{n}.txt").write_text("Prices rose more then expected.\n")
    report = tmp_path / "report.json"
    for command in (["check", "--isolated", str(archive)],  # in this process
                    ["report", "--isolated", "-q", "--jobs", "2", str(archive), "-o",
                     str(report)]):  # in worker processes
        assert main(command) == 2
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err
    assert not report.exists()


def test_news_counts_do_not_pair_words_across_symbols():
    news = count_news(["Shares rose 5% & then fell, then 3 rose"], {"then"})
    assert news.bigrams == Counter({"then fell": 1, "<c> then": 1, "then <num>": 1})


def test_compare_scores_equal_the_weighted_features_of_the_shipped_model():
    """`compare` sums the evidence term by term for speed; it must equal the weighted feature
    vector that the weights were fitted on, for every kind of neighbour (edge, counted, unseen)."""
    import itertools
    import math
    from pathlib import Path

    counts = read_model(Path(__file__).parents[1] / "models" / "confusables").counts()
    words = ["than", "then", "its", "it's", "their", "there", "led", "lead", "affect", "effect"]
    neighbours = [None, "<s>", "</s>", "more", "the", "is", "by", "zzqx", "own", "been"]
    checked = 0
    for word, alt, left, right in itertools.product(words, words, neighbours, neighbours):
        if word == alt:
            continue
        far = (left and "said", right and "company")
        expected = sum(w * f for w, f in zip(counts.weights,
                                             counts.features(word, alt, left, right, far=far)))
        evidence = counts.compare(word, [alt], left, right, far)
        assert math.isclose(evidence.log_ratio, expected, rel_tol=1e-12, abs_tol=1e-12)
        checked += 1
    assert checked == 90 * 100
