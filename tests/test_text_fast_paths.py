"""Fast paths over a line's text must give what their plain definitions give.

`normalise.reader_lower` (UTF-8 bytes lower-cased when every non-ASCII character is inert)
against `skeleton(text).lower()`; the promo-tail features' byte and substring tests against the
regular expressions they stand in for."""
from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storylint import features as F
from storylint import story as S
from storylint.checks.context import normalize
from storylint.normalise import _INERT_BLOCKS, is_inert, lower, reader_lower, skeleton
from storylint.normalise import COMPILED_LOWER_INERT as _LOWER_INERT

BLOCK_CHARS = [chr(code) for low, high in _INERT_BLOCKS for code in range(low, high)]
INERT_CHARS = [char for char in BLOCK_CHARS if is_inert(char)]


def _second_of_a_composition() -> set[str]:
    """Every character that is the second of a two-character canonical decomposition: the
    characters NFC/NFKC may join to the one before them."""
    seconds = set()
    for code in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return seconds


def test_inert_characters_never_join_or_reorder_with_a_neighbour():
    """The reason an inert character is safe beside any other: NFKC cannot compose it with
    the character before it, and it has no combining class to be reordered by."""
    seconds = _second_of_a_composition()
    assert not seconds & set(BLOCK_CHARS)
    assert not any(char.isascii() for char in seconds)  # nor compose an ASCII one with it
    assert all(unicodedata.combining(char) == 0 for char in INERT_CHARS)


def test_common_news_characters_are_inert_and_changing_ones_are_not():
    assert all(map(is_inert, "\u2013\u2014\u2018\u2019\u201c\u201d\u00a3\u20ac\u00e9\u00b0"))
    # upper case, compatibility forms (NBSP, ellipsis, one half, micro), invisibles, Cyrillic
    assert not any(map(is_inert, "\u00c9\u00a0\u2026\u00bd\u00b5\u200b\u00ad\u0430\u0301"))


def test_every_inert_character_beside_every_other_and_ascii():
    """Each inert character between ASCII letters, and next to every other inert character."""
    for char in INERT_CHARS:
        for text in (f"A{char}b", f"{char}Z", f"x{char}"):
            assert reader_lower(text) == skeleton(text).lower()
    joined = "".join(INERT_CHARS)
    text = joined + "ABC" + joined[::-1]
    assert reader_lower(text) == skeleton(text).lower()


_MIXED = st.text(alphabet=st.sampled_from(
    list("aZ 0.'\n") + BLOCK_CHARS[::7] + INERT_CHARS[:40]
    + ["\u200b", "\u202e", "\u00ad", "\ufeff", "\uff46", "\u00bd", "\ufb01", "\u0410", "\u043e",
       "\u039f", "\u03a3", "\u0130", "\u0301", "\u0338", "\u1161", "\u0436", "\U0001F600"]),
    max_size=80)


@given(_MIXED)
@settings(max_examples=1000, deadline=None)
def test_reader_lower_equals_the_skeleton_lowered(text):
    assert reader_lower(text) == skeleton(text).lower()


def test_lone_surrogates_take_the_plain_path():
    text = "Caf\u00e9 \ud800 \u2013 OK"
    assert reader_lower(text) == skeleton(text).lower()


@given(st.lists(st.sampled_from(
    list("ABCZaz09 .-/@#%$!?'\"") + ["www", "http", ".com", ".co", ".uk", "com", "\u00a3",
                                     "\u00c9", "\u0410", "\u2013", "\U0001F600", "\ud800",
                                     "\uff21", "\u0663"]), max_size=60).map("".join))
@settings(max_examples=1000, deadline=None)
def test_feature_gates_equal_the_patterns_they_replace(text):
    """Shouted words (a byte scan for three capitals first), the digit count (bytes without
    their digits), the link gate (two substrings, then a dot and a TLD) and the boilerplate
    cache key (digits as 0, by byte translation for ASCII)."""
    import re


    assert F._shouted_words(text) == len(F._SHOUT.findall(text))
    assert F._digit_count(text) == sum(map(text.count, "0123456789"))
    assert F.zero_digits(text) == re.sub(r"\d", "0", text)
    alternation = re.compile(r"http|www|\.(?:" + "|".join(F._TLDS) + r")\b")
    assert bool("http" in text or "www" in text or F._TLD_HINT.search(text)) == bool(
        alternation.search(text))


@given(_MIXED)
@settings(max_examples=500, deadline=None)
def test_non_ascii_keeps_exactly_the_non_ascii_characters_in_order(text):
    from storylint.normalise import non_ascii

    assert non_ascii(text) == "".join(char for char in text if not char.isascii())


def test_greek_final_sigma_is_lowered_as_python_lowers_it():
    """A capital sigma ending a word lowers to "ς", elsewhere to "σ". mypyc's own `str.lower`
    maps letter by letter ("οδοσ"), so the compiled build must not use it
    (tests/test_compiled_build.py runs this file against that build)."""
    for text in ("ΟΔΟΣ", "Η ΟΔΟΣ ΕΚΛΕΙΣΕ.", "ΣΑΣ", "Σ", "ΑΘΗΝΑΣ’ ΝΕΑ", "Ο ΚΟΣΜΟΣ ΜΑΣ"):
        assert lower(text) == text.lower()
        assert normalize(text) == text.lower().replace("\u2019", "'")
        assert reader_lower(text) == skeleton(text).lower()
    assert lower("ΟΔΟΣ") == "οδο\u03c2"  # final sigma, not "\u03c3"


