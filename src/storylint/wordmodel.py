"""The confusable-word language model: word and word-pair counts for confusion-set members.

The model is data, never code: a gzip-compressed JSON file of counts and a `manifest.json` that
names it with its SHA-256, the confusion sets, the threshold chosen for each set on development
data, the sources and the measured figures. `read_model` checks the manifest and the checksum
(cheap, done before any story is read so a bad model stops the run with exit 2); the counts are
parsed only when a story first contains a candidate word (`ModelFiles.counts`).

Scoring is a naive-Bayes bigram model: for candidate c between words l and r,
    score(c) = C(l c) * C(c r) / C(c),
where l and r may be edge tokens (`<s>` sentence start, `<c>` clause start, `</s>`, `</c>`,
`<num>`). A pair that was never counted is estimated as independence times the "lift" of the
neighbour's class (its last three letters, else its last letter) next to c — "it's tariffs" is
unlikely because words ending in -s rarely follow "it's" — and kept below half the pruning floor
of the pair list.
The evidence is the log ratio of the best alternative's score to the written word's score, and
the part of it that comes from the context rather than from how common each word is. The parts
are weighted by kind (prior; per side: an edge token, both pairs counted, one, none), with
weights fitted by logistic regression on development data (all 1: plain naive Bayes).
"""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from storylint.modelfile import ModelError, read_verified
from storylint.speedups import compiled

FORMAT = "storylint-confusables"
FORMAT_VERSION = 2  # 2: lifts two places away, 11 weights
MANIFEST = "manifest.json"
MAX_MODEL_BYTES = 20 << 20
SIDE_MEMO_SIZE = 100_000
WORDMODEL_VERSION = 1  # of Counts.python_compare's results; _speedups.h holds the same number
# The C comparison (storylint._speedups), else None: `Counts.python_compare` gives the same
# numbers, slower.
COMPILED_COMPARE = compiled("compare_counts", "WORDMODEL_VERSION", WORDMODEL_VERSION)


@dataclass
class ModelFiles:
    """A verified model folder: its manifest and the raw (checksummed) count data."""

    folder: Path
    manifest: dict
    data: bytes = field(repr=False)
    _counts: Counts | None = field(default=None, repr=False)

    def counts(self) -> Counts:
        """The parsed counts, parsed on first use."""
        if self._counts is None:
            self._counts = Counts.parse(self.data, self.folder / self.manifest["data"],
                                        self.manifest.get("weights"))
        return self._counts


