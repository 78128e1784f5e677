"""Measuring the confusable-word rules on real news sentences with artificial errors.

The development set is built from body sentences of the BBC, AG News and Lee corpora in
`../shared/data`. Every occurrence of a confusion-set member becomes one or more error copies with
the member swapped for another member of its set ("more than" -> "more then"); the untouched
sentences are the clean set. Sentences are split by source document (a hash of its id): 50% train
(word-pair counts for the model), 20% development (thresholds are tuned here, false alarms may be
inspected here) and 30% held out (only figures are reported; nothing is tuned or inspected).

Figures per set and overall: recall (error copies whose swapped word is flagged), precision
(flags on swapped words against flags on clean sentences, at the set's natural error rate of one
copy per alternative), and false alarms per 1,000 clean sentences. Never imported by `check`.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from storylint.checks.context import far_tokens, find_words, normalize
from storylint.checks.likely_word import set_key
from storylint.checks.substitution import match_case
from storylint.story import Story
from storylint.training.checkout import refuse_installed_copy, source_checkout
from storylint.wordmodel import FEATURES

CURATED_RULE, LIKELY_RULE = "confusable-word", "confusable-word-likely"
MIN_WORDS, MAX_WORDS = 4, 80
SMALL_SET = 100  # directions whose word occurs less often in dev share a pooled threshold
FALSE_ALARM_BUDGET = 0.5  # per 1,000 dev sentences spent by the statistical rule when tuning
THRESHOLD_MARGIN = 0.7  # log distance kept between a threshold and the clean dev words below it
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a news document; `split` is `train`, `dev` or `held-out`."""

    source: str
    doc_id: str
    text: str
    split: str


@dataclass(frozen=True)
class Swap:
    """An error copy: `text` has the member at [start, end) swapped for another one."""

    sentence: int
    text: str
    start: int
    end: int
    original: str
    replacement: str
    key: str


def split_of(source: str, doc_id: str) -> str:
    """`train`, `dev` or `held-out`, fixed by the document, so no document feeds two splits."""
    bucket = hashlib.sha1(f"{source}/{doc_id}".encode()).digest()[0] % 10
    return "train" if bucket < 5 else "dev" if bucket < 7 else "held-out"


def news_sentences(data: Path):
    """Body sentences (4 to 80 words) of the BBC, AG News and Lee corpora."""
    from storylint.training.corpora import ag_news, bbc_news, lee_news

    for doc in itertools.chain(bbc_news(data), ag_news(data), lee_news(data)):
        split = split_of(doc.source, doc.doc_id)
        for paragraph in doc.paragraphs:
            for text in _SENTENCE_END.split(" ".join(paragraph.split())):
                if MIN_WORDS <= len(text.split()) <= MAX_WORDS:
                    yield Sentence(doc.source, doc.doc_id, text, split)


def make_swaps(sentences: list[Sentence], members: dict, finder) -> list[Swap]:
    """Every member occurrence swapped for each other member of its set (case kept)."""
    swaps = []
    for index, sentence in enumerate(sentences):
        for start, end in find_words(finder, sentence.text):
            written = sentence.text[start:end]
            normal = normalize(written)
            for other in members[normal]:
                if other == normal:
                    continue
                new = match_case(written, other)
                text = sentence.text[:start] + new + sentence.text[end:]
                swaps.append(Swap(index, text, start, start + len(new), normal, other,
                                  set_key(members[normal])))
    return swaps


class Rules:
    """The curated and the statistical rule, run on single sentences."""

    def __init__(self, config):
        from storylint.engine import load_rules, rule_index

        rules, self.format = load_rules(config)
        index = rule_index(rules)
        self.curated, self.likely = index[CURATED_RULE], index[LIKELY_RULE]
        self.likely.check.prepare()
        self.members = self.likely.check.members
        self.finder = self.likely.check.finder

    def story(self, text: str) -> Story:
        """A one-line story for a sentence."""
        return Story(text, "<sentence>", fmt=self.format)

    def findings(self, text: str) -> list[tuple[str, int, int, str]]:
        """(rule name, start, end, word) of every finding of both rules."""
        story = self.story(text)
        out = []
        for rule in (self.curated, self.likely):
            for finding in rule.check.run(story, rule):
                out.append((rule.name, finding.fix.start, finding.fix.end, finding.matched))
        return out

    def key_of(self, word: str) -> str:
        """The set a word belongs to (curated-only words make their own one-word set)."""
        normal = normalize(word)
        return set_key(self.members[normal]) if normal in self.members else normal

    def curated_keys(self) -> set[str]:
        """Sets with a hand-written context: a member is a suspect or suggestion of SL301."""
        words = set()
        for entry in self.curated.options["entries"]:
            words.update((normalize(entry["word"]), normalize(entry["suggest"])))
        return {set_key(s) for s in self.members.values() if words & set(s)}


