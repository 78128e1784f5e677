"""The bounded YAML reader: located errors for every way a rule file can be wrong or hostile."""
from __future__ import annotations

import pytest

from storylint.safeyaml import MAX_DEPTH, YamlError, parse_yaml_bytes, parse_yaml_text, read_yaml_file


def error_of(text: str) -> str:
    with pytest.raises(YamlError) as info:
        parse_yaml_text(text, "rules/x.yaml")
    return str(info.value)


def test_positions_of_values_and_keys():
    doc = parse_yaml_text("code: SL1\noptions:\n  words: [a, b]\n", "r.yaml")
    assert doc.data == {"code": "SL1", "options": {"words": ["a", "b"]}}
    assert doc.where(("options", "words", 1)) == (3, 14)
    assert doc.where(("options",), of_key=True) == (2, 1)


def test_yaml_1_2_scalars_do_not_coerce_words():
    doc = parse_yaml_text("a: no\nb: off\nc: yes\nd: true\ne: 012\nf: '012'\ng: 1.10\nh: ~\n", "r")
    assert doc.data == {"a": "no", "b": "off", "c": "yes", "d": True, "e": 12, "f": "012",
                        "g": 1.1, "h": None}


@pytest.mark.parametrize("text,expected", [
    ("severity: error\nseverity: info\n", "rules/x.yaml:2:1: duplicate key 'severity' (first at 1:1)"),
    ("a: &x [1]\nb: *x\n", "rules/x.yaml:1:4: anchors (&x) are not allowed"),
    ("b: *x\n", "rules/x.yaml:1:4: "),
    ("a: !!python/object/apply:os.system ['id']\n", "rules/x.yaml:1:4: tag not allowed"),
    ("a: 1\n---\nb: 2\n", "rules/x.yaml:2:1: only one document allowed"),
    ("a: 'unterminated\n", "rules/x.yaml:2:1: syntax error"),
    ("a:\n\tb: 1\n", "rules/x.yaml:2:1: syntax error: found character that cannot start any token"),
])
def test_hostile_or_broken_yaml_is_a_located_error(text, expected):
    assert error_of(text).startswith(expected)


def test_alias_bomb_refused_quickly():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8))
    assert "anchors (&a) are not allowed" in error_of(bomb)


def test_deep_nesting_is_reported_not_a_recursion_error():
    assert f"nesting too deep (limit {MAX_DEPTH})" in error_of("[" * 1000 + "]" * 1000)


def test_syntax_error_shows_excerpt_with_caret():
    message = error_of("a: 1\nb: [1, 2\n")
    assert "\n  " in message and "^" in message


def test_encoding_and_size_limits(tmp_path):
    assert parse_yaml_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", "r").data == {"a": 1, "b": 2}
    with pytest.raises(YamlError, match="not valid UTF-8 at byte 3"):
        parse_yaml_bytes(b"a: \xe9t\xe9\n", "r")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: '" + b"x" * 2_000_000 + b"'\n")
    with pytest.raises(YamlError, match="file too large"):
        read_yaml_file(big)
