"""Kind `likely-word`: a confusion-set member that another member would fit much better here.

The statistical back-off for the curated `substitution` rules: for each word of a confusion set
("than"/"then", "their"/"there"/"they're"), a word-pair model (`storylint.wordmodel`, counts in
`models/`) scores every member of the set between the word's neighbours. A finding needs an
observed word pair in favour of the alternative and a ratio above the threshold chosen for that
set on development data. Statistical suggestions are never applied by `--fix` without asking.
"""
from __future__ import annotations

import re
from typing import Any

from storylint.checks import OptionError
from storylint.checks.base import make_finding, make_fix, reads
from storylint.checks.context import (
    Finder,
    compile_finder,
    far_tokens,
    left_token,
    normalize,
    right_token,
    scan,
    serve_from,
)
from storylint.checks.substitution import match_case
from storylint.schema import Field

_new_tuple = tuple.__new__

OPTIONS = {
    "sets": Field("list", required=True, min_items=1, items=Field(
        "list", items=Field("str"), min_items=2), doc="confusion sets: words each of which can "
        "be written by mistake for another of its set; a word belongs to one set"),
    "model": Field("str", default="confusables", doc="model folder under the bundled models/"),
    "min-ratio": Field("number", default=10.0, doc="never report an alternative less than this "
                       "many times likelier, whatever threshold the model chose for its set"),
    "skip-capitalized": Field("bool", default=True, doc="skip capitalised words inside a "
                              "sentence (names: Lead, Council, Past)"),
    "max-per-file": Field("int", default=10, doc="cap on findings per file"),
    "defer-to": Field("str", default="", doc=(
        "a curated `substitution` rule of the same pack: words it flags are left to it, so a "
        "word never gets two findings")),
    "unless-phrases": Field("map", default={}, doc=(
        "per member word, contexts in which it is right whatever the statistics say, in the "
        "phrase syntax of the `substitution` kind: `weather: [\"_ the .. storm\"]`")),
}
PARAMS = ("word", "suggestion", "ratio", "context")
DEFAULT_SECTIONS = ("headline", "shot", "body")
MAX_CANDIDATES = 5_000  # candidate words examined per story
MEMO_SIZE = 50_000
_MODEL_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_ALPHA = re.compile(r"[a-z]+(?:'[a-z]+)?\Z")


def build(rule):
    """Index the sets by member word; the model is read in prepare() and parsed on first use."""
    opts = rule.options
    if not _MODEL_NAME.match(opts["model"]):
        raise OptionError(f"model {opts['model']!r} must be a folder name under models/",
                          ("options", "model"))
    members: dict[str, tuple[str, ...]] = {}
    for index, words in enumerate(opts["sets"]):
        normal = tuple(normalize(w) for w in words)
        for word in normal:
            if not _ALPHA.match(word) or word in members or normal.count(word) > 1:
                raise OptionError(f"{word!r}: each set member must be one word and in one set "
                                  "only", ("options", "sets", index))
            members[word] = normal
    check = _LikelyWord(members, compile_finder(members), opts, _protected(opts, members))
    if opts["defer_to"]:
        check.share_scan(_deferred(rule))
    return check


def _deferred(rule):
    """The curated rule named by `defer-to`, read from its file beside this rule's file."""
    from pathlib import Path

    from storylint.rulepack import RulePackError, load_rule

    name = rule.options["defer_to"]
    path = Path(rule.source).with_name(f"{name}.yaml")
    keys = ("options", "defer-to")
    if not _MODEL_NAME.match(name) or not path.is_file():
        raise OptionError(f"defer-to: no rule file {path.name} beside this one", keys)
    try:
        curated = load_rule(path)  # validated once; cached like every rule file
    except RulePackError as exc:
        raise OptionError(f"defer-to: {exc.messages[0]}", keys) from None
    if curated.kind != "substitution":
        raise OptionError(f"defer-to: {name} is not a rule of kind substitution", keys)
    return curated.check


def _protected(opts: dict, members: dict) -> dict:
    """Member word -> compiled phrases in which the word is right."""
    from storylint.checks.substitution import parse_phrase

    out = {}
    for word, phrases in opts["unless_phrases"].items():
        keys = ("options", "unless-phrases", word)
        if normalize(word) not in members:
            raise OptionError(f"{word!r} is not a member of any set", keys)
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise OptionError(f"{word!r}: expected a list of phrases", keys)
        out[normalize(word)] = [parse_phrase(p, keys + (i,)) for i, p in enumerate(phrases)]
    return out


