"""The confusable-word measurement: splits, artificial errors, threshold choice, reproducibility."""
from __future__ import annotations

import json
import math
from collections import Counter

import pytest
from conftest import FIXTURES

from storylint.checks.context import compile_finder
from storylint.training.typo_eval import (
    KnownError,
    Sentence,
    choose_thresholds,
    load_known_errors,
    make_swaps,
    split_of,
)

KNOWN_ERRORS = FIXTURES / "confusables" / "dev-corpus-errors.tsv"


def test_split_is_by_document_and_stable():
    splits = Counter(split_of("bbc-news", f"business/{i:03d}") for i in range(2000))
    assert set(splits) == {"train", "dev", "held-out"}
    assert 0.45 < splits["train"] / 2000 < 0.55 and 0.25 < splits["held-out"] / 2000 < 0.35
    assert split_of("ag-news", "17") == split_of("ag-news", "17")


def test_swaps_replace_one_member_keeping_case():
    members = {"their": ("their", "there", "they're"), "there": ("their", "there", "they're"),
               "they're": ("their", "there", "they're")}
    finder = compile_finder(members)
    sentence = Sentence("s", "1", "Their fans said there was hope.", "dev")
    swaps = make_swaps([sentence], members, finder)
    assert [s.text for s in swaps] == [
        "There fans said there was hope.", "They're fans said there was hope.",
        "Their fans said their was hope.", "Their fans said they're was hope."]
    assert swaps[2].text[swaps[2].start:swaps[2].end] == "their"
    assert {s.key for s in swaps} == {"their|there|they're"}


def test_known_error_covers_only_its_own_occurrence():
    error = KnownError("bbc-news", "x/1", "then", "than", "less then those")
    text = "Claims were less then those of 2004, then fell."
    sentence = Sentence("bbc-news", "x/1", text, "dev")
    first, second = text.index("then"), text.rindex("then")
    assert error.covers(sentence, first, first + 4)
    assert not error.covers(sentence, second, second + 4)
    assert not error.covers(Sentence("bbc-news", "x/2", text, "dev"), first, first + 4)


def test_thresholds_trade_caught_errors_against_false_alarms():
    keys = ["a|b"]
    clean = {"a|b": [0.5, 1.0, 2.9]}
    errors = {"a|b": [1.5, 3.0, 3.5, 4.0, 5.0]}
    occurrences = Counter({"a|b": 200})
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=0, floor=2.0)
    assert math.log(chosen["a|b"]) == pytest.approx(3.0, abs=0.01)  # just above the clean 2.9
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=0, floor=2.0, margin=0.5)
    assert math.log(chosen["a|b"]) == pytest.approx(3.5, abs=0.01)  # 3.0 is within the margin
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=1, floor=2.0)
    assert math.log(chosen["a|b"]) == pytest.approx(1.5, abs=0.01)  # one alarm buys one error


def test_budget_goes_to_the_set_that_catches_most_per_false_alarm():
    keys = ["a|b", "c|d"]
    clean = {"a|b": [2.0] * 1, "c|d": [2.0] * 1}
    errors = {"a|b": [3.0, 1.0], "c|d": [3.0] + [1.0] * 20}
    occurrences = Counter({"a|b": 500, "c|d": 500})
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=1, floor=1.0)
    assert chosen["c|d"] == pytest.approx(math.e, rel=0.01)  # 20 more errors for one alarm
    assert math.log(chosen["a|b"]) == pytest.approx(3.0, abs=0.01)  # free gains are taken too


def test_a_rare_direction_shares_its_sets_threshold_else_the_pool():
    keys = {"a>b": "a|b", "b>a": "a|b", "c>d": "c|d", "d>c": "c|d"}
    occurrences = Counter({"a>b": 500, "b>a": 5, "a|b": 505, "c>d": 20, "d>c": 20, "c|d": 40})
    clean = {"a>b": [4.0], "b>a": [2.0, 6.0], "c>d": [1.0], "d>c": [1.0]}
    errors = {"a>b": [5.0], "b>a": [3.0, 7.0], "c>d": [9.0], "d>c": [9.0]}
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=0, floor=1.0,
                               group_of=keys)
    assert math.log(chosen["a>b"]) == pytest.approx(5.0, abs=0.01)  # its own
    assert math.log(chosen["b>a"]) == pytest.approx(7.0, abs=0.01)  # the set's: b>a and a|b
    assert chosen["c>d"] == chosen["d>c"] and math.log(chosen["c>d"]) == pytest.approx(9.0)


def test_a_set_steps_down_its_curve_in_order():
    keys = ["a|b"]
    clean = {"a|b": [2.5, 1.5]}
    errors = {"a|b": [3.0, 2.0, 1.0] + [1.0] * 10}
    occurrences = Counter({"a|b": 500})
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=1, floor=1.0)
    assert math.log(chosen["a|b"]) == pytest.approx(2.0, abs=0.01)  # not 1.0: that costs 2


def test_small_sets_share_one_threshold_and_budget_is_respected():
    keys = ["a|b", "c|d", "e|f"]
    clean = {"a|b": [1.0] * 200 + [4.0], "c|d": [2.0], "e|f": []}
    errors = {"a|b": [3.0] * 50 + [5.0] * 50, "c|d": [6.0, 2.5], "e|f": [7.0]}
    occurrences = Counter({"a|b": 300, "c|d": 5, "e|f": 3})
    chosen = choose_thresholds(clean, errors, occurrences, keys, budget=0, floor=2.0)
    assert chosen["c|d"] == chosen["e|f"]
    assert math.log(chosen["a|b"]) > 4.0  # zero budget: above every clean word


def test_known_errors_are_in_the_dev_split_and_found(shared_data):
    from storylint.training.typo_eval import load_split

    known = load_known_errors(KNOWN_ERRORS)  # the checkout's list, wherever storylint is
    assert known and all(split_of(k.source, k.doc_id) == "dev" for k in known)
    dev: dict = {}
    for sentence in load_split(shared_data, "dev"):
        dev.setdefault((sentence.source, sentence.doc_id), []).append(sentence.text)
    for error in known:
        texts = dev[(error.source, error.doc_id)]
        assert any(error.snippet in text and error.written in error.snippet for text in texts)


@pytest.mark.slow
def test_bundled_model_reproduces_its_recorded_dev_figures(shared_data, capsys):
    """The manifest's dev metrics were written by `storylint confusables tune`; rules or model
    edited without re-tuning would change them."""
    from storylint.cli import main
    from storylint.resources import data_dir

    manifest = json.loads((data_dir("models") / "confusables" / "manifest.json").read_text())
    assert main(["confusables", "eval", "--split", "dev", "--isolated", "--data",
                 str(shared_data)]) == 0
    out = capsys.readouterr().out
    recorded = manifest["metrics"]["dev"]["overall"]
    assert (f"recall {100 * recorded['recall']:.1f}% ({recorded['detected']:,}/"
            f"{recorded['errors']:,}") in out


def test_show_is_refused_on_the_held_out_split(shared_data, capsys):
    from storylint.cli import main

    assert main(["confusables", "eval", "--split", "held-out", "--show", "3", "--isolated",
                 "--data", str(shared_data)]) == 2
    assert "never inspected" in capsys.readouterr().err