def _plain_location_date_part(line: str) -> str | None:
    """`story._location_date_part` without its dash test: the regular expressions alone."""
    match = S._LOCATION.match(line)
    if not match:
        return None
    date = match.group("date")
    return date if S.DATE_HINT.search(date) or S.UNDATED.match(date.strip()) else None


@given(st.lists(st.sampled_from(
    ["BAKU", "Kyiv, Ukraine", "FILE:", " ", "  ", "\t", "\u00a0", "\u2009", "-", "\u2013",
     "\u2014", "22 April 2024", "Apr 22, 2024", "Date unknown", "said", ".", "x" * 30, "9"]),
    max_size=12).map("".join))
@settings(max_examples=3000, deadline=None)
def test_location_date_dash_test_never_changes_the_answer(line):
    assert S._location_date_part(line) == _plain_location_date_part(line)


def test_location_date_dash_test_keeps_real_location_lines():
    for line in ("BAKU, AZERBAIJAN - 22 April 2024", "FILE: Paris \u2013 1 May 2023  ",
                 "Kyiv, Ukraine \u2014 Date unknown", "LONDON -\u00a0Apr 22, 2024"):
        assert S._location_date_part(line) == _plain_location_date_part(line) is not None
    long_tail = "He said - and the talks, which began on Monday, would go on until June 2024"
    assert S._location_date_part(long_tail) is None is _plain_location_date_part(long_tail)



@given(st.lists(st.sampled_from(["news", "said", "ewsp", "s", " ", "\n", "The", "sai", "dnews",
                                 "\u2019", "é"]), max_size=30).map("".join),
       st.lists(st.sampled_from(["news", "said", "ews", "dnew", "sn", "e", "\u2019s"]),
                max_size=5).map(tuple),
       st.integers(0, 80), st.integers(0, 80))
@settings(max_examples=3000, deadline=None)
def test_count_outside_counts_what_the_joined_rest_contains(text, words, start, length):
    """`count_outside` searches the text around a line in place; it must count what searching
    the text before and after the line, joined by a newline, counts."""
    start = min(start, len(text))
    end = min(start + length, len(text))
    rest = text[:start] + "\n" + text[end:]
    assert F.count_outside(text, words, start, end) == sum(w in rest for w in words)


@pytest.mark.skipif(_LOWER_INERT is None, reason="storylint._speedups was not built (no C "
                    "compiler at install, or STORYLINT_SPEEDUPS=off): reader_lower's Python path "
                    "is in use, and the test above covers it")
@given(st.lists(st.sampled_from(list("aZ 0.'\nQ") + INERT_CHARS), max_size=80).map("".join))
@settings(max_examples=1000, deadline=None)
def test_compiled_lower_inert_equals_the_utf8_bytes_lowered(text):
    """The compiled fast path gives what the bytes path gives for ASCII and inert characters,
    in one- and two-byte strings alike."""
    from storylint.normalise import inert_bitmap, utf8

    assert _LOWER_INERT(text, inert_bitmap()) == utf8(text).lower().decode("utf-8")


@pytest.mark.skipif(_LOWER_INERT is None, reason="storylint._speedups was not built")
def test_compiled_lower_inert_declines_what_it_cannot_lower():
    from storylint.normalise import inert_bitmap

    bitmap = inert_bitmap()
    for text in ("Caf\u00c9", "x\u200by", "\u0410pple", "ok \U0001F600", "\ud800 lone"):
        assert _LOWER_INERT(text, bitmap) is None, text  # the general path takes these
    assert _LOWER_INERT("A\u2019B \u00a3", bitmap) == "a\u2019b \u00a3"
    with pytest.raises(ValueError):
        _LOWER_INERT("x\u2019", bitmap[:-1])


def test_utf8_keeps_the_bytes_of_a_batch_of_texts():
    """A batch's stories are parsed together and then each rule reads each of them: every
    story's bytes are encoded once, whichever was encoded last."""
    from storylint import normalise

    normalise._recent.clear()
    texts = [f"Story {n} \u2014 \u201cquoted\u201d caf\u00e9 \ud800" for n in range(16)]
    first = [normalise.utf8(text) for text in texts]
    assert first == [text.encode("utf-8", "surrogatepass") for text in texts]
    assert all(normalise.utf8(text) is data for text, data in zip(texts, first))


def test_utf8_holds_few_texts_and_no_long_ones():
    from storylint import normalise

    long_text = "x" * (normalise._RECENT_CHARS + 1)
    assert normalise.utf8(long_text) == long_text.encode()
    assert all(entry[0] is not long_text for entry in normalise._recent.values())
    for n in range(3 * normalise._RECENT_TEXTS):
        normalise.utf8(f"text {n}")
    assert 0 < len(normalise._recent) <= normalise._RECENT_TEXTS


def test_utf8_never_answers_for_another_text_with_a_reused_id():
    from storylint import normalise

    data = normalise.utf8("".join(["caf", "\u00e9 one"]))  # freed at once: its id may come back
    assert data == "caf\u00e9 one".encode()
    for n in range(200):
        text = "".join(["caf", f"\u00e9 {n}"])
        assert normalise.utf8(text) == text.encode()
