"""End-to-end: the real pre-commit tool, the built wheel in a fresh venv, and the seed story."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
import zipfile

import pytest

from storylint.cli import main

from conftest import FIXTURES, REPO


def run(command, cwd, env=None, check=True):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if check and done.returncode not in (0, 1):
        raise AssertionError(f"{command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def test_seed_story_findings(seed_story, capsys):
    assert main(["check", "--isolated", "--format", "json", str(seed_story)]) == 1
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    names = [f["name"] for f in findings]
    typo = next(f for f in findings if f["name"] == "confusable-word")
    line = seed_story.read_text(encoding="utf-8").splitlines()[typo["line"] - 1]
    assert "lighting blitz" in line and typo["fix"]["replacement"] == "lightning"
    assert "boilerplate-empty-field" in names
    assert "shot-numbering" not in names and "date-mismatch" not in names


@pytest.mark.slow
def test_pre_commit_try_repo_fails_defective_and_passes_clean(tmp_path):
    pre_commit = shutil.which("pre-commit") or pytest.skip("pre-commit is not installed")
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(FIXTURES / "stories" / "clean.txt", content / "clean.txt")
    shutil.copy(FIXTURES / "stories" / "shot-numbering-gap.txt", content / "broken.txt")
    # STORYLINT_SPEEDUPS=off: pre-commit's own pip installs then build pure Python, not the
    # compiled build (over two minutes more; tests/test_compiled_build.py covers that build)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "STORYLINT_SPEEDUPS": "off",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    run(["git", "init", "-q"], content, env)
    run(["git", "add", "."], content, env)
    run(["git", "commit", "-qm", "stories"], content, env)
    passed = run([pre_commit, "try-repo", str(REPO), "storylint", "--files", "clean.txt"],
                 content, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = run([pre_commit, "try-repo", str(REPO), "storylint", "--files", "broken.txt"],
                 content, env)
    assert failed.returncode == 1
    assert "broken.txt:12:1: SL201 error Shot numbering is broken" in failed.stdout


@pytest.mark.slow
def test_wheel_ships_rules_and_models_and_runs_outside_the_repo(built_wheel, tmp_path):
    names = zipfile.ZipFile(built_wheel).namelist()
    assert "storylint/rules/ap-archive/pack.yaml" in names
    assert "storylint/rules/ap-archive/confusable-word.yaml" in names
    assert any(n.startswith("storylint/models/") for n in names)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", str(built_wheel)], tmp_path)
    story = FIXTURES / "stories" / "confusable-word.txt"
    seed = REPO.parent / "shared" / "seeds" / "000_92e443b0f223b98d.txt"
    target = seed if seed.is_file() else story
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = run([str(env_dir / "bin" / "storylint"), "check", "--format", "json", str(target)],
               outside, env)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["files"][0]["findings"]
    assert "confusable-word" in {f["name"] for f in findings}
    imported = run([str(python), "-c", "import storylint, sys; print(storylint.__file__)"],
                   outside, env).stdout
    assert str(env_dir) in imported and str(REPO) not in imported
