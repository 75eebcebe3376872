"""Find an article's publication date, and the dates it mentions, in its text.

Regular expressions find ISO dates (``2025-11-23``, with time and offset),
written dates (``November 23, 2025``, ``23 November 2025``, ``Nov. 23``),
datelines (``WASHINGTON, March 3 -``), weekday names and ``yesterday``,
``today``, ``tomorrow``.  Dates without a year take it from a reference date
when one is given, otherwise from the years the text itself mentions.
Impossible dates (February 30) are skipped; no input makes these functions raise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from newsindex.documents import DateValue

__all__ = ["Dateline", "find_dateline", "find_dates_mentioned", "find_publication_date"]

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAMES, start=1):
    for _form in {_name, _name[:3], _name[:4]} | ({"sept"} if _number == 9 else set()):
        MONTHS[_form] = _number
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

# Month names must be capitalised ("May", "MAY"), so "may" and "march" as words never match.
_MONTH = (
    "(?:"
    + "|".join(
        sorted(
            {m.capitalize() for m in MONTHS} | {m.upper() for m in MONTHS}, key=len, reverse=True
        )
    )
    + r")\.?"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89][0-9]{2}|2[01][0-9]{2})"
_WEEKDAY = "(?:" + "|".join(w.capitalize() for w in _WEEKDAYS) + ")"
_OFFSET = r"(?:Z|UTC|GMT|[+-](?:0[0-9]|1[0-4]):?[0-5][0-9])"

_PATTERN = re.compile(
    rf"""
    (?<![\w-])(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3][0-9])
        (?:[T\ ](?P<iso_h>[01][0-9]|2[0-3]):(?P<iso_min>[0-5][0-9])
           (?::(?P<iso_s>[0-5][0-9])(?:\.[0-9]+)?)?\ ?(?P<iso_tz>{_OFFSET})?)?(?![\w-])
  | (?<!\w)(?P<md_m>{_MONTH})\ (?P<md_d>{_DAY})(?!\w)(?:,?\ (?P<md_y>{_YEAR})(?!\w))?
  | (?<!\w)(?P<dm_d>{_DAY})\ (?:of\ )?(?P<dm_m>{_MONTH})(?!\w)(?:,?\ (?P<dm_y>{_YEAR})(?!\w))?
  | (?<!\w)(?P<weekday>{_WEEKDAY})(?!\w)
  | (?<!\w)(?P<relative>[Yy]esterday|[Tt]oday|[Tt]omorrow)(?!\w)
    """,
    re.VERBOSE,
)
_YEAR_WORD = re.compile(rf"(?<![\w$.,-]){_YEAR}(?![\w%])")
_DATELINE = re.compile(
    rf"""^\s*(?P<place>[A-Z][A-Za-z.'\-]*(?:[ ][A-Z][A-Za-z.'\-]*)*
        (?:,\s*[A-Z][A-Za-z.'\-]*(?:[ ][A-Za-z.'\-]+)*)?)
        ,?\s*(?:\((?:AP|Reuters|AFP|UPI|Reuter)\)\s*)?[,-]?\s*
        (?P<m>{_MONTH})\ (?P<d>{_DAY})(?:,?\ (?P<y>{_YEAR}))?
        \s*(?:\((?:AP|Reuters|AFP|UPI|Reuter)\))?\s*[-–—_:]""",
    re.VERBOSE,
)
_HEAD_CHARS = 300
_RELATIVE = {"yesterday": -1, "today": 0, "tomorrow": 1}


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of an article: ``year`` is None when the line has none."""

    place: str
    month: int
    day: int
    year: int | None


