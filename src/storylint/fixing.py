"""`check --fix`, `--unsafe-fixes` and `--diff`: apply fixes so that no user's file is ever lost.

A file is fixed in memory first: fixes that do not overlap are applied (the earliest one wins an
overlap; the others are retried on the next pass), the text is checked again, and this repeats
until a pass has nothing left to apply. The result is accepted only if it settled within
MAX_PASSES (so a second `--fix` run changes nothing) and has no finding the original lacked.

Writing is bytes in, bytes out: the new text is encoded the way the file was read (BOM and its
byte order, cp1252 stays cp1252), so line endings and every byte outside the fixed spans stay as
they were. The original must re-encode to exactly its own bytes, or nothing is written. The write
is atomic (temporary file, fsync, rename) with the old permission bits and owner; links and
read-only files are refused; and the file is compared with what was read, after the new content
is on disk and just before the rename, so an edit made meanwhile is never overwritten.
"""
from __future__ import annotations

import codecs
import difflib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from storylint.atomic import WriteError, write_bytes_atomic
from storylint.diagnostics import diagnostic
from storylint.finding import Finding, Fix

MAX_PASSES = 10
_BOM_CODECS = {  # decoded-as codec -> (BOM, codec that writes no BOM) per byte order
    "utf-8-sig": ((codecs.BOM_UTF8, "utf-8"),),
    "utf-16": ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")),
    "utf-32": ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")),
}


class FixRefused(Exception):
    """A fix that must not be written; the message says why (becomes an SL020 finding)."""


class FileChanged(Exception):
    """The file on disk is no longer what was read and fixed."""


@dataclass(frozen=True)
class TextFix:
    """The outcome of fixing one text in memory."""

    text: str
    applied: tuple[Fix, ...]
    stable: bool
    problem: str = ""
    findings: tuple[Finding, ...] = ()  # of `text`, when fixes were applied


@dataclass
class FixRun:
    """What `run_fixes` did: the remaining findings, diffs, and counts for the summary."""

    result: object  # RunResult of the texts after fixing
    diffs: list[str] = field(default_factory=list)
    fixed: int = 0  # fixes applied (or, with --diff, that would be)
    files_changed: int = 0
    failed: int = 0  # files whose fix was unstable or could not be written (exit 2)


def select_fixes(findings: list[Finding], unsafe: bool) -> list[Fix]:
    """Fixes that may be applied now: safe ones (and unsafe ones if allowed), none overlapping.

    Order is deterministic (start, end, replacement); of overlapping fixes the first is kept and
    the rest wait for the next pass, when they are recomputed on the new text.
    """
    candidates = sorted({f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)},
                        key=lambda fix: (fix.start, fix.end, fix.replacement, fix.description))
    chosen: list[Fix] = []
    for fix in candidates:
        if chosen and (fix.start < chosen[-1].end or fix.start == chosen[-1].start):
            continue
        chosen.append(fix)
    return chosen


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """The text with non-overlapping fixes (sorted by start) applied."""
    parts, position = [], 0
    for fix in fixes:
        parts += [text[position:fix.start], fix.replacement]
        position = fix.end
    parts.append(text[position:])
    return "".join(parts)


def fix_text(text: str, check, unsafe: bool = False,
             before: list[Finding] | None = None) -> TextFix:
    """Apply fixes pass by pass until none is left; refuse if it does not settle or adds findings.

    `check(text)` returns the findings of a text (the Linter's `check_text`); `before` are the
    findings of `text` when the caller has them already.
    """
    before = check(text) if before is None else before
    current, findings, applied = text, before, []
    for _ in range(MAX_PASSES):
        fixes = select_fixes(findings, unsafe)
        new = apply_fixes(current, fixes) if fixes else current
        if new == current:
            added = _new_findings(before, findings)
            if added:
                return TextFix(text, (), False, f"fixing introduced new findings: {added}")
            return TextFix(current, tuple(applied), True, findings=tuple(findings))
        current, findings = new, check(new)
        applied += fixes
    return TextFix(text, (), False, f"fixes still changed the text after {MAX_PASSES} passes")


def _new_findings(before: list[Finding], after: list[Finding]) -> str:
    counts = Counter((f.code, f.matched) for f in before)
    added = Counter((f.code, f.matched) for f in after) - counts
    return ", ".join(f"{code} {matched!r}" for code, matched in sorted(added, key=str))


def encode_like(text: str, encoding: str, raw: bytes) -> bytes:
    """`text` encoded as the original file was: same codec, same BOM and byte order."""
    for bom, codec in _BOM_CODECS.get(encoding, ()):
        if raw.startswith(bom):
            return bom + text.encode(codec)
    if encoding in _BOM_CODECS:
        raise FixRefused(f"cannot tell the byte order of this {encoding} file")
    return text.encode(encoding)


@dataclass(frozen=True)
class FilePlan:
    """A fixed file in memory: what was read, the new text and bytes, and the findings left."""

    source: object  # StoryFile as read
    fixed: TextFix
    data: bytes | None
    report: object  # FileReport of the fixed text (or of the original when nothing changes)
    original: object  # FileReport of the text as read
    problem: str = ""

    @property
    def changes(self) -> bool:
        """True when there is something to write."""
        return self.data is not None and self.fixed.text != self.source.text


