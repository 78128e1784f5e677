"""Where the bundled rule packs and models live: inside the installed package, or in a checkout."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir(name: str) -> Path:
    """The bundled `rules` or `models` folder.

    A wheel carries them as `storylint/rules` and `storylint/models`; in a source checkout (or an
    editable install) they are the repository's top-level folders next to `src/`.
    """
    packaged = Path(str(files("storylint"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled {name}/ folder not found (looked in {packaged} and "
                            f"{checkout}); reinstall storylint")
