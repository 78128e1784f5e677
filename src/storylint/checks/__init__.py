"""Check kinds: the code behind rules. One module per kind, registered here explicitly.

A kind module declares `OPTIONS` (a dict of schema Fields), `PARAMS` (placeholders its
messages may use), `DEFAULT_SECTIONS`, and `build(rule)`, which validates and compiles the
rule's options once and returns an object whose `run(story, rule)` returns Findings.
Modules are imported only when a rule pack uses their kind.
"""
from __future__ import annotations

from importlib import import_module

KINDS = {
    "required-text": "storylint.checks.required_text",
    "numbered-sequence": "storylint.checks.numbered_sequence",
    "field-agreement": "storylint.checks.field_agreement",
    "pattern": "storylint.checks.pattern",
    "substitution": "storylint.checks.substitution",
    "empty-field": "storylint.checks.empty_field",
    "mixed-script": "storylint.checks.mixed_script",
    "likely-word": "storylint.checks.likely_word",
    "classifier": "storylint.checks.classifier",
}


def load_kind(name: str):
    """The module implementing a check kind (KeyError for an unknown kind)."""
    return import_module(KINDS[name])


class OptionError(ValueError):
    """A rule option that cannot be built; `keys` locates it in the rule file."""

    def __init__(self, message: str, keys: tuple = ("options",)):
        super().__init__(message)
        self.keys = keys
