"""Helpers the CI formats share: repository-relative paths, safe strings, severity ordering."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from storylint.finding import Finding, Severity

ROOT_ENV = "STORYLINT_ROOT"


def project_root(start: str | None = None) -> Path:
    """The folder report paths are relative to: $STORYLINT_ROOT, the git work tree, or the cwd."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def relative_path(path: str, root: Path) -> str | None:
    """`path` relative to `root` with forward slashes, or None when it lies outside the root."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return None


def display_path(path: str, root: Path) -> str:
    """The path as reports show it: relative to the root when inside it, else as given."""
    return clean(relative_path(path, root) or path)


def path_uri(path: str, root: Path) -> tuple[str, bool]:
    """A percent-encoded URI for a path and whether it is relative to the root (`uriBaseId`).

    File names may hold any bytes (item 44): the path is encoded with the file-system encoding
    first, so undecodable names become %XX escapes instead of an encoding error.
    """
    relative = relative_path(path, root)
    if relative is not None:
        return quote(os.fsencode(relative), safe="/"), True
    absolute = Path(os.path.abspath(path)).as_posix()
    return "file://" + quote(os.fsencode(absolute), safe="/"), False


def clean(text: str) -> str:
    """Text that encodes as UTF-8: lone surrogates (undecodable file names) become \\udcXX."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def most_severe_first(findings: list[Finding]) -> list[Finding]:
    """Findings ordered error, warning, info, each in file and position order."""
    return sorted(findings, key=lambda f: (-f.severity, f.path, f.line, f.column, f.code))


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    """{'error': n, 'warning': n, 'info': n} in that order."""
    return {str(level): sum(1 for f in findings if f.severity == level)
            for level in sorted(Severity, reverse=True)}


def visible(text: str, keep: str = "\n\t") -> str:
    """Control, bidi and invisible characters (except those in `keep`) as \\uXXXX escapes.

    Item 38: a right-to-left override in a story must not reorder what a terminal, a browser or
    a code-scanning page shows.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
