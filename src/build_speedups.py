"""Hatchling build hook: compile `storylint._speedups` (five C files) when a C compiler is there,
and, in a regular wheel, compile the per-story Python modules with mypyc.

Both only make storylint faster; pure Python computes the same results.
So a machine without a compiler still gets a working (slower) install, with a warning, unless
STORYLINT_SPEEDUPS=require. STORYLINT_SPEEDUPS=off builds pure Python on purpose.

- a wheel gets the compiled module and a platform tag;
- an editable install gets it next to the sources (src/storylint/, ignored by git), since the
  editable wheel points Python at src/;
- a regular wheel also gets MYPYC_MODULES compiled by mypyc (`pip install .`). An editable
  install never does: a compiled module would hide every later edit of its source. The tests
  compare the two builds' findings (tests/test_compiled_build.py).

The compiler and flags are the interpreter's own (sysconfig: CC, LDSHARED, CCSHARED), so the
module matches the Python it is built for. The C module needs nothing beyond hatchling; mypyc
comes with mypy and builds through setuptools (both in pyproject's build requirements).
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # the tests import this file for compile_extension alone
    BuildHookInterface = object

FOLDER = Path("src", "storylint")
# one module; _speedups.h joins them
SOURCES = (FOLDER / "_speedups.c", FOLDER / "_features.c", FOLDER / "_lines.c",
           FOLDER / "_markers.c", FOLDER / "_normalise.c", FOLDER / "_textscan.c",
           FOLDER / "_wordmodel.c")
MODES = ("auto", "require", "off")
# The modules every story passes through (parsing, the rules, the two models' scoring), compiled
# by mypyc in a regular wheel: 1.4-1.6x the stories per second (README, Throughput).
MYPYC_MODULES = ("story", "features", "engine", "model", "wordmodel", "normalise", "patterns",
                 "dates",
                 "checks/base", "checks/classifier", "checks/context", "checks/empty_field",
                 "checks/field_agreement", "checks/likely_word", "checks/mixed_script",
                 "checks/numbered_sequence", "checks/pattern", "checks/required_text",
                 "checks/substitution")


class SpeedupsBuildHook(BuildHookInterface):
    """Builds the optional C extension into the wheel (or next to the sources, if editable)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        """Compile the extension and add it to the build; fall back to pure Python if allowed."""
        if self.target_name != "wheel":
            return
        mode = os.environ.get("STORYLINT_SPEEDUPS", "")
        if version == "editable":
            folder = Path(self.root, "src", "storylint")
        else:
            self._tmp = tempfile.mkdtemp(prefix="storylint-build-")
            folder = Path(self._tmp)
        built = build_extension(Path(self.root), folder, mode, warn=_warn)
        if built is None:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(built)] = f"storylint/{built.name}"
            for path, name in build_mypyc(Path(self.root), Path(self._tmp), mode, warn=_warn):
                build_data["force_include"][str(path)] = name

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        """Remove the temporary build folder of a regular wheel."""
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def build_extension(root: Path, folder: Path, mode: str, warn=print) -> Path | None:
    """Compile the module into `folder` and return its path; None means pure Python.

    `mode` (STORYLINT_SPEEDUPS): "auto" (default) falls back with a warning when compiling
    fails, "require" raises instead, "off" builds nothing. A module left in `folder` by an
    earlier build is removed first, so a failed or switched-off build never leaves an old one
    in use.
    """
    mode = mode.strip().lower() or "auto"
    if mode not in MODES:
        raise ValueError(f"STORYLINT_SPEEDUPS must be one of {', '.join(MODES)}, not {mode!r}")
    target = folder / ("_speedups" + sysconfig.get_config_var("EXT_SUFFIX"))
    target.unlink(missing_ok=True)
    if mode == "off":
        return None
    problem = compile_extension([root / source for source in SOURCES], target)
    if problem is None:
        return target
    if mode == "require":
        raise RuntimeError(f"cannot build storylint._speedups: {problem}")
    warn(f"warning: storylint._speedups not built ({problem}); the promo-tail scorer and the "
         "confusable-word scan run in pure Python (same results, slower)")
    return None


def build_mypyc(root: Path, folder: Path, mode: str, warn=print) -> list[tuple[Path, str]]:
    """Compile MYPYC_MODULES with mypyc in a copy of the package under `folder`; the built
    files and their paths in the wheel, or [] (pure Python) when mypyc is missing or fails and
    `mode` allows that (see `build_extension`)."""
    mode = mode.strip().lower() or "auto"
    if mode == "off":
        return []
    work = folder / "mypyc"
    shutil.copytree(root / FOLDER, work / "storylint",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.c", "*.h"))
    problem = run_mypyc(work, [f"storylint/{name}.py" for name in MYPYC_MODULES])
    if problem is None:
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = [*work.glob(f"*{suffix}"), *(work / "storylint").rglob(f"*{suffix}")]
        return [(path, path.relative_to(work).as_posix()) for path in sorted(built)]
    if mode == "require":
        raise RuntimeError(f"cannot compile storylint with mypyc: {problem}")
    warn(f"warning: storylint's modules not compiled with mypyc ({problem}); they run as "
         "Python (same results, slower)")
    return []


def run_mypyc(work: Path, modules: list[str]) -> str | None:
    """Run mypyc on `modules` (paths relative to `work`), building in place; None on success,
    else why it failed."""
    problem = missing_compiler()
    if problem:
        return problem
    command = [sys.executable, "-m", "mypyc", "--ignore-missing-imports",
               "--follow-imports=silent", "--disable-error-code", "annotation-unchecked",
               *modules]
    env = dict(os.environ, MYPY_CACHE_DIR=str(work / ".mypy_cache"))
    try:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, env=env,
                              check=False)
    except OSError as exc:
        return f"{command[0]}: {exc}"
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).strip().splitlines()
        return "mypyc failed:\n" + "\n".join(lines[-20:])
    return None


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def missing_compiler() -> str | None:
    """Why this Python cannot compile the module on this machine, or None when it can."""
    linker = sysconfig.get_config_var("LDSHARED")
    if not linker or os.name == "nt":
        return "no C compiler configuration for this Python (sysconfig LDSHARED)"
    program = shlex.split(linker)[0]
    return None if shutil.which(program) else f"C compiler {program!r} not found"


def compile_extension(sources: list[Path], target: Path) -> str | None:
    """Compile and link the C `sources` into one module `target`; None on success, else why it
    failed."""
    problem = missing_compiler()
    if problem:
        return problem
    command = shlex.split(sysconfig.get_config_var("LDSHARED"))
    flags = shlex.split(sysconfig.get_config_var("CCSHARED") or "")
    include = sysconfig.get_paths()["include"]
    partial = target.with_name(target.name + ".partial")
    command += [*flags, "-O2", "-Wall", "-I", include, *map(str, sources), "-o",
                str(partial)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        return f"{command[0]}: {exc}"
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        return f"{shlex.join(command)} failed:\n{done.stderr.strip()}"
    os.replace(partial, target)  # an interrupted build never leaves a half-written module
    return None
