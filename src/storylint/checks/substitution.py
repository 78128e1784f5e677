"""Kind `substitution`: real words that are wrong in a given context, with a suggested replacement.

"Azerbaijan launched a lighting blitz" passes any spell-checker because "lighting" is a word;
next to "blitz" it is almost certainly "lightning". Each entry names the suspect word, the
replacement and the context that makes the suspect wrong — neighbouring words, or short phrases
around it ("free _", "in _ $") — plus the context that makes it right again ("stage lighting").
Context is read within the suspect's clause (see `checks/context.py`).
"""
from __future__ import annotations

from storylint.checks import OptionError
from storylint.checks.base import MAX_FINDINGS_PER_RULE, make_finding, make_fix, reads
from storylint.checks.context import compile_finder, normalize, scan
from storylint.schema import Field

_WORDS = Field("list", default=[], items=Field("str"))
OPTIONS = {
    "entries": Field("list", required=True, min_items=1, items=Field("map", fields={
        "word": Field("str", required=True, doc="the suspect word (case-insensitive)"),
        "suggest": Field("str", required=True, doc="the replacement"),
        "followed-by": _WORDS, "preceded-by": _WORDS,
        "unless-followed-by": _WORDS, "unless-preceded-by": _WORDS,
        "phrases": Field("list", default=[], items=Field("str"), doc=(
            "word patterns around the suspect, written `_`: `free _`, `take|took the _`, "
            "`in _ $`; `~` is any one word, `..` up to three words, `...` any number of words "
            "of the clause, `^`/`$` the start/end of the clause, `^.` the start of a sentence, "
            "`^,` a clause start after a comma or semicolon, `word*` a prefix, `*ed` a suffix, "
            "`<num>` a number")),
        "unless-phrases": Field("list", default=[], items=Field("str")),
        "window": Field("int", default=1, doc="how many neighbouring words to look at"),
        "safe": Field("bool", default=True, doc="whether --fix may apply it without asking"),
    }), doc=("context words may end in * to match a prefix (offensive* matches offensives); "
             "an entry fires when a followed-by or preceded-by word is near, or a phrase "
             "matches, and no unless-word or unless-phrase does; context never crosses "
             "clause punctuation")),
}
PARAMS = ("word", "suggestion", "context")
DEFAULT_SECTIONS = ("headline", "shot", "body")
SKIP_WORDS = 3


def build(rule):
    """Group the entries by suspect word and compile one alternation to find all of them.

    An entry's contexts are compiled the first time its word occurs in a story (a pre-commit
    run meets a handful of the ~500 entries); `validate()` compiles them all, and the rule
    loader calls it whenever a rule file is validated, so a bad phrase is still a load error.
    """
    table: dict[str, list] = {}
    for index, entry in enumerate(rule.options["entries"]):
        word = normalize(entry["word"])
        if not word or not all(part.isalpha() for part in word.split("'")):
            raise OptionError(f"word {entry['word']!r} must be a single word",
                              ("options", "entries", index, "word"))
        if not (entry["followed_by"] or entry["preceded_by"] or entry["phrases"]):
            raise OptionError("an entry needs followed-by, preceded-by or phrases",
                              ("options", "entries", index))
        table.setdefault(word, []).append((entry, ("options", "entries", index)))
    return _Substitution(table, compile_finder(table))


