"""Loading rule packs: folders of YAML files, one rule per file, validated before any story is read.

A pack is a folder with a `pack.yaml` (name, description, parser hints, renamed-rule redirects)
and one `<rule-name>.yaml` per rule. A rule names its check kind (code in `storylint.checks`)
and carries its code, name, severity, message template, rationale, sections and examples.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storylint.finding import Severity
from storylint.safeyaml import MAX_FILE_BYTES, YamlDoc, YamlError, read_yaml_file
from storylint.schema import Field, Violations, validate_mapping
from storylint.story import SECTION_KINDS, DEFAULT_FORMAT, StoryFormat

DEFAULT_WEIGHTS = {Severity.ERROR: 3.0, Severity.WARNING: 1.0, Severity.INFO: 0.2}

RULE_FIELDS = {
    "code": Field("str", required=True, doc="stable code, e.g. SL201"),
    "name": Field("str", required=True, doc="readable kebab-case name, equal to the file name"),
    "kind": Field("str", required=True, doc="the check kind that runs this rule"),
    "severity": Field("str", required=True, choices=("error", "warning", "info")),
    "summary": Field("str", required=True, doc="one line: what the rule checks"),
    "message": Field("str", required=True, doc="finding message template with {placeholders}"),
    "why": Field("str", required=True, doc="why it matters to a news desk"),
    "sections": Field("list", items=Field("str", choices=SECTION_KINDS + ("all",)),
                      doc="sections the rule reads; default depends on the kind"),
    "weight": Field("number", doc="points this rule adds to a story's score; default by severity"),
    "enabled": Field("bool", default=True, doc="false: only runs when selected explicitly"),
    "options": Field("map", default={}, doc="kind-specific options"),
    "examples": Field("map", required=True, fields={
        "fail": Field("list", required=True, items=Field("str"), min_items=1),
        "pass": Field("list", required=True, items=Field("str"), min_items=1),
    }),
    "renamed-from": Field("list", default=[], items=Field("str"),
                          doc="earlier names, still accepted in config and suppressions"),
}
PACK_FIELDS = {
    "name": Field("str", required=True),
    "description": Field("str", required=True),
    "boilerplate-markers": Field("list", items=Field("str"),
                                 doc="regexes for lines that start the licensing boilerplate"),
}
_CODE = re.compile(r"[A-Z]{2,4}[0-9]{3,4}\Z")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


class RulePackError(Exception):
    """One or more problems in rule packs; each message is located (file:line:col)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class Rule:
    """One validated rule: metadata from YAML plus its kind's options with defaults applied."""

    code: str
    name: str
    kind: str
    severity: Severity
    summary: str
    message: str
    why: str
    sections: tuple[str, ...]
    weight: float
    enabled: bool
    options: dict = field(default_factory=dict, compare=False, hash=False)
    examples_fail: tuple[str, ...] = ()
    examples_pass: tuple[str, ...] = ()
    renamed_from: tuple[str, ...] = ()
    pack: str = ""
    source: str = ""
    line: int = 0
    check: Any = field(default=None, compare=False, repr=False)  # the kind's built check


@dataclass(frozen=True)
class RulePack:
    """A named folder of rules with its parser hints."""

    name: str
    description: str
    path: str
    rules: tuple[Rule, ...]
    format: StoryFormat = DEFAULT_FORMAT


