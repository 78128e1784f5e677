"""The optional C scorer (storylint._speedups) gives exactly the pure-Python numbers."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import sysconfig
from array import array
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, load_file_module
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint import features
from storylint import model as model_module
from storylint.checks.classifier import open_check
from storylint.model import load_model, resolve_model_dir
from storylint import story as story_module
from storylint.story import Story


build_hook = load_file_module("build_speedups", REPO / "src" / "build_speedups.py")
compile_extension = build_hook.compile_extension

try:
    from storylint import _speedups
except ImportError:
    _speedups = None

needs_speedups = pytest.mark.skipif(
    _speedups is None, reason="storylint._speedups was not built (no C compiler at install, or "
                              "STORYLINT_SPEEDUPS=off); the pure-Python scorer is in use")
# Python 3.12+ sums floats with compensation in sum(): the last bits may then differ.
EXACT = sys.version_info < (3, 12)
WORD = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def _compiler_available() -> bool:
    return build_hook.missing_compiler() is None  # the build hook's own test, not a copy


@pytest.fixture(scope="module")
def bundled():
    return load_model(resolve_model_dir("promo-tail"))


def _same(a: float, b: float) -> bool:
    return a == b if EXACT else a == pytest.approx(b, rel=1e-12, abs=1e-12)


@pytest.mark.skipif(not _compiler_available(), reason="no C compiler for this Python")
def test_the_install_built_the_extension():
    """Where a compiler exists the build must not fall back silently to the slow scorer."""
    from storylint.checks import context

    assert _speedups is not None and _speedups.FEATURE_VERSION == 2
    assert model_module.COMPILED_HASHED_SUM is _speedups.hashed_sum
    assert context.COMPILED_FIND_WORDS is _speedups.find_words
    assert story_module.COMPILED_LOCATION_DATE is _speedups.location_date
    assert story_module.COMPILED_MARKER_LINES is _speedups.marker_lines
    assert context.COMPILED_CLAUSE_WORDS is _speedups.clause_words


@needs_speedups
@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, max_size=30))
def test_compiled_sum_equals_python_on_the_bundled_model(bundled, words):
    words = tuple(words)
    bundled._words.clear()
    expected = bundled.python_hashed_sum(words)
    assert _same(_speedups.hashed_sum(words, bundled.weights, bundled.mask), expected)
    cache: dict = {}
    first = _speedups.hashed_sum(words, bundled.weights, bundled.mask, cache)
    again = _speedups.hashed_sum(words, bundled.weights, bundled.mask, cache)
    assert _same(first, expected) and again == first
    assert set(cache) == set(words)


@needs_speedups
@settings(max_examples=100, deadline=None)
@given(st.lists(WORD, max_size=12), st.integers(0, 2**31))
def test_compiled_sum_equals_python_on_a_small_random_table(words, seed):
    """A 256-column table makes every column collide many times: any index slip shows."""
    rng = random.Random(seed)
    weights = array("f", [rng.uniform(-3, 3) for _ in range(256 + 27)])
    manifest = model_module.Manifest(Path("x"), {"hash_bits": 8, "intercept": 0.0,
                                                 "threshold": 0.5})
    small = model_module.LinearModel(manifest, weights)
    words = tuple(words)
    assert _same(_speedups.hashed_sum(words, weights, 255), small.python_hashed_sum(words))


@needs_speedups
def test_probabilities_of_whole_stories_do_not_depend_on_the_build(monkeypatch):
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    check = open_check(resolve_model_dir("promo-tail"))
    compiled = [check.scores(Story(t)) for t in texts]
    monkeypatch.setattr(model_module, "COMPILED_HASHED_SUM", None)
    monkeypatch.setattr(features, "COMPILED_LINE_FACTS", None)
    plain = open_check(resolve_model_dir("promo-tail"))
    python = [plain.scores(Story(t)) for t in texts]
    assert sum(map(len, compiled)) > 50
    for a, b in zip(compiled, python):
        assert a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)


@needs_speedups
@pytest.mark.parametrize("args, error", [
    ((("a",), array("d", [0.0] * 256), 255), TypeError),  # float64, not float32
    ((("a",), array("f", [0.0] * 100), 255), ValueError),  # shorter than the hashed block
    ((("a",), array("f", [0.0] * 256), 254), ValueError),  # not 2**bits - 1
    ((("a", 3), array("f", [0.0] * 256), 255), TypeError),  # a word that is not str
    ((("a",), array("f", [0.0] * 256), 255, []), TypeError),  # cache that is not a dict
    ((3, array("f", [0.0] * 256), 255), TypeError),  # words not a sequence
])
def test_bad_arguments_raise_instead_of_reading_out_of_bounds(args, error):
    with pytest.raises(error):
        _speedups.hashed_sum(*args)


_LINE = st.lists(st.sampled_from(
    list("aZ09%_!?'\" .,-/\t") + ["zzpct", "we", "You", "our", "said", "NATO", "ABC", "AB",
                                  "news", "Lorem", "x" * 300, "zzurl", "about", "CDE1", "A_BC"]),
    max_size=80).map("".join)


@needs_speedups
@given(_LINE, _LINE)
@settings(max_examples=1500, deadline=None)
def test_compiled_line_facts_equal_python(low, original):
    """Words (digits as 0, `%` as `zzpct`, lines longer than the C stack buffer), content
    words, the first- and second-person counts and the marks, for any ASCII line."""
    args = (features._FIRST, features._SECOND, features._NOT_CONTENT, features.MAX_CONTENT_WORDS)
    assert _speedups.line_facts(low, original, *args) == \
        features.python_line_facts(low, original)
    assert _speedups.line_facts(low + "\u00e9", original, *args) is None  # Python answers
    assert _speedups.line_facts(low, original + "\u2013", *args) is None


@needs_speedups
def test_line_facts_of_every_fixture_line_equal_python(monkeypatch):
    lines = [line for path in sorted(FIXTURES.rglob("*.txt"))
             for line in path.read_bytes().decode("utf-8", "replace").splitlines()]
    compiled = [features.analyse_text(line) for line in lines]
    monkeypatch.setattr(features, "COMPILED_LINE_FACTS", None)
    assert [features.analyse_text(line) for line in lines] == compiled
    assert len(lines) > 300


@needs_speedups
@pytest.mark.parametrize("args", [
    ("a", "a", set(), frozenset(), frozenset(), 20),  # a set, not a frozenset
    (b"a", "a", frozenset(), frozenset(), frozenset(), 20),  # bytes, not str
    ("a", "a", frozenset(), frozenset(), frozenset()),  # max_content missing
])
def test_line_facts_bad_arguments_raise(args):
    with pytest.raises(TypeError):
        _speedups.line_facts(*args)


def test_build_hook_compiles_a_loadable_module(tmp_path):
    if not _compiler_available():
        pytest.skip("no C compiler for this Python")
    target = tmp_path / ("_speedups" + sysconfig.get_config_var("EXT_SUFFIX"))
    assert compile_extension([REPO / source for source in build_hook.SOURCES], target) is None
    module = load_file_module("storylint._speedups", target)
    assert module.hashed_sum((), array("f", [1.0] * 256), 255) == 0.0
    assert module.hashed_sum(("ab",), array("f", [1.0] * 256), 255) == 1 + 2 + 1 + 0


def test_build_hook_reports_a_failed_compile_and_leaves_nothing(tmp_path):
    if not _compiler_available():
        pytest.skip("no C compiler for this Python")
    broken = tmp_path / "broken.c"
    broken.write_text("this is not C\n")
    target = tmp_path / "out.so"
    problem = compile_extension([broken], target)
    assert problem and "failed" in problem and "broken.c" in problem
    assert list(tmp_path.iterdir()) == [broken]


def test_version_names_the_scorer_in_use(capsys, monkeypatch):
    from storylint import __version__
    from storylint.cli import main

    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"storylint {__version__}\n")
    assert ("scorer: compiled" in out) == (model_module.COMPILED_HASHED_SUM is not None)
    from storylint.checks import context

    assert ("scan: compiled" in out) == (context.COMPILED_FIND_WORDS is not None)
    monkeypatch.setattr(model_module, "COMPILED_HASHED_SUM", None)
    monkeypatch.setattr(context, "COMPILED_FIND_WORDS", None)
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert "scorer: pure Python" in out and "scan: pure Python" in out


def test_speedups_off_in_the_environment_runs_pure_python():
    code = ("import storylint.model as m, storylint.checks.context as c; print(m.COMPILED_HASHED_SUM,"
            " c.COMPILED_FIND_WORDS, c.COMPILED_CLAUSE_WORDS)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "STORYLINT_SPEEDUPS": "off"}, check=True)
    assert done.stdout.strip() == "None None None"


@pytest.fixture
def stale_module(tmp_path):
    """A build folder holding a module left by an earlier build."""
    stale = tmp_path / ("_speedups" + sysconfig.get_config_var("EXT_SUFFIX"))
    stale.write_bytes(b"old build")
    return stale


def test_build_off_builds_nothing_and_removes_an_old_module(tmp_path, stale_module):
    assert build_hook.build_extension(REPO, tmp_path, "off") is None
    assert not stale_module.exists()


@pytest.mark.parametrize("mode", ["auto", "", "require"])
def test_build_without_a_compiler_falls_back_or_fails_as_asked(tmp_path, stale_module,
                                                               monkeypatch, mode):
    monkeypatch.setattr(build_hook.sysconfig, "get_config_var", lambda name: {
        "LDSHARED": "no-such-cc -shared", "EXT_SUFFIX": stale_module.name[len("_speedups"):],
    }.get(name))
    warnings: list[str] = []
    if mode == "require":
        with pytest.raises(RuntimeError, match="C compiler 'no-such-cc' not found"):
            build_hook.build_extension(REPO, tmp_path, mode, warnings.append)
    else:
        assert build_hook.build_extension(REPO, tmp_path, mode, warnings.append) is None
        assert "not built (C compiler 'no-such-cc' not found)" in warnings[0]
        assert "pure Python" in warnings[0]
    assert not stale_module.exists()  # never an old module beside sources built without one


def test_build_mode_typos_are_an_error(tmp_path):
    with pytest.raises(ValueError, match="STORYLINT_SPEEDUPS must be one of auto, require, off"):
        build_hook.build_extension(REPO, tmp_path, "yes")


# Pieces of location lines: the FILE prefix, places, the three dashes, spaces Python's \s reads
# (and one it does not), the stop characters a place cannot hold, dates short and long.
LOCATION_PIECES = ["FILE", "FILE:", "FILE - ", "Kabul", "Port-au-Prince", ", ", " ", "  ", "\t",
                   "\u00a0", "\u2003", "\u200b", "-", " - ", "\u2013", " \u2014 ", ".", "!", "?",
                   "22 May 2020", "ab", "x" * 39, "a" * 60, "\u00e9", "\U0001f600", "\""]


def _location_group(line: str) -> str | None:
    from storylint.story import _LOCATION

    match = _LOCATION.match(line)
    return match.group("date") if match else None


@needs_speedups
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LOCATION_PIECES), max_size=14).map("".join))
def test_compiled_location_date_equals_the_pattern(line):
    assert _speedups.location_date(line) == _location_group(line)


@needs_speedups
@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_compiled_location_date_equals_the_pattern_on_any_text(line):
    assert _speedups.location_date(line) == _location_group(line)


@needs_speedups
def test_compiled_location_date_equals_the_pattern_on_every_fixture_line():
    lines = {line for path in FIXTURES.rglob("*.txt")
             for line in path.read_text("utf-8", "surrogateescape").splitlines()}
    dated = [line for line in lines if _location_group(line) is not None]
    assert len(dated) >= 10  # the fixtures' location lines
    for line in lines:
        assert _speedups.location_date(line) == _location_group(line), line


@needs_speedups
@pytest.mark.parametrize("place", [1, 120, 121, 122, 123])
@pytest.mark.parametrize("date", [1, 2, 3, 39, 40, 41])
@pytest.mark.parametrize("spaces", [" ", "   ", " \u2003"])
def test_compiled_location_date_at_the_pattern_limits(place, date, spaces):
    """The place's and the date's longest and shortest lengths, with the spaces before the date
    that the pattern may give back to a short date."""
    for line in (f"P{'p' * (place - 1)} -{spaces}{'d' * date}",
                 f"FILE: P{'p' * (place - 1)} \u2013{spaces}{'d' * date}{spaces}"):
        assert _speedups.location_date(line) == _location_group(line), line


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LOCATION_PIECES), max_size=14).map("".join))
def test_location_date_group_equals_the_pattern(line):
    """Its gates before the pattern (the text after the last dash) never turn away a line the
    pattern matches, compiled module or not."""
    from storylint.story import location_date_group

    assert location_date_group(line) == _location_group(line)