def set_key(words) -> str:
    """The name a confusion set has in the model manifest, e.g. `than|then`."""
    return "|".join(words)


class _LikelyWord:
    def __init__(self, members: dict, finder, opts: dict, protected: dict | None = None):
        self.members, self.finder = members, finder
        self.protected = protected or {}
        self.deferred: Any = None  # a curated check whose words this rule leaves alone
        # that check's finder: its scan of a story is shared with it
        self.shared: Finder | None = None
        self.own: Finder | None = finder  # the finder for the words not in that scan
        self.model_name, self.min_ratio = opts["model"], float(opts["min_ratio"])
        self.skip_capitalized, self.limit = opts["skip_capitalized"], opts["max_per_file"]
        self.model: Any = None  # the ModelFiles, read by `prepare`
        self.thresholds: dict[str, float] = {}
        # (word, left, right, far) -> Evidence's fields as a plain tuple; contexts repeat. Plain,
        # because the garbage collector stops tracking a plain tuple of strings and numbers but
        # never a named tuple: 50,000 Evidence entries were traversed by every full collection.
        self.memo: dict[tuple, tuple] = {}
        self.evidence: Any = None  # storylint.wordmodel.Evidence, imported by `prepare`

    def share_scan(self, curated) -> None:
        """Leave the words `curated` (a `substitution` check) flags to it, and share one scan of
        each story with it: one scan for both rules' words, which the curated rule keeps to its
        own (`context.serve_from`); where that could change its hits, the words both look for
        come from its scan and this rule scans only for its other words."""
        self.deferred, self.shared = curated, curated.finder
        rest = set(self.members) - set(curated.finder.words)
        self.own = compile_finder(rest) if rest else None
        if self.own is not None:
            both = compile_finder(set(self.members) | set(curated.finder.words))
            if serve_from(curated.finder, both):
                self.shared, self.own = both, None

    def prepare(self, folder=None) -> None:
        """Find the model, verify its checksum and that it covers every set (ModelError if not).
        `folder`: a model folder to use instead of the bundled one (the train-half check)."""
        from storylint.resources import data_dir
        from storylint.wordmodel import Evidence, ModelError, read_model

        if self.model is not None and folder is None:
            return
        try:
            folder = folder or data_dir("models") / self.model_name
        except FileNotFoundError as exc:
            raise ModelError(str(exc)) from None
        model = read_model(folder)
        known = {set_key(s) for s in model.manifest["sets"]}
        missing = sorted({set_key(s) for s in self.members.values()} - known)
        if missing:
            raise ModelError(f"model {folder} lacks the sets {', '.join(missing)}; rebuild it "
                             "with `storylint confusables build`")
        default = float(model.manifest.get("default_threshold", 1000.0))
        chosen = model.manifest["thresholds"]
        self.thresholds = {key: max(self.min_ratio, float(chosen.get(key, default)))
                           for key in known}  # per set; per direction where tuned (`its>it's`)
        self.thresholds.update({key: max(self.min_ratio, float(value))
                                for key, value in chosen.items() if ">" in key})
        self.model, self.evidence = model, Evidence
        self.memo.clear()

    def run(self, story, rule):
        """Report candidates whose best alternative clears their set's threshold, unless the
        curated rule (`defer-to`) reports the word itself."""
        findings = []
        for hit, evidence in self.scored(story, rule):
            start, end, normal = hit[:3]
            if evidence.support <= 0 or evidence.ratio < self.threshold(normal,
                                                                         evidence.alternative):
                continue
            if self.defers(story, hit):
                continue
            findings.append(self._finding(story, rule, start, end, evidence))
            if len(findings) >= self.limit:
                break
        return findings

    def threshold(self, word: str, alternative: str) -> float:
        """How many times likelier `alternative` must be to report `word`: the threshold tuned
        for that direction ("they're" for "their" is easier to tell than "there"), else the
        set's."""
        found = self.thresholds.get(f"{word}>{alternative}")
        return found if found is not None else self.thresholds[set_key(self.members[word])]

    def scored(self, story, rule):
        """(candidate, Evidence) for every candidate word in the rule's sections."""
        counts = None
        for hit in self.candidates(story, rule):
            if counts is None:
                self.prepare()
                counts = self.model.counts()
            far = far_tokens(hit[6])
            key = (hit[2], hit[4], hit[5], far)
            fields = self.memo.get(key)
            if fields is None:
                if len(self.memo) >= MEMO_SIZE:
                    self.memo.clear()
                evidence = counts.compare(hit[2], hit[3], hit[4], hit[5], far)
                self.memo[key] = _new_tuple(tuple, evidence)
            else:
                evidence = _new_tuple(self.evidence, fields)
            yield hit, evidence

    def candidates(self, story, rule):
        """(start, end, word, other members, left token, right token, context) per candidate
        word (the curated rule's words included: see `defers`)."""
        for index, hit in enumerate(self.hits(story, rule)):
            if index >= MAX_CANDIDATES:
                break  # a real story has dozens; this bounds pathological input
            if not reads(rule, hit.kind):
                continue
            ctx = hit.ctx
            if self._skip(hit.word, hit.text, ctx) or in_compound(hit.text, hit.column - 1,
                                                                  hit.column - 1 + len(hit.word)):
                continue
            normal = hit.normal
            if normal in self.protected and any(p.match(ctx) is not None
                                                for p in self.protected[normal]):
                continue
            others = [w for w in self.members[normal] if w != normal]
            yield hit.start, hit.end, normal, others, left_token(ctx), right_token(ctx), ctx

    def hits(self, story, rule) -> list:
        """This rule's candidate words in the story. The words it shares with the curated rule
        come from that rule's scan (shared through the story), the rest from a scan of its own,
        so each word of the story is found and read once for both rules."""
        if self.shared is None:  # then `own` is the rule's whole finder
            return scan(story, self.own, rule)  # type: ignore[arg-type]
        hits = [h for h in scan(story, self.shared, rule) if h.normal in self.members]
        own = scan(story, self.own, rule) if self.own is not None else []
        return sorted(hits + own, key=lambda h: h.start) if hits and own else hits or own

    def defers(self, story, hit) -> bool:
        """True when the curated rule named by `defer-to` reports this word itself (asked only
        for words this rule would report, to keep the per-story work small)."""
        if self.deferred is None:
            return False
        start, ctx = hit[0], hit[6]
        line, _ = story.position(start)
        return self.deferred.match(story.text[start:hit[1]], story.lines[line - 1], ctx) \
            is not None

    def _skip(self, word: str, line: str, ctx) -> bool:
        if word.isupper() and len(word) > 1:
            return line != line.upper()  # an acronym in ordinary text
        return self.skip_capitalized and word[0].isupper() and not ctx.sentence_start

    def _finding(self, story, rule, start, end, evidence):
        word = story.text[start:end]
        replacement = match_case(word, evidence.alternative)
        fix = make_fix(start, end, replacement, False, f"replace {word!r} with {replacement!r}")
        params = {"word": word, "suggestion": replacement, "ratio": _times(evidence.ratio),
                  "context": _where(evidence)}
        return make_finding(rule, story, start, end, params, fix=fix,
                            score=round(1 - 1 / (1 + evidence.ratio), 4),
                            source="model")


def in_compound(line: str, start: int, end: int) -> bool:
    """True when line[start:end] is part of a hyphenated compound ("morale-boosting"): the
    model counts a compound as one token, so it has no pairs for its parts."""
    return (start > 1 and line[start - 1] == "-" and line[start - 2].isalpha()) or \
        (end + 1 < len(line) and line[end] == "-" and line[end + 1].isalpha())


def _times(ratio: float) -> str:
    """A readable multiple with two significant digits: 12, 340, 5,600, >1,000,000."""
    if ratio >= 1e6:
        return ">1,000,000"
    return f"{float(f'{ratio:.2g}'):,.0f}"


def _where(evidence) -> str:
    """`between 'more' and 'the'`, `at the start of a sentence and before 'it'`, ..."""
    left, right = _side(evidence.left, "after"), _side(evidence.right, "before")
    if left and right:
        return f"{left} and {right}"
    return left or right or "here"


_EDGES = {"<s>": "at the start of a sentence", "<c>": "at the start of a clause",
          "</s>": "at the end of a sentence", "</c>": "at the end of a clause",
          "<num>": "{0} a number"}


def _side(token: str | None, relation: str) -> str:
    if token is None:
        return ""
    return _EDGES.get(token, "{0} '{1}'").format(relation, token)
