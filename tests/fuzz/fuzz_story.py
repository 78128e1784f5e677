"""Coverage-guided fuzzing of the check path with atheris (optional; not collected by pytest).

    pip install atheris
    python tests/fuzz/fuzz_story.py -max_total_time=600 -rss_limit_mb=2048 [corpus_dir]

Each input is treated as the bytes of a story file: decoded the way `storylint check` decodes
files, then checked by every default rule (the classifier included). The invariants are those
of tests/test_properties.py: no exception escapes, no rule fails internally, every finding's
position lies inside the text and every fix inside the text. A crash input is written by
libFuzzer as crash-<hash>; add it to fixtures/ with a test when it shows a bug.
"""
from __future__ import annotations

import sys

import atheris

from storylint.config import Config
from storylint.engine import Linter, load_rules, select_rules
from storylint.source import decode_story

CONFIG = Config()
RULES, FORMAT = load_rules(CONFIG)
LINTER = Linter(select_rules(RULES, CONFIG), CONFIG, FORMAT)
LINTER.check_text("Headline\n\nA lighting blitz; their own.\n")  # load lazy parts (models)
atheris.instrument_all()  # every module loaded by now, storylint's lazily imported ones too


def check_bytes(raw: bytes) -> None:
    """Decode and check one input; raise AssertionError when an invariant breaks."""
    source = decode_story("fuzz.txt", raw)
    if source.text is None:
        return
    before = LINTER.internal_errors
    findings = LINTER.check_text(source.text, "fuzz.txt", source.encoding)
    assert LINTER.internal_errors == before, [f.message for f in findings if f.code == "SL900"]
    lines = source.text.split("\n")
    for f in findings:
        assert 1 <= f.line <= len(lines) and f.column >= 1, f
        if f.fix is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(source.text), f


def main() -> None:
    atheris.Setup(sys.argv, check_bytes)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
