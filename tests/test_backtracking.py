"""Patterns that run on Python's backtracking `re` (the parser's own, and the reviewed pack's
when google-re2 is absent) stay linear on hostile lines.

Each case below took from seconds to hours before the patterns were rewritten (e.g. 22 s for a
line of 2,000 spaces after a boilerplate line; 53 s for 20,000 blank lines with the default
boilerplate markers; minutes for a suppression directive with long runs of spaces). They run in a subprocess with a generous timeout, so a regression fails
the test instead of hanging the suite.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

BOILERPLATE = ("Clients are reminded to adhere to all listed restrictions and to check the terms "
               "of their licence agreements.\n")
HOSTILE = {
    "spaces after a boilerplate line": "Head\n\n" + BOILERPLATE + " " * 200_000 + "x\n",
    "digits and spaces after a boilerplate line": "Head\n\n" + BOILERPLATE + "1 " * 100_000 + "x\n",
    "e-mail-like run after a boilerplate line": "Head\n\n" + BOILERPLATE + "a@" * 100_000 + "\n",
    "blank lines before a marker": "Head\n" + "\n" * 200_000 + BOILERPLATE,
    "whitespace lines before a marker": "Head\n" + " \n" * 100_000 + "Facebook" + " " * 50_000,
    "Email label before a long line": "Head\n\n" + BOILERPLATE + "Email:\n" + "x" * 200_000 + "\n",
    # the suppression pattern took 0.46 s at 800 spaces, growing cubically
    "directive with spaced dashes": "Head\n[storylint: a" + (" " * 20_000 + "-") * 2 + "  ]\n",
    # a text line before a shot is read as a location line whatever its dash: 9 s for 5,000
    # spaces on Python's re before the date's length was tested first
    "dash, spaces and a long word before a shot": "Head\nP -" + " " * 200_000 + "d" * 41
    + "\n1. Shot\n",
}
SCRIPT = textwrap.dedent("""
    import json, os, sys
    from storylint.story import Story
    from storylint.cli import main
    if sys.argv[1] == "no-re2":
        sys.modules["re2"] = None  # Python's re for the reviewed pack
    texts = json.load(open(sys.argv[2], encoding="utf-8"))
    for text in texts:
        Story(text)  # the default boilerplate markers
    sys.exit(main(["check", "--isolated", "-o", os.devnull, *sys.argv[3:]]))
""")


def _run(tmp_path, engine: str, compiled: bool = True):
    import json

    paths = []
    for index, text in enumerate(HOSTILE.values()):
        path = tmp_path / f"hostile{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(list(HOSTILE.values())), encoding="utf-8")
    env = dict(os.environ, STORYLINT_SPEEDUPS="on" if compiled else "off")
    return subprocess.run([sys.executable, "-c", SCRIPT, engine, str(texts), *paths],
                          capture_output=True, text=True, timeout=300, env=env)


def test_hostile_lines_are_parsed_and_checked_in_linear_time(tmp_path):
    result = _run(tmp_path, "re2")
    assert result.returncode in (0, 1), result.stderr


def test_hostile_lines_stay_linear_on_pythons_re_without_google_re2(tmp_path):
    result = _run(tmp_path, "no-re2")
    assert result.returncode in (0, 1), result.stderr


def test_hostile_lines_stay_linear_without_the_compiled_module(tmp_path):
    """The parser's patterns themselves, where storylint._speedups reads some of them."""
    result = _run(tmp_path, "re2", compiled=False)
    assert result.returncode in (0, 1), result.stderr
