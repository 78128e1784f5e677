"""`storylint train` and `storylint eval`: the model's life cycle, reproducible from a clone.

train: read the corpora and fixtures, split by source document, build scripts, fit the
scikit-learn pipeline (fixed seed), export weights + manifest, choose the threshold on the
validation split, keep the fitted pipeline with joblib (a training artefact, never shipped or
loaded by `check`), and write the model card.
eval: score held-out test scripts through the real check path and write every metric into
the manifest and the card.
"""
from __future__ import annotations

import sys
from pathlib import Path

from storylint.training.checkout import (
    TrainingError, checkout_default, refuse_installed_copy, source_checkout,
)

DEFAULT_SEED = 13
DEFAULT_HASH_BITS = 18  # = storylint.features.DEFAULT_HASH_BITS (not imported: cli builds
# these options for every command, and `check` must stay light)
FIXTURES = "fixtures/promo-tail"
OUTPUT = "models/promo-tail"
PIPELINE = "build/promo-tail/pipeline.joblib"
SEED_STORY = "seeds/000_92e443b0f223b98d.txt"  # in ../shared, beside the data folder
SEED_TAIL_LINES = [36]


def data_paths(args) -> tuple[Path, Path]:
    """The corpora folder and the fixtures folder, checked."""
    from storylint.training.corpora import default_data_dir

    data = Path(args.data) if args.data else default_data_dir()
    if data is None or not data.is_dir():
        raise TrainingError(f"data folder not found: {args.data or '../shared/data'}; pass "
                            "--data DIR (the public corpora, see ../shared/data/README.md)")
    fixtures = checkout_default(args.fixtures, FIXTURES, "--fixtures DIR")
    if not (fixtures / "tails.txt").is_file() or not (fixtures / "endings.txt").is_file():
        raise TrainingError(f"fixtures not found: {fixtures} needs tails.txt and endings.txt")
    return data, fixtures


def run_train(args, say=print) -> int:
    """Fit, export, pick the threshold on validation, save the pipeline and the card."""
    import tempfile

    import joblib

    from storylint.checks.classifier import Limits, open_check
    from storylint.training import dataset as D, evaluate as E, train as T
    from storylint.training.card import write_card

    data, fixtures = data_paths(args)
    output = refuse_installed_copy(checkout_default(args.output, OUTPUT, "--output DIR"),
                                   "storylint train", "give --output another folder")
    pipeline_path = checkout_default(args.pipeline_out, PIPELINE, "--pipeline-out FILE")
    pools = D.load_pools(data, fixtures)
    scripts = D.make_scripts(pools["train"], args.train_stories, args.seed, D.TRAIN_MIX)
    examples = T.build_examples(scripts, args.seed + 1)
    say(f"training on {len(examples):,} lines from {len(scripts):,} scripts")
    pipeline = T.fit(examples, args.hash_bits, args.c, args.seed)
    val = D.make_scripts(pools["val"], args.val_stories, args.seed + 2)
    with tempfile.TemporaryDirectory() as scratch:  # the real folder is written only at the end
        T.export(pipeline, Path(scratch), Limits(0.5, 0.5), args.stop, {})
        results = E.score_scripts(open_check(scratch), val)
    limits = E.choose_limits(results, args.max_false_alarm, args.trailing_floor)
    training = _training_facts(args, output, pools, scripts, examples, val, data, fixtures)
    pipeline_path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, pipeline_path)
    training["pipeline"] = {"path": _shown(pipeline_path), "sha256": _sha256(pipeline_path),
                            "note": "joblib training artefact; never loaded by storylint check"}
    training["validation"] = E.summarise(results, limits)
    manifest = T.export(pipeline, output, limits, args.stop,
                        {"name": "promo-tail", "training": training})
    write_card(output, manifest.data)
    say(f"thresholds: story lines {limits.story}, after the boilerplate {limits.trailing} "
        f"(validation: {training['validation']})")
    say(f"wrote {output}/manifest.json, weights.f32, MODEL_CARD.md and {pipeline_path}")
    return 0


