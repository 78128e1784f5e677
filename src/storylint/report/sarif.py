"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, IDE viewers).

Plain dicts, validated against the official schema in the tests. Untrusted text (messages built
from story text, file names, user rule packs) only ever goes into `text` properties, escaped so
a viewer cannot read `[x](1)` as a link or `{0}` as a placeholder; nothing goes into `markdown`.
URIs are relative to the repository root through `uriBaseId`, so no local path leaks.
"""
from __future__ import annotations

import json

from storylint import __version__
from storylint.finding import Finding, Severity
from storylint.fingerprint import FINGERPRINT_KEY
from storylint.report.common import clean, path_uri, project_root, visible

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ROOT_BASE_ID = "SRCROOT"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result, stream) -> None:
    """Write the run as one SARIF log."""
    json.dump(to_sarif(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def to_sarif(result, root=None) -> dict:
    """The SARIF log as plain data: one run with the rule catalogue and every finding."""
    root = root or project_root()
    rules = list(result.rules)
    known = {rule.code for rule in rules}
    rules += _missing_rules(result, known)
    index = {rule.code: position for position, rule in enumerate(rules)}
    baseline = bool(result.extra.get("baseline"))
    results = [_result(f, fp, report, index, root, baseline) for report in result.files
               for f, fp in zip(report.findings, report.fingerprint_list())]
    run = {
        "tool": {"driver": {"name": "storylint", "version": __version__,
                            "semanticVersion": __version__,
                            "rules": [_descriptor(rule) for rule in rules]}},
        "originalUriBaseIds": {ROOT_BASE_ID: {"description": {
            "text": "The root of the repository the stories were checked in."}}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": result.internal_errors == 0,
                         "exitCode": result.exit_code()}],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def sarif_text(text: str) -> str:
    """Plain text for a SARIF `text` property: invisible and bidi characters shown as \\uXXXX
    escapes (item 38), then backslash and brackets escaped and braces doubled (SARIF 3.11.5)."""
    text = visible(clean(text)).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return text.replace("{", "{{").replace("}", "}}")


def _descriptor(rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": sarif_text(rule.summary)},
        "fullDescription": {"text": sarif_text(" ".join(rule.why.split()))},
        "help": {"text": sarif_text(_help(rule))},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"tags": [tag for tag in (rule.pack, rule.kind) if tag],
                       "weight": rule.weight},
    }


def _help(rule) -> str:
    return (f"{rule.summary}\n\nWhy it matters: {' '.join(rule.why.split())}\n\n"
            f"Suppress one line with: [storylint: disable-next-line {rule.name} -- <reason>]\n"
            f"Full documentation: storylint rule {rule.code}")


def _missing_rules(result, known: set[str]) -> list:
    """Descriptors for codes found but not in the active rule list (e.g. fix diagnostics)."""
    from storylint.diagnostics import BUILTIN_RULES

    extra, seen = [], set(known)
    builtin = {rule.code: rule for rule in BUILTIN_RULES}
    for finding in result.findings():
        if finding.code not in seen:
            seen.add(finding.code)
            extra.append(builtin.get(finding.code) or _stand_in(finding))
    return extra


def _stand_in(finding: Finding):
    from storylint.rulepack import Rule

    return Rule(code=finding.code, name=finding.name, kind="unknown", severity=finding.severity,
                summary=finding.name, message="{detail}", why=finding.name, sections=("all",),
                weight=0.0, enabled=True)


def _result(finding: Finding, fingerprint: str, report, index: dict, root, baseline) -> dict:
    uri, relative = path_uri(finding.path, root)
    location = {"uri": uri, **({"uriBaseId": ROOT_BASE_ID} if relative else {})}
    region = {"startLine": finding.line, "startColumn": finding.column,
              "endLine": max(finding.end_line, finding.line),
              "endColumn": max(finding.end_column, 1)}
    if finding.matched and finding.matched.isprintable() and not finding.matched.endswith("\u2026"):
        region["snippet"] = {"text": clean(finding.matched)}
    properties = {"section": finding.section, "source": finding.source,
                  "storyScore": report.score}
    if finding.score is not None:
        properties["score"] = finding.score
    data = {
        "ruleId": finding.code, "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": sarif_text(finding.message)},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {k: v for k, v in properties.items() if v is not None},
    }
    if baseline:
        data["baselineState"] = "new"
    return data