def load_pack(folder: str | Path) -> RulePack:
    """Load and validate every rule in a pack folder; raise RulePackError listing all problems."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RulePackError([f"{folder}: rule pack folder not found"])
    messages: list[str] = []
    meta = _load_pack_meta(folder, messages)
    rules = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "pack.yaml":
            continue
        rule = _load_rule_file(path, meta.get("name", folder.name), messages)
        if rule is not None:
            rules.append(rule)
    fmt = _story_format(meta, messages)
    if messages:
        raise RulePackError(messages)
    return RulePack(meta["name"], meta["description"], str(folder), tuple(rules), fmt)


def _load_pack_meta(folder: Path, messages: list[str]) -> dict:
    """name, description and boilerplate-markers of a pack (validated, cached like rules)."""
    from storylint import rulecache

    path = folder / "pack.yaml"
    if not path.is_file():
        messages.append(f"{path}: missing pack.yaml (name and description of the pack)")
        return {"name": folder.name, "description": ""}
    content = _read_bytes(path, messages)
    key = rulecache.key_for(path.name, content or b"")
    cached = rulecache.load(key) if content else None
    if cached is not None:
        return cached["meta"]
    doc = _read(path, messages)
    if doc is None:
        return {"name": folder.name, "description": ""}
    out = Violations(doc)
    meta = validate_mapping(doc.data, PACK_FIELDS, (), out)
    _check_markers(meta, out)
    if out.messages:
        messages.extend(out.messages)
    else:
        rulecache.store(key, {"meta": meta})
    return meta


def _check_markers(meta: dict, out: Violations) -> None:
    from storylint.patterns import PatternError, compile_regex

    for index, marker in enumerate(meta.get("boilerplate_markers") or ()):
        try:
            compile_regex(marker, ignore_case=True)
        except PatternError as exc:
            out.add(("boilerplate-markers", index), str(exc))


def _story_format(meta: dict, messages: list[str]) -> StoryFormat:
    """One multi-line pattern for all the pack's boilerplate markers (checked on load)."""
    from storylint.patterns import compile_regex

    markers = meta.get("boilerplate_markers") or ()
    if not markers or messages:
        return DEFAULT_FORMAT
    combined = "(?m)^(?:" + "|".join(f"(?:{m})" for m in markers) + ")"
    return StoryFormat(compile_regex(combined, ignore_case=True))


def _read(path: Path, messages: list[str]) -> YamlDoc | None:
    try:
        doc = read_yaml_file(path)
    except YamlError as exc:
        messages.append(str(exc))
        return None
    if doc.data is None:
        messages.append(f"{path}: rule pack file is empty")
        return None
    if not isinstance(doc.data, dict):
        messages.append(f"{path}:1:1: expected a mapping at top level, got {type(doc.data).__name__}")
        return None
    return doc


def load_rule(path: Path, pack: str = "") -> Rule:
    """One validated, built rule from its file (RulePackError when it is invalid)."""
    messages: list[str] = []
    rule = _load_rule_file(Path(path), pack, messages)
    if rule is None:
        raise RulePackError(messages)
    return rule


def _load_rule_file(path: Path, pack: str, messages: list[str]) -> Rule | None:
    from storylint import rulecache

    content = _read_bytes(path, messages)
    if content is None:
        return None
    key = rulecache.key_for(path.name, content)
    cached = rulecache.load(key)
    if cached is not None:
        try:
            rule = _rule_from_cache(cached, pack, path)
            return replace(rule, check=_kind_module(rule.kind, None).build(rule))
        except (KeyError, TypeError, ValueError):
            pass  # an entry from another storylint: validate the file afresh
    rule = _validate_rule_file(path, pack, messages)
    if rule is not None:
        rulecache.store(key, _rule_to_cache(rule))
    return rule


def _read_bytes(path: Path, messages: list[str]) -> bytes | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return b""  # not cached: the full validation reports the size
        return path.read_bytes()
    except OSError as exc:
        messages.append(f"{path}: cannot read file: {exc.strerror or exc}")
        return None


_CACHED_FIELDS = ("code", "name", "kind", "summary", "message", "why", "sections", "weight",
                  "enabled", "options", "examples_fail", "examples_pass", "renamed_from", "line")


def _rule_to_cache(rule: Rule) -> dict:
    data = {name: getattr(rule, name) for name in _CACHED_FIELDS}
    data["severity"] = str(rule.severity)
    return data


def _rule_from_cache(data: dict, pack: str, path: Path) -> Rule:
    values = {name: data[name] for name in _CACHED_FIELDS}
    for name in ("sections", "examples_fail", "examples_pass", "renamed_from"):
        values[name] = tuple(values[name])
    return Rule(severity=Severity.parse(data["severity"]), pack=pack, source=str(path), **values)


