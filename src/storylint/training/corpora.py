"""Readers for the public corpora in `../shared/data` (training and evaluation only).

Each reader yields `Document`s with a source name and a stable id, so splits can be made by
source document and never leak paragraphs of one article into both train and held-out sets.
Nothing here is imported by `storylint check`.
"""
from __future__ import annotations

import csv
import email
import email.policy
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SHARED_DATA_ENV = "STORYLINT_SHARED_DATA"


@dataclass(frozen=True)
class Document:
    """One source document: `source` (e.g. bbc-news), a stable `doc_id`, headline and paragraphs."""

    source: str
    doc_id: str
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)


def default_data_dir() -> Path | None:
    """`$STORYLINT_SHARED_DATA`, else `../shared/data` next to the checkout or working dir."""
    import os

    candidates = [os.environ.get(SHARED_DATA_ENV)]
    here = Path(__file__).resolve()
    candidates += [str(here.parents[3].parent / "shared" / "data"),
                   str(Path.cwd().parent / "shared" / "data")]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # the corpora's documented exceptions are Latin-1


def bbc_news(data: Path):
    """BBC News 2004-05: 2,225 articles, headline then paragraphs."""
    for path in sorted((data / "bbc-news").glob("*/*.txt")):
        lines = _read_text(path).strip().split("\n")
        paragraphs = tuple(p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip())
        yield Document("bbc-news", f"{path.parent.name}/{path.stem}", lines[0].strip(), paragraphs)


def ag_news(data: Path):
    """AG News test split: 7,600 headline + description snippets (many AP/Reuters)."""
    with open(data / "ag-news-test" / "test.csv", encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.reader(handle)):
            if len(row) < 3:
                continue
            body = _ag_text(row[2].replace("\\n", " "))
            title = _ag_text(row[1])
            yield Document("ag-news", str(index), title, (body,))


_AG_ENTITY = re.compile(r"(?<![&\w])(#\d{2,5}|quot|amp|lt|gt);")


def _ag_text(text: str) -> str:
    """AG News fields lost the `&` of their HTML entities (`it#39;s`, ` quot;`); restore them."""
    return " ".join(html.unescape(_AG_ENTITY.sub(r"&\1;", text)).split())


def lee_news(data: Path):
    """Lee et al. ABC news: 350 stories, one per line (lee.cor is Latin-1)."""
    for name in ("lee_background.cor", "lee.cor"):
        for index, line in enumerate(_read_text(data / "lee-abc-news" / name).splitlines()):
            sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", line.strip())
            if not line.strip():
                continue
            paragraphs = tuple(" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2))
            yield Document("lee-abc-news", f"{name}:{index}", sentences[0][:80], paragraphs)


def sms_spam(data: Path, label: str = "spam"):
    """SMS Spam Collection messages with the given label (`spam` or `ham`)."""
    path = data / "sms-spam-collection" / "SMSSpamCollection.tsv"
    for index, line in enumerate(_read_text(path).splitlines()[1:]):
        kind, _, text = line.partition("\t")
        if kind == label and text.strip():
            yield Document("sms-spam" if label == "spam" else "sms-ham", str(index), "",
                           (text.strip(),))


def spamassassin(data: Path, groups=("spam-1", "spam-2")):
    """SpamAssassin messages: headers dropped, body decoded, HTML stripped, split in paragraphs."""
    for group in groups:
        for path in sorted((data / "spamassassin-public-corpus" / group).glob("*.txt")):
            body = mail_body(path.read_bytes())
            paragraphs = tuple(p for p in (" ".join(x.split()) for x in
                                           re.split(r"\n\s*\n", body)) if len(p) > 1)
            if paragraphs:
                source = "spamassassin-spam" if group.startswith("spam") else f"spamassassin-{group}"
                yield Document(source, f"{group}/{path.name[:5]}", "", paragraphs)


def mail_body(raw: bytes) -> str:
    """The readable text of an RFC-822 message: text/plain parts, else HTML with tags removed."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    plain, markup = [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "latin-1"
        try:
            text = payload.decode(charset, "replace")
        except LookupError:
            text = payload.decode("latin-1", "replace")
        (markup if part.get_content_type() == "text/html" else plain).append(text)
    if any(t.strip() for t in plain):
        return "\n\n".join(plain)
    return "\n\n".join(strip_html(t) for t in markup)


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "br", "div", "tr", "li", "h1", "h2", "h3", "table", "td"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag in ("p", "div", "table", "tr") else "\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """Visible text of an HTML document, block elements turned into paragraph breaks."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - malformed spam HTML; keep what was parsed
        pass
    return "".join(parser.parts)
