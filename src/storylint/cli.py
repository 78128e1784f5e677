"""Command-line interface: one function per subcommand, each returning an exit code.

Exit codes: 0 no findings at or above the fail level; 1 findings (a file that cannot be read is a
finding); 2 usage, config, rule-pack or model error; 3 internal error (a bug in storylint).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storylint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_CONFIG, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A problem with the command line or its arguments (exit 2)."""


def main(argv: list[str] | None = None) -> int:
    """Run storylint with `argv` (default: sys.argv[1:]) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors itself, with exit status 2
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure gets an exit code and a message
        return _report_failure(exc, args)


def _report_failure(exc: Exception, args) -> int:
    from storylint.config import ConfigError
    from storylint.rulepack import RulePackError

    known = (ConfigError, RulePackError, UsageError) + _model_errors()
    if isinstance(exc, known):
        for message in str(exc).splitlines():
            print(f"storylint: error: {message}", file=sys.stderr)
        return EXIT_CONFIG
    if getattr(args, "debug", False):
        raise exc
    print(f"storylint: internal error: {type(exc).__name__}: {exc} "
          "(run with --debug for a traceback; please report it)", file=sys.stderr)
    return EXIT_INTERNAL


def _model_errors() -> tuple:
    module = sys.modules.get("storylint.model")
    return (module.ModelError,) if module else ()


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = argparse.ArgumentParser(
        prog="storylint", description="Lint news story scripts: structure, boilerplate, typos, "
        "promotional tails.", epilog="Exit codes: 0 clean, 1 findings, 2 usage/config/rule/model "
        "error, 3 internal error.")
    parser.add_argument("--version", action="version", version=f"storylint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_check(sub)
    _add_rules(sub)
    _add_model_commands(sub)
    return parser


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest "
                   ".storylint.yaml or pyproject.toml with [tool.storylint])")
    p.add_argument("--isolated", action="store_true", help="ignore all config files")
    p.add_argument("--pack", action="append", default=[], metavar="DIR",
                   help="extra rule pack folder (repeatable)")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="lint story files or folders",
                       description="Lint story scripts. Folders are searched for files matching "
                       "`include` (default *.txt); files named explicitly are always checked.")
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    p.add_argument("--format", default="text", choices=_format_names(), help="output format")
    p.add_argument("--select", type=_csv, help="only these rules (codes, names or code prefixes)")
    p.add_argument("--extend-select", type=_csv, help="add rules, e.g. ones off by default")
    p.add_argument("--ignore", type=_csv, help="skip these rules")
    p.add_argument("--fail-level", choices=("error", "warning", "info"),
                   help="lowest severity that makes the exit code 1 (default: warning)")
    p.add_argument("--encoding-fallback", type=_csv, metavar="ENC[,ENC]",
                   help="encodings tried when a file is not UTF-8 (default: cp1252)")
    p.add_argument("--follow-symlinks", action="store_true", default=None)
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    p.add_argument("--fail-score", type=float, metavar="POINTS", help=(
        "exit 1 when a story's score (rule weights + model probability x weight) reaches "
        "POINTS; the severity fail level then only applies to unreadable files"))
    _add_model_options(p)
    _add_common(p)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="DIR", help="promo-tail model folder to use instead of the "
                   "bundled one (weights-only format; pickle/joblib files are refused)")
    p.add_argument("--allow-model-version-skew", action="store_true",
                   help="use a model built for other features with a warning instead of exit 2")


def _add_model_commands(sub) -> None:
    from storylint.training.commands import add_eval_arguments, add_train_arguments

    p = sub.add_parser("train", help="train the promo-tail model (needs scikit-learn)",
                       description="Fit the promo-tail classifier on the public corpora and "
                       "fixtures (fixed seed) and write the model, its manifest and card.")
    add_train_arguments(p)
    p = sub.add_parser("eval", help="evaluate the promo-tail model on the held-out split",
                       description="Score held-out test scripts through the check path; write "
                       "the metrics into the model's manifest and MODEL_CARD.md.")
    add_eval_arguments(p)
    p = sub.add_parser("explain", help="show which words and features drove promo-tail findings")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--top", type=int, default=8, metavar="N", help="terms shown each way")
    p.add_argument("--format", default="text", choices=("text", "json"))
    _add_model_options(p)
    _add_common(p)


def _add_rules(sub) -> None:
    p = sub.add_parser("rules", help="list the rules")
    p.add_argument("--format", default="text", choices=("text", "json", "markdown"))
    p.add_argument("--all", action="store_true", help="include rules that are off by default")
    _add_common(p)
    p = sub.add_parser("rule", help="show one rule's documentation and examples")
    p.add_argument("name", help="rule code or name, e.g. SL301 or confusable-word")
    _add_common(p)


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _format_names() -> tuple[str, ...]:
    from storylint.report import FORMATS

    return tuple(FORMATS)


def load_settings(args):
    """Config from file (unless --isolated) with command-line overrides applied."""
    from storylint.config import Config, find_config, load_config

    if args.isolated:
        config = Config()
    else:
        path = Path(args.config) if args.config else find_config()
        if args.config and not path.is_file():
            raise UsageError(f"config file not found: {args.config}")
        config = load_config(path)
    return config.with_overrides(
        select=getattr(args, "select", None), extend_select=getattr(args, "extend_select", None),
        ignore=_merge(config.ignore, getattr(args, "ignore", None)),
        fail_level=_severity(getattr(args, "fail_level", None)),
        encoding_fallback=getattr(args, "encoding_fallback", None),
        follow_symlinks=getattr(args, "follow_symlinks", None),
        packs=config.packs + tuple(Path(p) for p in args.pack) if args.pack else None,
    )


def _merge(base: tuple, extra: tuple | None):
    return None if extra is None else tuple(base) + tuple(extra)


def _severity(text: str | None):
    from storylint.finding import Severity

    return Severity.parse(text) if text else None


def build_linter(args):
    """Config, rules and the Linter for a command that checks stories."""
    from storylint.engine import Linter, load_rules, select_rules

    config = load_settings(args)
    rules, fmt = load_rules(config)
    rules = select_rules(rules, config)
    if getattr(args, "model", None) or getattr(args, "allow_model_version_skew", False):
        from storylint.checks.classifier import with_model

        rules = [with_model(r, args.model, args.allow_model_version_skew) for r in rules]
    linter = Linter(rules, config, fmt)
    for rule in linter.checks:  # model warnings (e.g. allowed version skew) go to stderr
        for warning in getattr(rule.check, "warnings", ()):
            print(f"storylint: {warning}", file=sys.stderr)
    return linter


def cmd_check(args) -> int:
    """`storylint check`: lint stories and print findings in the chosen format."""
    from storylint.engine import run_check
    from storylint.report import render

    linter = build_linter(args)
    result = run_check(args.paths, linter)
    result.fail_score = args.fail_score
    _write(args.output, lambda stream: render(args.format, result, stream))
    return result.exit_code()


def _write(output: str | None, writer) -> None:
    if output is None:
        writer(sys.stdout)
        sys.stdout.flush()
        return
    from storylint.atomic import write_text_atomic

    write_text_atomic(Path(output), writer)


def cmd_rules(args) -> int:
    """`storylint rules`: list every loaded rule (text table, JSON or the Markdown docs)."""
    from storylint.engine import load_rules

    rules, _ = load_rules(load_settings(args))
    shown = [r for r in rules if args.all or r.enabled or args.format == "markdown"]
    if args.format == "json":
        import json

        data = [{"code": r.code, "name": r.name, "severity": str(r.severity), "kind": r.kind,
                 "pack": r.pack, "enabled": r.enabled, "summary": r.summary} for r in shown]
        print(json.dumps(data, indent=2))
    elif args.format == "markdown":
        from storylint.ruledoc import pack_markdown

        print(pack_markdown(shown, "storylint rules"), end="")
    else:
        for r in shown:
            flag = "" if r.enabled else " (off by default)"
            print(f"{r.code}  {r.name:<24} {str(r.severity):<8} {r.summary}{flag}")
    return EXIT_CLEAN


def cmd_rule(args) -> int:
    """`storylint rule NAME`: print one rule's documentation, generated from its data."""
    from storylint.engine import load_rules, rule_index
    from storylint.ruledoc import rule_text

    rules, _ = load_rules(load_settings(args))
    rule = rule_index(rules).get(args.name)
    if rule is None:
        raise UsageError(f"unknown rule {args.name!r} (see `storylint rules`)")
    print(rule_text(rule))
    return EXIT_CLEAN


def cmd_train(args) -> int:
    """`storylint train`: fit and export the promo-tail model, write its card."""
    from storylint.training.commands import TrainingError, run_train

    try:
        return run_train(args)
    except TrainingError as exc:
        raise UsageError(str(exc)) from None


def cmd_eval(args) -> int:
    """`storylint eval`: held-out metrics of the promo-tail model, written into its card."""
    from storylint.training.commands import TrainingError, run_eval

    try:
        return run_eval(args)
    except TrainingError as exc:
        raise UsageError(str(exc)) from None


def cmd_explain(args) -> int:
    """`storylint explain`: the terms and features behind each flagged tail."""
    from storylint.explain import run_explain

    code = run_explain(args, build_linter(args), sys.stdout)
    sys.stdout.flush()
    return code


COMMANDS = {"check": cmd_check, "rules": cmd_rules, "rule": cmd_rule, "train": cmd_train,
            "eval": cmd_eval, "explain": cmd_explain}
