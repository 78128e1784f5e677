"""The maintainer commands' default paths: a checkout's folders, required when installed, and
never the installed copy of a bundled model."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from storylint.cli import main
from storylint.resources import data_dir
from storylint.training import checkout
from storylint.training.checkout import TrainingError, checkout_default, refuse_installed_copy
from storylint.training.typo_eval import load_known_errors

PROMO_FIXTURES = FIXTURES / "promo-tail"


MODELS = data_dir("models")  # the bundled models this storylint reads (checkout or installed)


@pytest.fixture
def installed(monkeypatch, tmp_path):
    """storylint as if pip had installed it: no checkout around it, and the folder holding the
    bundled models standing in for the installed package (so they are "the installed copy").
    The suite also runs against a real install (tests/test_compiled_build.py)."""
    monkeypatch.setattr(checkout, "ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(checkout, "PACKAGE", MODELS.parent)
    return tmp_path


def test_in_a_checkout_the_defaults_are_its_folders(monkeypatch):
    monkeypatch.setattr(checkout, "ROOT", REPO)  # this checkout, wherever storylint is installed
    assert checkout.source_checkout() == REPO
    assert checkout_default(None, "models/promo-tail", "--output DIR") == REPO / "models" / \
        "promo-tail"
    assert checkout_default("elsewhere", "models/promo-tail", "--output DIR") == Path("elsewhere")


def test_installed_a_default_path_is_refused_naming_the_option(installed):
    assert checkout.source_checkout() is None
    with pytest.raises(TrainingError, match=r"give --output DIR: its default, models/promo-tail"):
        checkout_default(None, "models/promo-tail", "--output DIR")
    assert checkout_default("mine", "models/promo-tail", "--output DIR") == Path("mine")


def test_the_installed_copy_of_a_bundled_model_is_never_rewritten(installed):
    with pytest.raises(TrainingError, match="bundled model of an installed storylint"):
        refuse_installed_copy(MODELS / "confusables", "storylint confusables build", "do X")
    own = installed / "my-model"
    assert refuse_installed_copy(own, "storylint train", "do X") == own


def test_train_installed_asks_for_fixtures_then_output_before_any_work(installed, capsys):
    data = installed / "data"
    data.mkdir()
    assert main(["train", "--data", str(data)]) == 2
    assert "give --fixtures DIR" in capsys.readouterr().err
    assert main(["train", "--data", str(data), "--fixtures", str(PROMO_FIXTURES)]) == 2
    assert "give --output DIR" in capsys.readouterr().err
    assert main(["train", "--data", str(data), "--fixtures", str(PROMO_FIXTURES),
                 "--output", str(MODELS / "promo-tail")]) == 2
    assert "would rewrite" in (err := capsys.readouterr().err)
    assert "give --output another folder" in err
    assert not (installed / "site-packages").exists()  # nothing written anywhere


def test_eval_installed_needs_a_model_and_leaves_the_installed_card_alone(installed, capsys):
    data = installed / "data"
    data.mkdir()
    common = ["eval", "--data", str(data), "--fixtures", str(PROMO_FIXTURES)]
    assert main(common) == 2
    assert "give --model DIR" in capsys.readouterr().err
    card = MODELS / "promo-tail" / "manifest.json"
    before = card.read_bytes()
    assert main([*common, "--model", str(card.parent)]) == 2
    err = capsys.readouterr().err
    assert "writes the metrics into the card" in err and "add --no-write" in err
    assert card.read_bytes() == before


@pytest.mark.parametrize("action", ["build", "tune"])
def test_confusables_build_and_tune_refuse_the_installed_copy(installed, capsys, action):
    data = installed / "data"
    data.mkdir()
    manifest = MODELS / "confusables" / "manifest.json"
    before = manifest.read_bytes()
    assert main(["confusables", action, "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"storylint confusables {action} would rewrite" in err, err
    assert "`model` option of confusable-word-likely" in err
    assert manifest.read_bytes() == before


def test_known_corpus_errors_come_from_the_checkout_only(installed, tmp_path):
    assert load_known_errors() == []  # installed: no hand-checked list to read
    listed = load_known_errors(FIXTURES / "confusables" / "dev-corpus-errors.tsv")
    assert listed  # the list itself is there to read when named


def test_a_data_folder_missing_a_corpus_file_is_a_usage_error_naming_it(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    assert main(["confusables", "eval", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "storylint: error:" in err and "test.csv" in err and "internal error" not in err