KNOWN_ERRORS = "fixtures/confusables/dev-corpus-errors.tsv"  # in a checkout
INSTEAD_OF_INSTALLED = ("run it from a source checkout (a clone of storylint), or point the "
                        f"`model` option of {LIKELY_RULE} at a copy of the model in your config")


@dataclass(frozen=True)
class KnownError:
    """A real-word error already in a corpus sentence (hand-checked, dev split only)."""

    source: str
    doc_id: str
    written: str
    correct: str
    snippet: str

    def covers(self, sentence: Sentence, start: int, end: int) -> bool:
        """True when text[start:end] of this sentence is this error."""
        if (sentence.source, sentence.doc_id) != (self.source, self.doc_id):
            return False
        at = sentence.text.find(self.snippet)
        return at >= 0 and at <= start and end <= at + len(self.snippet) and \
            sentence.text[start:end] == self.written


def load_known_errors(path: Path | None = None) -> list[KnownError]:
    """The hand-checked list of errors in the dev sentences (the checkout's by default; empty
    when the file is absent, e.g. for an installed storylint)."""
    if path is None:
        root = source_checkout()
        if root is None:
            return []
        path = root / KNOWN_ERRORS
    if not path.is_file():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [KnownError(*row) for row in rows]


def load_audit(path: Path) -> list[KnownError]:
    """The flags an audit file (see `fixtures/confusables/held-out-audit.tsv`) judged to be real
    errors of the source text."""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [KnownError(source, doc_id, written, suggestion, snippet)
            for source, doc_id, _rule, written, suggestion, verdict, snippet in rows
            if verdict == "error"]


def _known(known: list[KnownError], sentence: Sentence, start: int, end: int) -> bool:
    return any(k.covers(sentence, start, end) for k in known)


def load_split(data: Path, split: str) -> list[Sentence]:
    """The sentences of one split."""
    return [s for s in news_sentences(data) if s.split == split]


def evaluate(rules: Rules, sentences: list[Sentence], show: int = 0,
             known: list[KnownError] = ()) -> dict:
    """Per-set and overall figures for both rules together (and each alone). A flag on a
    `known` error of the source text is counted apart, not as a false alarm."""
    swaps = make_swaps(sentences, rules.members, rules.finder)
    stats: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list] = defaultdict(list)
    with_candidates = 0
    for sentence in sentences:
        hits = [normalize(sentence.text[s:e]) for s, e in find_words(rules.finder, sentence.text)]
        with_candidates += bool(hits)
        for word in hits:
            stats[rules.key_of(word)]["occurrences"] += 1
        for name, start, end, word in rules.findings(sentence.text):
            if _known(known, sentence, start, end):
                stats[rules.key_of(word)]["known_errors_flagged"] += 1
                continue
            stats[rules.key_of(word)]["false_alarms"] += 1
            stats[rules.key_of(word)][f"false_alarms:{name}"] += 1
            examples[rules.key_of(word)].append(f"FALSE ALARM [{name}] '{word}': {sentence.text}")
    for swap in swaps:
        stats[swap.key]["errors"] += 1
        found = {name for name, start, _, _ in rules.findings(swap.text) if start == swap.start}
        stats[swap.key]["detected"] += bool(found)
        for name in found:
            stats[swap.key][f"detected:{name}"] += 1
        if not found:
            examples[swap.key].append(f"MISSED {swap.original}->{swap.replacement}: {swap.text}")
    curated = rules.curated_keys()
    report = {"sentences": len(sentences), "with_candidates": with_candidates,
              "known_errors_flagged": sum(v["known_errors_flagged"] for v in stats.values()),
              "sets": {k: dict(v) for k, v in sorted(stats.items())}}
    report["overall"] = _summary(stats, stats, len(sentences), with_candidates)
    report["curated"] = _summary({k: v for k, v in stats.items() if k in curated}, stats,
                                 len(sentences), with_candidates)
    report["other"] = _summary({k: v for k, v in stats.items() if k not in curated}, stats,
                               len(sentences), with_candidates)
    report["curated_sets"] = sorted(curated)
    if show:
        report["examples"] = {k: v[:show] for k, v in examples.items()}
    return report


