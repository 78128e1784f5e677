"""Bad files to mix into an archive, and what `storylint report` must say about each.

Shared by tests/test_report_streaming.py (a small archive) and tests/bench/bench_load.py (a few
hundred of them among 100,000 stories). Each kind of fault is written by one function from a
good story's text; `EXPECTED` gives the rule code (and message fragment) the report must carry
for it under the default settings and under `STRICT_CONFIG` (no encoding fallback, symlinks
followed). A code of None means the file must be read and checked like any story (UTF-16 with a
BOM, a 1 MB line): it must appear with the given encoding and no file-level diagnostic.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

IO_CODES = {f"SL00{n}" for n in range(1, 9)}
LONG_LINE_CHARS = 1_000_000
MAX_FILE_SIZE = 2 * 1024 * 1024  # the configured cap: above the 1 MB line, far below the fakes
OVERSIZE_BYTES = 64 * 1024 * 1024  # sparse: the size cap is checked with stat, nothing is read

# Config files (YAML) for the two runs. Default: cp1252 fallback, symlinks not followed.
DEFAULT_CONFIG = f"max-file-size: {MAX_FILE_SIZE}\nencoding-fallback: [cp1252]\n"
STRICT_CONFIG = f"max-file-size: {MAX_FILE_SIZE}\nencoding-fallback: []\nfollow-symlinks: true\n"


@dataclass(frozen=True)
class Expect:
    """What the report must show for one bad file: a rule code (None: read normally), a
    fragment of that finding's message, or the encoding the file must be read with."""

    code: str | None
    message: str = ""
    encoding: str | None = None


def _text_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def _cp1252(text: str) -> bytes:
    quoted = text.replace("\n\n", "\n\n\u201cIt was a hard week,\u201d she said \u2013 again.\n\n", 1)
    return quoted.encode("cp1252", errors="replace")


def _undecodable(text: str) -> bytes:
    head, _, tail = text.partition("\n")
    return head.encode("utf-8") + b"\n\x81\x8d\x90 bytes no encoding decodes\n" + tail.encode()


def _nul_byte(text: str) -> bytes:
    return text.replace("\n", "\nA line with a NUL\x00 byte.\n", 1).encode("utf-8")


def _long_line(text: str) -> bytes:
    sentence = "The harbour reopened on Tuesday after the storm passed. "
    line = (sentence * (LONG_LINE_CHARS // len(sentence) + 1))[:LONG_LINE_CHARS]
    return (text.rstrip("\n") + "\n" + line + "\n").encode("utf-8")


BYTE_FAULTS = {
    "png": lambda text: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "pdf": lambda text: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "zip": lambda text: b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(200)),
    "cp1252": _cp1252,
    "utf16": lambda text: text.encode("utf-16"),
    "undecodable": _undecodable,
    "empty": lambda text: b"",
    "blank": lambda text: b"  \n\t\n   \n",
    "nul": _nul_byte,
    "long-line": _long_line,
}
OTHER_FAULTS = ("oversize", "dangling-link", "link-loop", "good-link", "fifo", "directory")
KINDS = tuple(BYTE_FAULTS) + OTHER_FAULTS

_DEFAULT = {
    "png": Expect("SL003"), "pdf": Expect("SL003"), "zip": Expect("SL003"),
    "cp1252": Expect("SL001", "read as cp1252", "cp1252"),
    "utf16": Expect(None, encoding="utf-16"),
    "undecodable": Expect("SL002", "not valid UTF-8 (byte 0x81"),
    "empty": Expect("SL008"), "blank": Expect("SL008"),
    "nul": Expect("SL405", encoding="utf-8"),
    "long-line": Expect(None, encoding="utf-8"),
    "oversize": Expect("SL006", "file too large: 64.0 MB > 2.0 MB limit"),
    "dangling-link": Expect("SL005", "symlink not followed"),
    "link-loop": Expect("SL005", "symlink not followed"),
    "good-link": Expect("SL005", "symlink not followed"),
    "fifo": Expect("SL007", "not a regular file (a FIFO)"),
    "directory": Expect("SL007", "not a regular file (a directory)"),
}
EXPECTED = {
    "default": _DEFAULT,
    "strict": {**_DEFAULT,
               "cp1252": Expect("SL002", "no fallback encoding decodes it"),
               "dangling-link": Expect("SL005", "dangling symlink"),
               "link-loop": Expect("SL005", "symlink loop"),
               "good-link": Expect(None, encoding="utf-8")},
}


def write_fault(kind: str, path: Path, text: str, good_target: Path | None = None) -> None:
    """Create the bad file `path` of the given kind (`text`: a good story to start from;
    `good_target`: an existing good story, for the link that points at one)."""
    if kind in BYTE_FAULTS:
        path.write_bytes(BYTE_FAULTS[kind](text))
    elif kind == "oversize":
        with open(path, "wb") as handle:
            handle.truncate(OVERSIZE_BYTES)
    elif kind == "dangling-link":
        os.symlink(path.name + ".missing", path)
    elif kind == "link-loop":
        os.symlink(path.name, path)
    elif kind == "good-link":
        os.symlink(os.path.relpath(good_target, path.parent), path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        raise ValueError(f"unknown fault kind {kind!r}")


def problems(files: dict[str, dict], bad: dict[str, str], good: list[str],
             mode: str = "default") -> list[str]:
    """What is wrong with a report's `files` ({path: JSON entry}) given the bad files
    ({path: kind}) and good files mixed into the archive; empty when all is as expected."""
    found = []
    for path, kind in sorted(bad.items()):
        entry = files.get(path)
        if entry is None:
            found.append(f"{path} ({kind}): not in the report")
            continue
        found += _entry_problems(path, kind, entry, EXPECTED[mode][kind])
    found += [f"{path}: good file missing from the report" for path in good if path not in files]
    for path in good:
        codes = {f["code"] for f in files.get(path, {}).get("findings", ())} & IO_CODES
        if codes:
            found.append(f"{path}: good file has file-level findings {sorted(codes)}")
    return found


def _entry_problems(path: str, kind: str, entry: dict, expect: Expect) -> list[str]:
    findings = entry["findings"]
    codes = [f["code"] for f in findings]
    if expect.code is None:
        io = sorted(set(codes) & IO_CODES)
        out = [f"{path} ({kind}): expected to be read, got {io}"] if io else []
    elif expect.code not in codes:
        return [f"{path} ({kind}): expected {expect.code}, got {codes}"]
    else:
        messages = [f["message"] for f in findings if f["code"] == expect.code]
        out = [] if any(expect.message in m for m in messages) else [
            f"{path} ({kind}): {expect.code} message {messages} lacks {expect.message!r}"]
    if expect.encoding and entry["encoding"] != expect.encoding:
        out.append(f"{path} ({kind}): read as {entry['encoding']}, expected {expect.encoding}")
    return out
