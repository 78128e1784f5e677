"""Training data, splits, the train/eval commands and the generated model card."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylint.cli import main
from storylint.model import MANIFEST, WEIGHTS, read_manifest
from storylint.story import Story
from storylint.training import dataset as D
from storylint.training.card import render_card
from storylint.training.evaluate import StoryResult, choose_limits, summarise
from tinymodel import FIXTURES, train_tiny


def test_fixture_files_parse_into_categories():
    tails = D.fixture_tails(FIXTURES)
    endings = D.fixture_endings(FIXTURES)
    assert len(tails) >= 150 and len(endings) >= 100
    categories = {doc.source for doc in tails}
    assert {"fixture:self-promotion", "fixture:chatbot-leftovers", "fixture:personal-notes",
            "fixture:subscribe-follow", "fixture:link-spam"} <= categories
    assert all(doc.paragraphs and all(p.strip() for p in doc.paragraphs) for doc in tails)


def test_splits_are_stable_and_roughly_70_15_15():
    keys = [f"doc-{i}" for i in range(3000)]
    splits = [D.split_of(k) for k in keys]
    assert splits == [D.split_of(k) for k in keys]
    assert 0.65 < splits.count("train") / 3000 < 0.75
    assert 0.12 < splits.count("test") / 3000 < 0.18


def test_near_duplicate_spam_lands_in_one_split():
    first = "WINNER!! You have won a 900 prize. Call 09061701461 to claim. Valid 12 hours only."
    second = "WINNER!! You have won a 500 prize. Call 09061701999 to claim. Valid 12 hours only."
    assert D.near_duplicate_key(first) == D.near_duplicate_key(second)


@pytest.mark.parametrize("position", ["end", "before-boilerplate"])
@pytest.mark.parametrize("seed", range(12))
def test_generated_tails_are_located_exactly_in_the_script(position, seed):
    import random

    from storylint.training.corpora import Document
    from storylint.training.scripts import make_script
    from tinymodel import fixture_news

    news = fixture_news()[seed % 5]
    tail = Document("fixture:x", "1", "", ("First promo line.", "Second promo line."))
    script = make_script(news, random.Random(seed), tail=tail, boilerplate="stripped",
                         tail_position=position)
    lines = script.text.split("\n")
    assert lines[script.tail_start_line - 1] == "First promo line."
    assert lines[script.tail_end_line - 1] in ("First promo line.", "Second promo line.")
    story = Story(script.text)
    if position == "end":
        assert script.tail_end_line == story.line_count
    else:
        after = [story.section_at(n) for n in range(script.tail_end_line + 1, story.line_count)]
        assert [s.kind for s in after if s][0] == "boilerplate"


def _result(top: float, tail: bool) -> StoryResult:
    from storylint.features import Segment

    segment = Segment(5, "x", "body", False, False, True)
    return StoryResult("news", "spam" if tail else None, "v", (5, 5) if tail else None,
                       (segment,), {5: top})


def test_threshold_choice_keeps_false_alarms_within_the_allowance():
    clean = [_result(p / 100, False) for p in range(100)]  # scores 0.00 .. 0.99
    tails = [_result(0.995, True)] * 10
    limits = choose_limits(clean + tails, max_false_alarm_rate=0.02)
    summary = summarise(clean + tails, limits)
    assert summary["false_alarms"] <= 2
    assert summary["recall"] == 1.0
    assert 0.97 < limits.story <= 0.99


def test_card_is_rendered_from_the_manifest_numbers(tmp_path):
    train_tiny(tmp_path / "m", scripts=60)
    data = read_manifest(tmp_path / "m").data
    overall = {"stories": 10, "tail_stories": 5, "clean_stories": 5, "tails_found": 4,
               "first_line_exact": 4, "false_alarms": 1, "precision": 0.8, "recall": 0.8123,
               "f1": 0.8, "false_alarm_rate": 0.2, "first_line_exact_rate": 1.0}
    data["metrics"] = {"overall": overall, "by_tail_source": {"x": overall},
                       "by_news_source": {"y": overall}, "by_variant": {"z": overall},
                       "pr_curve": [{"threshold": 0.5, "precision": 0.8, "recall": 0.8123,
                                     "false_alarm_rate": 0.2, "first_line_exact_rate": 1.0}]}
    card = render_card(data)
    assert data["files"][WEIGHTS]["sha256"] in card
    assert "| recall (story level) | 0.8123 |" in card
    assert f"**{data['threshold']}** for story lines" in card


@pytest.mark.slow
def test_train_then_eval_is_reproducible_and_fills_the_card(shared_data, tmp_path, capsys):
    fixtures = str(FIXTURES)  # named: storylint may be installed, not run from this checkout

    def train(folder: Path) -> int:
        return main(["train", "--data", str(shared_data), "--fixtures", fixtures,
                     "--output", str(folder),
                     "--pipeline-out", str(folder.parent / f"{folder.name}.joblib"),
                     "--train-stories", "300", "--val-stories", "200", "--hash-bits", "14"])

    assert train(tmp_path / "a") == 0 and train(tmp_path / "b") == 0
    first, second = (read_manifest(tmp_path / n).data for n in "ab")
    assert first["files"][WEIGHTS]["sha256"] == second["files"][WEIGHTS]["sha256"]
    assert first["threshold"] == second["threshold"]
    assert not any(p.suffix == ".joblib" for p in (tmp_path / "a").iterdir())
    assert "Not evaluated yet" in (tmp_path / "a" / "MODEL_CARD.md").read_text()
    capsys.readouterr()
    assert main(["eval", "--data", str(shared_data), "--fixtures", fixtures,
                 "--model", str(tmp_path / "a"), "--test-stories", "200"]) == 0
    data = json.loads((tmp_path / "a" / MANIFEST).read_text())
    card = (tmp_path / "a" / "MODEL_CARD.md").read_text()
    overall = data["metrics"]["overall"]
    assert overall["stories"] == 200
    assert f"| recall (story level) | {overall['recall']} |" in card
    assert data["files"][WEIGHTS]["sha256"] == first["files"][WEIGHTS]["sha256"]

    def check() -> int:
        return main(["eval", "--data", str(shared_data), "--fixtures", fixtures,
                     "--model", str(tmp_path / "a"), "--test-stories", "200", "--check"])

    manifest = tmp_path / "a" / MANIFEST
    written = manifest.read_bytes()
    capsys.readouterr()
    assert check() == 0 and "reproduced every figure" in capsys.readouterr().out
    data["metrics"]["overall"]["recall"] = 0.5  # a card that claims what the model does not do
    manifest.write_text(json.dumps(data))
    tampered = manifest.read_bytes()
    assert check() == 1
    out = capsys.readouterr().out
    assert "does NOT reproduce" in out and "metrics.overall.recall: card 0.5" in out
    assert manifest.read_bytes() == tampered != written  # --check never writes


def test_train_without_data_is_a_usage_error(tmp_path, capsys):
    assert main(["train", "--data", str(tmp_path / "none"), "--output",
                 str(tmp_path / "m")]) == 2
    assert "data folder not found" in capsys.readouterr().err
