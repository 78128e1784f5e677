"""Output formats: one module per format, each with `render(result, stream)`.

A new format is one new module and one entry here; modules are imported only when used.
"""
from __future__ import annotations

from importlib import import_module

FORMATS = {
    "text": "storylint.report.text",
    "json": "storylint.report.json_format",
    "sarif": "storylint.report.sarif",
    "github": "storylint.report.github",
    "junit": "storylint.report.junit",
    "csv": "storylint.report.csv_format",
    "html": "storylint.report.html",
}

# The formats that read FileReport.fingerprints (SARIF's partialFingerprints) or .quotes (the
# HTML page's quoted lines); `check` computes neither for the others.
CONTEXT_FORMATS = frozenset(("sarif", "html"))


def render(name: str, result, stream) -> None:
    """Write `result` to `stream` in the named format."""
    import_module(FORMATS[name]).render(result, stream)


def stream_writer(name: str, stream):
    """A writer for the named format that takes one FileReport at a time (`add(report)`) and
    ends with `finish(tally)`; the formats `storylint report` writes (html, json, csv) have one."""
    return import_module(FORMATS[name]).StreamWriter(stream)