def _validate_rule_file(path: Path, pack: str, messages: list[str]) -> Rule | None:
    doc = _read(path, messages)
    if doc is None:
        return None
    out = Violations(doc)
    raw = validate_mapping(doc.data, RULE_FIELDS, (), out)
    _check_identity(raw, path, out)
    kind = _kind_module(raw.get("kind"), out)
    options = {}
    if kind is not None:
        options = validate_mapping(raw["options"] or {}, kind.OPTIONS, ("options",), out)
        _check_message(raw["message"], kind.PARAMS, out)
        _check_sections(raw, kind, out)
    if out.messages:
        messages.extend(out.messages)
        return None
    rule = _make_rule(raw, options, pack, path, doc)
    try:
        check = kind.build(rule)
        getattr(check, "validate", lambda: None)()  # compile what a check builds lazily
        return replace(rule, check=check)
    except ValueError as exc:
        messages.append(f"{path}:{_opt_line(doc, exc)}: rule {rule.name}: {exc}")
        return None


def _opt_line(doc: YamlDoc, exc: ValueError) -> str:
    keys = getattr(exc, "keys", ("options",))
    line, column = doc.where(keys) or (1, 1)
    return f"{line}:{column}"


def _check_identity(raw: dict, path: Path, out: Violations) -> None:
    code, name = raw.get("code"), raw.get("name")
    if isinstance(code, str) and not _CODE.match(code):
        out.add(("code",), f"code {code!r} must be 2-4 capital letters and 3-4 digits, e.g. SL201")
    if isinstance(name, str) and not _NAME.match(name):
        out.add(("name",), f"name {name!r} must be lower-case kebab-case, e.g. shot-numbering")
    elif isinstance(name, str) and name != path.stem:
        out.add(("name",), f"name {name!r} must match the file name {path.stem!r}")


def _kind_module(kind_name, out: Violations | None):
    from storylint.checks import KINDS, load_kind

    if not isinstance(kind_name, str):
        return None
    if kind_name not in KINDS and out is not None:
        out.add(("kind",), f"unknown kind {kind_name!r}; known kinds: {', '.join(sorted(KINDS))}")
        return None
    return load_kind(kind_name)


def _check_message(template, params: tuple, out: Violations) -> None:
    if not isinstance(template, str):
        return
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        out.add(("message",), f"bad message template: {exc} (write {{{{ and }}}} for braces)")
        return
    for name in fields:
        if name not in params:
            known = ", ".join(params) or "none"
            out.add(("message",), f"unknown placeholder {{{name}}}; this kind offers: {known}")


def _check_sections(raw: dict, kind, out: Violations) -> None:
    if raw.get("sections") is None:
        raw["sections"] = list(kind.DEFAULT_SECTIONS)


def _make_rule(raw: dict, options: dict, pack: str, path: Path, doc: YamlDoc) -> Rule:
    severity = Severity.parse(raw["severity"])
    weight = raw["weight"] if raw["weight"] is not None else DEFAULT_WEIGHTS[severity]
    return Rule(
        code=raw["code"], name=raw["name"], kind=raw["kind"], severity=severity,
        summary=raw["summary"].strip(), message=raw["message"].strip(), why=raw["why"].strip(),
        sections=tuple(raw["sections"]), weight=float(weight), enabled=raw["enabled"],
        options=options, examples_fail=tuple(raw["examples"]["fail"]),
        examples_pass=tuple(raw["examples"]["pass"]), renamed_from=tuple(raw["renamed_from"]),
        pack=pack, source=str(path), line=(doc.where(("code",)) or (1, 1))[0],
    )


def check_unique(rules: list[Rule]) -> None:
    """Refuse two rules (from any packs) that share a code or a name."""
    seen: dict[str, Rule] = {}
    messages = []
    for rule in rules:
        for key in (rule.code, rule.name, *rule.renamed_from):
            other = seen.get(key)
            if other is not None and other is not rule:
                messages.append(f"{rule.source}:{rule.line}: rule {rule.name}: {key!r} is already "
                                f"used by {other.name} in {other.source}:{other.line}")
            seen[key] = rule
    if messages:
        raise RulePackError(messages)
