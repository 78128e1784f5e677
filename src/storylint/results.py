"""What a check run produces: one FileReport per file, and the RunResult every format reads.

Plain Python on purpose: a FileReport crosses processes (`report --jobs`), and the engine that
makes it may be compiled by mypyc, whose native classes cannot be unpickled.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from storylint.finding import Finding, Severity
from storylint.rulepack import Rule
from storylint.verdict import Contribution


@dataclass(frozen=True)
class FileReport:
    """The findings for one file, how it was decoded, and the story's score with its breakdown."""

    path: str
    encoding: str | None
    findings: tuple[Finding, ...]
    score: float = 0.0
    breakdown: tuple[Contribution, ...] = ()
    fingerprints: tuple[str, ...] = ()  # content fingerprints, one per finding (fingerprint.py)
    quotes: tuple[tuple[int, str], ...] = ()  # (line, excerpt) of each line with a finding

    def fingerprint_list(self) -> tuple[str, ...]:
        """The findings' content fingerprints (computed without context if none were stored)."""
        if len(self.fingerprints) == len(self.findings):
            return self.fingerprints
        from storylint.fingerprint import content_fingerprints

        return content_fingerprints(self.findings, None)


@dataclass
class RunResult:
    """Everything a format needs: per-file findings, the active rules and the fail level."""

    files: list[FileReport]
    rules: tuple[Rule, ...]
    fail_level: Severity = Severity.WARNING
    internal_errors: int = 0
    extra: dict = field(default_factory=dict)
    fail_score: float | None = None

    def findings(self) -> list[Finding]:
        """All findings of all files, in file order."""
        return [f for report in self.files for f in report.findings]

    def exit_code(self) -> int:
        """3 after an internal error, 1 for findings at or above the fail level, else 0."""
        if self.internal_errors:
            return 3
        if self.fail_score is not None:  # the story score decides; unreadable files still fail
            failing = any(r.score >= self.fail_score for r in self.files) or any(
                f.source == "io" and f.severity >= self.fail_level for f in self.findings())
            return 1 if failing else 0
        failing = any(f.severity >= self.fail_level for f in self.findings())
        return 1 if failing else 0
