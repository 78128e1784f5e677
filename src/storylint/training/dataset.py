"""Training and evaluation data for the promo-tail classifier: whole scripts with known tails.

No public corpus of news scripts with appended promotion exists, so stories are built: real
news text (BBC, AG News, Lee/ABC) wrapped in the script format by `scripts.make_script`, with
full, stripped or no boilerplate, sometimes a legitimate last paragraph, and for half of them a
real tail appended (SMS spam, SpamAssassin spam with headers stripped, personal SMS chat as
"unrelated notes", and the hand-written fixtures). Every source document, tail and fixture
entry belongs to exactly one split (train / val / test) by a hash of its identity, so the
held-out test split shares no article, message or fixture with training.
"""
from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from storylint.training import corpora
from storylint.training.corpora import Document
from storylint.training.scripts import Script, make_script

SPLITS = ("train", "val", "test")
NEWS_SOURCES = ("bbc-news", "ag-news", "lee-abc-news")
DATELINES = ("LONDON (AP) \u2014", "MOSCOW (AP) \u2014", "NAIROBI, Kenya (AP) \u2014",
             "WASHINGTON (Reuters) -", "PARIS (AFP) -", "SYDNEY, Australia (AP) \u2014")
# Share of tail stories per tail source (before the split).
TAIL_MIX = (("sms-spam", 0.20), ("spamassassin-spam", 0.30), ("fixture", 0.38),
            ("sms-ham", 0.12))


def split_of(key: str) -> str:
    """The split of a document, message or fixture entry: 70% train, 15% val, 15% test."""
    bucket = zlib.crc32(f"storylint-split-v2:{key}".encode("utf-8")) % 100
    return "train" if bucket < 70 else ("val" if bucket < 85 else "test")


def near_duplicate_key(text: str) -> str:
    """Spam repeats with other numbers and names: group such copies into one split."""
    letters = re.sub(r"[^a-z]+", " ", text.lower()).split()
    return " ".join(letters[:12])


_AGENCIES = ("Associated Press", "AP", "Reuters", "AFP", "BBC")
_CITIES = ("London", "Paris", "Moscow", "Kyiv", "Washington", "Nairobi", "Tokyo", "Cairo",
           "Berlin", "Madrid", "Geneva", "Beirut", "Lagos", "Seoul", "Lima", "Ottawa", "Dhaka")
_PEOPLE = ("Jim Heintz", "Aida Sultanova", "Maria Cheng", "Sam Magdy", "Ellen Knickmeyer",
           "Tom Balmforth", "Nomvula Dube", "Luis Andres Henao", "Yuki Tanaka", "Rania Khalil",
           "Piotr Nowak", "Carla Mendes", "David Rising", "Ayse Yilmaz", "Kofi Mensah")
_BODIES = ("ministry", "defence ministry", "company", "embassy", "police", "White House",
           "Kremlin", "foreign ministry", "club", "airline", "hospital", "regulator", "army",
           "city council", "school district", "prosecutor's office", "union")
_TOPICS = ("the war", "climate", "elections", "the economy", "migration", "the Middle East",
           "Africa", "Latin America", "Asia-Pacific", "health", "science", "the Olympics")