def read_model(folder: Path) -> ModelFiles:
    """Read a model folder's manifest and data file and verify format, version and checksum."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ModelError(f"model not found: {manifest_path}; build it with "
                         "`storylint confusables build` and `storylint confusables tune`")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{manifest_path}: not a valid manifest: {exc}") from None
    _check_manifest(manifest, manifest_path)
    if Path(manifest["data"]).name != manifest["data"]:
        raise ModelError(f"{manifest_path}: 'data' must name a file in the model folder")
    data = read_verified(folder / manifest["data"], manifest["sha256"], MAX_MODEL_BYTES,
                         "build it with `storylint confusables build`")
    return ModelFiles(folder, manifest, data)


def _check_manifest(manifest, path: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelError(f"{path}: not a {FORMAT} manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(f"{path}: model format_version {version!r} is newer than this storylint "
                         f"supports ({FORMAT_VERSION}); upgrade storylint or rebuild the model")
    for key, kind in (("data", str), ("sha256", str), ("sets", list), ("thresholds", dict)):
        if not isinstance(manifest.get(key), kind):
            raise ModelError(f"{path}: manifest key {key!r} missing or not a {kind.__name__}")
    weights = manifest.get("weights")
    if weights is not None and (not isinstance(weights, list) or len(weights) != len(FEATURES)
                                or not all(isinstance(w, (int, float)) for w in weights)):
        raise ModelError(f"{path}: manifest key 'weights' must be {len(FEATURES)} numbers")


# Kinds of evidence, each with its own weight (fitted on development data; 1 = naive Bayes).
FEATURES = ("prior", "left_edge", "left_both", "left_one", "left_none",
            "right_edge", "right_both", "right_one", "right_none", "left_far", "right_far")
# The slot of a left-side feature by (alternative's pair counted?, written word's counted?);
# the right side's is 4 further on (see FEATURES).
_SLOTS = {(True, True): 2, (True, False): 3, (False, True): 3, (False, False): 4}
# Neighbour positions with class lifts: next to the word, and two places away.
SIDES = ("left", "right", "left2", "right2")


class Evidence(NamedTuple):
    """Why an alternative beats the written word: which neighbours, how many times likelier.

    A named tuple, not a dataclass: one is built per candidate word. The collector never stops
    tracking a named tuple (only a plain one), so the rule's memo keeps the plain tuple of
    these fields: tens of thousands of tracked entries slowed every full collection."""

    alternative: str
    log_ratio: float  # log of P(alternative | context) / P(written word | context)
    support: float  # the part of log_ratio that comes from the context (not the prior)
    left: str | None
    right: str | None

    @property
    def ratio(self) -> float:
        """How many times likelier the alternative is (capped for display)."""
        return math.exp(min(self.log_ratio, 50.0))


_new_tuple = tuple.__new__


def word_class(token: str) -> str:
    """The back-off class of a context token: its last three letters (short words and edge
    tokens stand for themselves), a rough stand-in for part of speech; `<hyphen>` for a
    hyphenated compound ("near-term", "long-awaited": modifiers inside a noun phrase)."""
    if len(token) <= 4 or token[0] == "<":
        return token
    return "<hyphen>" if "-" in token else token[-3:]


def coarse_class(token: str) -> str:
    """The class used when `word_class` is too rare to have a lift: `~` and the last letter."""
    return token if token[0] == "<" else "~" + token[-1]


def _positive_number(value) -> bool:
    """A number above zero that is finite as a float, the way the compiled scorer reads it
    (JSON `true` counts as 1, as both scorers read it)."""
    if not isinstance(value, (int, float)):
        return False
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return False
    return 0 < number < math.inf


def _plainly_positive(table: dict) -> bool:
    """True when every value is surely a positive finite number, found with two passes in C
    (`min`, `sum`: a fifth of the time of testing value by value); False means look closer
    (a value at or below zero, a NaN or infinity, a string, or only a float sum overflowing)."""
    if not table:
        return True
    try:
        lowest, total = min(table.values()), sum(table.values())
        return lowest > 0 and math.isfinite(total)
    except (TypeError, OverflowError):
        return False


class Counts:
    """Word and word-pair counts, and per member how its neighbours' classes deviate from the
    average (`lifts`), used to estimate pairs that were never counted."""

    def __init__(self, raw: dict, weights: list[float] | None = None):
        self.weights = list(weights) if weights else [1.0] * len(FEATURES)
        self.unigrams, self.bigrams = raw["unigrams"], raw["bigrams"]
        self.floor, self.scale = float(raw["floor"]), float(raw["scale"])
        self.total, self.default_unigram = float(raw["total"]), float(raw["default_unigram"])
        self.lifts = raw["lifts"]  # {"left"|"right": {member: {class: lift, "": unseen lift}}}
        self._memo: dict = {}  # see `_side`
        self._state: tuple | None = None  # the tables as the compiled compare takes them
        # learned word classes ({class: [words]} in the file), else suffix classes
        self.classes = {word: cls for cls, words in raw.get("classes", {}).items()
                        for word in words}

    @classmethod
    def parse(cls, data: bytes, path: Path, weights: list[float] | None = None) -> Counts:
        """Counts from the gzip-compressed JSON data file."""
        try:
            raw = json.loads(gzip.decompress(data))
            counts = cls(raw, weights)
            for side in SIDES:
                counts.lifts.setdefault(side, {})
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError,
                OverflowError) as exc:
            raise ModelError(f"{path}: unreadable model data: {exc}") from None
        problem = counts.invalid_number()
        if problem:
            raise ModelError(f"{path}: model data {problem}; rebuild it with "
                             "`storylint confusables build`")
        return counts

    def invalid_number(self) -> str | None:
        """What is wrong with a count or lift the scores take the logarithm of (zero,
        negative, not finite or not a number), or None. Checked once at load: such a value
        would crash the Python scorer and make the compiled one report infinite ratios."""
        scalars = {"floor": self.floor, "scale": self.scale, "total": self.total,
                   "default_unigram": self.default_unigram}
        tables: list[tuple[str, Any]] = [("", scalars), ("unigrams.", self.unigrams),
                                         ("bigrams.", self.bigrams)]
        for side, members in self.lifts.items():
            if not isinstance(members, dict):
                return f"lifts.{side} is not a mapping"
            tables += [(f"lifts.{side}.{member}.", lifts) for member, lifts in members.items()]
        for where, table in tables:
            if not isinstance(table, dict):
                return f"{where.rstrip('.')} is not a mapping"
            if _plainly_positive(table):
                continue
            for key, value in table.items():
                if not _positive_number(value):
                    return f"{where}{key} is {value!r}, not a positive number"
        return None

    def unigram(self, word: str) -> int | float:
        """C(word) (an int: `pair` multiplies two exactly), or a small default (a float) for a
        word the model does not list."""
        return self.unigrams.get(word, self.default_unigram)

    def pair(self, first: str, second: str, member: str, side: str) -> tuple[float, bool]:
        """C(first second) and whether it was counted; else independence scaled by the lift of
        the neighbour's class next to `member`, kept below the floor of the pruned pair list."""
        count = self.bigrams.get(f"{first} {second}")
        if count is not None:
            return count, True
        neighbour = first if side == "left" else second
        lifts = self.lifts[side].get(member)
        lift = 1.0
        if lifts:
            cls = self.classes.get(neighbour) or word_class(neighbour)
            lift = lifts.get(cls) or lifts.get(coarse_class(neighbour), 1.0)
        guess = self.unigram(first) * self.unigram(second) * self.scale / self.total * lift
        return min(self.floor / 2, guess), False

    def compare(self, word: str, alternatives, left: str | None, right: str | None,
                far: tuple = (None, None)) -> Evidence:
        """The best alternative to `word` between `left` and `right` (None: nothing known);
        `far`: the tokens two places left and right (see `context.far_tokens`). Compiled when
        storylint._speedups is built, else `python_compare`: the same numbers."""
        if COMPILED_COMPARE is None:
            return self.python_compare(word, alternatives, left, right, far)
        if self._state is None:
            self._state = (self.unigrams, self.bigrams, self.lifts, self.classes,
                           tuple(self.weights), self.default_unigram, self.scale, self.total,
                           self.floor)
        alternative, log_ratio, support = COMPILED_COMPARE(
            self._state, word, alternatives, left, right, far[0], far[1])
        # tuple.__new__: the named tuple's own __new__ is a Python function
        return _new_tuple(Evidence, (alternative, log_ratio, support, left, right))

    def python_compare(self, word: str, alternatives, left: str | None, right: str | None,
                       far: tuple = (None, None)) -> Evidence:
        """`compare` in Python: the weighted sum of `features`, computed term by term (the
        same sum in the same order, without building the vector), with memoised parts."""
        w, side = self.weights, self._side
        mine = self._parts(word, left, right)
        far_mine = [self._far(word, t, s) if t is not None else 0.0
                    for t, s in zip(far, ("left2", "right2"))]
        best = None
        for alt in alternatives:
            prior = w[0] * (side(alt, None, "prior") - mine[0])
            score = prior
            if left is not None:
                a_log, a_seen = side(alt, left, "left")
                slot = 1 if left[0] == "<" else _SLOTS[a_seen, mine[1][1]]
                score += w[slot] * (a_log - mine[1][0])
            if right is not None:
                a_log, a_seen = side(alt, right, "right")
                slot = 5 if right[0] == "<" else 4 + _SLOTS[a_seen, mine[2][1]]
                score += w[slot] * (a_log - mine[2][0])
            for index, token, name, own in ((9, far[0], "left2", far_mine[0]),
                                            (10, far[1], "right2", far_mine[1])):
                if token is not None:
                    score += w[index] * (self._far(alt, token, name) - own)
            if best is None or score > best[0]:
                best = (score, alt, score - prior)
        return Evidence(best[1], best[0], best[2], left, right)  # type: ignore[index]

    def features(self, word: str, alt: str, left: str | None, right: str | None,
                 mine=None, far: tuple = (None, None)) -> list[float]:
        """How much likelier `alt` is than `word`, split by kind of evidence (see FEATURES):
        the prior, then per side the log ratio in the slot for how it was obtained, then the
        class evidence of the tokens two places away (`far`). `mine`: `word`'s parts, when the
        caller has them already."""
        mine = mine or self._parts(word, left, right)
        theirs = self._parts(alt, left, right)
        out = [theirs[0] - mine[0]] + [0.0] * (len(FEATURES) - 1)
        for side, neighbour, index in (("left", left, 1), ("right", right, 2)):
            if neighbour is None:
                continue
            (a_log, a_seen), (m_log, m_seen) = theirs[index], mine[index]
            kind = "edge" if neighbour[0] == "<" else ("both", "one", "one", "none")[
                (not a_seen) + 2 * (not m_seen)]
            out[FEATURES.index(f"{side}_{kind}")] = a_log - m_log
        for side, token, index in (("left2", far[0], -2), ("right2", far[1], -1)):
            if token is not None:
                out[index] = self._far(alt, token, side) - self._far(word, token, side)
        return out

    def _far(self, cand: str, token: str, side: str) -> float:
        """log lift of the class of the token two places away from `cand` (0: no evidence)."""
        key = (cand, token, side)
        part = self._memo.get(key)
        if part is None:
            lifts = self.lifts[side].get(cand)
            part = 0.0
            if lifts:
                cls = self.classes.get(token) or word_class(token)
                part = math.log(lifts.get(cls) or lifts.get(coarse_class(token), 1.0))
            self._memo[key] = part
        return part

    def _parts(self, cand: str, left: str | None, right: str | None):
        """log prior of cand, and per side (log P(neighbour | cand) + const, observed?)."""
        return [self._side(cand, None, "prior"),
                (0.0, False) if left is None else self._side(cand, left, "left"),
                (0.0, False) if right is None else self._side(cand, right, "right")]

    def _side(self, cand: str, neighbour: str | None, side: str):
        """One part of `_parts`, memoised: neighbours recur far more often than whole contexts
        (a word pair is scored once for every story it occurs in)."""
        key = (cand, neighbour, side)
        part = self._memo.get(key)
        if part is None:
            if len(self._memo) >= SIDE_MEMO_SIZE:
                self._memo.clear()
            prior = math.log(self.unigram(cand) * self.scale)
            if side == "prior":
                part = prior
            else:
                first, second = (neighbour, cand) if side == "left" else (cand, neighbour)
                count, seen = self.pair(first, second, cand, side)  # type: ignore[arg-type]
                part = (math.log(count) - prior, seen)
            self._memo[key] = part
        return part
