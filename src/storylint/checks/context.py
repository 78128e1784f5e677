"""Finding candidate words and reading the words around them, for the confusable-word kinds.

Both kinds (`substitution`, curated; `likely-word`, statistical) look for a fixed list of real
words and judge each hit by its neighbours in the same clause. The list is found with one RE2
alternation (linear time; measured faster than a trie-shaped `re` pattern), so the Python work
per story is proportional to the number of hits, not to the number of words. Context is read
from a short window on the hit's own line and stops at clause punctuation, so "stage lighting.
Strike action" does not pair "lighting" with "strike".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = "'\u2019"
WINDOW_CHARS = 100  # enough for an if-clause before a misused "then"
# Punctuation that ends the clause a word's context is read from.
CLAUSE_BREAKS = frozenset(".,;:!?()[]{}\"\u201c\u201d\u2026\u2014\u2013/")
SENTENCE_BREAKS = frozenset(".!?:\"\u201c\u201d")
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:[.,:]\d+)*%?|[^\w\s'\u2019-]"
                    r"|(?<!\w)-+(?!\w)")


@dataclass(frozen=True)
class Context:
    """Lower-cased words before and after a hit in its clause (nearest last / nearest first).

    `opened` is the punctuation that starts the clause ("^" for the start of the line), or None
    when the window ran out first; `closed` likewise for the end ("$" for the end of the line).
    `capital` tells whether the hit itself starts with a capital letter.
    """

    before: tuple[str, ...]
    after: tuple[str, ...]
    opened: str | None
    closed: str | None
    capital: bool = False

    @property
    def sentence_start(self) -> bool:
        """True when the hit is the first word of a sentence (or of the line)."""
        return not self.before and (self.opened == "^" or self.opened in SENTENCE_BREAKS)


def normalize(word: str) -> str:
    """A word as the tables store it: lower case, typographic apostrophes made plain."""
    return word.lower().replace("\u2019", "'")


def compile_finder(words) -> Finder:
    """A finder for whole-word, case-insensitive occurrences of `words`."""
    return Finder(sorted({normalize(w) for w in words}))


class Finder:
    """Literal words as one RE2 alternation: linear time, one pass, no per-word Python loop."""

    def __init__(self, words: list[str]):
        from storylint.patterns import compile_regex

        alternatives = ["".join(f"[{APOSTROPHES}]" if ch in APOSTROPHES else re.escape(ch)
                                for ch in word)
                        for word in sorted(words, key=lambda w: (-len(w), w))]
        self.words = tuple(words)
        self.compiled = compile_regex(rf"\b(?:{'|'.join(alternatives)})\b", ignore_case=True)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every occurrence, as character offsets into `text`.

        RE2 is run on the UTF-8 bytes (its Python wrapper spends most of its time converting
        offsets for `str` input: measured 3x slower); byte offsets are turned into character
        offsets only for the hits, and not at all for ASCII text."""
        data = text.encode("utf-8")
        if len(data) == len(text):
            return [m.span() for m in self.compiled.finditer(data)]
        spans, char, byte = [], 0, 0
        for match in self.compiled.finditer(data):
            start, end = match.span()
            char += len(data[byte:start].decode("utf-8"))
            byte = start
            spans.append((char, char + len(data[start:end].decode("utf-8"))))
        return spans


def find_words(finder: Finder, text: str):
    """(start, end) of each hit that is a whole word in Unicode terms (RE2's \\b is ASCII)."""
    for start, end in finder.spans(text):
        if start and _joined(text[start - 1]):
            continue
        if end < len(text) and (_joined(text[end]) or text[end] in APOSTROPHES):
            continue  # "council's", "Leadville" and "élead" are other words
        yield start, end


def _joined(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=4096)
def read_context(line: str, start: int, end: int, limit: int = WINDOW_CHARS) -> Context:
    """The clause around line[start:end]: its words and the punctuation that bounds it.

    Memoised (a pure function of its arguments): both confusable-word rules read the context
    of the words they share, and a line's hash is computed once per string."""
    left_from = max(0, start - limit)
    left = _TOKEN.findall(normalize(line[left_from:start]))
    if left_from and left and line[left_from].isalnum() and line[left_from - 1].isalnum():
        left = left[1:]  # the window cut a word in two
    before, opened = _clause(reversed(left), "^" if left_from == 0 else None)
    right_to = min(len(line), end + limit)
    after, closed = _clause(_TOKEN.findall(normalize(line[end:right_to])),
                            "$" if right_to == len(line) else None)
    return Context(tuple(reversed(before)), tuple(after), opened, closed, line[start].isupper())


def _clause(tokens, edge: str | None) -> tuple[list[str], str | None]:
    """Words (already normalised) up to the first clause break, and that break (else `edge`)."""
    words = []
    for token in tokens:
        if token in CLAUSE_BREAKS or token[0] == "-":
            return words, token[0]
        words.append(token)
    return words, edge


def model_token(word: str) -> str | None:
    """A context word as the word-pair model counts it: the word, `<num>` for a number, None
    for a symbol."""
    if word[0].isdigit():
        return "<num>"
    return word if word[0].isalpha() else None


def left_token(ctx: Context) -> str | None:
    """The model token left of a hit: its neighbour word, or the clause edge it starts."""
    if ctx.before:
        return model_token(ctx.before[-1])
    return _edge(ctx.opened, "left")


def right_token(ctx: Context) -> str | None:
    """The model token right of a hit: its neighbour word, or the clause edge it ends."""
    if ctx.after:
        return model_token(ctx.after[0])
    return _edge(ctx.closed, "right")


def _edge(mark: str | None, side: str) -> str | None:
    if mark is None:
        return None
    if side == "left":
        return "<s>" if mark == "^" or mark in SENTENCE_BREAKS else "<c>"
    return "</s>" if mark in ("$", ".", "!", "?") else "</c>"


def model_clauses(text: str) -> list[list[str | None]]:
    """The text as the model counts it: per clause, its edge tokens around its model tokens,
    with the same tokens and edges `left_token`/`right_token` give a hit on a one-line text."""
    out, words, opened = [], [], "^"
    for token in _TOKEN.findall(text) + [None]:
        if token is None or token in CLAUSE_BREAKS or token[0] == "-":
            closed = "$" if token is None else token[0]
            if words:
                out.append([_edge(opened, "left"), *words, _edge(closed, "right")])
            words, opened = [], closed
        else:
            words.append(model_token(normalize(token)))
    return out
