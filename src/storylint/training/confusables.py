"""Building the confusable-word model: SymSpell frequencies (MIT) plus counts from news text.

Only what the `likely-word` check needs is kept: the unigram count of every confusion-set member,
every word pair with a member on either side, and the unigram counts of the words in those pairs
(for estimating unseen pairs). SymSpell lists no pairs with contractions ("it's", "they're"), so
their pairs are derived from the expanded forms: C(it's r) ~ sum over v in {is, has} of
C(it v) * P(r | v). SymSpell keeps only pairs seen more than 6.4 million times in Google Books, so
"its profits" is missing; word pairs counted in the training split of the news corpora are added,
scaled to SymSpell's totals and discounted. Never imported by `storylint check`.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

from storylint.checks.context import model_clauses
from storylint.wordmodel import FORMAT, FORMAT_VERSION, MANIFEST, SIDES, coarse_class, word_class

SYMSPELL_DIR = "symspell-frequency-dictionaries"
UNIGRAM_FILE = "frequency_dictionary_en_82_765.txt"
BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"
DATA_FILE = "counts.json.gz"
DEFAULT_THRESHOLD = 1000.0
NEWS_DISCOUNT = 0.5
LIFT_PSEUDO = 2.0
LIFT_MIN_OCCURRENCES = 20
CLASS_COUNT = 128  # learned word classes
CLASS_CONTEXT = 150  # the most frequent tokens, whose share among a word's neighbours is its profile
CLASS_MIN_OBSERVATIONS = 5
# contraction -> (the word it starts with, the verbs it stands for)
CONTRACTIONS = {
    "it's": ("it", ("is", "has")), "they're": ("they", ("are",)), "you're": ("you", ("are",)),
    "who's": ("who", ("is", "has")), "there's": ("there", ("is", "has")),
    "we're": ("we", ("are",)), "let's": ("let", ("us",)),
}
# What comes before a contraction is what comes before a subject: "it" and "you" are objects as
# often ("sold it", "for you"), which would make "sold it's" look common; "he"/"she" and "we"/
# "they" are subjects only, so their left neighbours stand in.
SUBJECT_LIKE = {"it's": ("he", "she"), "you're": ("we", "they")}


@dataclass(frozen=True)
class NewsCounts:
    """Counts from the news training sentences."""

    unigrams: Counter
    bigrams: Counter  # pairs with a member on either side
    neighbours: dict  # {"left"|"right": {member: Counter of neighbour tokens}}
    pairs: Counter = field(default_factory=Counter)  # every pair (for learning word classes)


SOURCES = [{
    "name": "SymSpell English frequency dictionaries (frequency_dictionary_en_82_765.txt, "
            "frequency_bigramdictionary_en_243_342.txt), as shipped in symspellpy 6.10.1",
    "licence": "MIT (Wolf Garbe; symspellpy by mmb L)",
    "note": "counts from SCOWL word lists intersected with Google Books Ngram counts",
}]


def read_symspell(folder: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Unigram counts and bigram counts (keyed `first second`) from the SymSpell files."""
    unigrams, bigrams = {}, {}
    with open(folder / UNIGRAM_FILE, encoding="utf-8") as handle:
        for line in handle:
            word, count = line.split()
            unigrams[word] = int(count)
    with open(folder / BIGRAM_FILE, encoding="utf-8") as handle:
        for line in handle:
            first, second, count = line.split()
            bigrams[f"{first} {second}"] = int(count)
    return unigrams, bigrams


def pair_scale(unigrams: dict, bigrams: dict, top: int = 50) -> float:
    """How much larger pair counts run than word counts: the median, over the `top` most
    frequent words (whose pairs the pruned list covers best), of sum_y C(w y) / C(w)."""
    outgoing: dict[str, int] = {}
    for key, count in bigrams.items():
        first = key.split(" ", 1)[0]
        outgoing[first] = outgoing.get(first, 0) + count
    frequent = sorted(unigrams, key=unigrams.get, reverse=True)[:top]
    return statistics.median(outgoing.get(w, 0) / unigrams[w] for w in frequent)


def add_contractions(unigrams: dict, bigrams: dict, scale: float, wanted) -> None:
    """Derive counts for the contractions in `wanted` from their expanded forms (in place)."""
    right_index: dict[str, list] = {}
    left_index: dict[str, list] = {}
    for key, count in bigrams.items():
        first, second = key.split(" ", 1)
        right_index.setdefault(first, []).append((second, count))
        left_index.setdefault(second, []).append((first, count))
    for word in wanted:
        if word not in CONTRACTIONS:
            continue
        head, verbs = CONTRACTIONS[word]
        expanded = {v: bigrams.get(f"{head} {v}", 0) for v in verbs}
        total = sum(expanded.values())
        if not total or head not in unigrams:
            continue
        unigrams[word] = round(total / scale)
        for verb, joint in expanded.items():
            for second, count in right_index.get(verb, ()):
                key = f"{word} {second}"
                bigrams[key] = bigrams.get(key, 0) + round(joint * count / (scale * unigrams[verb]))
        subjects = [h for h in SUBJECT_LIKE.get(word, ()) if h in unigrams] or [head]
        share = unigrams[word] / sum(unigrams[h] for h in subjects)
        for subject in subjects:
            for first, count in left_index.get(subject, ()):
                key = f"{first} {word}"
                bigrams[key] = bigrams.get(key, 0) + round(count * share)