_ENDING_TEMPLATES = (
    "{agency} writer {person} in {city} contributed to this report.",
    "{agency} writers {person} in {city} and {person2} in {city2} contributed.",
    "{person} contributed reporting from {city}.",
    "The {body} did not respond to a request for comment.",
    "The {body} did not immediately respond to a request for comment on {day}.",
    "A spokesperson for the {body} declined to comment.",
    "The {body} could not immediately be reached for comment.",
    "This story has been corrected to show that {person} spoke in {city}, not {city2}.",
    "Correction: An earlier version of this story misspelled the name of {person}.",
    "This story has been updated with comment from the {body}.",
    "Follow AP's coverage of {topic} at https://apnews.com/hub/{slug}",
    "Reporting by {person}; Editing by {person2}",
    "Reporting by {person} in {city}; Writing by {person2}; Editing by {person3}",
    "Anyone with information is asked to contact the {body} on {phone}.",
    "If you have information about the case, you can call the {body} on {phone} or report it "
    "online.",
    "If you or someone you know has been affected, call the helpline on {phone} or text HELP to "
    "{short}.",
    "People who need support can call {phone}, free of charge, at any time of day.",
    "For more information, visit the {body}'s website or call {phone}.",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def template_endings(rng: random.Random, count: int) -> list[str]:
    """Legitimate last paragraphs from templates (contributor lines, corrections, no comment).

    The hand-written endings are few; templates vary the names, places and bodies so the model
    learns the shape of such lines rather than particular names.
    """
    out = []
    for _ in range(count):
        people = rng.sample(_PEOPLE, 3)
        cities = rng.sample(_CITIES, 2)
        topic = rng.choice(_TOPICS)
        out.append(rng.choice(_ENDING_TEMPLATES).format(
            agency=rng.choice(_AGENCIES), person=people[0], person2=people[1],
            person3=people[2], city=cities[0], city2=cities[1], body=rng.choice(_BODIES),
            day=rng.choice(_DAYS), topic=topic,
            slug=topic.lower().replace("the ", "").replace(" ", "-"),
            phone=f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            short=rng.randint(100, 99999)))
    return out


_FIELD_LABELS = ("Facebook", "Twitter", "Instagram", "YouTube", "TikTok", "LinkedIn",
                 "Website", "Email", "E-mail", "Tel", "Telephone")
_PROMO_STEMS = ("cheap", "deals", "crypto", "signals", "domains", "forsale", "free", "bonus",
                "casino", "loans", "seo", "followers", "giveaway", "promo", "shop", "store",
                "invest", "profit", "diet", "pills", "win", "cash", "vip", "official", "daily")
_NAME_STEMS = ("rich", "mandy", "joe", "kingpro", "queen", "bigjay", "lisa", "marco", "dave",
               "tom", "sandra", "felix", "viral", "news4u", "topnews", "buzz", "mike", "lux")
_FIELD_EXTRAS = ("", "", " follow for more", " - best prices", " subscribe!", " DM for deals",
                 " - message me", " for business inquiries")


def template_fake_fields(rng: random.Random, count: int) -> list[Document]:
    """Tails that imitate a boilerplate field ("Facebook: <someone else's page>").

    The parser reads such a line as boilerplate, so only its value tells it apart from the
    archive's own fields; varied generated values teach that, where a handful of hand-written
    ones would only be memorised.
    """
    docs = []
    for index in range(count):
        label = rng.choice(_FIELD_LABELS)
        name = rng.choice(_NAME_STEMS) + rng.choice(_PROMO_STEMS) + rng.choice(("", "", "24",
                                                                              "_official"))
        if label in ("Email", "E-mail"):
            value = f"{name}@{rng.choice(_PROMO_STEMS)}{rng.choice(('mail.com', 'deals.net'))}"
        elif label in ("Tel", "Telephone"):
            value = f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        elif label == "Website":
            value = f"www.{name}.{rng.choice(('com', 'net', 'shop', 'xyz', 'io'))}"
        else:
            site = {"Facebook": "facebook.com", "Twitter": "twitter.com", "YouTube": "youtube.com",
                    "Instagram": "instagram.com", "TikTok": "tiktok.com",
                    "LinkedIn": "linkedin.com/in"}[label]
            value = rng.choice((f"https://www.{site}/{name}", f"@{name}"))
        text = f"{label}: {value}{rng.choice(_FIELD_EXTRAS)}"
        docs.append(Document("template-fake-field", str(index), "", (text,)))
    return docs


@dataclass
class Pools:
    """Source material of one split."""

    news: list[Document] = field(default_factory=list)
    tails: dict[str, list[Document]] = field(default_factory=dict)
    endings: list[str] = field(default_factory=list)  # hand-written (fixtures)
    template_endings: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)  # legitimate text after the boilerplate


