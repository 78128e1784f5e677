"""Content fingerprints of findings, and the quoted lines formats show beside them.

A fingerprint identifies a finding by what it is about, not where it is: the rule code, the
matched text and a normalised window of the text around it, plus an occurrence number for
identical findings in one file. Inserting or deleting lines above a finding leaves its
fingerprint unchanged, so a baseline keeps recognising it and SARIF consumers (GitHub code
scanning) keep one alert open instead of closing one and opening another.

The baseline (`--baseline`) and SARIF's `partialFingerprints` use the same function, so the two
never disagree about which findings are old.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from storylint.finding import Finding

FINGERPRINT_KEY = "storylintContent/v1"
CONTEXT_CHARS = 40  # characters of context on each side of the match
EXCERPT_CHARS = 240  # longest quoted line shown by reports (item 34: excerpts stay small)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text with case, Unicode width forms and runs of whitespace folded away."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def context_window(finding: Finding, line_text: str) -> str:
    """The part of the finding's first line around the match (CONTEXT_CHARS each side)."""
    start = max(finding.column - 1 - CONTEXT_CHARS, 0)
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line_text)
    return line_text[start:max(end, finding.column - 1) + CONTEXT_CHARS]


def fingerprint_key(finding: Finding, line_text: str | None) -> str:
    """What makes a finding the same finding: code, matched text and its surroundings."""
    if line_text is None or finding.source in ("io", "internal"):
        context = finding.message  # file-level diagnostics have no text around them
    else:
        context = context_window(finding, line_text)
    return "\x1f".join((finding.code, normalise(finding.matched or ""), normalise(context)))


def content_fingerprints(findings: list[Finding] | tuple[Finding, ...],
                         text: str | None) -> tuple[str, ...]:
    """One fingerprint per finding (same order); repeats of one key are numbered in file order."""
    lines = text.split("\n") if text is not None else None
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        line_text = _line(lines, finding.line)
        key = fingerprint_key(finding, line_text)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256(f"{key}\x1f{occurrence}".encode("utf-8", "surrogatepass"))
        result.append(digest.hexdigest()[:32])
    return tuple(result)


def quoted_lines(findings: list[Finding] | tuple[Finding, ...],
                 text: str | None) -> tuple[tuple[int, str], ...]:
    """(line, excerpt) for each line a finding starts on, cut around the finding when long."""
    if text is None:
        return ()
    lines = text.split("\n")
    quotes: dict[int, str] = {}
    for finding in findings:
        line_text = _line(lines, finding.line)
        if line_text is not None and finding.line not in quotes:
            quotes[finding.line] = excerpt(line_text, finding.column)
    return tuple(sorted(quotes.items()))


def excerpt(line_text: str, column: int, limit: int = EXCERPT_CHARS) -> str:
    """The line, or a `limit`-character window around `column` with ellipses where cut."""
    if len(line_text) <= limit:
        return line_text
    start = min(max(column - 1 - limit // 3, 0), len(line_text) - limit)
    piece = line_text[start:start + limit]
    cut_end = start + limit < len(line_text)
    return ("\u2026" if start else "") + piece + ("\u2026" if cut_end else "")


def _line(lines: list[str] | None, number: int) -> str | None:
    if lines is None or not 0 < number <= len(lines):
        return None
    text = lines[number - 1]
    return text[:-1] if text.endswith("\r") else text