class _Entry:
    def __init__(self, entry: dict, keys: tuple):
        self.suggest, self.window, self.safe = entry["suggest"], entry["window"], entry["safe"]
        self.after = _Matcher(entry["followed_by"])
        self.before = _Matcher(entry["preceded_by"])
        self.not_after = _Matcher(entry["unless_followed_by"])
        self.not_before = _Matcher(entry["unless_preceded_by"])
        self.phrases = [parse_phrase(p, keys + ("phrases", i)) for i, p in enumerate(entry["phrases"])]
        self.not_phrases = [parse_phrase(p, keys + ("unless-phrases", i))
                            for i, p in enumerate(entry["unless_phrases"])]

    def triggers(self) -> frozenset[str] | None:
        """Words one of which must be in the clause for this entry to fire, or None when the
        entry could fire on some clause without any fixed word (a prefix, suffix or number
        pattern, or a phrase of edges and wildcards only). A phrase needs a word of each of its
        steps; the words of any one step with plain words only are enough to name."""
        words: set[str] = set()
        for matcher in (self.after, self.before):
            if matcher.patterned:
                return None
            words |= matcher.exact
        for phrase in self.phrases:
            step = next((s for s in phrase.left + phrase.right
                         if isinstance(s, _Matcher) and not s.patterned and not s.empty), None)
            if step is None:
                return None
            words |= step.exact
        return frozenset(words)

    def context(self, ctx) -> str | None:
        """The neighbouring words that make the suspect wrong, or None. The unless-rules,
        which always win, are only read once some context has made the suspect wrong (most
        entries do not match at all, so this is the cheap order)."""
        before, after = ctx.back[:self.window], ctx.after[:self.window]
        found = self.after.find(after) or self.before.find(before)
        if not found:
            for phrase in self.phrases:
                found = phrase.match(ctx)
                if found is not None:
                    break
        if found is None or found == "":
            return None
        if self.not_after.find(after) or self.not_before.find(before):
            return None
        if any(p.match(ctx) is not None for p in self.not_phrases):
            return None
        return found


class _Matcher:
    """A set of context words; `word*` matches by prefix, `*ed` by suffix, `<num>` any number."""

    def __init__(self, words: list[str]):
        self.exact = {normalize(w) for w in words if "*" not in w}
        self.prefixes = tuple(normalize(w[:-1]) for w in words if w.endswith("*") and w != "*")
        self.suffixes = tuple(normalize(w[1:]) for w in words if w.startswith("*") and w != "*")
        self.numbers = "<num>" in self.exact
        self.patterned = bool(self.prefixes or self.suffixes or self.numbers)
        self.empty = not (self.exact or self.patterned)

    def find(self, words) -> str | None:
        """The first of `words` this matcher accepts, or None (the hot path of the curated rule:
        most matchers hold plain words, looked up without a method call)."""
        if self.empty:
            return None
        exact, patterned = self.exact, self.patterned
        for word in words:
            if word in exact or (patterned and word in self):
                return word
        return None

    def __contains__(self, word: str) -> bool:
        return (word in self.exact or bool(self.prefixes and word.startswith(self.prefixes))
                or bool(self.suffixes and word.endswith(self.suffixes))
                or (self.numbers and word[:1].isdigit()))


def parse_phrase(text: str, keys: tuple) -> _Phrase:
    """A phrase pattern (`take|took the _`, `in _ $`) compiled for matching a Context."""
    tokens = text.split()
    if tokens.count("_") != 1 or len(tokens) < 2:
        raise OptionError(f"phrase {text!r} needs exactly one `_` (the suspect) and one other "
                          "token", keys)
    cut = tokens.index("_")
    left, right = tokens[:cut][::-1], tokens[cut + 1:]
    for token, edge in [(t, "^") for t in left] + [(t, "$") for t in right]:
        if token in EDGES and token[0] != edge:
            raise OptionError(f"phrase {text!r}: `{token}` can only stand on its own side", keys)
    return _Phrase(text, [_step(t) for t in left], [_step(t) for t in right])


# Clause-edge steps: which punctuation may bound the clause (None: any, or the line edge).
EDGES = {"^": None, "$": None, "^.": frozenset("^.!?:"), "^,": frozenset(",;")}
_EDGE_NAMES = {"^": "the start of the clause", "$": "the end of the clause",
               "^.": "the start of the sentence", "^,": "the comma before it"}


def _step(token: str):
    if token in ("~", "..", "...") or token in EDGES:
        return token
    return _Matcher(token.split("|"))


class _Phrase:
    """A pattern of context steps on each side of the suspect (nearest step first)."""

    def __init__(self, text: str, left: list, right: list):
        self.text, self.left, self.right = text, left, right
        # (left side?, word index, matcher) of the word steps nearest the suspect that sit at
        # a fixed distance from it (no `..` or `...` before them): `_walk` would test each
        # of these words first, so a clause failing one is turned away without walking
        self.fixed = _fixed_steps(True, left) + _fixed_steps(False, right)

    def match(self, ctx) -> str | None:
        """The context words the pattern matched, or None. A sentence start (`^.`) needs the
        suspect capitalised: "higher in the U.K. than elsewhere" does not start a sentence."""
        for on_left, index, matcher in self.fixed:
            words = ctx.back if on_left else ctx.after
            if index >= len(words) or words[index] not in matcher:
                return None
        if self.left[-1:] == ["^."] and not ctx.capital:
            return None
        left = _walk(self.left, ctx.back, ctx.opened)
        if left is None:
            return None
        right = _walk(self.right, ctx.after, ctx.closed)
        if right is None:
            return None
        edges = [_EDGE_NAMES[s] for s in (self.left[-1:] + self.right[-1:]) if s in EDGES]
        return " ".join(left[::-1] + right) or " and ".join(edges)


