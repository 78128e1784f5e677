"""The promo-tail classifier at check time: same numbers as scikit-learn, tail localisation,
fixes, explanations, the story score in the outputs, and a light `check` path."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import joblib
import pytest

from storylint import features as F
from storylint.checks.classifier import Limits, locate_tails, open_check
from storylint.cli import main
from storylint.engine import Linter, load_rules
from storylint.config import Config
from storylint.story import Story
from storylint.training import train as T
from tinymodel import random_scripts, train_tiny

REPO = Path(__file__).resolve().parents[1]
BODY = """Storm hits coast

(3 Mar 2024)

Cork, Ireland - 3 March 2024
1. Wide of waves breaking over the pier

Waves battered the coast on Sunday, flooding homes near the harbour.
"""
BOILERPLATE = """
Clients are reminded to adhere to all listed restrictions and to check the terms of their licence agreements.

You can license this story through AP Archive: http://www.aparchive.com/metadata/1
"""
PROMO = "Subscribe to my channel for daily storm videos and follow me on Instagram @stormchaser!"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(model folder, fitted pipeline) of a tiny model trained on the fixtures."""
    folder = tmp_path_factory.mktemp("tiny") / "model"
    pipeline, _ = train_tiny(folder)
    return folder, pipeline


def _rows(stories: list[Story]):
    """(text, context) rows and the matching (ctx, segment) pairs of every scorable line."""
    rows, pairs = [], []
    for story in stories:
        ctx = F.StoryContext(story)
        for segment in F.story_segments(story):
            text = F.analyse_text(segment.text)
            rows.append((segment.text, F.context_values(ctx, segment, text)))
            pairs.append((ctx, segment))
    return rows, pairs


def test_exported_scorer_matches_the_scikit_learn_pipeline(tiny):
    folder, pipeline = tiny
    stories = [Story(s.script.text, "s.txt") for s in random_scripts(60)]
    rows, pairs = _rows(stories)
    expected = T.pipeline_probabilities(pipeline, rows)
    model = open_check(folder).model
    got = [model.probability(ctx, segment) for ctx, segment in pairs]
    assert len(got) > 300
    assert max(abs(a - b) for a, b in zip(expected, got)) < 1e-5
    assert min(expected) < 0.1 and max(expected) > 0.9  # the comparison covers both classes


def test_pipeline_kept_with_joblib_gives_the_same_probabilities(tiny, tmp_path):
    folder, pipeline = tiny
    path = tmp_path / "pipeline.joblib"
    joblib.dump(pipeline, path)
    rows, _ = _rows([Story(BODY + BOILERPLATE + "\n" + PROMO + "\n")])
    assert T.pipeline_probabilities(joblib.load(path), rows) == \
        T.pipeline_probabilities(pipeline, rows)


def test_features_are_deterministic_hashes():
    mask = (1 << 18) - 1
    assert F.word_indices("news", mask)[0] == F.feature_index("w:news", mask)
    assert F.word_indices("news", mask)[1] == F.feature_index("c:<ne", mask)
    assert F.pair_index("my", "channel", mask) == F.feature_index("b:my channel", mask)
    script = "import zlib; print(zlib.crc32(b'w:news') & 262143)"
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": "123"})
    assert int(other.stdout) == F.feature_index("w:news", mask)


@pytest.mark.parametrize("text, words", [
    ("Visit www.renegaderich.com now!", ("visit", "zzurl", "renegaderich", "now")),
    ("Mail rich@deals.com or @rich_deals", ("mail", "zzemail", "or", "zzhandle")),
    ("Only $9.99 - 50% off \U0001F601", ("only", "zzprice", "00", "zzpct", "off", "zzemoji")),
    ("vi\u200bagra \uff56\uff49\uff41\uff47\uff52\uff41", ("viagra", "viagra")),
    ("It\u2019s 2024", ("it", "s", "0000")),
    ("Call +44 20 7482 7482 today", ("call", "zzphone", "today")),
])
def test_text_is_normalised_before_hashing(text, words):
    assert F.analyse_text(text).words == words


