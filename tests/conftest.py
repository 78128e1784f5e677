"""Shared test fixtures: the bundled rules, a linter, and the optional ../shared data folder."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Validated rule files are cached between runs (rulecache.py); tests use a cache of their own
# so they neither read nor leave entries in the user's ~/.cache.
os.environ.setdefault("STORYLINT_CACHE_DIR", tempfile.mkdtemp(prefix="storylint-test-cache-"))

from storylint.config import Config
from storylint.engine import Linter, load_rules, select_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_92e443b0f223b98d.txt"
FIXTURES = REPO / "fixtures"


@pytest.fixture(scope="session")
def all_rules():
    """Every rule of the bundled packs plus the built-in ones, loaded once."""
    rules, fmt = load_rules(Config())
    return rules, fmt


@pytest.fixture(scope="session")
def linter(all_rules):
    """A Linter with the default selection (every enabled rule)."""
    rules, fmt = all_rules
    config = Config()
    return Linter(select_rules(rules, config), config, fmt)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`, or skip: the public corpora are not part of the repository."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"needs the public corpora in {data} (../shared beside the checkout)")
    return data


@pytest.fixture(scope="session")
def seed_story() -> Path:
    """The real example story in ../shared/seeds, or skip when ../shared is absent."""
    if not SEED.is_file():
        pytest.skip(f"needs the seed story {SEED} (../shared beside the checkout)")
    return SEED


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite fixtures/expected/*.json from the current output (review the diff!)")


@pytest.fixture
def update_golden(request) -> bool:
    """True only when the run was started with --update-golden."""
    return request.config.getoption("--update-golden")


def load_file_module(name: str, path: Path):
    """The module in the file `path` under `name`: the build hook in src/, which is not part
    of the package, or an extension module just compiled somewhere else."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """The wheel `python -m build` makes of this checkout, built once per test run: about a
    minute, most of it mypyc compiling the per-story modules (tests/test_compiled_build.py)."""
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist),
                           str(REPO)], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"building the wheel failed:\n{done.stdout}\n{done.stderr}"
    (dist / "build.log").write_text(done.stdout + done.stderr, encoding="utf-8")  # warnings
    return next(dist.glob("storylint-*.whl"))


def pytest_report_header(config):
    """Which storylint the tests import: the sources, or an installed (maybe compiled) build."""
    import storylint.engine

    kind = "Python" if storylint.engine.__file__.endswith(".py") else "compiled by mypyc"
    return f"storylint: {Path(storylint.__file__).parent} (rule engine and checks: {kind})"
