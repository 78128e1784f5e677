"""Synthetic AP-style story scripts built from real news text (no public corpus of them exists).

A script wraps a real article in the archive format: headline, `(22 Apr 2024)`, location/date
lines, a numbered shot list with soundbites quoted from the article, the article's paragraphs
as story text, and the licensing boilerplate, full or with its links stripped. An optional tail
(real promotional text, or a legitimate closing paragraph) can be appended, and the script
records the exact line where the tail starts, so a detector can be scored on localisation.
Used for training, evaluation and benchmark corpora; never by `storylint check`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from storylint.training.corpora import Document

PLACES = (
    "Kornidzor village, Armenia", "Moscow, Russia", "Kyiv, Ukraine", "London, UK",
    "Washington, DC, USA", "Paris, France", "Nairobi, Kenya", "Lagos, Nigeria", "Sydney, Australia",
    "Tokyo, Japan", "Seoul, South Korea", "Mexico City, Mexico", "Sao Paulo, Brazil",
    "Cairo, Egypt", "Jerusalem", "Gaza City, Gaza Strip", "Beirut, Lebanon", "Berlin, Germany",
    "Madrid, Spain", "Rome, Italy", "Geneva, Switzerland", "New Delhi, India", "Manila, Philippines",
    "Bangkok, Thailand", "Istanbul, Turkey", "Tehran, Iran", "Kabul, Afghanistan",
    "Johannesburg, South Africa", "Toronto, Canada", "Brussels, Belgium",
)
SHOT_TEMPLATES = (
    "Wide of {thing}", "Mid of {thing}", "Close of {thing}", "Various of {thing}",
    "Tracking shot of {thing}", "Pan of {thing}", "Aerial of {thing}", "Cutaway of {thing}",
    "Exterior of {thing}", "Interior of {thing}", "People walking past {thing}",
)
THINGS = (
    "military vehicles driving along road", "the parliament building", "protesters holding signs",
    "police officers at a checkpoint", "traffic on the main road", "the city skyline",
    "officials arriving for talks", "journalists waiting outside", "the damaged building",
    "residents queuing for aid", "the stadium", "the company headquarters", "the trading floor",
    "the press conference", "the hospital entrance", "the airport terminal", "workers at the site",
)
ROLES = ("spokesperson", "resident", "minister", "analyst", "witness", "official", "spokesman",
         "professor", "chief executive", "police chief", "coach", "director")
NAMES = ("Ani Petrosyan", "John Smith", "Maria Lopez", "Dmitry Ivanov", "Grace Mwangi",
         "Chen Wei", "Fatima Hassan", "Tom Baker", "Sophie Martin", "Rahul Mehta", "Olga Kuznetsova")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DASHES = ("\u2013", "-", "\u2014")

FULL_BOILERPLATE = (
    "Clients are reminded to adhere to all listed restrictions and to check the terms of their "
    "licence agreements. For further assistance, please contact the AP Archive on: Tel "
    "+44(0)2074827482 Email: info@aparchive.com\n\n"
    "Find out more about AP Archive: http://www.aparchive.com/HowWeWork\n\n"
    "Facebook: https://www.facebook.com/APArchives\n"
    "Twitter: https://twitter.com/AP_Archive\n"
    "Instagram: https://www.instagram.com/aparchives/\n\n"
    "You can license this story through AP Archive: "
    "http://www.aparchive.com/metadata/youtube/{story_id}"
)
STRIPPED_BOILERPLATE = (
    "Clients are reminded to adhere to all listed restrictions and to check the terms of their "
    "licence agreements. For further assistance, please contact the AP Archive on: Tel "
    "+44(0)2074827482 Email:\n\n"
    "Find out more about AP Archive:\n"
    "Facebook: \n\n"
    "You can license this story through AP Archive:"
)
# The archive's boilerplate changed over the years: older scripts list Google+ and Tumblr, the
# social lines come in different orders, the phone number is spaced differently. Generated
# scripts vary it, so a model learns "the archive's own links", not one fixed block.
_CLIENTS = ("Clients are reminded to adhere to all listed restrictions and to check the terms "
            "of their licence agreements. For further assistance, please contact the AP "
            "Archive on: Tel {tel} Email: {email}")
_TELS = ("+44(0)2074827482", "+44 (0)20 7482 7482", "+44(0)20 7482 7482")
_SOCIAL = (
    ("Facebook", "https://www.facebook.com/APArchives"),
    ("Twitter", "https://twitter.com/AP_Archive"),
    ("Instagram", "https://www.instagram.com/aparchives/"),
    ("Google+", "https://plus.google.com/b/102011665981120713/+APArchive"),
    ("Tumblr", "https://aparchives.tumblr.com/"),
    ("YouTube", "https://www.youtube.com/user/APArchive"),
)


def boilerplate_text(kind: str, rng: random.Random, story_id: str) -> str:
    """A licensing block in one of its real variants; `kind` is "full" or "stripped"."""
    if kind == "stripped" and rng.random() < 0.5:
        return STRIPPED_BOILERPLATE
    if kind == "full" and rng.random() < 0.4:
        return FULL_BOILERPLATE.format(story_id=story_id)
    keep = kind == "full"
    social = rng.sample(_SOCIAL, rng.randint(0, len(_SOCIAL)))
    clients = _CLIENTS.format(tel=rng.choice(_TELS), email="info@aparchive.com" if keep else "")
    if rng.random() < 0.3:  # contact details on lines of their own
        clients = clients.replace(" Tel ", "\nTel ").replace(" Email:", "\nEmail:")
    parts = [clients.rstrip(),
             "Find out more about AP Archive:" + (" http://www.aparchive.com/HowWeWork"
                                                  if keep else ""),
             "\n".join(f"{label}: {url if keep else ''}".rstrip() for label, url in social),
             "You can license this story through AP Archive:" + (
                 f" http://www.aparchive.com/metadata/youtube/{story_id}" if keep else "")]
    if rng.random() < 0.5:  # the "Find out more" line and the social links often go first
        parts = [parts[1], parts[2], parts[0], parts[3]]
    return "\n\n".join(part for part in parts if part)


def _story_id(rng: random.Random) -> str:
    return rng.choice((str(rng.randint(10**9, 10**10)), f"{rng.getrandbits(128):032x}"))


@dataclass(frozen=True)
class Script:
    """A generated script and the truth about it."""

    text: str
    source: str
    doc_id: str
    tail_start_line: int | None = None  # 1-based first line of the appended tail
    tail_end_line: int | None = None
    tail_source: str | None = None


def make_script(doc: Document, rng: random.Random, tail: Document | None = None,
                boilerplate: str = "full", ending: str | None = None,
                max_paragraphs: int = 8, tail_position: str = "end",
                dateline: str | None = None) -> Script:
    """Wrap `doc` as a script; append `tail` text (promo) or `ending` (a legitimate last line).

    `tail_position="before-boilerplate"` inserts the tail between the story text and the
    boilerplate instead of at the very end; `dateline` (e.g. "LONDON (AP) —") opens the
    first story paragraph.
    """
    year = rng.randint(2004, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    lines = [doc.headline or doc.paragraphs[0][:70], "", f"({day} {MONTHS[month - 1][:3]} {year})",
             ""]
    if rng.random() < 0.3:
        lines.append("SHOTLIST:")
    lines += _shot_blocks(doc, rng, day, month, year)
    if rng.random() < 0.3:
        lines += ["", "STORYLINE:"]
    elif rng.random() < 0.5:
        lines.append("")
    body = list(doc.paragraphs[:max_paragraphs])
    if dateline and body:
        body[0] = f"{dateline} {body[0]}"
    if ending:
        body.append(ending)
    lines.append("\n\n".join(body))
    if tail is not None and tail_position == "before-boilerplate" and boilerplate != "none":
        return _insert_tail(lines, tail, rng, doc, boilerplate)
    lines += ["", ""]
    if boilerplate != "none":
        lines.append(boilerplate_text(boilerplate, rng, _story_id(rng)))
    text = "\n".join(lines)
    if tail is None:
        return Script(text + "\n", doc.source, doc.doc_id)
    return _append_tail(text, tail, rng, doc)


def _shot_blocks(doc: Document, rng: random.Random, day: int, month: int, year: int) -> list[str]:
    lines, number = [], 1
    for block in range(rng.choice((1, 1, 2, 3))):
        shot_day = day if block == 0 or rng.random() < 0.6 else max(1, day - rng.randint(1, 20))
        place = rng.choice(PLACES)
        lines.append(f"{place} {rng.choice(DASHES)} {shot_day} {MONTHS[month - 1]} {year}")
        for _ in range(rng.randint(1, 4)):
            lines.extend(_shot(doc, rng, number))
            number += 1
    return lines


def _shot(doc: Document, rng: random.Random, number: int) -> list[str]:
    if rng.random() < 0.25 and doc.paragraphs:
        quote = rng.choice(doc.paragraphs).split(". ")[0].strip().rstrip(".")
        speaker = f"{rng.choice(NAMES)}, {rng.choice(ROLES)}"
        return [f"{number}. SOUNDBITE (English) {speaker}:", f'"{quote}."']
    thing = rng.choice(THINGS)
    return [f"{number}. {rng.choice(SHOT_TEMPLATES).format(thing=thing)}"]


def _append_tail(text: str, tail: Document, rng: random.Random, doc: Document) -> Script:
    separator = "\n\n" if rng.random() < 0.85 else "\n"
    head = text + separator
    start = head.count("\n") + 1
    tail_text = "\n\n".join(tail.paragraphs[:rng.randint(1, 3)])
    full = head + tail_text + ("\n" if rng.random() < 0.7 else "")
    end = start + tail_text.count("\n")
    return Script(full, doc.source, doc.doc_id, start, end, tail.source)


def _insert_tail(lines: list[str], tail: Document, rng: random.Random, doc: Document,
                 boilerplate: str) -> Script:
    """The tail between the story text and the boilerplate (pasted in the wrong place)."""
    head = "\n".join(lines) + "\n\n"
    start = head.count("\n") + 1
    tail_text = "\n\n".join(tail.paragraphs[:rng.randint(1, 3)])
    end = start + tail_text.count("\n")
    full = head + tail_text + "\n\n\n" + boilerplate_text(boilerplate, rng, _story_id(rng))
    return Script(full + "\n", doc.source, doc.doc_id, start, end, tail.source)