def test_segments_know_where_they_sit():
    story = Story(BODY + BOILERPLATE + "\n" + PROMO + "\n")
    by_line = {s.line: s for s in F.story_segments(story)}
    assert by_line[14].after_boilerplate and by_line[14].last_line
    assert by_line[8].kind == "body" and by_line[8].last_before_boilerplate
    assert by_line[10].kind == "boilerplate" and not by_line[10].after_boilerplate
    assert 3 not in by_line and 5 not in by_line  # date and location lines are not scored


def _segments(kinds_and_flags):
    return [F.Segment(line, "x", kind, after, False, False)
            for line, kind, after in kinds_and_flags]


def test_locate_tail_extends_backwards_over_weaker_lines_and_on_to_the_region_end():
    segments = _segments([(8, "body", False), (10, "boilerplate", False),
                          (12, "trailing", True), (13, "trailing", True),
                          (14, "trailing", True)])
    scores = {8: 0.01, 10: 0.02, 12: 0.3, 13: 0.9, 14: 0.05}
    [tail] = locate_tails(segments, scores, Limits(0.8, 0.5))
    assert (tail.first, tail.last, tail.probability) == (12, 14, 0.9)
    assert tail.after_boilerplate


def test_locate_tail_stops_at_the_boilerplate_and_uses_the_story_threshold():
    segments = _segments([(6, "body", False), (8, "body", False), (10, "boilerplate", False),
                          (12, "boilerplate", False)])
    scores = {6: 0.2, 8: 0.7, 10: 0.01, 12: 0.01}
    assert locate_tails(segments, scores, Limits(0.8, 0.5)) == []
    [tail] = locate_tails(segments, scores, Limits(0.6, 0.5))
    assert (tail.first, tail.last, tail.after_boilerplate) == (8, 8, False)


def test_fix_removes_exactly_the_appended_text_and_is_safe_after_the_boilerplate(tiny):
    folder, _ = tiny
    clean = BODY + BOILERPLATE
    story = Story(clean.rstrip("\n") + "\n\n" + PROMO + "\n", "s.txt")
    [finding] = _run(folder, story)
    assert (finding.line, finding.column, finding.end_line) == (14, 1, 14)
    fixed = story.text[:finding.fix.start] + finding.fix.replacement + story.text[finding.fix.end:]
    assert fixed == clean
    assert finding.fix.safe and finding.source == "model" and 0.5 <= finding.score <= 1


def test_fix_for_a_tail_inside_the_story_is_unsafe(tiny):
    folder, _ = tiny
    story = Story(BODY + "\n" + PROMO + "\n\n" + BOILERPLATE, "s.txt")
    findings = _run(folder, story, threshold=0.3)
    assert findings and findings[0].line == 10
    assert not findings[0].fix.safe


def _run(folder, story, **options):
    check = open_check(folder, **options)
    rule = next(r for r in load_rules(Config())[0] if r.name == "promo-tail")
    return check.run(story, rule)


def test_tiny_model_localises_generated_tails(tiny):
    folder, _ = tiny
    check = open_check(folder)
    scripts = [s for s in random_scripts(80, seed=21) if s.has_tail]
    exact = 0
    for labelled in scripts:
        tails = check.tails(Story(labelled.script.text))
        exact += bool(tails) and tails[0].first == labelled.script.tail_start_line
    assert exact >= 0.6 * len(scripts)  # a 4,096-column model on a few hundred fixtures


def test_seed_tail_is_flagged_and_nothing_else_in_the_seed(seed_story, capsys):
    assert main(["check", "--isolated", "--select", "promo-tail", str(seed_story)]) == 1
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "SL501" in ln]
    assert len(lines) == 1
    assert f"{seed_story}:36:1: SL501 error Promotional or off-topic text appended to the " \
           "story, line 36" in lines[0]