def _training_facts(args, output, pools, scripts, examples, val, data, fixtures) -> dict:
    import joblib
    import numpy
    import scipy
    import sklearn

    documents: dict[str, dict] = {}
    for split, pool in pools.items():
        for doc in pool.news:
            documents.setdefault(doc.source, {"role": "news"})
            documents[doc.source][split] = documents[doc.source].get(split, 0) + 1
        for name, docs in pool.tails.items():
            for doc in docs:
                documents.setdefault(doc.source, {"role": "tail"})
                documents[doc.source][split] = documents[doc.source].get(split, 0) + 1
        documents.setdefault("endings", {"role": "ending"})[split] = len(pool.endings)
        documents.setdefault("template-endings", {"role": "ending"})[split] = len(
            pool.template_endings)
    return {
        "command": _command("train", args, output, data, fixtures), "seed": args.seed,
        "C": args.c, "max_false_alarm_rate": args.max_false_alarm,
        "trailing_floor": args.trailing_floor,
        "train_stories": len(scripts), "val_stories": len(val), "rows": len(examples),
        "positive_rows": sum(e.label for e in examples), "documents": documents,
        "versions": {"python": sys.version.split()[0], "scikit-learn": sklearn.__version__,
                     "numpy": numpy.__version__, "scipy": scipy.__version__,
                     "joblib": joblib.__version__},
    }


def _command(name: str, args, model: Path, data: Path, fixtures: Path) -> str:
    import shlex

    parts = ["storylint", name, "--data", _shown(data), "--fixtures", _shown(fixtures)]
    if name == "train":
        parts += ["--output", _shown(model), "--seed", str(args.seed),
                  "--train-stories", str(args.train_stories), "--val-stories",
                  str(args.val_stories), "--hash-bits", str(args.hash_bits), "--c", str(args.c)]
    else:
        parts += ["--model", _shown(model), "--test-stories", str(args.test_stories)]
    return " ".join(shlex.quote(p) for p in parts)


def _shown(path: Path) -> str:
    """A path relative to the checkout when it is at or beside it (cards must not leak home
    paths); symlinks are not resolved, so `../shared` stays `../shared`."""
    import os

    root = source_checkout()
    if root is None:
        return str(path)
    relative = os.path.relpath(os.path.abspath(path), root)
    return relative if not relative.startswith("../..") else str(path)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_eval(args, say=print) -> int:
    """Score the held-out test split and write the metrics into the manifest and card."""
    import json

    from storylint.checks.classifier import open_check
    from storylint.model import read_manifest, write_manifest
    from storylint.training import dataset as D, evaluate as E
    from storylint.training.card import write_card

    data, fixtures = data_paths(args)
    folder = checkout_default(args.model, OUTPUT, "--model DIR")
    if args.write and not args.check:
        refuse_installed_copy(folder, "storylint eval (which writes the metrics into the card)",
                              "add --no-write, or give --model a copy of it")
    check = open_check(folder)
    manifest = read_manifest(folder)
    seed = manifest.data.get("training", {}).get("seed", DEFAULT_SEED)
    pools = D.load_pools(data, fixtures)
    scripts = D.make_scripts(pools["test"], args.test_stories, seed + 3)
    results = E.score_scripts(check, scripts)
    metrics = E.evaluate(results, check.limits())
    seed_story = Path(args.seed_story) if args.seed_story else data.parent / SEED_STORY
    evaluation = {"command": _command("eval", args, folder, data, fixtures),
                  "test_seed": seed + 3, "seed_story": seed_story_result(check, seed_story)}
    say(json.dumps({"overall": metrics["overall"], "seed_story": evaluation["seed_story"]},
                   indent=2))
    if args.check:
        return _compare_with_card(folder, manifest.data, metrics, evaluation, say)
    if args.write:
        data_ = dict(manifest.data, metrics=metrics, evaluation=evaluation)
        write_manifest(folder, data_)
        write_card(folder, data_)
        say(f"wrote metrics to {folder}/manifest.json and MODEL_CARD.md")
    return 0


