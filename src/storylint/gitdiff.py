"""`--diff-only REF`: keep only findings on lines changed since REF (for pull requests).

The comparison is `git diff <merge-base of REF and HEAD>` against the working tree, as a pull
request shows it: commits on the base branch after the fork point do not count, uncommitted
edits do. Untracked story files count as wholly changed. A finding is kept when any line of its
span changed; file-level diagnostics (unreadable, binary, encoding) are kept for changed files.
"""
from __future__ import annotations

import codecs
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

WHOLE_FILE = None  # marker: every line of the file counts as changed
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitDiffError(Exception):
    """git is missing, this is not a repository, or the ref is unknown (exit 2)."""


def changed_lines(ref: str, cwd: str | None = None) -> tuple[Path, dict[str, set[int] | None]]:
    """The work-tree root and {path relative to it: changed line numbers, or WHOLE_FILE}."""
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    base = _git(["merge-base", ref, "HEAD"], cwd).strip()
    patch = _git(["-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff",
                  "--unified=0", "--no-renames", base, "--"], cwd)
    changes = parse_unified_diff(patch)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], str(root))
    for name in filter(None, untracked.split("\0")):
        changes[name] = WHOLE_FILE
    return root, changes


def parse_unified_diff(patch: str) -> dict[str, set[int] | None]:
    """{new path: added or modified line numbers} from `git diff --unified=0` output."""
    changes: dict[str, set[int] | None] = {}
    current: set[int] | None = None
    for line in patch.splitlines():
        if line.startswith("+++ "):
            name = _diff_path(line[4:])
            current = None if name is None else changes.setdefault(name, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))
    return changes


def filter_result(result, root: Path, changes: dict[str, set[int] | None]):
    """A copy of `result` keeping only findings on changed lines of changed files."""
    files = []
    for report in result.files:
        name = _relative(report.path, root)
        lines = changes.get(name)
        kept = [(f, fp) for f, fp in zip(report.findings, report.fingerprint_list())
                if name in changes and _touches(f, lines)]
        files.append(replace(report, findings=tuple(f for f, _ in kept),
                             fingerprints=tuple(fp for _, fp in kept)))
    return replace(result, files=files)


def _touches(finding, lines: set[int] | None) -> bool:
    if lines is WHOLE_FILE or finding.source in ("io", "internal"):
        return True
    return any(n in lines for n in range(finding.line, max(finding.end_line, finding.line) + 1))


def _relative(path: str, root: Path) -> str | None:
    try:
        return Path(os.path.realpath(path)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _diff_path(text: str) -> str | None:
    """The path after `+++ `: `b/name`, a C-quoted `"b/na\\tme"`, or /dev/null (deleted)."""
    text = text.rstrip("\t")
    if text == "/dev/null":
        return None
    if text.startswith('"') and text.endswith('"'):
        raw = codecs.escape_decode(text[1:-1].encode("utf-8"))[0]
        text = os.fsdecode(raw)
    return text[2:] if text.startswith("b/") else text


def _git(args: list[str], cwd: str | None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitDiffError("--diff-only needs git, which was not found on PATH") from None
    if done.returncode != 0:
        detail = os.fsdecode(done.stderr).strip().splitlines()
        raise GitDiffError(f"--diff-only: `git {' '.join(args[:2])}` failed: "
                           f"{detail[-1] if detail else 'exit ' + str(done.returncode)}")
    return os.fsdecode(done.stdout)