def _summary(part: dict, everything: dict, sentences: int, with_candidates: int) -> dict:
    total = Counter()
    for counter in part.values():
        total.update(counter)
    out = {"errors": total["errors"], "detected": total["detected"],
           "false_alarms": total["false_alarms"]}
    for rule in (CURATED_RULE, LIKELY_RULE):
        out[f"detected:{rule}"] = total[f"detected:{rule}"]
        out[f"false_alarms:{rule}"] = total[f"false_alarms:{rule}"]
    out.update(_rates(total["detected"], total["errors"], total["false_alarms"]))
    out["false_alarms_per_1000_sentences"] = round(1000 * total["false_alarms"] / sentences, 3)
    out["false_alarms_per_1000_candidate_sentences"] = round(
        1000 * total["false_alarms"] / max(1, with_candidates), 3)
    return out


def _rates(detected: int, errors: int, false_alarms: int) -> dict:
    recall = detected / errors if errors else None
    precision = detected / (detected + false_alarms) if detected + false_alarms else None
    return {"recall": _round(recall), "precision": _round(precision)}


def _round(value):
    return None if value is None else round(value, 4)


@dataclass
class TuningPoints:
    """Per set, the written word, its alternatives and their evidence vectors (one per
    alternative) of clean candidates and of swapped words the curated rule does not catch, plus
    how often each word occurs as a candidate."""

    clean: dict
    errors: dict
    occurrences: Counter

    def scores(self, weights) -> tuple[dict, dict]:
        """Per direction (`written>alternative`, the best alternative), the score of each
        candidate whose context favours a change (support > 0), for clean words and for
        errors."""
        import numpy as np

        w = np.asarray(weights)
        out = []
        for table in (self.clean, self.errors):
            scored = defaultdict(list)
            for items in table.values():
                for word, others, vectors in items:
                    totals = vectors @ w
                    best = int(totals.argmax())
                    if totals[best] - w[0] * vectors[best, 0] > 0:
                        scored[direction(word, others[best])].append(float(totals[best]))
            out.append(dict(scored))
        return out[0], out[1]

    def sizes(self, members: dict) -> Counter:
        """Per direction, how often its written word occurs (how much data its threshold
        would rest on); per set, how often its words occur."""
        sizes = Counter({direction(w, a): self.occurrences[w] for w, words in members.items()
                         for a in words if a != w})
        sizes.update({set_key(words): sum(self.occurrences[w] for w in words)
                      for words in set(members.values())})
        return sizes


def direction(word: str, alternative: str) -> str:
    """The manifest key of a threshold for one direction of a set: `its>it's`."""
    return f"{word}>{alternative}"


def tuning_points(rules: Rules, sentences: list[Sentence],
                  known: list[KnownError] = ()) -> TuningPoints:
    """Evidence vectors of every candidate in clean sentences and of every swap."""
    import numpy as np

    check, rule = rules.likely.check, rules.likely
    counts = check.model.counts()
    points = TuningPoints(defaultdict(list), defaultdict(list), Counter())
    for sentence in sentences:
        story = rules.story(sentence.text)
        for hit in check.candidates(story, rule):
            start, end, word, others, left, right, ctx = hit
            points.occurrences[word] += 1
            if not _known(known, sentence, start, end) and not check.defers(story, hit):
                points.clean[rules.key_of(word)].append((word, tuple(others), np.array([
                    counts.features(word, alt, left, right, far=far_tokens(ctx))
                    for alt in others])))
    for swap in make_swaps(sentences, rules.members, rules.finder):
        story = rules.story(swap.text)
        if any(f.fix.start == swap.start for f in rules.curated.check.run(story, rules.curated)):
            continue
        for start, _, word, others, left, right, ctx in check.candidates(story, rule):
            if start == swap.start:
                points.errors[swap.key].append((word, tuple(others), np.array([
                    counts.features(word, alt, left, right, far=far_tokens(ctx))
                    for alt in others])))
    return points


