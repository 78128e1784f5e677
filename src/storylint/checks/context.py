"""Finding candidate words and reading the words around them, for the confusable-word kinds.

Both kinds (`substitution`, curated; `likely-word`, statistical) look for a fixed list of real
words and judge each hit by its neighbours in the same clause. The list is found in one pass
(one RE2 alternation, linear time; or its compiled equivalent, `find_words`), so the Python work
per story is proportional to the number of hits, not to the number of words. Context is read
from a short window on the hit's own line and stops at clause punctuation, so "stage lighting.
Strike action" does not pair "lighting" with "strike".

Where storylint._speedups is built, the scan and the clause reading run compiled; the Python
functions here define what they return (tests/test_confusable_speedups.py compares them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from storylint.checks.base import read_sections
from storylint.normalise import lower
from storylint.patterns import char_spans, compile_regex
from storylint.speedups import compiled

APOSTROPHES = "'\u2019"
WINDOW_CHARS = 100  # enough for an if-clause before a misused "then"
# Punctuation that ends the clause a word's context is read from.
CLAUSE_BREAKS = frozenset(".,;:!?()[]{}\"\u201c\u201d\u2026\u2014\u2013/")
SENTENCE_BREAKS = frozenset(".!?:\"\u201c\u201d")
# A word (letters, joined by apostrophes or hyphens: "it's", "near-term"), a number, a symbol, or
# a free-standing dash.
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:[.,:]\d+)*%?|[^\w\s'\u2019-]"
                    r"|(?<!\w)-+(?!\w)")


class Context(NamedTuple):
    """Lower-cased words before and after a hit in its clause (nearest last / nearest first).

    `opened` is the punctuation that starts the clause ("^" for the start of the line), or None
    when the window ran out first; `closed` likewise for the end ("$" for the end of the line).
    `capital` tells whether the hit itself starts with a capital letter. A named tuple: one is
    built for every candidate word, and a tuple is the cheapest immutable record to build.
    """

    before: tuple[str, ...]
    after: tuple[str, ...]
    opened: str | None
    closed: str | None
    capital: bool = False
    back: tuple[str, ...] = ()  # `before` nearest first, as matching reads it

    @property
    def sentence_start(self) -> bool:
        """True when the hit is the first word of a sentence (or of the line)."""
        return not self.before and (self.opened == "^" or self.opened in SENTENCE_BREAKS)


_new_tuple = tuple.__new__


def normalize(word: str) -> str:
    """A word as the tables store it: lower case, typographic apostrophes made plain."""
    return lower(word).replace("\u2019", "'")


def compile_finder(words) -> Finder:
    """A finder for whole-word, case-insensitive occurrences of `words`."""
    return Finder(sorted({normalize(w) for w in words}))


TEXTSCAN_VERSION = 1  # of find_words and the clause reading; _speedups.h holds the same number
COMPILED_FIND_WORDS = compiled("find_words", "TEXTSCAN_VERSION", TEXTSCAN_VERSION)
COMPILED_CLAUSE_WORDS = compiled("clause_words", "TEXTSCAN_VERSION", TEXTSCAN_VERSION)
_PLAIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*\Z")
_PREFILTER_LONGEST = 32


class Finder:
    """Literal words as one RE2 alternation: linear time, one pass, no per-word Python loop.

    Where storylint._speedups is built and every word is plain ASCII, a compiled scan over the
    str gives the same spans without the UTF-8 round trip (see `find_words`); the alternation
    is then compiled only if a text needs it, which saves a pre-commit run milliseconds."""

    def __init__(self, words: list[str]):
        self.words = tuple(words)
        self.key = _finder_key(frozenset(words))  # stories cache scans under this
        self.longest = max(map(len, self.words), default=0)
        # Both built on first use. Plain attributes, not functools.cached_property: compiled
        # by mypyc, a cached_property is an ordinary property, recomputed on every access.
        self._compiled: Any = None
        self._prefilter: tuple[bytes | None] | None = None

    @property
    def compiled(self) -> Any:
        """The RE2 alternation, longest words first (RE2 takes the first that matches)."""
        if self._compiled is None:
            self._compiled = self._alternation()
        return self._compiled

    @property
    def prefilter(self) -> bytes | None:
        """The compiled scan's table (see `_prefilter`), None when it cannot be used."""
        if self._prefilter is None:
            self._prefilter = (_prefilter(self.words) if COMPILED_FIND_WORDS is not None
                               else None,)
        return self._prefilter[0]

    def _alternation(self) -> Any:
        alternatives = ["".join(f"[{APOSTROPHES}]" if ch in APOSTROPHES else re.escape(ch)
                                for ch in word)
                        for word in sorted(self.words, key=lambda w: (-len(w), w))]
        return compile_regex(rf"\b(?:{'|'.join(alternatives)})\b", ignore_case=True,
                             reviewed=True)  # escaped literals: linear in any engine

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every RE2 match, as character offsets into `text`."""
        return list(char_spans(self.compiled, text))


# Word set -> the one key every finder for those words uses. Two rules (or a rule and the one
# it defers to, loaded twice) build equal finders; with one key object, looking a scan up in a
# story's memo is an identity check, not a comparison of two sets of hundreds of words.
_KEYS: dict[frozenset, tuple[str, frozenset]] = {}


def _finder_key(words: frozenset) -> tuple[str, frozenset]:
    key = _KEYS.get(words)
    if key is None:
        key = _KEYS[words] = ("confusable-words", words)
    return key


def _prefilter(words: tuple[str, ...]) -> bytes | None:
    """The compiled scan's table: which (length, first letter, last letter) slots the words
    fill, then a bitmap of the low 16 bits of their FNV-1a hashes; a word that passes both is
    looked up in the word set. None when a word is not plain ASCII letters joined by
    apostrophes, or too long: RE2's ASCII \\b treats such words in ways only the RE2 scan
    reproduces."""
    if not words or not all(_PLAIN_WORD.match(w) and len(w) <= _PREFILTER_LONGEST
                            for w in words):
        return None
    slots = bytearray(_PREFILTER_LONGEST * 26 * 26)
    hashes = bytearray(1 << 13)
    for word in words:
        slots[((len(word) - 1) * 26 + ord(word[0]) - 97) * 26 + ord(word[-1]) - 97] = 1
        value = _fnv1a(word.encode("ascii")) & 0xFFFF
        hashes[value >> 3] |= 1 << (value & 7)
    return bytes(slots + hashes)


def _fnv1a(data: bytes) -> int:
    """The 32-bit FNV-1a hash."""
    value = 2166136261
    for byte in data:
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def find_words(finder: Finder, text: str) -> list[tuple[int, int]]:
    """(start, end) of each hit that is a whole word in Unicode terms (RE2's \\b is ASCII)."""
    if finder.prefilter is not None:
        spans = COMPILED_FIND_WORDS(text, finder.key[1], finder.prefilter, finder.longest)
        if spans is not None:
            return spans
    return list(python_find_words(finder, text))


def python_find_words(finder: Finder, text: str):
    """`find_words` with RE2 and a Python filter: the definition the compiled scan matches."""
    for start, end in finder.spans(text):
        if start and _joined(text[start - 1]):
            continue
        if end < len(text) and (_joined(text[end]) or text[end] in APOSTROPHES):
            continue  # "council's", "Leadville" and "élead" are other words
        yield start, end


class Hit:
    """A candidate word in a story: where it is, its line and section, and (read on first use)
    its clause context. Both confusable-word rules get the same Hit objects for the words they
    share, so the work per word is done once per story."""

    __slots__ = ("start", "end", "word", "normal", "line", "column", "text", "kind", "_ctx")

    def __init__(self, story, start: int, end: int):
        self.start, self.end = start, end
        self.word = story.text[start:end]
        self.normal = normalize(self.word)
        self.line, self.column = story.position(start)
        self.text = story.lines[self.line - 1]
        section = story.section_at(self.line)
        self.kind = section.kind if section else None
        self._ctx: Context | None = None

    @property
    def ctx(self) -> Context:
        """The clause around the word (see `read_context`)."""
        if self._ctx is None:
            col = self.column - 1
            self._ctx = read_context(self.text, col, col + self.end - self.start)
        return self._ctx


def scan(story, finder: Finder, rule=None) -> list[Hit]:
    """The hits of `finder`'s words in the story (in the stretch from the first to the last
    section `rule` reads), found once per story, word list and stretch: rules that look for the
    same words share the scan and its hits (kept in `story.memo`). A finder that `serve_from`
    has tied to a wider one takes its hits from the wider finder's scan."""
    start, end = _reach(story, rule)
    key = (finder.key, start, end)
    hits = story.memo.get(key)
    if hits is None:
        wider = _WIDER.get(finder.key)
        if wider is not None:
            words = finder.key[1]
            hits = [hit for hit in scan(story, wider, rule) if hit.normal in words]
        else:
            hits = [Hit(story, start + s, start + e)
                    for s, e in find_words(finder, story.text[start:end])]
        story.memo[key] = hits
    return hits


# Finder key -> a finder for more words whose scan, kept to the first finder's words, finds
# exactly its hits (see `serve_from`). Process-wide, like patterns.PRESENCE: rules are built
# once per run and finders with equal words are interchangeable.
_WIDER: dict[tuple, Finder] = {}


def serve_from(narrow: Finder, wide: Finder) -> bool:
    """Make scans for `narrow`'s words come from one scan for `wide`'s (a superset): two rules
    then read a story once between them. Only done, and True, when the answer cannot change:
    every word is plain ASCII and no word of `wide` holds, right after an apostrophe, the start
    of a word of `narrow` (RE2's \\b falls there, so "it's" would hide an "s")."""
    if not set(narrow.words) <= set(wide.words) or narrow.key == wide.key:
        return False
    if not all(_PLAIN_WORD.match(word) for word in wide.words):
        return False
    for word in wide.words:
        for tail in word.split("'")[1:]:
            if any(tail.startswith(other) for other in narrow.words):
                return False
    _WIDER[narrow.key] = wide
    return True


def _reach(story, rule) -> tuple[int, int]:
    """Offsets from the start of the first to the end of the last section the rule reads (the
    whole text for no rule): a story's licensing boilerplate is not scanned for words that
    rules reading only the headline, shots and body would then skip."""
    if rule is None or "all" in rule.sections:
        return 0, len(story.text)
    key = ("reach", rule.sections)
    reach = story.memo.get(key)
    if reach is None:
        read = read_sections(story, rule)
        last = read[-1].end_line - 1 if read else 0
        reach = story.memo[key] = (story.line_starts[read[0].start_line - 1],
                                   story.line_starts[last] + len(story.lines[last])) \
            if read else (0, 0)
    return reach


def _joined(char: str) -> bool:
    return char.isalnum() or char == "_"


def read_context(line: str, start: int, end: int, limit: int = WINDOW_CHARS) -> Context:
    """The clause around line[start:end]: its words and the punctuation that bounds it.

    Memoised (a pure function of its arguments, see `read_clause`): both confusable-word rules
    read the context of the words they share, and a line's hash is computed once per string."""
    # tuple.__new__: the named tuple's own __new__ is a Python function (~3x slower)
    return _new_tuple(Context, read_clause(line, start, end, limit))


@lru_cache(maxsize=4096)
def read_clause(line: str, start: int, end: int, limit: int = WINDOW_CHARS) -> tuple:
    """`read_context`'s fields as a plain tuple, memoised. Plain, because the garbage collector
    stops tracking a plain tuple of strings and tuples, but never a named tuple: 4,096 cached
    named tuples were traversed by every full collection. Words are read outwards from the hit
    and only up to the clause's edge."""
    left_from = max(0, start - limit)
    cut = left_from > 0 and line[left_from].isalnum() and line[left_from - 1].isalnum()
    right_to = min(len(line), end + limit)
    left, right = normalize(line[left_from:start]), normalize(line[end:right_to])
    if COMPILED_CLAUSE_WORDS is not None:
        back, opened = COMPILED_CLAUSE_WORDS(left, True, cut)
        after, closed = COMPILED_CLAUSE_WORDS(right, False, False)
    else:
        before, opened = _left_clause(left.split(), cut)
        back = tuple(before)
        words, closed = _right_clause(right.split())
        after = tuple(words)
    if opened is None and left_from == 0:
        opened = "^"
    if closed is None and right_to == len(line):
        closed = "$"
    return (back[::-1], after, opened, closed, line[start].isupper(), back)


# Tokenising is `_TOKEN.findall` chunk by chunk (no token spans whitespace, so the tokens are the
# same), from the hit outwards, stopping at the clause's edge; a chunk that is a plain word, or a
# plain word and one punctuation mark, needs no regex. This is the hot path of both rules.
_MARKS = frozenset(",.;:!?")


def _right_clause(chunks: list[str]) -> tuple[list[str], str | None]:
    """Words of the chunks up to the first clause break, and that break (None: none)."""
    words = []
    for chunk in chunks:
        if chunk.isalpha():
            words.append(chunk)
            continue
        if chunk[-1] in _MARKS and chunk[:-1].isalpha():
            words.append(chunk[:-1])
            return words, chunk[-1]
        for token in _TOKEN.findall(chunk):
            if token in CLAUSE_BREAKS or token[0] == "-":
                return words, token[0]
            words.append(token)
    return words, None


def _left_clause(chunks: list[str], cut: bool) -> tuple[list[str], str | None]:
    """Words of the chunks, last first, back to the nearest clause break, and that break; with
    `cut`, the first token is left out (a word cut in two by the window's edge)."""
    words: list[str] = []
    for index in range(len(chunks) - 1, -1, -1):
        chunk = chunks[index]
        if index or not cut:
            if chunk.isalpha():
                words.append(chunk)
                continue
            if chunk[-1] in _MARKS and chunk[:-1].isalpha():
                return words, chunk[-1]
        tokens: list[str] = _TOKEN.findall(chunk)  # typed: mypyc cannot reverse a list of Any
        for token in reversed(tokens[1:] if index == 0 and cut else tokens):
            if token in CLAUSE_BREAKS or token[0] == "-":
                return words, token[0]
            words.append(token)
    return words, None


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


def far_tokens(ctx: Context) -> tuple[str | None, str | None]:
    """The model tokens two places left and right of a hit: the word there, the clause edge
    when the clause has only one word on that side, None when it has none (or ran out)."""
    if len(ctx.before) >= 2:
        left = model_token(ctx.before[-2])
    else:
        left = _edge(ctx.opened, "left") if ctx.before else None
    if len(ctx.after) >= 2:
        right = model_token(ctx.after[1])
    else:
        right = _edge(ctx.closed, "right") if ctx.after else None
    return left, right


def _edge(mark: str | None, side: str) -> str | None:
    if mark is None:
        return None
    if side == "left":
        return "<s>" if mark == "^" or mark in SENTENCE_BREAKS else "<c>"
    return "</s>" if mark in ("$", ".", "!", "?") else "</c>"


def model_clauses(text: str) -> list[list[str | None]]:
    """The text as the model counts it: per clause, its edge tokens around its model tokens,
    with the same tokens and edges `left_token`/`right_token` give a hit on a one-line text."""
    out: list[list[str | None]] = []
    words: list[str | None] = []
    opened = "^"
    for token in _TOKEN.findall(text) + [None]:
        if token is None or token in CLAUSE_BREAKS or token[0] == "-":
            closed = "$" if token is None else token[0]
            if words:
                out.append([_edge(opened, "left"), *words, _edge(closed, "right")])
            words, opened = [], closed
        else:
            words.append(model_token(normalize(token)))
    return out
