"""Without google-re2 (a source checkout run with a bare Python): storylint's own reviewed pack
runs on Python's `re` with the same findings, and patterns from any other pack are refused."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_92e443b0f223b98d.txt"
RUN = textwrap.dedent("""
    import sys
    if sys.argv[1] == "no-re2":
        sys.modules["re2"] = None  # import re2 now raises ImportError
    from storylint.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def _storylint(engine: str, *argv: str, cwd=REPO):
    return subprocess.run([sys.executable, "-c", RUN, engine, *argv], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def _findings(engine: str, paths: list[str]) -> dict:
    result = _storylint(engine, "check", "--isolated", "--extend-select", "promo-phrases",
                        "--format", "json", *paths)
    assert result.returncode in (0, 1), result.stderr
    return {f["path"]: [(x["code"], x["line"], x["column"], x["message"]) for x in f["findings"]]
            for f in json.loads(result.stdout)["files"]}


def test_reviewed_pack_gives_the_same_findings_on_pythons_re():
    paths = ["fixtures/stories", "fixtures/archive", "fixtures/example-story.txt"]
    if SEED.is_file():
        paths.append(str(SEED))
    with_re2 = _findings("re2", paths)
    assert sum(map(len, with_re2.values())) > 40  # the fixtures exercise every rule
    assert _findings("no-re2", paths) == with_re2


PACK_RULE = """\
code: HS101
name: no-sponsor-mentions
kind: pattern
severity: warning
summary: Sponsor names in story text.
message: "Sponsor named in the story: '{match}'"
why: House style.
options:
  patterns: ['Mega(?:Cola|Corp)']
examples:
  fail: ["Fans drank MegaCola at the final."]
  pass: ["Fans drank cola at the final."]
"""


def test_patterns_of_other_packs_are_refused_without_google_re2(tmp_path):
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: house\ndescription: House rules.\n", encoding="utf-8")
    (pack / "no-sponsor-mentions.yaml").write_text(PACK_RULE, encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nFans drank MegaCola at the final.\n", encoding="utf-8")
    argv = ("check", "--isolated", "--pack", str(pack), "--select", "HS101", str(story))
    assert _storylint("re2", *argv, cwd=tmp_path).returncode == 1
    refused = _storylint("no-re2", *argv, cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "no-sponsor-mentions.yaml:9:14:" in refused.stderr
    assert "google-re2" in refused.stderr and "Traceback" not in refused.stderr
