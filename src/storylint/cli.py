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
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=argv[0] if argv and argv[0] in _SUBPARSERS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors itself, with exit status 2
        return int(exc.code or 0)
    previous = _catch_sigterm()
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except _Terminated:
        return 143
    except Exception as exc:  # noqa: BLE001 - every failure gets an exit code and a message
        return _report_failure(exc, args)
    finally:
        _restore_sigterm(previous)


class _Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so atomic writes remove their temp files (item 50)."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def _catch_sigterm():
    import signal

    try:
        return signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None:
        import signal

        signal.signal(signal.SIGTERM, previous)


def _report_failure(exc: Exception, args) -> int:
    from storylint.atomic import WriteError
    from storylint.config import ConfigError
    from storylint.diagnostics import MODEL_ERROR, loaded_errors
    from storylint.rulepack import RulePackError

    known = (ConfigError, RulePackError, UsageError, WriteError) + loaded_errors(
        MODEL_ERROR, ("storylint.baseline", "BaselineError"), ("storylint.gitdiff", "GitDiffError"))
    if isinstance(exc, known):
        for message in str(exc).splitlines():
            print(f"storylint: error: {message}", file=sys.stderr)
        return EXIT_CONFIG
    package = _DEPENDENCIES.get((getattr(exc, "name", None) or "").split(".")[0])
    if isinstance(exc, ImportError) and package:
        print(f"storylint: error: this command needs the Python package {package!r}, which is "
              f"not installed (pip install {package}, or install storylint with pip)",
              file=sys.stderr)
        return EXIT_CONFIG
    if getattr(args, "debug", False):
        raise exc
    print(f"storylint: internal error: {type(exc).__name__}: {exc} "
          "(run with --debug for a traceback; please report it)", file=sys.stderr)
    return EXIT_INTERNAL


# Import names of declared dependencies and the packages that provide them: a run from a source
# checkout without them is an environment problem (exit 2), not a bug in storylint.
_DEPENDENCIES = {"yaml": "pyyaml", "re2": "google-re2", "jinja2": "jinja2", "tqdm": "tqdm",
                 "sklearn": "scikit-learn", "joblib": "joblib", "numpy": "numpy",
                 "scipy": "scipy"}


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Version(argparse.Action):
    """`--version`: the version, and whether the compiled inner loops run (looked up only when
    asked)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from storylint import engine
        from storylint.checks.context import COMPILED_FIND_WORDS
        from storylint.features import COMPILED_LINE_FACTS
        from storylint.model import COMPILED_HASHED_SUM

        def kind(function) -> str:
            return ("compiled (storylint._speedups)" if function is not None else
                    "pure Python (storylint._speedups not built or STORYLINT_SPEEDUPS=off)")

        print(f"storylint {__version__}\npromo-tail scorer: "
              f"{kind(COMPILED_HASHED_SUM and COMPILED_LINE_FACTS)}\n"
              f"confusable-word scan: {kind(COMPILED_FIND_WORDS)}\nrule engine and checks: "
              + ("Python sources (an editable install, or built without mypyc)"
                 if engine.__file__.endswith(".py") else "compiled (mypyc)"))
        parser.exit()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for all subcommands, or just for `only` (a pre-commit run parses
    `check` and need not build the other commands' options: ~15 ms of start-up)."""
    parser = argparse.ArgumentParser(
        prog="storylint", description="Lint news story scripts: structure, boilerplate, typos, "
        "promotional tails.", epilog="Exit codes: 0 clean, 1 findings, 2 usage/config/rule/model "
        "error, 3 internal error.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version and whether the compiled inner loops are in use")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = [add for command, add in _SUBPARSERS.items() if only in (None, command)]
    for add in dict.fromkeys(chosen):  # one function may add several related commands
        add(sub)
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
    p.add_argument("--stdin-filename", metavar="NAME", help="the name a story read from "
                   "standard input (PATH `-`) gets in findings (default: <stdin>)")
    _add_fix_options(p)
    _add_ci_options(p)
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


def _add_fix_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("fixing")
    g.add_argument("--fix", action="store_true", help="apply safe fixes in place (atomic writes; "
                   "encoding, line endings and permissions kept)")
    g.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff: also apply fixes marked unsafe")
    g.add_argument("--diff", action="store_true", help="print the fixes as a unified diff "
                   "instead of writing them (exit 1 if any file would change)")


def _add_ci_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("CI")
    base = g.add_mutually_exclusive_group()
    base.add_argument("--baseline", metavar="FILE",
                      help="ignore findings recorded in FILE; only new ones are reported")
    base.add_argument("--write-baseline", metavar="FILE",
                      help="record the current findings in FILE (then report none of them)")
    g.add_argument("--diff-only", metavar="REF", help="report only findings on lines changed "
                   "since the merge base with git REF (e.g. origin/main)")


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="audit an archive: HTML (default), JSON or CSV report",
                       description="Check every story in an archive folder in parallel and "
                       "write one report. Exit codes as for `check`.")
    p.add_argument("archive", metavar="ARCHIVE_DIR", help="folder of stories (or one file)")
    p.add_argument("-o", "--output", metavar="FILE", help="report file (default: stdout)")
    p.add_argument("--format", choices=REPORT_FORMATS,
                   help="report format (default: from the -o suffix, else html)")
    p.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--select", type=_csv, help="only these rules (codes, names or code prefixes)")
    p.add_argument("--extend-select", type=_csv, help="add rules, e.g. ones off by default")
    p.add_argument("--ignore", type=_csv, help="skip these rules")
    p.add_argument("--fail-level", choices=("error", "warning", "info"))
    _add_model_options(p)
    _add_common(p)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 0, got {text!r}")
    return value