def fit_weights(points: TuningPoints) -> list[float]:
    """Weights for the kinds of evidence: logistic regression of "swapped word" against
    "clean word" on the evidence for the right alternative (clean: every alternative)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for items in points.clean.values():
        for _word, _others, vectors in items:
            rows.extend(vectors)
            labels.extend([0] * len(vectors))
    for items in points.errors.values():
        for _word, _others, vectors in items:
            rows.append(vectors[int((vectors @ np.ones(vectors.shape[1])).argmax())])
            labels.append(1)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    model.fit(np.asarray(rows), np.asarray(labels))
    return [round(max(0.0, float(w)), 4) for w in model.coef_[0]]


def directions(members: dict) -> dict[str, str]:
    """Every direction of every set (`its>it's`, `it's>its`, ...) and the set it belongs to."""
    return {direction(w, a): set_key(words) for w, words in sorted(members.items())
            for a in words if a != w}


def set_thresholds(chosen: dict, members: dict) -> dict:
    """Per set, the highest of its directions' thresholds (what a reader that knows only set
    thresholds should use), keyed like the sets."""
    out: dict[str, float] = {}
    for word, words in members.items():
        for alt in words:
            if alt != word:
                key = set_key(words)
                out[key] = max(out.get(key, 0.0), chosen[direction(word, alt)])
    return out


def choose_thresholds(clean: dict, errors: dict, occurrences: Counter, keys, budget: float,
                      floor: float, margin: float = 0.0, group_of: dict | None = None) -> dict:
    """A ratio threshold per key (set or direction) that maximises caught errors for at most
    `budget` false alarms in all; a key with fewer than SMALL_SET occurrences shares the
    threshold of its group (`group_of`: a direction's set) if that occurs often enough, else
    one pooled threshold. A clean word scoring within `margin` (log) below a threshold counts
    as a false alarm too, so that thresholds keep a distance from the development data they
    were chosen on.

    Each set's possible thresholds form a curve of (false alarms, caught errors); the budget is
    spent greedily on the steps of the curves' upper hulls that catch the most errors per false
    alarm. (One Lagrange multiplier for all sets, as before, picks the same kind of points but
    can only move every set at once, so a small change in one big set could swing the
    threshold of every other set.)"""
    groups: dict[str, list] = {"*small*": []}
    for key in keys:
        group = (group_of or {}).get(key, "*small*")
        if occurrences[key] >= SMALL_SET:
            group = key
        elif occurrences[group] < SMALL_SET:
            group = "*small*"
        groups.setdefault(group, []).append(key)
    steps, curves = [], {}
    for group, members in groups.items():
        curves[group] = _cuts(sorted(v for k in members for v in clean.get(k, ())),
                              sorted(v for k in members for v in errors.get(k, ())),
                              math.log(floor), margin)
        for (a0, c0, _), (a1, c1, cut) in itertools.pairwise(_upper_hull(curves[group])):
            steps.append(((c1 - c0) / (a1 - a0) if a1 > a0 else math.inf, group, a1, c1, cut))
    chosen = {g: (0, 0, math.inf) for g in groups}  # (alarms, caught, log threshold)
    spent, blocked = 0, set()
    for _gain, group, alarms, caught, cut in sorted(steps, key=lambda s: -s[0]):
        extra = alarms - chosen[group][0]
        if group in blocked or spent + extra > budget:
            blocked.add(group)  # a set's later steps need this one
            continue
        spent += extra
        chosen[group] = (alarms, caught, cut)
    _spend_rest(curves, chosen, budget - spent)
    return {k: round(math.exp(min(chosen[g][2], 50.0)), 1) for g, ks in groups.items()
            for k in ks}


def _spend_rest(curves: dict, chosen: dict, left: float) -> None:
    """Spend what the hull steps left of the budget on the single move (off the hulls too)
    that catches the most more errors, as long as one fits (in place)."""
    while True:
        best = None
        for group, points in curves.items():
            alarms, caught, _ = chosen[group]
            for point in points:
                extra, gain = point[0] - alarms, point[1] - caught
                if 0 <= extra <= left and gain > 0 and (best is None or gain > best[0]):
                    best = (gain, extra, group, point)
        if best is None:
            return
        left -= best[1]
        chosen[best[2]] = best[3]


def _cuts(clean: list[float], errors: list[float], floor: float, margin: float) -> list:
    """(false alarms, caught errors, log threshold) for each threshold worth trying: each error
    score at or above the floor, highest first."""
    out = []
    for cut in sorted({e for e in errors if e >= floor}, reverse=True):
        out.append((len(clean) - _count_below(clean, cut - margin),
                    len(errors) - _count_below(errors, cut), cut))
    return out


def _upper_hull(points: list) -> list:
    """The points of (alarms, caught, cut) on the upper concave hull, from (0, 0) rightwards:
    the thresholds that catch the most errors for their false alarms."""
    best: dict = {}
    for alarms, caught, cut in points:  # per alarm count, the lowest cut catching the most
        if alarms not in best or caught > best[alarms][1]:
            best[alarms] = (alarms, caught, cut)
    hull: list = [(0, 0, math.inf)]
    for point in sorted(best.values()):
        while len(hull) >= 2 and _turns_up(hull[-2], hull[-1], point):
            hull.pop()
        if not hull or point[1] > hull[-1][1]:
            hull.append(point)
    return hull


def _turns_up(a, b, c) -> bool:
    """True when b lies on or below the line from a to c."""
    return (b[1] - a[1]) * (c[0] - a[0]) <= (c[1] - a[1]) * (b[0] - a[0])


def _count_below(values: list[float], cut: float) -> int:
    from bisect import bisect_left

    return bisect_left(values, cut)


def run_action(args, config) -> int:
    """The `storylint confusables` command: build, tune or eval."""
    from storylint.training.corpora import default_data_dir

    data = Path(args.data) if args.data else default_data_dir()
    if data is None or not data.is_dir():
        from storylint.cli import UsageError

        raise UsageError("the shared data folder was not found; give --data DIR")
    action = {"build": _build, "tune": _tune, "eval": _eval, "audit": _audit,
              "crossfit": _crossfit}[args.action]
    return action(args, config, data)


def _crossfit(args, config, data: Path) -> int:
    """The train-half check (see `training/typo_crossfit.py`)."""
    from storylint.training.typo_crossfit import crossfit, format_crossfit

    print(format_crossfit(crossfit(config, data)))
    return 0


def _build(args, config, data: Path) -> int:
    from storylint.engine import load_rules, rule_index
    from storylint.resources import data_dir
    from storylint.training.confusables import build

    rules, _ = load_rules(config)
    rule = rule_index(rules)[LIKELY_RULE]
    folder = refuse_installed_copy(data_dir("models") / rule.options["model"],
                                   "storylint confusables build", INSTEAD_OF_INSTALLED)
    train = [s.text for s in load_split(data, "train")]
    source = {"name": f"word pairs counted in the train split ({len(train):,} sentences) of the "
                      "BBC News, AG News and Lee (ABC) corpora, storylint.training.typo_eval",
              "licence": "research-use corpora: only pruned, scaled pair counts are shipped",
              "note": "train split = documents whose SHA-1 id hash falls in buckets 0-4 of 10"}
    manifest = build(data, rule.options["sets"], folder, train, source)
    print(f"wrote {folder}: {manifest['size']['unigrams']:,} words, "
          f"{manifest['size']['bigrams']:,} word pairs, {manifest['size']['bytes']:,} bytes; "
          f"members without counts: {', '.join(manifest['members_without_counts']) or 'none'}")
    return 0


def _tune(args, config, data: Path) -> int:
    from storylint.training.confusables import write_manifest

    rules = Rules(config)
    refuse_installed_copy(rules.likely.check.model.folder, "storylint confusables tune",
                          INSTEAD_OF_INSTALLED)
    dev, known = load_split(data, "dev"), load_known_errors()
    points = tuning_points(rules, dev, known)
    weights = fit_weights(points)
    clean, errors = points.scores(weights)
    budget = FALSE_ALARM_BUDGET * len(dev) / 1000
    model = rules.likely.check.model
    manifest = dict(model.manifest)
    manifest["weights"] = weights
    keys = directions(rules.members)
    chosen = choose_thresholds(clean, errors, points.sizes(rules.members), keys, budget,
                               rules.likely.check.min_ratio, THRESHOLD_MARGIN, group_of=keys)
    manifest["thresholds"] = {**set_thresholds(chosen, rules.members), **chosen}
    manifest["tuning"] = {"split": "dev", "sentences": len(dev), "false_alarm_budget": budget,
                          "small_direction_below": SMALL_SET, "margin": THRESHOLD_MARGIN,
                          "thresholds": "per direction (written>alternative); per set: the "
                                        "highest of its directions"}
    write_manifest(model.folder, manifest)
    report = evaluate(Rules(config), dev, known=known)
    manifest["metrics"] = {"dev": {k: report[k] for k in ("overall", "curated", "other")}}
    write_manifest(model.folder, manifest)
    print(f"weights: {dict(zip(FEATURES, weights))}")
    print(format_report(report, "dev"))
    return 0


def _eval(args, config, data: Path) -> int:
    split = args.split or "held-out"
    if args.show and split == "held-out":
        from storylint.cli import UsageError

        raise UsageError("--show prints sentences; use it on --split dev or train only (the "
                         "held-out split is never inspected)")
    known = load_known_errors() if split == "dev" else []
    if split == "dev" and source_checkout() is None:
        print(f"note: no checkout, so no {KNOWN_ERRORS}: flags on errors already in the dev "
              "sentences count as false alarms", file=sys.stderr)
    if args.audit:
        known = known + load_audit(Path(args.audit))
    report = evaluate(Rules(config), load_split(data, split), show=args.show, known=known)
    print(format_report(report, split))
    if args.json:
        from storylint.atomic import write_bytes_atomic

        write_bytes_atomic(Path(args.json), (json.dumps(report, indent=1) + "\n").encode())
    return 0


def _audit(args, config, data: Path) -> int:
    """Print every flag on a clean sentence of the split as TSV, for labelling by hand (true
    error already in the source text, or false alarm) once the rules and model are frozen."""
    rules = Rules(config)
    print("source\tdoc_id\trule\tword\tsuggestion\tverdict\tsentence")
    for sentence in load_split(data, args.split or "held-out"):
        story = rules.story(sentence.text)
        for rule in (rules.curated, rules.likely):
            for f in rule.check.run(story, rule):
                print(f"{sentence.source}\t{sentence.doc_id}\t{rule.code}\t{f.matched}\t"
                      f"{f.fix.replacement}\t?\t{sentence.text}")
    return 0


def format_report(report: dict, split: str) -> str:
    """A plain-text table: one row per set with data, then the curated/other/overall lines."""
    curated = set(report["curated_sets"])
    lines = [(f"split: {split}; {report['sentences']:,} clean sentences, "
              f"{report['with_candidates']:,} with a candidate word"),
             (f"{'set':<34}{'words':>7}{'errors':>8}{'found':>7}{'recall':>8}{'alarms':>8}"
              f"{'prec.':>7}")]
    for key, stats in report["sets"].items():
        if not stats.get("errors") and not stats.get("false_alarms"):
            continue
        rates = _rates(stats.get("detected", 0), stats.get("errors", 0),
                       stats.get("false_alarms", 0))
        lines.append(f"{('* ' if key in curated else '  ') + key:<34}"
                     f"{stats.get('occurrences', 0):>7}{stats.get('errors', 0):>8}"
                     f"{stats.get('detected', 0):>7}{_pct(rates['recall']):>8}"
                     f"{stats.get('false_alarms', 0):>8}{_pct(rates['precision']):>7}")
    for name in ("curated", "other", "overall"):
        s = report[name]
        lines.append(f"{name + ' sets':<15} recall {_pct(s['recall'])} ({s['detected']:,}/"
                     f"{s['errors']:,}; SL301 {s['detected:' + CURATED_RULE]:,}, SL302 "
                     f"{s['detected:' + LIKELY_RULE]:,}), precision {_pct(s['precision'])}, "
                     f"false alarms {s['false_alarms']} = {s['false_alarms_per_1000_sentences']}"
                     f" per 1,000 sentences ({s['false_alarms_per_1000_candidate_sentences']} per "
                     f"1,000 with a candidate)")
    lines.append("* = set with curated context (SL301); figures are for both rules together")
    if report["known_errors_flagged"]:
        lines.append(f"flags on {report['known_errors_flagged']} hand-checked errors already in "
                     "the source text are not counted as false alarms")
    for key, items in report.get("examples", {}).items():
        lines += [f"-- {key}"] + [f"   {item}" for item in items]
    return "\n".join(lines)


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


if __name__ == "__main__":
    from storylint.cli import main

    sys.exit(main(["confusables", *sys.argv[1:]]))
