"""Baselines: record today's findings so an archive can adopt storylint and fail only on new ones.

`storylint check --write-baseline FILE` stores every finding by file and content fingerprint (the
same fingerprint SARIF reports); `--baseline FILE` drops findings that match a stored entry.
Matching counts occurrences: two identical findings recorded once leave one of them new. Paths
are stored relative to the baseline file's folder, so the check can run from any directory.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from storylint import __version__

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a storylint baseline (exit 2)."""


@dataclass(frozen=True)
class Baseline:
    """Known findings as a multiset of (path relative to `folder`, rule code, fingerprint)."""

    folder: Path
    entries: Counter

    def key_path(self, path: str) -> str:
        """A story path as the baseline stores it."""
        return Path(os.path.relpath(os.path.abspath(path), self.folder)).as_posix()

    def apply(self, result):
        """A copy of `result` without the findings the baseline knows; counts go in `extra`."""
        remaining = Counter(self.entries)
        files, known = [], 0
        for report in result.files:
            kept, prints = [], []
            for finding, fingerprint in zip(report.findings, report.fingerprint_list()):
                key = (self.key_path(report.path), finding.code, fingerprint)
                if remaining[key] > 0:
                    remaining[key] -= 1
                    known += 1
                else:
                    kept.append(finding)
                    prints.append(fingerprint)
            files.append(replace(report, findings=tuple(kept), fingerprints=tuple(prints)))
        extra = dict(result.extra, baseline=str(self.folder), baseline_matched=known,
                     baseline_fixed=sum(remaining.values()))
        return replace(result, files=files, extra=extra)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline written by `write_baseline`; raise BaselineError naming the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path} (create it with "
                            "--write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != "storylint-baseline":
        raise BaselineError(f"{path}: not a storylint baseline (no \"format\": "
                            "\"storylint-baseline\")")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not supported "
                            f"(expected {FORMAT_VERSION}); rewrite it with --write-baseline")
    entries = Counter()
    for index, item in enumerate(data.get("findings", [])):
        try:
            entries[(item["path"], item["code"], item["fingerprint"])] += 1
        except (TypeError, KeyError) as exc:
            raise BaselineError(f"{path}: finding {index} lacks {exc}") from None
    return Baseline(path.resolve().parent, entries)


def baseline_document(result, folder: Path) -> dict:
    """Every finding of `result` as baseline entries, sorted so the file diffs well."""
    base = Baseline(folder.resolve(), Counter())
    items = [{"path": base.key_path(report.path), "code": f.code, "name": f.name,
              "fingerprint": fingerprint, "line": f.line, "message": f.message}
             for report in result.files
             for f, fingerprint in zip(report.findings, report.fingerprint_list())]
    items.sort(key=lambda item: (item["path"], item["line"], item["code"], item["fingerprint"]))
    return {"format": "storylint-baseline", "version": FORMAT_VERSION,
            "tool": f"storylint {__version__}",
            "note": "Findings accepted when storylint was adopted; `line` and `message` are for "
                    "readers only, matching uses path, code and fingerprint.",
            "findings": items}


def write_baseline(result, path: Path) -> int:
    """Write the baseline atomically; return how many findings it records."""
    from storylint.atomic import write_bytes_atomic

    document = baseline_document(result, path.parent if str(path.parent) else Path("."))
    text = json.dumps(document, indent=1, ensure_ascii=True) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))
    return len(document["findings"])
