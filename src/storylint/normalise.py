"""A normalised copy of story text for matching: what a reader sees, not how it is encoded.

Spammers hide words from filters with zero-width characters ("vi\u200bagra"), compatibility
forms (full-width "ｆｒｅｅ") and look-alike letters from other scripts (Cyrillic "Арр1е").
Word rules and the classifier read `skeleton(text)`; findings still point into the original,
because the skeleton keeps one output character per input character (removed characters become
nothing only through `strip_invisible`, which callers use where positions do not matter).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from storylint.speedups import compiled

INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
                              "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                              "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"))
# Cyrillic and Greek letters that render like Latin ones in common fonts (from Unicode's
# confusables data, restricted to the unambiguous single-letter cases).
LOOKALIKES = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "а": "a", "е": "e", "о": "o",
    "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h",
    "ԛ": "q", "ԝ": "w", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
    "α": "a", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
}
_TO_LATIN = str.maketrans(LOOKALIKES)
# `str.translate` with a dict visits every character through the dict (~0.1 ms for a line of
# news with curly quotes); one regex search answers "is there anything to change?" far faster.
INVISIBLE_CHARS = "".join(map(chr, INVISIBLE))
_LOOKALIKE_CHARS = "".join(LOOKALIKES)
_ANY_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_ANY_LOOKALIKE = re.compile(f"[{_LOOKALIKE_CHARS}]")
# Most non-ASCII text (curly quotes, accents) has neither: one scan for both answers that.
_ANY_INVISIBLE_OR_LOOKALIKE = re.compile(f"[{INVISIBLE_CHARS}{_LOOKALIKE_CHARS}]")


def strip_invisible(text: str) -> str:
    """The text without zero-width, soft-hyphen and bidi-control characters."""
    if text.isascii() or not _ANY_INVISIBLE.search(text):
        return text
    return text.translate(INVISIBLE)


# Blocks whose characters are never the second of a canonical composition pair (checked
# against the whole Unicode database in tests/test_text_fast_paths.py), so one of their
# characters that NFKC, lower case and the look-alike and invisible tables all leave alone can
# sit beside any ASCII or other such character and still be left alone: Latin-1 Supplement,
# Latin Extended-A and -B, General Punctuation, Currency Symbols.
_INERT_BLOCKS = ((0x00A0, 0x0250), (0x2000, 0x2070), (0x20A0, 0x20D0))
_ASCII_BYTES = bytes(range(128))
_inert: dict[str, bool] = {}  # character -> is_inert(character), filled as characters appear


def lower(text: Any) -> str:
    """`text.lower()` exactly as CPython does it, Greek final sigma included ("ΟΔΟΣ" -> "οδος"
    with a final "ς"). Modules compiled by mypyc call this, not `str.lower`: mypyc's own
    `str.lower` maps character by character and gives "οδοσ". `Any` keeps mypyc from using it
    here too (tests/test_compiled_build.py)."""
    return text.lower()


# id(text) -> (text, its UTF-8) for the texts `utf8` encoded last. Several: a batch's stories
# are parsed together and then each rule reads each of them (engine.check_texts), so the one
# text encoded last is rarely the next one asked for. The text is kept with its bytes: while it
# is here its id cannot be reused by another object.
_RECENT_TEXTS = 64  # two batches' stories (engine.BATCH_SIZE) and the texts their rules encode
_RECENT_CHARS = 1 << 16  # longer texts are encoded afresh: no copies of big files are kept
_recent: dict[int, tuple[str, bytes]] = {}


def utf8(text: str) -> bytes:
    """`text` as UTF-8, lone surrogates kept. The parser and several rules encode the same story
    in turn, so the bytes of the last few texts are kept and returned while they are the same
    objects."""
    found = _recent.get(id(text))
    if found is not None and found[0] is text:
        return found[1]
    data = text.encode("utf-8", "surrogatepass")
    if len(text) <= _RECENT_CHARS:
        if len(_recent) >= _RECENT_TEXTS:
            _recent.clear()
        _recent[id(text)] = (text, data)
    return data


def is_inert(char: str) -> bool:
    """True for a non-ASCII character that `skeleton` and `str.lower` leave unchanged in any
    text made of ASCII and such characters (curly quotes, dashes, £, lower-case é)."""
    known = _inert.get(char)
    if known is None:
        code = ord(char)
        known = _inert[char] = (
            any(low <= code < high for low, high in _INERT_BLOCKS)
            and char not in INVISIBLE_CHARS and char not in LOOKALIKES and lower(char) == char
            and unicodedata.combining(char) == 0
            and unicodedata.normalize("NFKC", char) == char)
    return known


def non_ascii(text: str) -> str:
    """The text's non-ASCII characters, in order: a few dashes and quotes in most news, so a
    search for particular non-ASCII characters can read this instead of the whole text."""
    if text.isascii():
        return ""
    return _non_ascii_of(utf8(text))


def _non_ascii_of(data: bytes) -> str:
    # Deleting the ASCII bytes leaves whole multi-byte sequences (done in C, per byte).
    return data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


NORMALISE_VERSION = 1  # of lower_inert's results; _speedups.h holds the same number
# The compiled fast path of `reader_lower` (storylint._speedups), else None.
COMPILED_LOWER_INERT = compiled("lower_inert", "NORMALISE_VERSION", NORMALISE_VERSION)
_inert_bitmap: list[bytes] = []  # one bit per BMP character: is_inert; built on first use


def inert_bitmap() -> bytes:
    """`is_inert` for every character of the Basic Multilingual Plane, one bit each (only the
    inert blocks can have a bit set), for the compiled `lower_inert`."""
    if not _inert_bitmap:
        bits = bytearray(0x10000 // 8)
        for low, high in _INERT_BLOCKS:
            for code in range(low, high):
                if is_inert(chr(code)):
                    bits[code >> 3] |= 1 << (code & 7)
        _inert_bitmap.append(bytes(bits))
    return _inert_bitmap[0]


def reader_lower(text: str) -> str:
    """`skeleton(text).lower()`, the form word features read; text whose non-ASCII
    characters are all inert (most news: dashes, curly quotes, £) is lower-cased as UTF-8
    bytes (or by `lower_inert`, compiled, in one pass), several times faster than Unicode case
    mapping and the skeleton's scans."""
    if text.isascii():
        return text.lower()  # ASCII: mypyc's str.lower gives the same
    if COMPILED_LOWER_INERT is not None:
        lowered = COMPILED_LOWER_INERT(text, inert_bitmap())
        return lowered if lowered is not None else lower(skeleton(text))
    data = utf8(text)
    if all(map(is_inert, set(_non_ascii_of(data)))):
        return data.lower().decode("utf-8", "surrogatepass")  # bytes.lower: A-Z only
    return lower(skeleton(text))


def skeleton(text: str) -> str:
    """Invisible characters removed, compatibility forms folded (NFKC), look-alikes made Latin."""
    if text.isascii():  # nothing to remove or fold
        return text
    if not _ANY_INVISIBLE_OR_LOOKALIKE.search(text) and unicodedata.is_normalized("NFKC", text):
        return text  # what the steps below would return, in one scan instead of two
    folded = strip_invisible(text)
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    if _ANY_LOOKALIKE.search(folded):
        folded = folded.translate(_TO_LATIN)
    return folded


def script_of(char: str) -> str | None:
    """The script of a letter as Unicode names it (LATIN, CYRILLIC, GREEK...), None otherwise."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None