def read_fixture_file(path: Path) -> list[tuple[str, str]]:
    """(category, text) entries of a fixtures file (see fixtures/promo-tail/README.md)."""
    entries, category, current = [], "", []
    for line in path.read_text(encoding="utf-8").splitlines() + ["----"]:
        if line.startswith("#"):
            continue
        if line.startswith("== ") or line.strip() == "----":
            text = "\n".join(current).strip()
            if text:
                entries.append((category, text))
            current = []
            if line.startswith("== "):
                category = line[3:].strip()
            continue
        current.append(line)
    return entries


def fixture_tails(folder: Path) -> list[Document]:
    """The hand-written tails as documents (source `fixture:<category>`)."""
    docs = []
    for index, (category, text) in enumerate(read_fixture_file(folder / "tails.txt")):
        paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())
        docs.append(Document(f"fixture:{category}", f"{category}/{index}", "", paragraphs))
    return docs


def fixture_endings(folder: Path, name: str = "endings.txt") -> list[str]:
    """The hand-written legitimate last paragraphs (or legitimate after-boilerplate lines)."""
    path = folder / name
    if not path.is_file():
        return []
    return [" ".join(text.split()) for _, text in read_fixture_file(path)]


def _deal_fixture_negatives(pools: dict[str, Pools], fixtures: Path) -> None:
    for text in fixture_endings(fixtures):
        pools[split_of(f"ending:{text}")].endings.append(text)
    # Legitimate after-boilerplate lines are training-only: they temper the model's trust in
    # position, but a clean archive script has nothing after its boilerplate, so they are not
    # part of the clean stories the thresholds are chosen and measured on.
    pools["train"].trailing += fixture_endings(fixtures, "trailing.txt")


def clean_spam(doc: Document) -> Document | None:
    """SpamAssassin paragraphs that read as text (no markup, random strings or list footers)."""
    keep = []
    for paragraph in doc.paragraphs:
        words = paragraph.split()
        if len(words) < 4 or len(paragraph) > 700 or "<" in paragraph and ">" in paragraph:
            continue
        if sum(len(w) > 25 for w in words) or paragraph.count("-") > len(paragraph) / 5:
            continue
        if re.search(r"sponsored by|mailing list|unsubscribe from this", paragraph, re.I) \
                and "sf.net" in paragraph.lower():
            continue
        keep.append(paragraph)
    return Document(doc.source, doc.doc_id, "", tuple(keep[:4])) if keep else None


def load_pools(data: Path, fixtures: Path) -> dict[str, Pools]:
    """Read every corpus once and deal its documents into the three splits."""
    pools = {name: Pools() for name in SPLITS}
    news = list(corpora.bbc_news(data)) + list(corpora.ag_news(data)) + list(corpora.lee_news(data))
    for doc in news:
        if doc.paragraphs and len(doc.text) > 80:
            key = doc.headline.lower() if doc.source == "bbc-news" else doc.doc_id
            pools[split_of(f"{doc.source}:{key}")].news.append(doc)
    tails = {"sms-spam": list(corpora.sms_spam(data, "spam")),
             "spamassassin-spam": [d for d in map(clean_spam, corpora.spamassassin(data)) if d],
             "sms-ham": [d for d in corpora.sms_spam(data, "ham") if len(d.text.split()) >= 7],
             "fixture": fixture_tails(fixtures)}
    for name, docs in tails.items():
        for doc in docs:
            key = doc.doc_id if name == "fixture" else near_duplicate_key(doc.text)
            pools[split_of(f"{name}:{key}")].tails.setdefault(name, []).append(doc)
    _deal_fixture_negatives(pools, fixtures)
    for index, split in enumerate(SPLITS):
        pools[split].template_endings = template_endings(random.Random(1000 + index), 60)
    pools["train"].tails["fixture"] += template_fake_fields(random.Random(2000), 400)
    return pools


