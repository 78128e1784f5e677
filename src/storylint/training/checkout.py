"""Where the maintainer commands (`train`, `eval`, `confusables`) read and write by default.

Their defaults (`fixtures/promo-tail`, `models/promo-tail`, `build/...`) are folders of a
source checkout. Run from an installed storylint, the same relative paths would point inside
the Python installation (a model written under `lib/python3.x/`, metrics written into the
installed package), so there they must be given explicitly, and the bundled models are never
rewritten in place.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # storylint/, installed or in src/
ROOT = PACKAGE.parents[1]  # the checkout's root, when this is one


class TrainingError(Exception):
    """Missing data, fixtures or paths for training/evaluation (exit 2)."""


def source_checkout() -> Path | None:
    """The root of the storylint checkout this code runs from, or None when it is installed."""
    if (ROOT / "pyproject.toml").is_file() and (ROOT / "src" / "storylint").is_dir():
        return ROOT
    return None


def checkout_default(given: str | None, relative: str, option: str) -> Path:
    """`given`, else `relative` inside the checkout; outside one, the option is required."""
    if given:
        return Path(given)
    root = source_checkout()
    if root is None:
        raise TrainingError(f"give {option}: its default, {relative}, is a folder of a storylint "
                            "source checkout, and this storylint is installed (no checkout)")
    return root / relative


def refuse_installed_copy(folder: Path, command: str, instead: str) -> Path:
    """`folder`, unless it lies inside the installed storylint package: `command` would
    rewrite the copy of a bundled model that pip installed (a checkout's models/, or any
    folder of the user's, is fine). `instead` says what to do."""
    if folder.resolve().is_relative_to(PACKAGE):
        raise TrainingError(f"{command} would rewrite {folder}, the bundled model of an "
                            f"installed storylint; {instead}")
    return folder