def _day_of(reference: DateValue | None) -> dt.date | None:
    if isinstance(reference, dt.datetime):
        return reference.date()
    return reference


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _day(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _nearest(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The date with this month and day closest to ``reference`` (a year either side)."""
    candidates = [_make(reference.year + k, month, day) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    return min(valid, key=lambda c: (abs((c - reference).days), c))


def _text_year(text: str) -> int | None:
    """The year a text is most likely written in: its most mentioned year, latest on ties."""
    counts = Counter(int(y) for y in _YEAR_WORD.findall(text))
    if not counts:
        return None
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


def _tz(token: str) -> dt.tzinfo:
    if token in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _iso(match: re.Match[str]) -> DateValue | None:
    day = _make(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"]))
    if day is None or match["iso_h"] is None or match["iso_tz"] is None:
        return day
    seconds = int(match["iso_s"] or 0)
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        int(match["iso_h"]),
        int(match["iso_min"]),
        seconds,
        tzinfo=_tz(match["iso_tz"]),
    )


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text`` (``WASHINGTON, March 3 -``), or None."""
    found = _DATELINE.match(text[:_HEAD_CHARS])
    if found is None:
        return None
    month, day = _month(found["m"]), _day(found["d"])
    if _make(2000, month, day) is None:  # 2000 is a leap year: only impossible days fail
        return None
    year = int(found["y"]) if found["y"] else None
    return Dateline(" ".join(found["place"].split()), month, day, year)


def find_publication_date(text: str, reference: DateValue | None = None) -> DateValue | None:
    """The date ``text`` says it was published, or None when the text does not say.

    Tried in order: an ISO date or full written date in the first lines (a
    timezone-aware datetime when a time and offset are given), then a
    dateline.  A dateline's missing year is the one that puts the date
    nearest ``reference``; without a reference, the year the text mentions
    most (None if it mentions none).
    """
    try:
        return _publication_date(text, _day_of(reference))
    except (ValueError, OverflowError, KeyError):
        return None


def _publication_date(text: str, reference: dt.date | None) -> DateValue | None:
    head = text[:_HEAD_CHARS]
    for match in _PATTERN.finditer(head):
        if match["iso_y"]:
            value = _iso(match)
            if value is not None:
                return value
        elif match["md_y"] or match["dm_y"]:
            found = _written(match, None)
            if found is not None:
                return found
    dateline = find_dateline(text)
    if dateline is None:
        return None
    if dateline.year is not None:
        return _make(dateline.year, dateline.month, dateline.day)
    if reference is not None:
        return _nearest(dateline.month, dateline.day, reference)
    year = _text_year(text)
    return _make(year, dateline.month, dateline.day) if year is not None else None


def _written(match: re.Match[str], reference: dt.date | None) -> dt.date | None:
    if match["md_m"]:
        month, day, year = _month(match["md_m"]), _day(match["md_d"]), match["md_y"]
    else:
        month, day, year = _month(match["dm_m"]), _day(match["dm_d"]), match["dm_y"]
    if year:
        return _make(int(year), month, day)
    if reference is None:
        return None
    return _nearest(month, day, reference)


def find_dates_mentioned(text: str, reference: DateValue | None) -> tuple[dt.date, ...]:
    """Every date ``text`` mentions, normalised, sorted and without repeats.

    Full dates always count; dates without a year, weekday names ("on
    Sunday": the latest such day on or before the reference) and
    yesterday/today/tomorrow count only when ``reference`` anchors them.
    """
    try:
        return _mentioned(text, _day_of(reference))
    except (ValueError, OverflowError, KeyError):
        return ()


def _mentioned(text: str, reference: dt.date | None) -> tuple[dt.date, ...]:
    found: set[dt.date] = set()
    for match in _PATTERN.finditer(text):
        value: dt.date | None
        if match["iso_y"]:
            iso = _iso(match)
            value = iso.date() if isinstance(iso, dt.datetime) else iso
        elif match["weekday"]:
            if reference is None:
                continue
            back = (reference.weekday() - _WEEKDAYS.index(match["weekday"].lower())) % 7
            value = reference - dt.timedelta(days=back)
        elif match["relative"]:
            if reference is None:
                continue
            value = reference + dt.timedelta(days=_RELATIVE[match["relative"].lower()])
        else:
            value = _written(match, reference)
        if value is not None:
            found.add(value)
    return tuple(sorted(found))
