"""Regular expressions from rule packs, compiled with RE2 so that no pattern can hang a run.

RE2 runs in time linear in the input, whatever the pattern, and refuses what it cannot do in
linear time (backreferences, lookaround) at load time rather than silently falling back to a
backtracking engine. Its `\\b` and `\\w` are ASCII-only, so rules that need whole words say
`whole-word: true` and the boundary is checked here with Unicode-aware `str.isalnum`.

google-re2 is a declared dependency. Run from a source checkout without it, storylint still
checks stories with its own reviewed rule packs (compiled inside `reviewed_patterns()`), on
Python's `re`: their patterns are written to stay linear there too. Patterns from any other
pack are refused (exit 2): they are untrusted, and `re` can take exponential time.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass
from typing import Any

from storylint.normalise import utf8

MAX_PATTERN_CHARS = 64_000
MAX_PROGRAM_MEMORY = 8 << 20


class PatternError(ValueError):
    """A pattern the safe engine refuses; the message says why."""


_REVIEWED = contextvars.ContextVar("storylint_reviewed_patterns", default=False)
NO_RE2 = ("this pattern needs the google-re2 package (pip install google-re2, or install "
          "storylint with pip): rule-pack patterns never run on Python's backtracking re")


@contextlib.contextmanager
def reviewed_patterns():
    """Patterns compiled inside come from storylint's own reviewed packs: without google-re2
    they may run on Python's `re`."""
    token = _REVIEWED.set(True)
    try:
        yield
    finally:
        _REVIEWED.reset(token)


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern; `spans` yields (start, end) character offsets of non-empty matches."""

    source: str
    compiled: Any  # a google-re2 or re pattern
    whole_word: bool

    def spans(self, text: str):
        """Offsets of each non-empty match, skipping word-internal ones when whole_word is set."""
        for start, end in char_spans(self.compiled, text):
            if end == start:
                continue
            if self.whole_word and not _at_word_edges(text, start, end):
                continue
            yield start, end


def char_spans(compiled, text: str):
    """(start, end) character offsets of the matches of an RE2 pattern in `text`.

    RE2 runs on the UTF-8 bytes: the `google-re2` wrapper spends most of its time converting
    offsets when given a str (measured several times slower); byte offsets are converted only
    for the matches, and not at all for ASCII text.
    """
    if isinstance(compiled, re.Pattern):  # Python's engine (no google-re2): str offsets already
        for match in compiled.finditer(text):
            yield match.span()
        return
    data = utf8(text)
    if len(data) == len(text):
        yield from byte_spans(compiled, data)
        return
    char = byte = 0
    for start, end in byte_spans(compiled, data):
        char += len(data[byte:start].decode("utf-8", "surrogatepass"))
        byte = start
        yield char, char + len(data[start:end].decode("utf-8", "surrogatepass"))


def byte_spans(compiled, data: bytes):
    """(start, end) byte offsets of the matches of an RE2 pattern in UTF-8 `data`."""
    search = raw_search(compiled)
    if search is None:
        for match in compiled.finditer(data):
            yield match.span()
        return
    pos, size = 0, len(data)
    while pos <= size:
        start, end = search(data, pos, size)[0]
        if start < 0:
            return
        yield start, end
        pos = end
        if end == start:  # an empty match: step over one whole character
            pos += 1
            while pos < size and data[pos] & 0xC0 == 0x80:
                pos += 1


def raw_search(compiled):
    """A function (data, pos, end) -> the byte spans of the next match and of each group
    ((-1, -1) when none), calling google-re2's C++ binding directly: its Python wrapper builds a
    match object per hit, which cost more than the scan itself (measured 2x the whole scan).
    None when the binding is not there (another google-re2 version); callers use the wrapper."""
    cached = _RAW.get(id(compiled))
    if cached is not None and cached[0] is compiled:
        return cached[1]
    try:
        regexp, unanchored = compiled._regexp, type(compiled._regexp).Anchor.UNANCHORED
        if regexp.Match(unanchored, b"", 0, 0)[0] != (-1, -1) and compiled.search("") is None:
            raise TypeError("unexpected binding")
        search = lambda data, pos, end: regexp.Match(unanchored, data, pos, end)  # noqa: E731
    except (AttributeError, TypeError):
        search = None
    _RAW[id(compiled)] = (compiled, search)
    return search


_RAW: dict[int, tuple] = {}  # id(compiled) -> (compiled, search); compiled patterns live long


class PresenceScan:
    """One RE2 scan of a text that tells which of many registered patterns match anywhere in it.

    Rules of one kind register their compiled patterns at build time; at check time a single
    scan (an RE2::Set) replaces one full scan per rule, and a rule whose patterns are absent
    skips its own search (each search of a 1.5 KB story costs 6-14 us; most stories match
    none). Only a prefilter: a rule whose pattern is present still runs its own search.
    Without google-re2, or when the set cannot be built, `present` answers None ("unknown").
    """

    def __init__(self):
        self._index: dict[tuple[str, bool], int] = {}
        self._set = None  # compiled lazily, rebuilt after a registration

    def register(self, compiled) -> int | None:
        """The index of `compiled` in the set (None when it cannot take part)."""
        options = getattr(compiled, "options", None)
        if options is None:  # Python's re (no google-re2)
            return None
        key = (compiled.pattern, options.case_sensitive)
        if key not in self._index:
            self._index[key] = len(self._index)
            self._set = None
        return self._index[key]

    def present(self, text: str, memo: dict | None = None) -> frozenset[int] | None:
        """Indices of the registered patterns that match somewhere in `text`; `memo` (the
        story's) keeps the answer for the other rules that ask about the same text."""
        if memo is None:
            return self._scan(text)
        key = ("presence", id(self), len(self._index))
        found = memo.get(key, memo)  # the memo itself marks "not scanned yet"
        if found is memo:
            found = memo[key] = self._scan(text)
        return found

    def _scan(self, text: str) -> frozenset[int] | None:
        scanner = self._set if self._set is not None else self._compile()
        if scanner is False:
            return None
        return frozenset(scanner.Match(utf8(text)) or ())

    def _compile(self):
        try:
            import re2

            options = re2.Options()
            options.log_errors = False
            options.max_mem = MAX_PROGRAM_MEMORY
            scanner = re2._re2.Set(re2._Anchor.UNANCHORED, options)
            for (source, case_sensitive), index in sorted(self._index.items(),
                                                          key=lambda item: item[1]):
                wrapped = source if case_sensitive else f"(?i:{source})"
                if scanner.Add(wrapped.encode("utf-8")) != index:
                    raise ValueError(f"could not add {source!r}")
            if not scanner.Compile():
                raise ValueError("could not compile the set")
        except (ImportError, AttributeError, TypeError, ValueError, RuntimeError):
            scanner = False  # no prefilter: every rule runs its own search
        self._set = scanner
        return scanner


def compile_pattern(source: str, ignore_case: bool = False, whole_word: bool = False) -> Pattern:
    """Compile a rule pattern that must never match the empty string."""
    compiled = compile_regex(source, ignore_case)
    if compiled.search("") is not None:
        raise PatternError("pattern matches the empty string, so it would match everywhere")
    return Pattern(source, compiled, whole_word)


def compile_regex(source: str, ignore_case: bool = False, reviewed: bool = False):
    """Compile with RE2; raise PatternError naming the unsupported feature or syntax problem.

    Without google-re2, `reviewed` patterns (storylint's own, or built from escaped literals)
    are compiled with Python's `re`; any other pattern is refused."""
    if len(source) > MAX_PATTERN_CHARS:
        raise PatternError(f"pattern too long ({len(source):,} > {MAX_PATTERN_CHARS:,} chars)")
    try:
        import re2
    except ImportError:
        if not (reviewed or _REVIEWED.get()):
            raise PatternError(NO_RE2) from None
        return _compile_python(source, ignore_case)
    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_MEMORY
    options.case_sensitive = not ignore_case
    try:
        compiled = re2.compile(source, options)
    except re2.error as exc:
        raise PatternError(_explain(source, exc)) from None
    return compiled


_RE2_HEX = re.compile(r"(\\\\)|\\x\{([0-9A-Fa-f]{1,6})\}")  # an escaped backslash, or \x{HHHH}


def _compile_python(source: str, ignore_case: bool):
    """A reviewed RE2 pattern on Python's `re` (RE2's `\\x{HHHH}` written as `\\UHHHHHHHH`)."""
    translated = _RE2_HEX.sub(lambda m: m.group(1) or f"\\U{int(m.group(2), 16):08X}", source)
    try:
        return re.compile(translated, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise PatternError(f"invalid pattern: {exc}") from None


def _explain(source: str, exc: Exception) -> str:
    detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
        exc.args[0], bytes) else str(exc)
    unsupported = {"(?<": "lookbehind", "(?=": "lookahead", "(?!": "lookahead", "(?>": "atomic group"}
    for token, feature in unsupported.items():
        if token in source and ("perl operator" in detail or "missing argument" in detail
                                or "invalid" in detail):
            return f"pattern uses {feature}, unsupported by the safe regex engine (RE2): {detail}"
    if "escape" in detail and any(f"\\{d}" in source for d in "123456789"):
        return f"pattern uses a backreference, unsupported by the safe regex engine (RE2): {detail}"
    return f"invalid pattern: {detail}"


def _at_word_edges(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _wordish(before) and not _wordish(after)


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_"
