"""Kind `classifier`: a trained model scores lines and localises appended promotional text.

Tails are appended at the end, so lines are scored from the end backwards: every line after
the licensing boilerplate, the boilerplate lines themselves (a tail may imitate a field), and
then story lines until the first clearly legitimate one (probability below `stop`, and long
enough to be real evidence: a short line never stops the scan). That keeps recall for tails
separated from the boilerplate by nothing or pasted right before it, while a clean story costs
one or two scored lines.

A tail is a run of lines at or above the threshold (one for story lines, a lower one for lines
after or in the boilerplate, where a clean script has no text), extended backwards over lines
above `extend` x that threshold and on to the end of its region (story end or boilerplate),
since whatever follows appended text was appended too. The finding spans the tail, carries the
highest probability, and offers a fix that removes it: safe when the tail sits entirely after
the boilerplate, unsafe otherwise.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from storylint.checks import OptionError
from storylint.checks.base import make_finding, make_fix
from storylint.schema import Field

OPTIONS = {
    "model": Field("str", default="promo-tail", doc=(
        "a bundled model name, or a path (relative to the rule file) to a model folder in "
        "storylint's weights-only format")),
    "threshold": Field("number", doc="probability that reports a story line (default: the "
                                      "model's)"),
    "trailing-threshold": Field("number", doc=(
        "probability that reports a line after the boilerplate or in it, where a clean story "
        "has no text (default: the model's)")),
    "extend": Field("number", doc="share of the threshold above which a line extends a tail "
                                   "backwards (default: the model's)"),
    "stop": Field("number", doc="probability below which a story line ends the backward scan "
                                 "(default: the model's)"),
    "max-lines": Field("int", default=60, doc="most lines scored per story"),
    "allow-version-skew": Field("bool", default=False, doc=(
        "use a model built for another feature version, with a warning, instead of refusing")),
}
PARAMS = ("probability", "lines", "excerpt")
DEFAULT_SECTIONS = ("all",)
STORY_KINDS = ("headline", "shot", "body")
MAX_EXCERPT = 60
MIN_STOP_CHARS = 80  # a short line ("Have a nice day!") is too little evidence to stop the scan


def build(rule):
    """Check the options; the model itself is loaded by prepare(), before any story is read."""
    opts = rule.options
    for key in ("threshold", "trailing_threshold", "extend", "stop"):
        value = opts[key]
        if value is not None and not 0.0 < value < 1.0:
            raise OptionError(f"{key} must be between 0 and 1 (exclusive), got {value}",
                              ("options", key.replace("_", "-")))
    if opts["max_lines"] < 1:
        raise OptionError("max-lines must be at least 1", ("options", "max-lines"))
    base = Path(rule.source).parent if rule.source else None
    return ClassifierCheck(opts["model"], base, opts)


def with_model(rule, model: str | None, allow_version_skew: bool = False):
    """The rule with its model path (and version-skew policy) replaced, e.g. from the CLI."""
    if rule.kind != "classifier":
        return rule
    opts = dict(rule.options)
    if model is not None:
        opts["model"] = str(Path(model).resolve())
    opts["allow_version_skew"] = opts["allow_version_skew"] or allow_version_skew
    return replace(rule, options=opts, check=build(replace(rule, options=opts)))


def open_check(folder: str | Path, **options) -> ClassifierCheck:
    """A ready check for a model folder outside any rule pack (eval, explain, tests)."""
    opts = {"threshold": None, "trailing_threshold": None, "extend": None, "stop": None,
            "max_lines": 60, "allow_version_skew": False}
    opts.update(options)
    check = ClassifierCheck(str(Path(folder).resolve()), None, opts)
    check.prepare()
    return check


class Tail(NamedTuple):
    """A located tail: first and last line, the highest probability, per-line probabilities."""

    first: int
    last: int
    probability: float
    after_boilerplate: bool
    lines: tuple


class ClassifierCheck:
    """Loads the model once (prepare) and scores stories with it."""

    def __init__(self, model: str, base: Path | None, opts: dict):
        self.model_name, self.base, self.opts = model, base, opts
        self.model: Any = None  # the LinearModel, loaded by `prepare`
        self.features: Any = None  # storylint.features, imported by `prepare`
        self.warnings: list[str] = []

    def prepare(self) -> None:
        """Load and verify the model; a ModelError here stops the run with exit 2."""
        if self.model is not None:
            return
        from storylint import features  # imported here: `--ignore promo-tail` never pays
        from storylint.model import load_model, resolve_model_dir

        self.features = features
        folder = resolve_model_dir(self.model_name, self.base)
        self.model = load_model(folder, self.opts["allow_version_skew"], self.warnings.append)
        data = self.model.manifest.data
        self.threshold = self.opts["threshold"] or data["threshold"]
        self.trailing_threshold = (self.opts["trailing_threshold"]
                                   or data.get("trailing_threshold", self.threshold))
        self.extend = self.opts["extend"] or data.get("extend_ratio", 0.5)
        self.stop = self.opts["stop"] or data.get("stop_threshold", 0.02)

    def run(self, story, rule):
        """One finding per located tail."""
        self.prepare()
        return [self._finding(story, rule, tail) for tail in self.tails(story)]

    def scan(self, story) -> tuple[list, dict[int, float]]:
        """Scored lines (story order) and their probabilities, scanning from the end backwards.

        Every line after the boilerplate and in it is scored; story lines are scored until the
        first one below `stop` (see the module doc).
        """
        self.prepare()
        F = self.features
        ctx = F.StoryContext(story)
        scored, scores = [], {}
        probability, stop, limit = self.model.probability, self.stop, self.opts["max_lines"]
        for segment in F.segments_from_end(story):
            p = probability(ctx, segment)
            if p != p:  # NaN: a bug, reported per file as an internal error (exit 3)
                raise ValueError(f"model returned NaN for line {segment.line}")
            scored.append(segment)
            scores[segment.line] = p
            if len(scored) >= limit:
                break
            if p < stop and segment.kind in STORY_KINDS and not segment.after_boilerplate \
                    and len(segment.text) >= MIN_STOP_CHARS:
                break
        scored.reverse()
        return scored, scores

    def scores(self, story) -> dict[int, float]:
        """Probability per scored line (see `scan`)."""
        return self.scan(story)[1]

    def tails(self, story, threshold: float | None = None,
              trailing_threshold: float | None = None) -> list[Tail]:
        """The tails of a story at the given thresholds (default: the configured ones)."""
        segments, scores = self.scan(story)
        return locate_tails(segments, scores, self.limits(threshold, trailing_threshold))

    def limits(self, threshold: float | None = None,
               trailing_threshold: float | None = None) -> Limits:
        """The thresholds in force (either may be overridden, e.g. for a PR curve)."""
        story = self.threshold if threshold is None else threshold
        trailing = self.trailing_threshold if trailing_threshold is None else trailing_threshold
        return Limits(story, trailing, self.extend)

    def _finding(self, story, rule, tail: Tail):
        start_line_text = story.lines[tail.first - 1]
        start = story.line_starts[tail.first - 1] + len(start_line_text) - len(
            start_line_text.lstrip())
        end = story.line_starts[tail.last - 1] + len(story.lines[tail.last - 1])
        fix = make_fix(_previous_text_end(story, tail.first), end, "", tail.after_boilerplate,
                  f"remove the appended text (lines {tail.first}-{tail.last})")
        excerpt = start_line_text.strip()
        if len(excerpt) > MAX_EXCERPT:
            excerpt = excerpt[:MAX_EXCERPT - 1] + "\u2026"
        lines = str(tail.first) if tail.first == tail.last else f"{tail.first}-{tail.last}"
        params = {"probability": f"{tail.probability:.2f}", "lines": lines, "excerpt": excerpt}
        return make_finding(rule, story, start, end, params, fix=fix,
                            score=round(tail.probability, 4), source="model")


class Limits(NamedTuple):
    """Reporting thresholds: story lines, lines after/in the boilerplate, extension share."""

    story: Any  # numbers from the model manifest or the rule's options (int or float)
    trailing: Any
    extend_ratio: Any = 0.5

    def threshold(self, segment) -> float:
        """The probability that reports this line."""
        if segment.after_boilerplate or segment.kind == "boilerplate":
            return self.trailing
        return self.story


def locate_tails(segments: list, scores: dict[int, float], limits: Limits) -> list[Tail]:
    """Runs of suspicious lines, each extended to the end of its region (story end/boilerplate)."""
    tails: list[Tail] = []
    index = 0
    while index < len(segments):
        if scores[segments[index].line] < limits.threshold(segments[index]):
            index += 1
            continue
        first = index
        while first > 0 and _extends(segments[first - 1], scores, limits):
            first -= 1
        last = index
        while last + 1 < len(segments) and segments[last + 1].kind != "boilerplate":
            last += 1
        run = segments[first:last + 1]
        tails.append(Tail(run[0].line, run[-1].line, max(scores[s.line] for s in run),
                          all(s.after_boilerplate for s in run),
                          tuple((s.line, scores[s.line]) for s in run)))
        index = last + 1
    return tails


def _extends(segment, scores: dict[int, float], limits: Limits) -> bool:
    if segment.kind == "boilerplate":
        return False
    return scores[segment.line] >= limits.threshold(segment) * limits.extend_ratio


def _previous_text_end(story, line: int) -> int:
    """Offset just after the last non-blank line before `line` (start of text if none)."""
    for number in range(line - 1, 0, -1):
        if story.lines[number - 1].strip():
            return story.line_starts[number - 1] + len(story.lines[number - 1])
    return 0
