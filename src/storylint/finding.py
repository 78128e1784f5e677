"""The one record every check returns and every output format reads."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum


class Severity(IntEnum):
    """How serious a finding is; ordered so `>=` compares against a fail level."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read `error`/`warning`/`info` (any case); raise ValueError otherwise."""
        try:
            return cls[text.strip().upper()]
        except (KeyError, AttributeError):
            raise ValueError(f"unknown severity {text!r}; expected one of: error, warning, info")

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, init=False)
class Fix:
    """A replacement of text[start:end] (offsets into the decoded story text)."""

    start: int
    end: int
    replacement: str
    safe: bool
    description: str = ""

    def __init__(self, start: int, end: int, replacement: str, safe: bool,
                 description: str = ""):
        """One update of the instance dict instead of the generated frozen __init__ (see
        Finding.__init__)."""
        self.__dict__.update(start=start, end=end, replacement=replacement, safe=safe,
                             description=description)


@dataclass(frozen=True, init=False)
class Finding:
    """One problem in one story, located by 1-based line and column (in characters)."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    section: str | None = None
    matched: str | None = None
    fix: Fix | None = None
    score: float | None = None
    source: str = "rule"  # rule | model | parser | io | internal

    def __init__(self, code: str, name: str, severity: Severity, message: str, path: str,
                 line: int, column: int, end_line: int, end_column: int,
                 section: str | None = None, matched: str | None = None, fix: Fix | None = None,
                 score: float | None = None, source: str = "rule"):
        """The generated frozen __init__ sets each field with object.__setattr__, half the cost
        of building a finding (measured 6.4 vs 3.3 us); one update of the instance dict keeps
        the instance just as immutable through attribute assignment."""
        self.__dict__.update(
            code=code, name=name, severity=severity, message=message, path=path, line=line,
            column=column, end_line=end_line, end_column=end_column, section=section,
            matched=matched, fix=fix, score=score, source=source)

    def sort_key(self) -> tuple:
        """Order by file position, then by severity (most severe first), then code."""
        return (self.path, self.line, self.column, -self.severity, self.code)

    def to_dict(self) -> dict:
        """A JSON-ready dict; the severity as its lower-case name."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data