def _add_rules(sub) -> None:
    p = sub.add_parser("rules", help="list the rules")
    p.add_argument("--format", default="text", choices=("text", "json", "markdown"))
    p.add_argument("--all", action="store_true", help="include rules that are off by default")
    _add_common(p)
    p = sub.add_parser("rule", help="show one rule's documentation and examples")
    p.add_argument("name", help="rule code or name, e.g. SL301 or confusable-word")
    _add_common(p)


REPORT_FORMATS = ("html", "json", "csv")


def _add_confusables(sub) -> None:
    p = sub.add_parser("confusables", help="build, tune and evaluate the confusable-word model",
                       description="build: model counts from SymSpell and the train split; tune: "
                       "weights and per-set thresholds on the development split; eval: "
                       "precision/recall and false alarms on the held-out split (news sentences "
                       "in ../shared/data); audit: list the flags on clean sentences as TSV for "
                       "labelling once rules and model are frozen; crossfit: the train-half "
                       "check (counts from one half of train, figures on the other).")
    p.add_argument("action", choices=("build", "tune", "eval", "audit", "crossfit"))
    p.add_argument("--data", metavar="DIR", help="the shared data folder (default: ../shared/data)")
    p.add_argument("--split", choices=("train", "dev", "held-out"), default=None,
                   help="eval only: which split to report (default: held-out)")
    p.add_argument("--show", type=int, default=0, metavar="N",
                   help="eval on train or dev only: print up to N false alarms and misses per set")
    p.add_argument("--json", metavar="FILE", help="eval: also write the figures as JSON")
    p.add_argument("--audit", metavar="FILE", help="eval: flags this audit file judged to be "
                   "real errors of the source text are counted apart from false alarms")
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
    override = None
    if getattr(args, "model", None) or getattr(args, "allow_model_version_skew", False):
        from storylint.checks.classifier import with_model

        override = (args.model, args.allow_model_version_skew)
        rules = [with_model(r, *override) for r in rules]
    linter = Linter(rules, config, fmt, override)
    for rule in linter.checks:  # model warnings (e.g. allowed version skew) go to stderr
        for warning in getattr(rule.check, "warnings", ()):
            print(f"storylint: {warning}", file=sys.stderr)
    return linter


def cmd_check(args) -> int:
    """`storylint check`: lint stories and print findings in the chosen format."""
    from storylint.engine import run_check
    from storylint.report import CONTEXT_FORMATS, render

    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.fix and args.diff:
        raise UsageError("use either --fix (write) or --diff (show), not both")
    if (args.fix or args.diff) and "-" in args.paths:
        raise UsageError("--fix and --diff work on files, not on standard input (-)")
    if args.output:
        _check_output_folder(Path(args.output))
    linter = build_linter(args)
    if args.stdin_filename:
        linter.stdin_name = args.stdin_filename
    narrow = _filters(args)
    linter.keep_context = args.format in CONTEXT_FORMATS or any((
        args.fix, args.diff, args.diff_only, args.baseline, args.write_baseline))
    fixes = None
    if args.fix or args.diff:
        from storylint.fixing import run_fixes

        fixes = run_fixes(args.paths, linter, args.unsafe_fixes, write=args.fix)
        result = fixes.result
    else:
        result = run_check(args.paths, linter)
    result = narrow(result)
    result.fail_score = args.fail_score
    if args.diff:
        sys.stdout.write("".join(fixes.diffs))
        sys.stdout.flush()
        _note(f"would fix {_fix_counts(fixes)}")
        code = _fix_exit_code(result, fixes)
        return 1 if code == 0 and fixes.diffs else code
    _write(args.output, lambda stream: render(args.format, result, stream))
    if fixes is None:
        return result.exit_code()
    _note(f"fixed {_fix_counts(fixes)}")
    return _fix_exit_code(result, fixes)


def _fix_counts(fixes) -> str:
    return f"{_count(fixes.fixed, 'problem')} in {_count(fixes.files_changed, 'file')}"


def _fix_exit_code(result, fixes) -> int:
    """3 after an internal error, 2 if a fix was unstable or could not be written (RELIABILITY
    items 47, 49), else the code for the findings that remain."""
    if result.internal_errors:
        return EXIT_INTERNAL
    return EXIT_CONFIG if fixes.failed else result.exit_code()