def test_shipped_model_passes_its_rule_examples():
    rules, fmt = load_rules(Config())
    rule = next(r for r in rules if r.name == "promo-tail")
    linter = Linter([rule], Config(), fmt)
    for text in rule.examples_fail:
        assert [f.code for f in linter.check_text(text)] == ["SL501"]
    for text in rule.examples_pass:
        assert linter.check_text(text) == []


def test_story_score_and_breakdown_in_text_and_json(tiny, tmp_path, capsys):
    folder, _ = tiny
    path = tmp_path / "s.txt"
    path.write_text(BODY + BOILERPLATE + "\n" + PROMO + "\n", encoding="utf-8")
    base = ["check", "--isolated", "--model", str(folder), str(path)]
    assert main(base) == 1
    text = capsys.readouterr().out
    assert re.search(rf"{re.escape(str(path))}: score [\d.]+ = promo-tail [\d.]+ \(line 14, p=",
                     text)
    assert main(base + ["--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    report = document["files"][0]
    parts = {c["name"]: c for c in report["breakdown"]}
    assert parts["promo-tail"]["line"] == 14 and parts["promo-tail"]["probability"] > 0.5
    assert report["score"] == pytest.approx(sum(c["points"] for c in report["breakdown"]))
    assert document["summary"]["max_score"] == report["score"]


def test_fail_score_gates_on_the_story_score(tiny, tmp_path, capsys):
    folder, _ = tiny
    path = tmp_path / "s.txt"
    path.write_text(BODY + BOILERPLATE + "\n" + PROMO + "\n", encoding="utf-8")
    base = ["check", "--isolated", "--model", str(folder), str(path)]
    assert main(base + ["--fail-score", "100"]) == 0
    assert "passes --fail-score 100" in capsys.readouterr().out
    assert main(base + ["--fail-score", "4"]) == 1
    assert "fails --fail-score 4" in capsys.readouterr().out
    missing = tmp_path / "missing.txt"
    assert main(["check", "--isolated", "--fail-score", "100", str(missing)]) == 1


def test_explain_names_the_terms_behind_a_flagged_tail(tiny, tmp_path, capsys):
    folder, _ = tiny
    path = tmp_path / "s.txt"
    path.write_text(BODY + BOILERPLATE + "\n" + PROMO + "\n", encoding="utf-8")
    assert main(["explain", "--isolated", "--model", str(folder), str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:14: promotional tail, lines 14-14" in out
    assert "after-boilerplate = 1.00" in out
    assert main(["explain", "--isolated", "--model", str(folder), "--format", "json",
                 str(path)]) == 1
    [document] = json.loads(capsys.readouterr().out)
    [line] = document["tails"][0]["lines"]
    labels = [t["feature"] for t in line["toward_promotional"]]
    assert any(label.startswith("word ") for label in labels)
    assert all(t["log_odds"] > 0 for t in line["toward_promotional"])


def test_explain_terms_add_up_to_the_probability(tiny):
    import math

    from storylint.explain import explain_line

    folder, _ = tiny
    check = open_check(folder)
    story = Story(BODY + BOILERPLATE + "\n" + PROMO + "\n")
    ctx = F.StoryContext(story)
    segment = next(s for s in F.story_segments(story) if s.line == 14)
    total = sum(t.contribution for t in explain_line(check.model, ctx, segment))
    assert 1 / (1 + math.exp(-total)) == pytest.approx(check.model.probability(ctx, segment),
                                                       abs=1e-5)


def test_check_path_imports_no_heavy_libraries(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(BODY + BOILERPLATE + "\n" + PROMO + "\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        import sys
        from storylint.cli import main
        code = main(["check", "--isolated", {str(path)!r}])
        heavy = sorted({{m.split(".")[0] for m in sys.modules}} &
                       {{"sklearn", "scipy", "joblib", "numpy"}})
        print(code, heavy)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "1 []", result.stderr