def fixture_pools(fixtures: Path, news: list[Document]) -> dict[str, Pools]:
    """Pools from the fixtures alone plus given news documents (tests, no ../shared needed)."""
    pools = {name: Pools() for name in SPLITS}
    for doc in news:
        pools[split_of(f"{doc.source}:{doc.doc_id}")].news.append(doc)
    for doc in fixture_tails(fixtures):
        pools[split_of(f"fixture:{doc.doc_id}")].tails.setdefault("fixture", []).append(doc)
    _deal_fixture_negatives(pools, fixtures)
    return pools


@dataclass(frozen=True)
class LabelledScript:
    """A generated script, whether it has a tail, and how it was built (for per-source reports)."""

    script: Script
    variant: str  # boilerplate full/stripped/none, ending, tail position

    @property
    def has_tail(self) -> bool:
        """True when text was appended to the story."""
        return self.script.tail_start_line is not None


@dataclass(frozen=True)
class Mix:
    """How scripts are built: shares of boilerplate kinds and of tails pasted before it."""

    tail_share: float = 0.5
    boilerplate: tuple[float, float, float] = (0.45, 0.4, 0.15)  # full, stripped, none
    before_boilerplate: float = 0.15  # share of tails inserted before the boilerplate


EVAL_MIX = Mix()
# Training sees more tails inside the story text (no boilerplate, or pasted before it): they
# are the hard case, where position says little and the words must carry the decision.
TRAIN_MIX = Mix(boilerplate=(0.4, 0.35, 0.25), before_boilerplate=0.3)


def make_scripts(pools: Pools, count: int, seed: int, mix: Mix = EVAL_MIX) -> list[
        LabelledScript]:
    """`count` scripts from one split's pools; about `mix.tail_share` of them carry a tail."""
    rng = random.Random(seed)
    tail_sources = [(name, share) for name, share in TAIL_MIX if pools.tails.get(name)]
    out = []
    for index in range(count):
        doc = pools.news[index % len(pools.news)] if index < len(pools.news) else \
            rng.choice(pools.news)
        tail = None
        if tail_sources and rng.random() < mix.tail_share:
            names, shares = zip(*tail_sources)
            tail = rng.choice(pools.tails[rng.choices(names, shares)[0]])
        out.append(_one_script(doc, tail, pools, rng, mix))
    return out


def _one_script(doc: Document, tail: Document | None, pools: Pools, rng: random.Random,
                mix: Mix) -> LabelledScript:
    boilerplate = rng.choices(("full", "stripped", "none"), mix.boilerplate)[0]
    ending, kind = None, ""
    if rng.random() < 0.4:
        kind = "template-ending" if pools.template_endings and (
            not pools.endings or rng.random() < 0.35) else "ending"
        choices = pools.template_endings if kind == "template-ending" else pools.endings
        ending = rng.choice(choices) if choices else None
    position = "before-boilerplate" if boilerplate != "none" and \
        rng.random() < mix.before_boilerplate else "end"
    dateline = rng.choice(DATELINES) if rng.random() < 0.2 else None
    script = make_script(doc, rng, tail=tail, boilerplate=boilerplate, ending=ending,
                         max_paragraphs=rng.choice((3, 5, 8)), tail_position=position,
                         dateline=dateline)
    variant = f"boilerplate-{boilerplate}" + (f"+{kind}" if ending else "")
    if tail is not None:
        variant += "+tail-before-boilerplate" if position != "end" else "+tail-at-end"
    elif boilerplate != "none" and pools.trailing and rng.random() < 0.12:
        gap = "\n" if rng.random() < 0.7 else ""
        text = f"{script.text}{gap}{rng.choice(pools.trailing)}\n"
        script = Script(text, script.source, script.doc_id)
        variant += "+legit-after-boilerplate"
    return LabelledScript(script, variant)