def _filters(args):
    """--diff-only and --baseline, prepared before any story is read (a bad ref or baseline is
    exit 2 before anything is fixed); returns a function that narrows a RunResult."""
    changes = baseline = None
    if args.diff_only:
        from storylint.gitdiff import changed_lines

        changes = changed_lines(args.diff_only)
    if args.baseline:
        from storylint.baseline import load_baseline

        baseline = load_baseline(Path(args.baseline))
    return lambda result: _narrow(result, args, changes, baseline)


def _narrow(result, args, changes, baseline):
    """Apply --diff-only, then --write-baseline or --baseline."""
    if changes is not None:
        from storylint.gitdiff import filter_result

        result = filter_result(result, *changes)
    if args.write_baseline:
        from storylint.baseline import load_baseline, write_baseline

        path = Path(args.write_baseline)
        _note(f"wrote baseline {path} with {_count(write_baseline(result, path), 'finding')}")
        return load_baseline(path).apply(result)
    if baseline is not None:
        result = baseline.apply(result)
        matched, fixed = result.extra["baseline_matched"], result.extra["baseline_fixed"]
        _note(f"{_count(matched, 'known finding')} hidden by the baseline"
              + (f"; {fixed} baseline entries no longer occur" if fixed else ""))
    return result


def _note(message: str) -> None:
    print(f"storylint: {message}", file=sys.stderr)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def cmd_report(args) -> int:
    """`storylint report`: check an archive in parallel and write an HTML, JSON or CSV report."""
    import os

    from storylint.engine import iter_story_paths
    from storylint.report.archive import write_report

    if not os.path.exists(args.archive):
        raise UsageError(f"archive not found: {args.archive}")
    fmt = args.format or _suffix_format(args.output) or "html"
    if args.output:
        _check_output_folder(Path(args.output))
    linter = build_linter(args)
    paths = iter_story_paths([args.archive], linter.config)  # lazy: the archive is streamed

    def count() -> int:  # a second walk, made only when a progress bar is shown
        return sum(1 for _ in iter_story_paths([args.archive], linter.config))

    with _progress(count, args.quiet) as bar, _output_stream(args.output) as stream:
        tally = write_report(fmt, paths, linter, stream, args.jobs, bar.update if bar else None)
    sys.stdout.flush()
    return tally.exit_code()


def _suffix_format(output: str | None) -> str | None:
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return {"htm": "html"}.get(suffix, suffix) if suffix in (*REPORT_FORMATS, "htm") else None


def _check_output_folder(path: Path) -> None:
    from storylint.atomic import WriteError

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"cannot write {path}: folder {folder} does not exist")


def _progress(count, quiet: bool):
    """A tqdm bar on stderr when it is a terminal (its total from `count()`, a walk of the
    archive made only then); otherwise a context giving None."""
    import contextlib

    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext()
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
    return tqdm(total=count(), unit="story", file=sys.stderr, dynamic_ncols=True, leave=False)


def _output_stream(output: str | None):
    """A context giving the stream a report is written to: stdout, or a temporary file that
    replaces `output` atomically only if the whole report was written."""
    import contextlib

    if output is not None:
        from storylint.atomic import open_text_atomic

        return open_text_atomic(Path(output))
    if getattr(sys.stdout, "errors", None) == "strict" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # odd file names never crash
    return contextlib.nullcontext(sys.stdout)


def _write(output: str | None, writer) -> None:
    if output is None:
        if getattr(sys.stdout, "errors", None) == "strict" and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")  # odd file names never crash
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


def cmd_confusables(args) -> int:
    """`storylint confusables build|tune|eval`: the confusable-word model and its measurement."""
    from storylint.training.typo_eval import run_action

    return _maintainer_command(run_action, args, load_settings(args))


def cmd_train(args) -> int:
    """`storylint train`: fit and export the promo-tail model, write its card."""
    from storylint.training.commands import run_train

    return _maintainer_command(run_train, args)


def cmd_eval(args) -> int:
    """`storylint eval`: held-out metrics of the promo-tail model, written into its card."""
    from storylint.training.commands import run_eval

    return _maintainer_command(run_eval, args)


def _maintainer_command(run, *args) -> int:
    """Run a training or evaluation command: missing data, fixtures or paths, and files that
    cannot be read or written, are exit 2 naming what is missing, not internal errors."""
    from storylint.training.checkout import TrainingError

    try:
        return run(*args)
    except TrainingError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        if exc.filename is None:
            raise
        raise UsageError(f"{exc.filename}: {exc.strerror or exc}") from None


def cmd_explain(args) -> int:
    """`storylint explain`: the terms and features behind each flagged tail."""
    from storylint.explain import run_explain

    code = run_explain(args, build_linter(args), sys.stdout)
    sys.stdout.flush()
    return code


_SUBPARSERS = {"check": _add_check, "report": _add_report, "rules": _add_rules,
               "rule": _add_rules, "confusables": _add_confusables, "train": _add_model_commands,
               "eval": _add_model_commands, "explain": _add_model_commands}
COMMANDS = {"check": cmd_check, "report": cmd_report, "rules": cmd_rules, "rule": cmd_rule,
            "train": cmd_train, "eval": cmd_eval, "explain": cmd_explain,
            "confusables": cmd_confusables}
