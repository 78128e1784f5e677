"""A small declarative schema for rule packs and config, reporting every violation with its place.

Rule files are data from users, so validation must list all problems at once (file:line:col and
a path such as `options.entries[2].word`), reject unknown keys instead of ignoring them, and
explain YAML 1.1 surprises (`no`, `off`, `012`) with a hint to quote the value.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from storylint.safeyaml import YamlDoc

REQUIRED = object()
_TYPE_NAMES = {
    "str": "a string", "int": "an integer", "number": "a number", "bool": "true or false",
    "list": "a list", "map": "a mapping", "any": "a value",
}


@dataclass(frozen=True)
class Field:
    """The expected shape of one value: type, default, allowed choices and nested fields."""

    type: str
    default: object = None
    required: bool = False
    choices: tuple = ()
    items: Field | None = None
    fields: dict[str, Field] | None = None
    doc: str = ""
    min_items: int = 0

    def default_value(self):
        """A fresh copy of the default (lists and dicts are never shared between rules)."""
        if isinstance(self.default, (list, dict)):
            return type(self.default)(self.default)
        return self.default


@dataclass
class Violations:
    """Collected schema errors for one file, each already located."""

    doc: YamlDoc
    messages: list[str] = field(default_factory=list)

    def add(self, keys: tuple, message: str, of_key: bool = False) -> None:
        """Record a problem at the value (or key) found at `keys`."""
        where = self.doc.where(keys, of_key=of_key)
        place = f"{self.doc.path}:{where[0]}:{where[1]}" if where else self.doc.path
        self.messages.append(f"{place}: {dotted(keys)}: {message}" if keys else f"{place}: {message}")


def dotted(keys: tuple) -> str:
    """A readable path such as `options.entries[2].word`."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def validate(value, spec: Field, keys: tuple, out: Violations):
    """Check `value` against `spec`; return it with defaults filled and keys as snake_case."""
    if not _type_ok(value, spec.type):
        out.add(keys, f"expected {_TYPE_NAMES[spec.type]}, got {_describe(value)}"
                + _quote_hint(value, spec.type))
        return spec.default_value()
    if spec.choices and value not in spec.choices:
        out.add(keys, f"{value!r} is not one of: {', '.join(map(str, spec.choices))}")
    if spec.type == "list":
        if len(value) < spec.min_items:
            out.add(keys, f"needs at least {spec.min_items} item(s)")
        if spec.items is not None:
            return [validate(item, spec.items, keys + (i,), out) for i, item in enumerate(value)]
    if spec.type == "map" and spec.fields is not None:
        return validate_mapping(value, spec.fields, keys, out)
    return value


def validate_mapping(value: dict, fields: dict[str, Field], keys: tuple, out: Violations) -> dict:
    """Validate a mapping with fixed keys: unknown keys and missing required keys are errors."""
    result = {}
    for key in value:
        if key not in fields:
            close = _closest(str(key), fields)
            out.add(keys + (key,), f"unknown key {key!r}" + (f" (did you mean {close!r}?)"
                                                              if close else ""), of_key=True)
    for name, spec in fields.items():
        if name in value:
            result[name.replace("-", "_")] = validate(value[name], spec, keys + (name,), out)
        elif spec.required:
            out.add(keys, f"missing required key {name!r}")
        else:
            result[name.replace("-", "_")] = spec.default_value()
    return result


def _type_ok(value, type_name: str) -> bool:
    if type_name == "any":
        return True
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    expected = {"str": str, "bool": bool, "list": list, "map": dict}[type_name]
    return isinstance(value, expected)


def _describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    return f"{type(value).__name__} {value!r}" if not isinstance(value, (dict, list)) else \
        ("a mapping" if isinstance(value, dict) else "a list")


def _quote_hint(value, expected: str) -> str:
    if expected == "str" and isinstance(value, (bool, int, float)):
        return "; quote the value to keep it as text"
    if expected == "bool" and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return " (YAML 1.1 spelling); write true or false"
    return ""


_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def _closest(key: str, fields: dict) -> str | None:
    from difflib import get_close_matches

    found = get_close_matches(key, list(fields), n=1, cutoff=0.75)
    return found[0] if found else None
