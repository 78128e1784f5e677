"""Reading story files safely: no symlink following, no blocking on FIFOs, a size cap before
reading, strict UTF-8 (BOMs honoured) with explicit, reported fallbacks.

Every problem becomes a finding for that file, never an exception, so one bad file cannot stop
a run over an archive.
"""
from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass

from storylint.diagnostics import diagnostic
from storylint.finding import Finding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"\x89PNG", b"%PDF-", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"\x7fELF")
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


@dataclass(frozen=True)
class StoryFile:
    """What reading a path gave: the raw bytes and decoded text, or the findings that stopped it."""

    path: str
    raw: bytes | None = None
    text: str | None = None
    encoding: str | None = None
    findings: tuple[Finding, ...] = ()
    mtime_ns: int = 0


def read_story(path: str, max_bytes: int, fallbacks=("cp1252",),
               follow_symlinks: bool = False, root: str | os.PathLike | None = None) -> StoryFile:
    """Read and decode one story file; problems come back as findings, never as exceptions.

    A followed symlink must resolve inside `root` (the project folder), so a link in a
    submitted repository cannot make storylint read, and quote, a file from elsewhere.
    """
    problem = _check_link(path, follow_symlinks, root)
    if problem:
        return StoryFile(path, findings=(problem,))
    try:
        raw, mtime_ns = _read_regular(path, max_bytes, follow_symlinks)
    except _Refused as refused:
        return StoryFile(path, findings=(refused.finding,))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return StoryFile(path, findings=(diagnostic("unreadable-file", path,
                                                    f"cannot read file: {reason}"),))
    return decode_story(path, raw, fallbacks, mtime_ns)


def read_stream(stream, label: str, max_bytes: int, fallbacks=("cp1252",)) -> StoryFile:
    """Read and decode a story from a binary stream (standard input), named `label` in
    findings; more than `max_bytes` is refused without reading the rest."""
    try:
        raw = stream.read(max_bytes + 1)
    except OSError as exc:
        return StoryFile(label, findings=(diagnostic(
            "unreadable-file", label, f"cannot read standard input: {exc.strerror or exc}"),))
    if len(raw) > max_bytes:
        return StoryFile(label, findings=(diagnostic("file-too-large", label, (
            f"standard input too large: more than {_size(max_bytes)} (max-file-size)")),))
    return decode_story(label, raw, fallbacks)


def decode_story(path: str, raw: bytes, fallbacks=("cp1252",), mtime_ns: int = 0) -> StoryFile:
    """Decode bytes: BOM first, then strict UTF-8, then each fallback (reported as SL001)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return StoryFile(path, raw, raw.decode(codec), codec, mtime_ns=mtime_ns)
            except UnicodeDecodeError as exc:
                return _undecodable(path, raw, exc, codec, mtime_ns)
    if _looks_binary(raw):
        return StoryFile(path, raw, None, None, (diagnostic(
            "binary-file", path, "binary file (image, PDF, archive or similar), not checked"),),
            mtime_ns)
    try:
        return StoryFile(path, raw, raw.decode("utf-8"), "utf-8", mtime_ns=mtime_ns)
    except UnicodeDecodeError as exc:
        error = exc
    for codec in fallbacks:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        line, column = byte_position(raw, error.start)
        note = diagnostic("encoding-fallback", path, (
            f"file is not valid UTF-8 (byte 0x{raw[error.start]:02X} at {line}:{column}); "
            f"read as {codec} - convert it to UTF-8"), line, column)
        return StoryFile(path, raw, text, codec, (note,), mtime_ns)
    return _undecodable(path, raw, error, "utf-8", mtime_ns)


def byte_position(raw: bytes, index: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset (column counts decoded characters)."""
    line_start = raw.rfind(b"\n", 0, index) + 1
    column = len(raw[line_start:index].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, index) + 1, column


def _undecodable(path, raw, exc, codec, mtime_ns) -> StoryFile:
    line, column = byte_position(raw, exc.start)
    hint = _guess_encoding(raw)
    detail = (f"file is not valid {codec.upper().replace('-SIG', '')} (byte "
              f"0x{raw[exc.start]:02X} at {line}:{column}) and no fallback encoding decodes it"
              + (f"; it may be {hint}" if hint else "") + "; set encoding-fallback or convert it")
    return StoryFile(path, raw, None, None, (diagnostic("undecodable-file", path, detail,
                                                        line, column),), mtime_ns)


def _guess_encoding(raw: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(raw[:65536]).best()
    return best.encoding if best else None


def _looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if head.startswith(_MAGIC):
        return True
    return head.count(b"\x00") > max(1, len(head) // 100)


class _Refused(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding


def _check_link(path: str, follow: bool, root=None) -> Finding | None:
    try:
        info = os.lstat(path)
    except OSError as exc:
        return diagnostic("unreadable-file", path, f"cannot read file: {exc.strerror or exc}")
    if not stat.S_ISLNK(info.st_mode):
        return None
    if not follow:
        return diagnostic("symlink", path, "symlink not followed (use --follow-symlinks)")
    try:
        os.stat(path)
    except OSError as exc:
        what = "symlink loop" if exc.errno == errno.ELOOP else "dangling symlink"
        return diagnostic("symlink", path, f"{what}: {os.readlink(path)}")
    if root is not None:
        target, base = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([target, base]) != base:
            return diagnostic("symlink", path, f"symlink points outside {base}: {target}")
    return None


def _read_regular(path: str, max_bytes: int, follow: bool) -> tuple[bytes, int]:
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        kind = stat.S_IFMT(info.st_mode)
        if kind != stat.S_IFREG:
            raise _Refused(diagnostic("not-regular-file", path,
                                      f"not a regular file ({_KINDS.get(kind, 'special file')})"))
        if info.st_size > max_bytes:
            raise _Refused(diagnostic("file-too-large", path, (
                f"file too large: {_size(info.st_size)} > {_size(max_bytes)} limit "
                "(max-file-size)")))
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise _Refused(diagnostic("file-too-large", path,
                                          f"file grew past the {_size(max_bytes)} limit"))
        return b"".join(chunks), info.st_mtime_ns
    finally:
        os.close(fd)


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MB" if count >= 1048576 else f"{count:,} bytes"
