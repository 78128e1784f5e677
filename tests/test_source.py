"""Reading story files: encodings, binaries, links, special files, size caps, read errors."""
from __future__ import annotations

import os

import pytest

from storylint.source import decode_story, read_story

from conftest import FIXTURES

MB = 1 << 20


def read(path, **kwargs):
    return read_story(str(path), kwargs.pop("max_bytes", 10 * MB), **kwargs)


def codes(result):
    return [f.code for f in result.findings]


def test_utf8_bom_is_decoded_and_not_part_of_the_text():
    result = read(FIXTURES / "stories" / "clean-bom.txt")
    assert result.encoding == "utf-8-sig" and not result.text.startswith("\ufeff")
    assert codes(result) == []


def test_windows_1252_is_read_and_reported():
    result = read(FIXTURES / "stories" / "windows-1252.txt")
    assert result.encoding == "cp1252" and "\u201cWe lost everything" in result.text
    finding = result.findings[0]
    assert finding.code == "SL001" and (finding.line, finding.column) == (5, 15)
    assert finding.message == ("file is not valid UTF-8 (byte 0x96 at 5:15); read as cp1252 - "
                               "convert it to UTF-8")


def test_without_fallback_a_non_utf8_file_is_an_error_not_a_guess():
    raw = (FIXTURES / "stories" / "windows-1252.txt").read_bytes()
    result = decode_story("x.txt", raw, fallbacks=())
    assert result.text is None and codes(result) == ["SL002"]
    assert "byte 0x96 at 5:15" in result.findings[0].message


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom_are_decoded(codec):
    text = "Head\n\nBody with a lighting blitz.\n"
    result = decode_story("x.txt", text.encode(codec))
    assert result.text == text and result.encoding == codec


@pytest.mark.parametrize("raw", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.4\n%\xe2\xe3",
                                 b"PK\x03\x04\x14\x00", b"\x00" * 200 + b"text"])
def test_binary_files_are_reported(raw):
    assert codes(decode_story("x.txt", raw)) == ["SL003"]


def test_a_single_nul_in_text_is_not_binary():
    result = decode_story("x.txt", b"Head\n\nNull\x00byte here and more ordinary text.\n")
    assert result.text is not None and codes(result) == []


def test_symlink_not_followed_by_default(tmp_path):
    target = tmp_path / "secret.txt"
    target.write_text("Head\n")
    link = tmp_path / "story.txt"
    link.symlink_to(target)
    assert codes(read(link)) == ["SL005"]
    assert read(link, follow_symlinks=True).text == "Head\n"


@pytest.mark.parametrize("make,message", [
    (lambda p: p.symlink_to(p.parent / "missing.txt"), "dangling symlink"),
    (lambda p: p.symlink_to(p), "symlink loop"),
])
def test_broken_links_named_when_following(tmp_path, make, message):
    link = tmp_path / "story.txt"
    make(link)
    result = read(link, follow_symlinks=True)
    assert codes(result) == ["SL005"] and message in result.findings[0].message


def test_fifo_and_directory_are_not_opened_for_reading(tmp_path):
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    result = read(fifo)  # must return at once, not block waiting for a writer
    assert codes(result) == ["SL007"] and "FIFO" in result.findings[0].message
    assert codes(read(tmp_path)) == ["SL007"]


def test_size_cap_checked_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (2 * MB))
    result = read(big, max_bytes=MB)
    assert codes(result) == ["SL006"] and "2.0 MB > 1.0 MB" in result.findings[0].message


def test_missing_and_unreadable_files_are_findings(tmp_path, monkeypatch):
    assert codes(read(tmp_path / "nope.txt")) == ["SL004"]
    story = tmp_path / "story.txt"
    story.write_text("Head\n")
    real_open = os.open

    def deny(path, flags, *args):
        if str(path) == str(story):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    result = read(story)
    assert codes(result) == ["SL004"] and "Permission denied" in result.findings[0].message
