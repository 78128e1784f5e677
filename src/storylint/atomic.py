"""Writing files so that a crash, a full disk or Ctrl-C never leaves a half-written file behind.

The new content goes to a temporary file in the same folder, is flushed and fsynced, takes the
old file's permission bits, and then replaces the target with `os.replace` (atomic on POSIX).
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path


class WriteError(OSError):
    """A report or fixed story could not be written; the message names the file."""


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None,
                       owner: tuple[int, int] | None = None, before_replace=None) -> None:
    """Replace `path` with `data` atomically, keeping `mode` (or the existing file's mode).

    `owner` (uid, gid) is given to the new file where permitted (root fixing another user's
    story). `before_replace()` runs after the new content is safely on disk and just before the
    rename; if it raises, the temporary file is removed and the target is left untouched (the
    fixer uses it to refuse a file that changed since it was read).
    """
    with _replacing(path, mode, owner, before_replace) as fd:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def write_text_atomic(path: Path, writer) -> None:
    """Render text with `writer(stream)` into memory, then write it atomically as UTF-8.

    A lone surrogate (from a file name that is not valid UTF-8) is written as the escape
    `\\udcXX` rather than failing the whole report (RELIABILITY item 44).
    """
    buffer = io.StringIO()
    writer(buffer)
    write_bytes_atomic(path, buffer.getvalue().encode("utf-8", "backslashreplace"))


@contextlib.contextmanager
def open_text_atomic(path: Path):
    """A UTF-8 text stream that replaces `path` atomically when the `with` block ends normally.

    For reports too large to build in memory: text is written straight to a temporary file in
    the same folder. On any exception (including Ctrl-C and SIGTERM) the temporary file is
    removed and `path` is left as it was; after SIGKILL only a hidden `.NAME.*.storylint-tmp`
    file can remain, never a partial report under the real name. Lone surrogates are written as
    `\\udcXX`, as in `write_text_atomic`.
    """
    with _replacing(path) as fd:
        with open(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())


@contextlib.contextmanager
def _replacing(path: Path, mode: int | None = None, owner: tuple[int, int] | None = None,
               before_replace=None):
    """A descriptor of a new temporary file beside `path`; when the block ends normally (the
    caller has written and fsynced it) the file gets `mode` and `owner` and replaces `path`.
    On any exception the temporary file is removed and `path` is left as it was."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"cannot write {path}: folder {folder} does not exist")
    if mode is None:
        mode = _existing_mode(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".storylint-tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        yield fd
        if owner is not None:
            _chown(temp, owner)
        os.chmod(temp, mode)  # after chown, which may clear set-id bits
        if before_replace is not None:
            before_replace()
        os.replace(temp, path)
    except BaseException as exc:
        _remove(temp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    _sync_folder(folder)


def _existing_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _chown(temp: str, owner: tuple[int, int]) -> None:
    try:
        os.chown(temp, *owner)
    except PermissionError:
        pass  # an unprivileged user cannot give files away; the file is theirs anyway


def _remove(temp: str) -> None:
    try:
        os.unlink(temp)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