def count_news(sentences, members: set[str]) -> NewsCounts:
    """Token counts, counts of pairs (all, and those that involve a member), and per member its
    neighbours, from sentences tokenised exactly as the check reads context."""
    news = NewsCounts(Counter(), Counter(), {side: {} for side in SIDES})
    for text in sentences:
        for clause in model_clauses(text):
            news.unigrams.update(t for t in clause if t is not None)
            for first, second in pairwise(clause):
                if first is None or second is None:
                    continue
                news.pairs[first, second] += 1
                if first in members or second in members:
                    news.bigrams[f"{first} {second}"] += 1
                if second in members:
                    news.neighbours["left"].setdefault(second, Counter())[first] += 1
                if first in members:
                    news.neighbours["right"].setdefault(first, Counter())[second] += 1
            _count_far(clause, members, news.neighbours)
    return news


def _count_far(clause: list, members: set[str], neighbours: dict) -> None:
    """Per member, the tokens two places left and right in the clause (edges included)."""
    for index, token in enumerate(clause):
        if token not in members:
            continue
        if index >= 2 and clause[index - 2] is not None:
            neighbours["left2"].setdefault(token, Counter())[clause[index - 2]] += 1
        if index + 2 < len(clause) and clause[index + 2] is not None:
            neighbours["right2"].setdefault(token, Counter())[clause[index + 2]] += 1


def _class_counts(tokens: Counter, classes: dict) -> Counter:
    """Counts per neighbour class of a Counter of tokens: the learned class of a word that has
    one; else its suffix class and, for a word long enough to have a suffix class, its coarse
    class (suffix classes stand for the rare words the learned classes do not cover, so only
    such words are counted in them)."""
    out = Counter()
    for token, count in tokens.items():
        learned = classes.get(token)
        if learned:
            out[learned] += count
            continue
        cls = word_class(token)
        out[cls] += count
        if cls != token:
            out[coarse_class(token)] += count
    return out


def class_lifts(news: NewsCounts, classes: dict | None = None) -> dict:
    """Per side and member, how much likelier each neighbour class is than in running text:
    (n_k + B) / (n * P_k + B), shrunk towards 1 by B pseudo-counts. Classes expected less than
    half a time are left out (lift 1). A token's class is its learned class (`classes`), else
    its suffix class; coarse classes (`~s`) are counted alongside."""
    classes = classes or {}
    background = _class_counts(news.unigrams, classes)
    total = sum(c for cls, c in background.items() if not cls.startswith("~"))
    lifts = {}
    for side, by_member in news.neighbours.items():
        lifts[side] = {}
        for member, tokens in sorted(by_member.items()):
            seen = _class_counts(tokens, classes)
            n = sum(c for cls, c in seen.items() if not cls.startswith("~"))
            if n < LIFT_MIN_OCCURRENCES:
                continue
            table = {}
            for cls, count in background.items():
                expected = n * count / total
                if expected >= 0.5 or cls in seen:
                    lift = (seen.get(cls, 0) + LIFT_PSEUDO) / (expected + LIFT_PSEUDO)
                    if abs(lift - 1) > 0.05:
                        table[cls] = float(f"{lift:.3g}")
            lifts[side][member] = dict(sorted(table.items()))
    return lifts


def learn_classes(news: NewsCounts, bigrams: dict, count: int = CLASS_COUNT) -> dict[str, str]:
    """Word classes learned from the words around each word: every word seen often enough gets
    the share of each of the most frequent tokens among its left and among its right neighbours
    (news pairs and SymSpell pairs, each source weighted equally), and k-means groups words with
    similar shares. Nouns, adjectives, participles, -ing forms, finite verbs and function words
    fall into different groups without a tagger or a tag set, so the model can tell that
    "its workout" is likelier than "it's workout" although neither pair was ever counted."""
    import numpy as np
    from sklearn.cluster import KMeans

    sources = [news.pairs, Counter({tuple(k.split(" ", 1)): v for k, v in bigrams.items()})]
    frequent = [t for t, _ in news.unigrams.most_common(CLASS_CONTEXT)]
    column = {t: i for i, t in enumerate(frequent)}
    width = len(frequent) + 1  # the last column holds every other neighbour
    profiles: dict[str, np.ndarray] = {}
    for pairs in sources:
        weight = 1.0 / max(1, sum(pairs.values()))
        for (first, second), n in pairs.items():
            for word, other, offset in ((second, first, 0), (first, second, width)):
                if word[0] == "<" or not word[0].isalpha():
                    continue
                row = profiles.get(word)
                if row is None:
                    row = profiles[word] = np.zeros(2 * width)
                row[offset + column.get(other, width - 1)] += n * weight
    symspell = {w for pair in sources[1] for w in pair}
    words = sorted(w for w in profiles
                   if w in symspell or news.unigrams.get(w, 0) >= CLASS_MIN_OBSERVATIONS)
    if len(words) < 2:
        return {}
    matrix = np.array([_shares(profiles[w], width) for w in words])
    labels = KMeans(n_clusters=min(count, len(words)), n_init=4,
                    random_state=0).fit_predict(matrix)
    return {word: f"={label}" for word, label in zip(words, labels)}


