"""What every model storylint loads at check time has in common: one error type, and data files
read only after their size is checked and their SHA-256 matches the manifest.

Both models (the promo-tail classifier in `model.py`, the confusable-word counts in
`wordmodel.py`) keep a JSON manifest beside their data; nothing executable is ever loaded.
"""
from __future__ import annotations

import hashlib
from pathlib import Path


class ModelError(Exception):
    """A model that cannot be used (missing, tampered, malformed, wrong version): exit 2."""


def read_verified(path: Path, sha256: str, limit: int, missing: str,
                  size: int | None = None) -> bytes:
    """The bytes of a model data file, refused when missing, a symlink, larger than `limit`,
    or when their SHA-256 (and `size`, if given) differs from the manifest's.

    `missing` ends the message for a missing file (how to build the model)."""
    if path.is_symlink() or not path.is_file():
        raise ModelError(f"model file missing: {path}; {missing}")
    actual = path.stat().st_size
    if actual > limit:
        raise ModelError(f"{path}: model file too large ({actual:,} bytes; limit {limit:,})")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise ModelError(f"model checksum mismatch: {path} (expected {sha256}, got {digest})")
    if size is not None and len(raw) != size:  # unreachable unless sha256 collides
        raise ModelError(f"{path}: truncated ({len(raw)} of {size} bytes)")
    return raw
