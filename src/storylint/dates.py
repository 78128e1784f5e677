"""Reading the dates that story scripts use: `22 Apr 2024`, `22 April 2024`, `April 22, 2024`."""
from __future__ import annotations

import datetime as _dt
import functools
import re

from storylint.normalise import lower

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY_FIRST = re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\Z")
_MONTH_FIRST = re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\Z")
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\Z")
# Words that show a location line's date part is meant to be a date, even when it is wrong.
DATE_HINT = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
UNDATED = re.compile(r"(?:date\s+)?(?:unknown|undated|recent|various dates|file)\Z", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> _dt.date | None:
    """The calendar date written in `text`, or None when it is not a valid date (memoised: an
    archive repeats the same few thousand date strings)."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" .")
    for pattern in (_DAY_FIRST, _MONTH_FIRST, _ISO):
        match = pattern.match(text)
        if match:
            return _build(match)
    return None


def _build(match: re.Match[str]) -> _dt.date | None:
    day, month_text, year = match.group("day", "month", "year")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(lower(month_text))
    if month is None:
        return None
    try:
        return _dt.date(int(year), month, int(day))
    except ValueError:
        return None