def _shares(row, width: int):
    """A word's neighbour profile as square roots of shares per side (Hellinger distance)."""
    import numpy as np

    left, right = row[:width], row[width:]
    return np.sqrt(np.concatenate([left / max(left.sum(), 1e-12),
                                   right / max(right.sum(), 1e-12)]))


def add_news(unigrams: dict, bigrams: dict, news: NewsCounts, scale: float) -> None:
    """Add news counts (in place), scaled to SymSpell's totals; pairs discounted by NEWS_DISCOUNT
    so that a pair seen once weighs little."""
    factor = sum(unigrams.values()) / max(1, sum(news.unigrams.values()))
    for word, count in news.unigrams.items():
        unigrams[word] = unigrams.get(word, 0) + round(factor * count)
    for key, count in news.bigrams.items():
        if count > NEWS_DISCOUNT:
            bigrams[key] = bigrams.get(key, 0) + round(factor * scale * (count - NEWS_DISCOUNT))


def model_counts(sets: list[list[str]], unigrams: dict, bigrams: dict,
                 news: NewsCounts | None = None, class_count: int = CLASS_COUNT) -> dict:
    """The pruned counts the check needs for these sets, ready to be written as JSON."""
    scale = pair_scale(unigrams, bigrams)
    floor = min(bigrams.values())
    members = {w for words in sets for w in words}
    classes = learn_classes(news, bigrams, class_count) if news is not None else {}
    unigrams, bigrams = dict(unigrams), dict(bigrams)
    add_contractions(unigrams, bigrams, scale, members)
    if news is not None:
        add_news(unigrams, bigrams, news, scale)
    kept = {}
    for key, count in bigrams.items():
        first, second = key.split(" ", 1)
        if (first in members or second in members) and count > 0:
            kept[key] = count
    words = members | {w for key in kept for w in key.split(" ", 1)}
    return {
        "unigrams": {w: unigrams[w] for w in sorted(words) if w in unigrams},
        "bigrams": dict(sorted(kept.items())),
        "floor": floor, "scale": round(scale, 3), "total": sum(unigrams.values()),
        "default_unigram": statistics.median(unigrams.values()),
        "lifts": class_lifts(news, classes) if news is not None else {s: {} for s in SIDES},
        "classes": _by_class(classes),
    }


def _by_class(classes: dict) -> dict:
    """{class: [words]}: the compact form of a word -> class table."""
    out: dict[str, list] = {}
    for word, cls in sorted(classes.items()):
        out.setdefault(cls, []).append(word)
    return dict(sorted(out.items()))


def write_model(folder: Path, sets: list[list[str]], counts: dict, sources: list) -> dict:
    """Write counts.json.gz and a fresh manifest (default thresholds) into `folder`."""
    from storylint.atomic import write_bytes_atomic

    folder.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(counts, separators=(",", ":"), sort_keys=False).encode("utf-8")
    data = gzip.compress(raw, compresslevel=9, mtime=0)
    write_bytes_atomic(folder / DATA_FILE, data)
    missing = sorted(w for words in sets for w in words if w not in counts["unigrams"])
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "data": DATA_FILE,
        "sha256": hashlib.sha256(data).hexdigest(), "built": date.today().isoformat(),
        "sources": sources, "sets": sets, "default_threshold": DEFAULT_THRESHOLD,
        "thresholds": {}, "members_without_counts": missing,
        "size": {"unigrams": len(counts["unigrams"]), "bigrams": len(counts["bigrams"]),
                 "bytes": len(data)},
    }
    write_manifest(folder, manifest)
    return manifest


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write manifest.json atomically, keys in a stable order."""
    from storylint.atomic import write_bytes_atomic

    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    write_bytes_atomic(folder / MANIFEST, text.encode("utf-8"))


def build(data_dir: Path, sets: list[list[str]], folder: Path, news_sentences=None,
          news_source: dict | None = None) -> dict:
    """Read SymSpell from `data_dir`, add news counts, keep what `sets` need, write the model."""
    unigrams, bigrams = read_symspell(data_dir / SYMSPELL_DIR)
    members = {w for words in sets for w in words}
    news = count_news(news_sentences, members) if news_sentences is not None else None
    sources = SOURCES + ([news_source] if news_source else [])
    return write_model(folder, sets, model_counts(sets, unigrams, bigrams, news), sources)
