"""A bounded YAML reader for rule packs and config: plain data plus the position of every value.

`yaml.safe_load` is not enough for files written by strangers: it walks alias bombs, recurses
until RecursionError on deep nesting, keeps the last of two duplicate keys and reads `no` as
False. This reader builds the data from libyaml's event stream without recursion and refuses
aliases, custom tags, duplicate keys, excessive depth and oversized files, each with a
file:line:col message. Plain scalars follow YAML 1.2's core schema, so `no`, `off` and `012`-like
codes are not silently coerced into booleans.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NODES = 200_000

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class YamlError(Exception):
    """A rule pack or config file that cannot be read; str() is the full located message."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None,
                 excerpt: str = ""):
        self.path, self.message, self.line, self.column = path, message, line, column
        where = path if line is None else f"{path}:{line}:{column}"
        super().__init__(f"{where}: {message}" + (f"\n{excerpt}" if excerpt else ""))


@dataclass
class YamlDoc:
    """Parsed data and the 1-based (line, column) of each value, keyed by its path of keys/indices."""

    path: str
    data: object
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def where(self, keys: tuple, of_key: bool = False) -> tuple[int, int] | None:
        """The position of the value (or its key) at `keys`, or of its nearest located parent."""
        if of_key and keys in self.key_positions:
            return self.key_positions[keys]
        while keys not in self.positions and keys:
            keys = keys[:-1]
        return self.positions.get(keys)


def read_yaml_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> YamlDoc:
    """Read one YAML file with size, encoding, depth, alias and duplicate-key limits."""
    name = str(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise YamlError(name, f"file too large ({size:,} bytes > limit {max_bytes:,})")
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise YamlError(name, f"cannot read file: {exc.strerror or exc}") from None
    return parse_yaml_bytes(raw, name)


def parse_yaml_bytes(raw: bytes, name: str) -> YamlDoc:
    """Decode (UTF-8, BOM allowed) and parse a YAML document from bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(name, f"not valid UTF-8 at byte {exc.start}") from None
    return parse_yaml_text(text, name)


def parse_yaml_text(text: str, name: str) -> YamlDoc:
    """Parse YAML text into a YamlDoc; every problem raises a located YamlError."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(name, text, exc) from None
    except yaml.YAMLError as exc:
        raise YamlError(name, f"syntax error: {exc}") from None
    except RecursionError:
        raise YamlError(name, f"nesting too deep (limit {MAX_DEPTH})") from None
    return builder.result()


def _syntax_error(name: str, text: str, exc) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "syntax error"
    if exc.context and exc.context_mark and exc.problem:
        problem += f" ({exc.context} at {exc.context_mark.line + 1}:{exc.context_mark.column + 1})"
    if mark is None:
        return YamlError(name, f"syntax error: {problem}")
    lines = text.splitlines() or [""]
    row, column = mark.line, mark.column
    if row >= len(lines):  # the problem is the end of the file: point after the last line
        row, column = len(lines) - 1, len(lines[-1])
    excerpt = f"  {lines[row]}\n  {' ' * column}^"
    return YamlError(name, f"syntax error: {problem}", mark.line + 1, mark.column + 1, excerpt)


class _Builder:
    """Turns parse events into Python data, one container on a stack per open collection."""

    def __init__(self, name: str):
        self.name = name
        self.stack: list[list] = []  # [container, path, (pending key,) or None, key positions]
        self.doc = YamlDoc(name, None)
        self.documents = 0
        self.nodes = 0
        self.done = False

    def fail(self, event, message: str) -> YamlError:
        mark = event.start_mark
        return YamlError(self.name, message, mark.line + 1, mark.column + 1)

    def feed(self, event) -> None:
        kind = type(event).__name__
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise self.fail(event, "only one document allowed in a rule pack or config file")
        elif kind == "AliasEvent":
            raise self.fail(event, "aliases (*name) are not allowed; repeat the value instead")
        elif kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent"):
            self.start_node(event, kind)
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            self.end_container()

    def start_node(self, event, kind: str) -> None:
        if getattr(event, "anchor", None):
            raise self.fail(event, f"anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag and tag not in _STANDARD_TAGS and tag != "!":
            raise self.fail(event, f"tag not allowed: {tag}")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(event, f"too many values (limit {MAX_NODES:,})")
        if kind == "ScalarEvent":
            self.add_value(event, _scalar(event, tag))
            return
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(event, f"nesting too deep (limit {MAX_DEPTH})")
        container = {} if kind == "MappingStartEvent" else []
        path = self.add_value(event, container)
        self.stack.append([container, path, None, {}])

    def add_value(self, event, value) -> tuple:
        position = (event.start_mark.line + 1, event.start_mark.column + 1)
        if not self.stack:
            self.doc.data = value
            self.doc.positions[()] = position
            return ()
        frame = self.stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            key_path = path + (len(container),)
            container.append(value)
        elif frame[2] is None:
            return self.add_key(frame, event, value, position)
        else:
            key = frame[2][0]
            frame[2] = None
            key_path = path + (key,)
            container[key] = value
        self.doc.positions[key_path] = position
        return key_path

    def add_key(self, frame, event, key, position) -> tuple:
        if isinstance(key, (dict, list)):
            raise self.fail(event, "a mapping key must be a plain value")
        key = "null" if key is None else key
        if key in frame[3]:
            first = frame[3][key]
            raise self.fail(event, f"duplicate key {key!r} (first at {first[0]}:{first[1]})")
        frame[3][key] = position
        self.doc.key_positions[frame[1] + (key,)] = position
        frame[2] = (key,)
        return frame[1]

    def end_container(self) -> None:
        self.stack.pop()

    def result(self) -> YamlDoc:
        return self.doc


def _scalar(event, tag: str | None):
    value = event.value
    if event.style or tag == "tag:yaml.org,2002:str" or not event.implicit[0]:
        return value  # quoted, block or explicitly tagged string
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        return float(value)
    return value
