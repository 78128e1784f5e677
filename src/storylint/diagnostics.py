"""Built-in rules raised by storylint itself (reading files, suppressions, internal errors).

They are not rule-pack data because no check kind produces them: the file reader and the engine
do. They are still ordinary rules with codes, names and docs, so `storylint rule`, `ignore` and
every output format treat them like the rest.
"""
from __future__ import annotations

import sys

from storylint.finding import Finding, Severity
from storylint.rulepack import Rule

# The error a model file's problems raise (a ModelError stops a run with exit 2, from the CLI
# or from inside a rule: models read their data lazily, at the first story that needs it).
MODEL_ERROR = ("storylint.modelfile", "ModelError")


def loaded_errors(*names: tuple[str, str]) -> tuple:
    """The error classes `(module, class)` of the modules that were imported, without importing
    any: a module never used raised nothing, and importing one only to test costs start-up."""
    return tuple(getattr(sys.modules[module], cls) for module, cls in names
                 if module in sys.modules)


def _rule(code: str, name: str, severity: str, summary: str, why: str) -> Rule:
    return Rule(code=code, name=name, kind="diagnostic", severity=Severity.parse(severity),
                summary=summary, message="{detail}", why=why, sections=("all",),
                weight={"error": 3.0, "warning": 1.0, "info": 0.2}[severity], enabled=True,
                pack="core", source="storylint/diagnostics.py")


BUILTIN_RULES = (
    _rule("SL001", "encoding-fallback", "warning",
          "The story is not valid UTF-8 and was read with a fallback encoding.",
          "Stories travel between systems as UTF-8; a Windows-1252 or Latin-1 file shows "
          "mojibake elsewhere. The text was still checked, decoded with the configured fallback."),
    _rule("SL002", "undecodable-file", "error",
          "The story could not be decoded with UTF-8 or any configured fallback encoding.",
          "Nothing in a file that cannot be decoded can be checked; guessing an encoding "
          "silently would hide the problem."),
    _rule("SL003", "binary-file", "error",
          "The file is binary (an image, PDF or archive), not a story script.",
          "A binary file submitted as a story is a mistake in the submission."),
    _rule("SL004", "unreadable-file", "error",
          "The file could not be opened or read (missing, permission denied, I/O error).",
          "A story that cannot be read cannot be checked; the run reports it and goes on."),
    _rule("SL005", "symlink", "error",
          "The path is a symbolic link, which is not followed unless --follow-symlinks is given.",
          "A link in a submitted repository can point at secrets outside it."),
    _rule("SL006", "file-too-large", "error",
          "The file is larger than max-file-size and was not read.",
          "A story script is a few kilobytes; a huge file is not a story and would waste memory."),
    _rule("SL007", "not-regular-file", "error",
          "The path is a directory, FIFO, socket or device named like a story.",
          "Reading a FIFO or device can block forever; such paths are reported, not opened."),
    _rule("SL008", "empty-story", "error",
          "The story file is empty or holds only whitespace.",
          "An empty script is a failed export or upload, never a finished story."),
    _rule("SL009", "invalid-suppression", "warning",
          "A storylint suppression comment is malformed, names an unknown rule or gives no reason.",
          "Suppressions must say why, so the next editor can judge whether they still apply."),
    _rule("SL020", "fix-skipped", "error",
          "A fix was found but not written: the file changed during the run, is a link, is "
          "read-only, or could not be re-encoded or written.",
          "storylint never overwrites an edit made while it ran, never replaces a link with a "
          "copy, and never writes a story in another encoding than it was read in."),
    _rule("SL900", "internal-error", "error",
          "storylint failed inside a rule on this file (a bug in storylint; please report it).",
          "A crash in one rule must not hide the other findings or pass the file silently."),
    _rule("SL902", "fix-unstable", "error",
          "Applying the fixes did not settle or introduced new findings, so the file was left "
          "unchanged (a bug in a rule's fix; please report it).",
          "A fix must be idempotent: a second --fix run must change nothing, as black checks."),
)
BUILTIN_BY_NAME = {rule.name: rule for rule in BUILTIN_RULES}


def diagnostic(name: str, path: str, detail: str, line: int = 1, column: int = 1,
               rule: Rule | None = None) -> Finding:
    """A finding of a built-in rule at a position in a file."""
    rule = rule or BUILTIN_BY_NAME[name]
    return Finding(code=rule.code, name=rule.name, severity=rule.severity, message=detail,
                   path=path, line=line, column=column, end_line=line, end_column=column,
                   source="internal" if name in ("internal-error", "fix-unstable") else "io")
