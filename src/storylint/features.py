"""Features of one story line for the promo-tail classifier, shared by training and `check`.

Training (scikit-learn) and checking (plain Python) must see exactly the same numbers, so the
features are computed here, once, in pure Python with deterministic hashing (`zlib.crc32`,
never the salted built-in `hash()`):

- hashed text features: each word, each pair of adjacent words and the 3-5-grams of each
  word's UTF-8 bytes (so "subscribing", "subscribe" and "sub-scribe" share evidence), all scaled
  by 1/sqrt(words + 1);
- dense features, appended after the hashed block: what the line is made of (links, handles,
  e-mail addresses, emoji, prices, phone numbers, first/second-person address, shouting) and
  where it sits (after the licensing boilerplate, last line, share of its words found in the
  rest of the story).

URLs, e-mail addresses, handles, prices and emoji become placeholder words (`zzurl`, ...) so
the word features generalise beyond the exact link or amount.
"""
from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from storylint.normalise import reader_lower
from storylint.speedups import compiled

FEATURE_VERSION = 2
DEFAULT_HASH_BITS = 18
MAX_SEGMENT_CHARS = 250
MAX_CONTENT_WORDS = 20
CHAR_NGRAMS = (3, 4, 5)
WORD_PAIRS = True

TEXT_DENSE = (
    "first-person", "second-person", "link", "e-mail", "handle", "hashtag", "emoji", "price",
    "phone-number", "percent", "exclamation", "question", "shouting", "length", "short",
    "quoted", "no-content-words",
)
CONTEXT_DENSE = (
    "after-boilerplate", "boilerplate-line", "last-before-boilerplate", "last-line",
    "story-has-boilerplate", "in-body", "in-shot-list", "in-headline", "shared-words",
    "unshared-words",
)
DENSE_NAMES = TEXT_DENSE + CONTEXT_DENSE

