"""The compiled build behaves exactly like the Python sources.

A regular wheel has its per-story modules compiled by mypyc (src/build_speedups.py,
MYPYC_MODULES): about 1.4x the stories per second. mypyc compiles a slightly different language,
though. Annotations are checked and convert values, native classes cannot be pickled or
monkeypatched, and its own `str.lower` has no final-sigma rule. So the wheel is built once and
tested two ways:
- the whole fast suite runs again, importing the compiled modules;
- its findings on the fixtures and 300 generated scripts are compared with the sources'.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, SHARED, load_file_module

pytestmark = pytest.mark.slow


def _build_hook():
    """src/build_speedups.py, the build hook (not part of the installed package)."""
    return load_file_module("build_speedups", REPO / "src" / "build_speedups.py")


@pytest.fixture(scope="module")
def compiled_site(built_wheel, tmp_path_factory) -> Path:
    """The wheel unpacked into a folder of its own: on PYTHONPATH it comes before the editable
    install, so Python imports the compiled modules from there."""
    if _build_hook().missing_compiler() is not None:
        pytest.skip("no C compiler here: the wheel is pure Python, there is nothing compiled")
    site = tmp_path_factory.mktemp("compiled-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(built_wheel)], check=True, capture_output=True)
    return site


def _env(site: Path | None) -> dict[str, str]:
    """This environment, importing storylint from `site` (None: from the sources)."""
    # STORYLINT_CACHE_DIR too: a test run given none makes a fresh one (conftest.py)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "STORYLINT_CACHE_DIR")}
    return {**env, "PYTHONPATH": str(site)} if site else env


def _run(command: list[str], cwd: Path, site: Path | None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=_env(site), capture_output=True, text=True,
                          check=False)


def test_the_wheel_has_every_listed_module_compiled(built_wheel, compiled_site, tmp_path):
    hook = _build_hook()
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    names = set(zipfile.ZipFile(built_wheel).namelist())
    missing = {f"storylint/{name}{suffix}" for name in hook.MYPYC_MODULES} - names
    log = (built_wheel.parent / "build.log").read_text(encoding="utf-8")
    assert not missing, f"not compiled: {sorted(missing)}; build log:\n{log[-4000:]}"
    version = _run([sys.executable, "-m", "storylint", "--version"], tmp_path, compiled_site)
    assert "rule engine and checks: compiled (mypyc)" in version.stdout
    sources = _run([sys.executable, "-m", "storylint", "--version"], tmp_path, None)
    assert "rule engine and checks: Python sources" in sources.stdout


def test_the_fast_suite_passes_against_the_compiled_modules(compiled_site, tmp_path):
    """Every test not marked slow, importing the compiled build (the header line proves it)."""
    command = [sys.executable, "-m", "pytest", str(REPO / "tests"), "-m", "not slow",
               "-p", "no:cacheprovider"]
    done = _run(command, tmp_path, compiled_site)
    header = f"storylint: {compiled_site / 'storylint'} (rule engine and checks: compiled by mypyc)"
    assert header in done.stdout, done.stdout[:2000]
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def _stories_to_compare(folder: Path) -> list[Path]:
    """The fixture stories, plus 300 generated scripts when ../shared/data is there."""
    paths = sorted(FIXTURES.rglob("*.txt"))
    if (SHARED / "data").is_dir():
        sys.path.insert(0, str(REPO / "tests" / "bench"))
        try:
            from bench_throughput import build_corpus
        finally:
            sys.path.pop(0)
        folder.mkdir()
        for number, text in enumerate(build_corpus(300, 11)):
            path = folder / f"generated-{number:03}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def test_compiled_build_finds_exactly_what_the_sources_find(compiled_site, tmp_path):
    """Findings, scores and promo-tail probabilities, story by story (JSON output)."""
    paths = [str(p) for p in _stories_to_compare(tmp_path / "generated")]
    command = [sys.executable, "-m", "storylint", "check", "--isolated", "--format", "json",
               *paths]
    compiled = _run(command, tmp_path, compiled_site)
    sources = _run(command, tmp_path, None)
    assert compiled.returncode == sources.returncode == 1, compiled.stderr + sources.stderr
    assert json.loads(compiled.stdout) == json.loads(sources.stdout)
    assert len(json.loads(sources.stdout)["files"]) == len(paths)