def _fixed_steps(on_left: bool, steps: list) -> list[tuple[bool, int, _Matcher]]:
    """The word steps before the first step of no fixed width, with their word index."""
    fixed = []
    for index, step in enumerate(steps):
        if isinstance(step, _Matcher):
            fixed.append((on_left, index, step))
        elif step != "~":  # `..`, `...` or a clause edge
            break
    return fixed


def _walk(steps: list, words: tuple, edge: str | None) -> list[str] | None:
    """Match steps against words (nearest first); the matched words, or None."""
    if not steps:
        return []
    step, rest = steps[0], steps[1:]
    if step in EDGES:
        kinds = EDGES[step]
        return [] if not words and edge is not None and (kinds is None or edge in kinds) \
            else None
    if step in ("..", "..."):
        for skip in range(min(SKIP_WORDS if step == ".." else len(words), len(words)) + 1):
            found = _walk(rest, words[skip:], edge)
            if found is not None:
                return (list(words[:skip]) if step == ".." else []) + found
        return None
    if not words or (step != "~" and words[0] not in step):
        return None
    found = _walk(rest, words[1:], edge)
    return None if found is None else [words[0]] + found


class _Substitution:
    def __init__(self, table, finder):
        self.raw, self.finder = table, finder
        self.built: dict[str, list[_Entry]] = {}
        # normalised word -> the words one of which a clause needs for any of its entries to
        # fire (None: no such list); most candidates are written right and fail this test
        self.triggers: dict[str, frozenset[str] | None] = {}

    def validate(self) -> None:
        """Compile every entry now (OptionError, located, for a bad phrase)."""
        for word in self.raw:
            self.entries(word)

    def entries(self, word: str) -> list[_Entry]:
        """The compiled entries for a normalised suspect word (built on first use)."""
        found = self.built.get(word)
        if found is None:
            found = self.built[word] = [_Entry(entry, keys) for entry, keys in
                                        self.raw.get(word, ())]
            self.triggers[word] = _any_triggers(found)
        return found

    def run(self, story, rule):
        """Report each suspect word whose neighbours show it is the wrong word."""
        findings = []
        for hit in scan(story, self.finder, rule):
            if not reads(rule, hit.kind):
                continue
            found = self.match(hit.word, hit.text, hit.ctx)
            if found:
                findings.append(self._finding(story, rule, hit.start, hit.end, *found))
                if len(findings) >= MAX_FINDINGS_PER_RULE:
                    break
        return findings

    def match(self, word: str, line: str, ctx) -> tuple | None:
        """(entry, context words) when an entry flags `word` in this context, else None."""
        if word.isupper() and len(word) > 1 and line != line.upper():
            return None  # an acronym ("LED") in ordinary text
        normal = normalize(word)
        entries = self.entries(normal)
        needed = self.triggers[normal]
        if needed is not None and needed.isdisjoint(ctx.back) and needed.isdisjoint(ctx.after):
            return None  # no entry can fire without one of these words in the clause
        for entry in entries:
            context = entry.context(ctx)
            if context:
                return entry, context
        return None

    def _finding(self, story, rule, start, end, entry, context):
        word = story.text[start:end]
        replacement = match_case(word, entry.suggest)
        fix = make_fix(start, end, replacement, entry.safe,
                       f"replace {word!r} with {replacement!r}")
        params = {"word": word, "suggestion": replacement, "context": context}
        return make_finding(rule, story, start, end, params, fix=fix)


def _any_triggers(entries: list[_Entry]) -> frozenset[str] | None:
    """The words one of which a clause needs for any of `entries` to fire (None: unknown)."""
    words: set[str] = set()
    for entry in entries:
        needed = entry.triggers()
        if needed is None:
            return None
        words |= needed
    return frozenset(words)


def match_case(original: str, replacement: str) -> str:
    """The replacement written in the original's case (UPPER, Title or lower)."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
