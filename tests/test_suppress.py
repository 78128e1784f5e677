"""Inline suppressions: one line or the whole file, always with a reason."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES

TYPO = "Azerbaijan launched a lighting blitz."


def names(linter, text):
    return [(f.line, f.name) for f in linter.check_text(text)
            if f.name in ("confusable-word", "invalid-suppression", "emoji-in-text")]


def test_disable_next_line_covers_only_the_next_content_line(linter):
    text = (f"Head\n\n[storylint: disable-next-line confusable-word -- quoted verbatim]\n\n{TYPO}\n"
            f"\n{TYPO}\n")
    assert names(linter, text) == [(7, "confusable-word")]


def test_disable_file_by_code(linter):
    text = f"[storylint: disable-file SL301 -- archive copy kept as aired]\nHead\n\n{TYPO}\n"
    assert names(linter, text) == []


def test_suppression_without_reason_is_reported_and_ignored(linter):
    text = f"Head\n\n[storylint: disable-next-line confusable-word]\n{TYPO}\n"
    assert names(linter, text) == [(3, "invalid-suppression"), (4, "confusable-word")]


def test_unknown_rule_and_unknown_action_are_reported(linter):
    text = ("Head\n\n[storylint: disable-next-line no-such-rule -- why]\n"
            "[storylint: enable confusable-word -- why]\n[storylint: oops]\n")
    messages = [f.message for f in linter.check_text(text) if f.name == "invalid-suppression"]
    assert messages == ["suppression names unknown rule(s): no-such-rule",
                        "unknown suppression 'enable'; use disable-next-line or disable-file",
                        "malformed suppression; write [storylint: disable-next-line RULE -- "
                        "reason]"]


def test_fixture_with_suppression_is_clean(linter):
    text = (FIXTURES / "stories" / "suppressed.txt").read_text(encoding="utf-8")
    assert linter.check_text(text) == []


_OLD_FORM = re.compile(  # the backtracking pattern split_directive replaced, as the reference
    r"\s*\[storylint:\s*(?P<action>[\w-]+)\s+(?P<rules>[^\]]*?)\s*(?:--\s*(?P<reason>[^\]]*?))?"
    r"\s*\]\s*\Z")


_PIECES = st.lists(st.sampled_from(list("[]:-ab1, \t\u00a0") + ["storylint:", "--", "[storylint:"]),
                   max_size=20).map("".join)


@given(_PIECES | _PIECES.map(lambda inner: f"[storylint:{inner}]"))
@settings(max_examples=3000, deadline=None)
def test_split_directive_reads_what_the_old_pattern_read(text):
    """Same action, rules and reason as the regex it replaced, on short lines where that regex
    is still fast."""
    from storylint.suppress import split_directive

    match = _OLD_FORM.match(text)
    expected = match and (match.group("action"), match.group("rules"), match.group("reason"))
    assert split_directive(text) == expected
