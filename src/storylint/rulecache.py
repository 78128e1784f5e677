"""A cache of validated rule files, so a pre-commit run does not re-parse big YAML every time.

Reading and validating the rule packs (one of them is a 100 KB list of confusable words) costs
more than checking a story. Once a rule file has been validated, its plain data is kept as JSON
under the user's cache folder, keyed by a SHA-256 of the file's bytes and of storylint's own
version and validation code. Any change to either misses the cache and validates afresh, so a
stale entry can never be used. Only data is cached, never code; a damaged entry is ignored.

`STORYLINT_CACHE_DIR` names the folder (default `$XDG_CACHE_HOME/storylint` or
`~/.cache/storylint`); `STORYLINT_NO_CACHE=1` switches the cache off.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

FORMAT = "1"
MAX_ENTRIES = 400  # every edit of a rule file or upgrade adds entries; the oldest go beyond this
_FINGERPRINT: list[str] = []  # computed once per process


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    if os.environ.get("STORYLINT_NO_CACHE"):
        return None
    if os.environ.get("STORYLINT_CACHE_DIR"):
        return Path(os.environ["STORYLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "storylint"


def key_for(name: str, content: bytes) -> str:
    """The cache key of a rule file: its name and bytes plus storylint's code fingerprint."""
    digest = hashlib.sha256(_code_fingerprint().encode() + b"\0" + name.encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()


def load(key: str) -> dict | None:
    """The cached data for `key`, or None (missing, unreadable or damaged)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"rule-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def store(key: str, data: dict) -> None:
    """Keep `data` for `key`; any failure (read-only home, full disk) is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".rule-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({**data, "format": FORMAT}, handle)
        os.replace(temp, folder / f"rule-{key}.json")
        _prune(folder)
    except OSError:
        try:
            os.unlink(temp)
        except (OSError, UnboundLocalError):
            pass


def _prune(folder: Path) -> None:
    """Keep the cache bounded: beyond MAX_ENTRIES entries, delete the oldest half (by the time
    they were written). Runs only after a miss, so a warm pre-commit run never lists the folder."""
    entries = []
    for path in folder.glob("rule-*.json"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort()
    for _, path in entries[:len(entries) - MAX_ENTRIES // 2]:
        try:
            path.unlink()
        except OSError:
            pass


def _code_fingerprint() -> str:
    """storylint's version and the size and mtime of the code that validates rules."""
    if not _FINGERPRINT:
        from storylint import __version__

        package = Path(__file__).resolve().parent
        files = [package / n for n in ("rulepack.py", "schema.py", "safeyaml.py", "story.py")]
        files += sorted((package / "checks").glob("*.py"))
        parts = [__version__, FORMAT]
        for path in files:
            try:
                info = path.stat()
                parts.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
            except OSError:
                parts.append(f"{path.name}:missing")
        _FINGERPRINT.append("|".join(parts))
    return _FINGERPRINT[0]