def plan_file(path: str, linter, unsafe: bool = False) -> FilePlan:
    """Read one story, fix it in memory and check the result; nothing is written."""
    from storylint.source import read_story

    cfg = linter.config
    source = read_story(path, cfg.max_file_size, cfg.encoding_fallback, cfg.follow_symlinks,
                        cfg.root)
    original = linter.check_source(source)
    if source.text is None:
        return FilePlan(source, TextFix("", (), True), None, original, original)
    counted = linter.internal_errors  # fix passes re-check the text; count its errors once
    fixed = fix_text(source.text, lambda t: linter.check_text(t, path, source.encoding), unsafe,
                     list(original.findings))
    linter.internal_errors = counted
    if not fixed.stable:
        return FilePlan(source, fixed, None, original, original, fixed.problem)
    if not fixed.applied:
        return FilePlan(source, fixed, None, original, original)
    try:
        if encode_like(source.text, source.encoding, source.raw) != source.raw:
            raise FixRefused(f"the file does not re-encode to its own bytes as {source.encoding}")
        data = encode_like(fixed.text, source.encoding, source.raw)
    except UnicodeEncodeError as exc:
        return FilePlan(source, fixed, None, original, original,
                        f"the fix needs {exc.object[exc.start:exc.end]!r}, which {source.encoding} "
                        "cannot encode")
    except FixRefused as exc:
        return FilePlan(source, fixed, None, original, original, str(exc))
    after = replace(source, text=fixed.text, raw=data)
    return FilePlan(source, fixed, data, linter.check_source(after, list(fixed.findings)),
                    original)


def write_plan(plan: FilePlan) -> None:
    """Write a planned fix atomically; raise FixRefused, FileChanged or WriteError instead."""
    path = Path(plan.source.path)
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise FileChanged(f"file changed during run, not fixed ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise FixRefused("file is a symlink; not fixed (run --fix on the file it points to)")
    if info.st_nlink > 1:
        raise FixRefused(f"file has {info.st_nlink} hard links; not fixed "
                         "(replacing it would split them)")
    if not info.st_mode & 0o222:
        raise FixRefused("file is read-only; not fixed")

    def unchanged() -> None:
        if _current_bytes(path) != plan.source.raw:
            raise FileChanged("file changed during run, not fixed")

    write_bytes_atomic(path, plan.data, mode=stat.S_IMODE(info.st_mode),
                       owner=(info.st_uid, info.st_gid), before_replace=unchanged)


def _current_bytes(path: Path) -> bytes | None:
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def unified_diff(plan: FilePlan) -> str:
    """The fix as a unified diff (a/ and b/ paths), marking a missing final newline as git does."""
    old = plan.source.text.splitlines(keepends=True)
    new = plan.fixed.text.splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{plan.source.path}", f"b/{plan.source.path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def run_fixes(paths: list[str], linter, unsafe: bool = False, write: bool = True) -> FixRun:
    """Fix every story under `paths` (or only compute diffs when `write` is False)."""
    from storylint.engine import iter_story_paths
    from storylint.results import RunResult

    run = FixRun(result=None)
    reports = [_fix_one(path, linter, unsafe, write, run)
               for path in iter_story_paths(paths, linter.config)]
    run.result = RunResult(reports, linter.rules, linter.config.fail_level, linter.internal_errors)
    return run


def _fix_one(path: str, linter, unsafe: bool, write: bool, run: FixRun):
    plan = plan_file(path, linter, unsafe)
    if plan.problem and not plan.fixed.stable:
        run.failed += 1
        return _with(plan.report, linter, "fix-unstable", f"fix not stable: {plan.problem}; "
                     "file left unchanged (please report this with the story attached)")
    if plan.problem:
        return _with(plan.report, linter, "fix-skipped", f"not fixed: {plan.problem}")
    if not plan.changes:
        return plan.report
    if write:
        try:
            write_plan(plan)
        except (FixRefused, FileChanged) as exc:
            return _with(plan.original, linter, "fix-skipped", str(exc))
        except WriteError as exc:
            run.failed += 1
            return _with(plan.original, linter, "fix-skipped", str(exc))
    else:
        run.diffs.append(unified_diff(plan))
    run.fixed += len(plan.fixed.applied)
    run.files_changed += 1
    return plan.report


def _with(report, linter, name: str, detail: str):
    rule = linter.builtin.get(name)
    if rule is None:
        return report
    from storylint.fingerprint import content_fingerprints

    extra = diagnostic(name, report.path, detail, rule=rule)
    pairs = sorted([*zip(report.findings, report.fingerprint_list()),
                    (extra, content_fingerprints([extra], None)[0])],
                   key=lambda pair: Finding.sort_key(pair[0]))
    return replace(report, findings=tuple(f for f, _ in pairs),
                   fingerprints=tuple(fp for _, fp in pairs))