def _compare_with_card(folder: Path, recorded: dict, metrics: dict, evaluation: dict,
                       say) -> int:
    """`eval --check`: 0 when this run reproduces every figure the card shows, else 1."""
    import json

    now = json.loads(json.dumps({"metrics": metrics, "seed_story": evaluation["seed_story"]}))
    then = {"metrics": recorded.get("metrics"),
            "seed_story": recorded.get("evaluation", {}).get("seed_story")}
    if then["metrics"] is None:
        say(f"{folder}: the card has no metrics yet; run `storylint eval` to write them")
        return 1
    differences = _differences(then, now)
    if differences:
        say(f"{folder}: this run does NOT reproduce the card ({len(differences)} figures differ):")
        for where, old, new in differences[:20]:
            say(f"  {where}: card {old!r}, now {new!r}")
        return 1
    say(f"{folder}: reproduced every figure of the card ({_count_leaves(now)} values)")
    return 0


def _differences(old, new, where: str = "") -> list[tuple[str, object, object]]:
    """(path, old, new) for every leaf value that differs between two JSON-like trees."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [d for key in sorted(set(old) | set(new), key=str)
                for d in _differences(old.get(key), new.get(key), f"{where}.{key}".lstrip("."))]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new))
                for d in _differences(a, b, f"{where}[{i}]")]
    return [] if old == new else [(where, old, new)]


def _count_leaves(tree) -> int:
    if isinstance(tree, dict):
        return sum(_count_leaves(v) for v in tree.values())
    if isinstance(tree, list):
        return sum(_count_leaves(v) for v in tree)
    return 1


def seed_story_result(check, path: Path) -> dict | None:
    """Which lines of the real seed story the model flags (None when ../shared is absent)."""
    if not path.is_file():
        return None
    from storylint.story import Story

    story = Story(path.read_text(encoding="utf-8"), str(path))
    tails = check.tails(story)
    flagged = [line for tail in tails for line in range(tail.first, tail.last + 1)]
    return {"path": _shown(path), "flagged_lines": flagged, "expected_lines": SEED_TAIL_LINES,
            "other_findings": len([t for t in tails if t.first not in SEED_TAIL_LINES]),
            "probability": round(max((t.probability for t in tails), default=0.0), 4)}


def add_train_arguments(p) -> None:
    """Options of `storylint train`."""
    _data_arguments(p)
    p.add_argument("--output", metavar="DIR", help=f"model folder to write (default in a "
                   f"checkout: {OUTPUT}; needed otherwise)")
    p.add_argument("--pipeline-out", metavar="FILE", help=f"where to keep the fitted "
                   f"scikit-learn pipeline (joblib; never shipped; default in a checkout: "
                   f"{PIPELINE}; needed otherwise)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--train-stories", type=int, default=8000, metavar="N")
    p.add_argument("--val-stories", type=int, default=8000, metavar="N")
    p.add_argument("--hash-bits", type=int, default=DEFAULT_HASH_BITS, metavar="BITS")
    p.add_argument("--c", type=float, default=4.0, help="inverse L2 regularisation strength")
    p.add_argument("--stop", type=float, default=0.02, help="backward scan stops below this p")
    p.add_argument("--max-false-alarm", type=float, default=0.002, metavar="RATE",
                   help="false-alarm rate allowed on validation when choosing the threshold")
    p.add_argument("--trailing-floor", type=float, default=0.5, metavar="P",
                   help="lowest threshold allowed for lines after the boilerplate")


def add_eval_arguments(p) -> None:
    """Options of `storylint eval`."""
    _data_arguments(p)
    p.add_argument("--model", metavar="DIR", help=f"model folder (default in a checkout: "
                   f"{OUTPUT}; needed otherwise)")
    p.add_argument("--test-stories", type=int, default=6000, metavar="N")
    p.add_argument("--seed-story", metavar="FILE", help=f"the real seed story, checked too when "
                   f"present (default: {SEED_STORY} in the folder above the data folder)")
    p.add_argument("--no-write", dest="write", action="store_false",
                   help="print the metrics without updating the manifest and card")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 unless every figure in the card is reproduced")


def _data_arguments(p) -> None:
    p.add_argument("--data", metavar="DIR", help="the public corpora (default: ../shared/data)")
    p.add_argument("--fixtures", metavar="DIR", help=f"hand-written fixtures (default in a "
                   f"checkout: {FIXTURES}; needed otherwise)")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
