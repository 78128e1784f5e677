"""Configuration: discovery upward from the working directory, validation, and merging with flags.

Sources, first found wins: `.storylint.yaml`, then `[tool.storylint]` in `pyproject.toml`, in
the working directory or the nearest parent. Every key is validated; unknown keys are errors
that name the file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from storylint.finding import Severity
from storylint.safeyaml import YamlDoc, YamlError, read_yaml_file
from storylint.schema import Field, Violations, validate_mapping

CONFIG_NAMES = (".storylint.yaml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.txt",)
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024

_STRINGS = Field("list", default=[], items=Field("str"))
CONFIG_FIELDS = {
    "select": Field("list", items=Field("str"),
                    doc="rule codes or names to run (default: every enabled rule)"),
    "ignore": _STRINGS,
    "extend-select": Field("list", default=[], items=Field("str"),
                           doc="rules to add to the selection, e.g. rules disabled by default"),
    "packs": Field("list", default=[], items=Field("str"),
                   doc="extra rule pack folders, relative to the config file"),
    "default-packs": Field("bool", default=True, doc="load the bundled packs"),
    "severity": Field("map", default={}, doc="per-rule severity overrides: {rule: level}"),
    "fail-level": Field("str", default="warning", choices=("error", "warning", "info")),
    "include": Field("list", default=list(DEFAULT_INCLUDE), items=Field("str"),
                     doc="file name patterns checked when a directory is given"),
    "exclude": _STRINGS,
    "encoding-fallback": Field("list", default=["cp1252"], items=Field("str"), doc=(
        "encodings tried, in order, when a story is not valid UTF-8 (each use is reported)")),
    "max-file-size": Field("int", default=DEFAULT_MAX_FILE_BYTES, doc="bytes; larger files are "
                           "reported, not read"),
    "follow-symlinks": Field("bool", default=False),
}


class ConfigError(Exception):
    """A configuration problem; each message names the file (and line where known)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class Config:
    """Validated settings; `root` is the folder relative paths in the config are read from."""

    path: str | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    packs: tuple[Path, ...] = ()
    default_packs: bool = True
    severity: dict = field(default_factory=dict)
    fail_level: Severity = Severity.WARNING
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    encoding_fallback: tuple[str, ...] = ("cp1252",)
    max_file_size: int = DEFAULT_MAX_FILE_BYTES
    follow_symlinks: bool = False

    def with_overrides(self, **changes) -> Config:
        """A copy with command-line values (None means 'not given') applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `.storylint.yaml` or `pyproject.toml` with a [tool.storylint] table."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
                return path
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return b"[tool.storylint" in path.read_bytes()
    except OSError:
        return False


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; no path gives the defaults."""
    if path is None:
        return Config()
    data, doc = _read_source(path)
    out = Violations(doc)
    values = validate_mapping(data, CONFIG_FIELDS, (), out)
    _check_encodings(values, out)
    severity = _check_severity(values, out)
    root = path.parent.resolve()
    _check_pack_paths(values, root, out)
    if out.messages:
        raise ConfigError(out.messages)
    return Config(
        path=str(path), root=root,
        select=tuple(values["select"]) if values["select"] is not None else None,
        extend_select=tuple(values["extend_select"]), ignore=tuple(values["ignore"]),
        packs=tuple(root / p for p in values["packs"]), default_packs=values["default_packs"],
        severity=severity, fail_level=Severity.parse(values["fail_level"]),
        include=tuple(values["include"]), exclude=tuple(values["exclude"]),
        encoding_fallback=tuple(values["encoding_fallback"]),
        max_file_size=values["max_file_size"], follow_symlinks=values["follow_symlinks"],
    )


def _read_source(path: Path) -> tuple[dict, YamlDoc]:
    if path.name == "pyproject.toml":
        return _read_pyproject(path)
    try:
        doc = read_yaml_file(path)
    except YamlError as exc:
        raise ConfigError([str(exc)]) from None
    if doc.data is None:
        return {}, doc
    if not isinstance(doc.data, dict):
        raise ConfigError([f"{path}:1:1: expected a mapping of settings at top level"])
    return doc.data, doc


def _read_pyproject(path: Path) -> tuple[dict, YamlDoc]:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: invalid TOML: {exc}"]) from None
    table = data.get("tool", {}).get("storylint", {})
    if not isinstance(table, dict):
        raise ConfigError([f"{path}: [tool.storylint] must be a table"])
    return table, YamlDoc(str(path), table, _toml_positions(text, table))


def _toml_positions(text: str, table: dict) -> dict:
    """Line numbers of top-level keys inside [tool.storylint] (tomllib does not report them)."""
    positions: dict = {}
    head = re.search(r"^\[tool\.storylint\]", text, re.MULTILINE)
    offset = head.end() if head else 0
    for key in table:
        match = re.compile(rf"^\s*\"?{re.escape(str(key))}\"?\s*=", re.MULTILINE).search(text, offset)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            positions[(key,)] = (line, 1)
    if head:
        positions[()] = (text.count("\n", 0, head.start()) + 1, 1)
    return positions


def _check_pack_paths(values: dict, root: Path, out: Violations) -> None:
    """Packs named in a config file must live inside the config's folder (use --pack otherwise).

    A config in a submitted repository could otherwise make storylint read, and quote in its
    error messages, YAML files from anywhere on the machine.
    """
    for index, name in enumerate(values["packs"]):
        resolved = (root / name).resolve()
        if resolved != root and root not in resolved.parents:
            out.add(("packs", index), f"pack folder {name!r} is outside {root}; "
                    "name it with --pack on the command line instead")


def _check_encodings(values: dict, out: Violations) -> None:
    import codecs

    for index, name in enumerate(values["encoding_fallback"]):
        try:
            codecs.lookup(name)
        except LookupError:
            out.add(("encoding-fallback", index), f"unknown encoding {name!r}")


def _check_severity(values: dict, out: Violations) -> dict:
    result = {}
    for rule, level in values["severity"].items():
        try:
            result[str(rule)] = Severity.parse(level) if isinstance(level, str) else \
                Severity.parse("")
        except ValueError as exc:
            out.add(("severity", rule), str(exc))
    return result