_FIRST = frozenset(("i", "me", "my", "mine", "myself", "we", "us", "our", "ours"))
_SECOND = frozenset(("you", "your", "yours", "yourself", "u", "ur", "ya", "youre"))
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours out over own same she
should so some such than that the their theirs them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you
your yours said says also very much many told year years last first new one two three like get
""".split())

_PLACEHOLDERS = ("zzurl", "zzemail", "zzhandle", "zzhashtag", "zzprice", "zzphone", "zzpct",
                 "zzemoji")
_NOT_CONTENT = STOPWORDS | frozenset(_PLACEHOLDERS)
# Words are runs of letters and digits (digits read as 0); everything else separates them.
# ASCII text takes a fast translate+split path, other text a regex with the same meaning.
_ASCII_TABLE = str.maketrans({**{chr(i): " " for i in range(128) if not chr(i).isalnum()},
                              **{d: "0" for d in "0123456789"}})
_ASCII_PUNCT = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
                ("\u2013", "-"), ("\u2014", "-"), ("\u2026", "."), ("\u00a0", " "))
_DIGIT = re.compile(r"\d")
_ZERO_BYTES = bytes.maketrans(b"123456789", b"000000000")
_WORD = re.compile(r"[^\W_]+")
_TLDS = ("com", "net", "org", "info", "biz", "io", "ly", "me", "co", "tv", "xyz", "shop",
         "online", "site", "store", "app", "link", "us", "uk", "ru", "gg", "to")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:"
                  + "|".join(_TLDS) + r")\b(?:/[^\s<>\"')]*)?")
# A line can hold a link only if one of these is in it: `http`, `www` or a dot and a TLD
# (tested in that order, the two plain substrings first: far faster than one alternation).
_TLD_HINT = re.compile(r"\.(?:" + "|".join(_TLDS) + r")\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@[a-z0-9_]{2,}")
_HASHTAG = re.compile(r"(?<![\w#])#[^\W\d_]\w*")
_PRICE = re.compile(r"[$\u00a3\u20ac\u00a5\u20b9]\s?\d[\d,.]*\s?(?:k\b|m\b|bn\b|million\b|billion\b)?")
_CURRENCY = ("$", "\u00a3", "\u20ac", "\u00a5", "\u20b9")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{5,}\d(?!\w)")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F]")
_SHOUT = re.compile(r"\b[A-Z]{3,}\b")
# Three ASCII capitals in a row are rare in news; looking for them first skips the
# word-boundary search on almost every line, with the same count. The look is a byte
# translation (capitals to `A`, every other byte to a space) and a substring test, in C.
_CAPITALS = bytes(65 if 65 <= byte <= 90 else 32 for byte in range(256))
_DIGIT_BYTES = b"0123456789"
_QUOTES = ("\"", "\u201c", "'", "\u2018")
# The C `line_facts` (storylint._speedups) if it was built for these features, else None:
# `python_line_facts` gives the same values, slower.
COMPILED_LINE_FACTS = compiled("line_facts", "FEATURE_VERSION", FEATURE_VERSION)


class LineText(NamedTuple):
    """What a line's text alone says: its normalised words, content words and text features.

    (Named tuples rather than dataclasses here: `check` imports this module, and every
    millisecond of start-up counts in a pre-commit hook.)
    """

    words: tuple
    content: tuple
    dense: tuple

    @property
    def scale(self) -> float:
        """The value every hashed feature of this line takes."""
        return 1.0 / math.sqrt(len(self.words) + 1)


class Segment(NamedTuple):
    """One scored unit: a non-blank line of the story and where it sits."""

    line: int
    text: str
    kind: str
    after_boilerplate: bool
    last_before_boilerplate: bool
    last_line: bool


def normalise(text: str) -> str:
    """The form every feature reads: lower case, and for non-ASCII text the reader's view
    (`normalise.skeleton`: invisible and bidi characters removed, NFKC, Cyrillic/Greek
    look-alikes as Latin), so "vi\u200bagra" or "Арр1е" cannot hide from the model."""
    return reader_lower(text)


def analyse_text(text: str) -> LineText:
    """Words and text-only features of one line (the first MAX_SEGMENT_CHARS characters)."""
    original = text[:MAX_SEGMENT_CHARS]
    low, specials = _replace_specials(normalise(original))
    facts = None
    if COMPILED_LINE_FACTS is not None:
        facts = COMPILED_LINE_FACTS(low, original, _FIRST, _SECOND, _NOT_CONTENT,
                                    MAX_CONTENT_WORDS)
    words, content, first, second, pct, bangs, questions, shouted = \
        facts or python_line_facts(low, original)
    n = len(words) or 1
    dense = (min(first / n * 4, 1.0), min(second / n * 4, 1.0)) + specials + (
        _clip(pct), _clip(bangs), _clip(questions), min(shouted / n * 4, 1.0),
        math.log1p(len(original)) / 7.0, 1.0 if len(words) <= 3 else 0.0,
        1.0 if original.lstrip().startswith(_QUOTES) else 0.0, 0.0 if content else 1.0,
    )
    return LineText(words, content, dense)


def python_line_facts(low: str, original: str) -> tuple:
    """(words, content words, first-person, second-person, `zzpct` words, `!`, `?`, shouted
    words) of a line: the definition the compiled `line_facts` (storylint._speedups, for ASCII
    lines) returns exactly."""
    words = split_words(low)
    content = tuple([w for w in words if len(w) > 3 and w not in _NOT_CONTENT and w.isalpha()]
                    [:MAX_CONTENT_WORDS])
    return (words, content, sum(map(_FIRST.__contains__, words)),
            sum(map(_SECOND.__contains__, words)), words.count("zzpct"), original.count("!"),
            original.count("?"), _shouted_words(original))


def split_words(low: str) -> tuple[str, ...]:
    """The words of normalised text; `%` becomes the word `zzpct`."""
    if "%" in low:
        low = low.replace("%", " zzpct ")
    if not low.isascii():
        for fancy, plain in _ASCII_PUNCT:
            if fancy in low:
                low = low.replace(fancy, plain)
    if low.isascii():
        return tuple(low.translate(_ASCII_TABLE).split())
    return tuple(_WORD.findall(zero_digits(low)))


def zero_digits(text: str) -> str:
    """The text with every decimal digit (any script's, as regex `\\d` reads them) as 0: how
    the features read numbers."""
    if text.isascii():  # a byte translation: ~10x faster than the regex on a licence line
        return text.encode("ascii").translate(_ZERO_BYTES).decode("ascii")
    return _DIGIT.sub("0", text)


def _shouted_words(text: str) -> int:
    """How many words of three or more ASCII capitals the text has."""
    if b"AAA" not in text.encode("utf-8", "surrogatepass").translate(_CAPITALS):
        return 0
    return len(_SHOUT.findall(text))


def _digit_count(text: str) -> int:
    """How many ASCII digits the text has (what `str.count` of each would add up to)."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _DIGIT_BYTES))


def _clip(count: int) -> float:
    return min(count, 3) / 3.0


_SPECIAL_NAMES = ("link", "e-mail", "handle", "hashtag", "emoji", "price", "phone")
_NO_SPECIALS = (0.0,) * len(_SPECIAL_NAMES)  # the features of a line with none (most lines)


def _replace_specials(low: str) -> tuple[str, tuple[float, ...]]:
    """Links, addresses, handles, prices, phone numbers and emoji become placeholder words;
    also returns their clipped counts, in _SPECIAL_NAMES order."""
    counts = {}
    if "@" in low:  # addresses first: their domain would otherwise read as a link
        low, counts["e-mail"] = _EMAIL.subn(" zzemail ", low)
        low, counts["handle"] = _HANDLE.subn(" zzhandle ", low)
    if "http" in low or "www" in low or _TLD_HINT.search(low):
        low, counts["link"] = _URL.subn(_url_words, low)
    if "#" in low:
        low, counts["hashtag"] = _HASHTAG.subn(" zzhashtag ", low)
    # an ASCII line can hold only the first of the currency symbols
    if "$" in low if low.isascii() else any(symbol in low for symbol in _CURRENCY):
        low, counts["price"] = _PRICE.subn(" zzprice ", low)
    if _digit_count(low) >= 7:
        low, counts["phone"] = _PHONE.subn(_phone_words, low)
    if not low.isascii():
        low, counts["emoji"] = _EMOJI.subn(" zzemoji ", low)
    if not counts:
        return low, _NO_SPECIALS
    return low, tuple([_clip(counts.get(name, 0)) for name in _SPECIAL_NAMES])


_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")
_URL_PATH_WORDS = re.compile(r"[a-z]+")


def _url_words(match: re.Match) -> str:
    """`zzurl`, the site's main name and the words of the first path segments.

    `facebook.com/APArchives` and `facebook.com/renegaderichdomains` differ only there, and
    the character n-grams of such names ("domains", "cheap", "crypto") are evidence.
    """
    host, _, path = _URL_PREFIX.sub("", match.group()).partition("/")
    labels = [p for p in host.split(".") if p]
    name = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")
    path_words = _URL_PATH_WORDS.findall("/".join(path.split("/")[:2]))[:4]
    return f" zzurl {name} {' '.join(path_words)} "


def _phone_words(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group())
    return " zzphone " if digits >= 7 else match.group()


_WORD_CRC = zlib.crc32(b"w:")
_CHAR_CRC = zlib.crc32(b"c:")
PAIR_CRC = zlib.crc32(b"b:")


def feature_index(key: str, mask: int) -> int:
    """The hashed column of a feature key such as `w:news` (deterministic everywhere)."""
    return zlib.crc32(key.encode("utf-8")) & mask


def word_indices(word: str, mask: int) -> list[int]:
    """Columns of one word: `w:<word>` and the n-grams `c:<gram>` of the UTF-8 of `<word>`."""
    crc = zlib.crc32
    padded = f"<{word}>".encode("utf-8")
    indices = [crc(padded[1:-1], _WORD_CRC) & mask]
    for size in CHAR_NGRAMS:
        indices += [crc(padded[i:i + size], _CHAR_CRC) & mask
                    for i in range(len(padded) - size + 1)]
    return indices


def pair_index(first: str, second: str, mask: int) -> int:
    """The column of two adjacent words, `b:<first> <second>`."""
    return zlib.crc32(f"{first} {second}".encode("utf-8"), PAIR_CRC) & mask


def hashed_indices(words: tuple[str, ...], mask: int, cache: dict | None = None) -> list[int]:
    """Every hashed column a line's words produce (repeats count twice)."""
    indices: list[int] = []
    for word in words:
        if cache is None:
            indices.extend(word_indices(word, mask))
            continue
        columns = cache.get(word)
        if columns is None:
            columns = cache[word] = word_indices(word, mask)
        indices.extend(columns)
    if WORD_PAIRS:
        for first, second in zip(words, words[1:]):
            indices.append(pair_index(first, second, mask))
    return indices


class StoryContext:
    """Per-story facts the context features need; the story text is normalised lazily."""

    def __init__(self, story):
        self.story = story
        boilerplate = story.of_kind("boilerplate")
        self.has_boilerplate = bool(boilerplate)
        self.content_end = (story.line_starts[boilerplate[0].start_line - 1] if boilerplate
                            else len(story.text))
        self._content: str | None = None

    @property
    def content(self) -> str:
        """The story up to its boilerplate, normalised (offsets kept when lengths allow)."""
        if self._content is None:
            self._content = normalise(self.story.text[:self.content_end])
        return self._content

    def shared(self, words: tuple[str, ...], line: int) -> int:
        """How many of `words` (content words: letters only) occur in the story outside the
        given line."""
        content = self.content
        start = self.story.line_starts[line - 1]
        if start >= self.content_end:
            return sum(map(content.__contains__, words))
        end = start + len(self.story.lines[line - 1])
        if len(content) != self.content_end:  # normalisation changed lengths: slice exactly
            text = self.story.text
            rest = normalise(text[:start]) + "\n" + normalise(text[end:self.content_end])
            return sum(map(rest.__contains__, words))
        return count_outside(content, words, start, end)


def count_outside(text: str, words: tuple[str, ...], start: int, end: int) -> int:
    """How many of `words` occur in `text` before `start` or from `end` on: what
    `sum(w in text[:start] + "\n" + text[end:] for w in words)` counts for words without a
    newline, without copying the text (a word's first occurrence usually settles it)."""
    count = 0
    for word in words:
        first = text.find(word)
        if first >= 0 and (first + len(word) <= start or text.find(word, end) >= 0):
            count += 1
    return count


def context_values(ctx: StoryContext, segment: Segment, text: LineText) -> tuple[float, ...]:
    """The context features of a segment, in CONTEXT_DENSE order.

    Boilerplate lines get no shared-words values: their words are the licence's, not the
    story's, and this keeps their score independent of the story (so it can be cached).
    """
    kind = segment.kind
    shared = unshared = 0.0
    if text.content and kind != "boilerplate":
        shared = ctx.shared(text.content, segment.line) / len(text.content)
        unshared = (1.0 - shared) * min(len(text.content), 8) / 8.0
    return (
        1.0 if segment.after_boilerplate else 0.0, 1.0 if kind == "boilerplate" else 0.0,
        1.0 if segment.last_before_boilerplate else 0.0, 1.0 if segment.last_line else 0.0,
        1.0 if ctx.has_boilerplate else 0.0, 1.0 if kind == "body" else 0.0,
        1.0 if kind == "shot" else 0.0, 1.0 if kind == "headline" else 0.0, shared, unshared,
    )


SCORED_KINDS = frozenset(("headline", "shot", "body", "trailing", "boilerplate"))
_new_tuple = tuple.__new__


def segments_from_end(story) -> Iterator[Segment]:
    """The lines the classifier may score, last line first, with their position facts.

    Lazy, so a scan that stops early never looks at the rest of the story.
    """
    boilerplate = story.of_kind("boilerplate")
    first_bp = boilerplate[0].start_line if boilerplate else None
    seen_content = seen_before_bp = False
    lines = story.lines
    for section in reversed(story.sections):
        kind = section.kind
        if kind not in SCORED_KINDS:
            continue
        for number in range(section.end_line, section.start_line - 1, -1):
            text = lines[number - 1]
            if not text.strip():
                continue
            last_line = not seen_content and kind != "boilerplate"
            seen_content = seen_content or kind != "boilerplate"
            before = first_bp is not None and number < first_bp and not seen_before_bp
            seen_before_bp = seen_before_bp or before
            after = first_bp is not None and number > first_bp and kind != "boilerplate"
            # tuple.__new__: the named tuple's own __new__ is a Python function (~3x slower)
            yield _new_tuple(Segment, (number, text, kind, after, before, last_line))


def story_segments(story) -> list[Segment]:
    """Every line the classifier may score, in story order."""
    return list(reversed(list(segments_from_end(story))))


def segment_row(ctx: StoryContext, segment: Segment, text: LineText,
                mask: int) -> tuple[list[int], list[float]]:
    """Column indices and values of one segment in its story."""
    return row(text, context_values(ctx, segment, text), mask)


def row(text: LineText, context: tuple[float, ...], mask: int,
        cache: dict | None = None) -> tuple[list[int], list[float]]:
    """Column indices and values: hashed words, pairs and n-grams, then the dense features."""
    indices = hashed_indices(text.words, mask, cache)
    values = [text.scale] * len(indices)
    base = mask + 1
    for offset, value in enumerate(text.dense + context):
        if value:
            indices.append(base + offset)
            values.append(value)
    return indices, values
