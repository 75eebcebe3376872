"""Find an article's publication date, and the dates it mentions, in its text.

Regular expressions find ISO dates (``2025-11-23``, with time and offset),
written dates (``November 23, 2025``, ``23 November 2025``, ``Nov. 23``),
datelines (``WASHINGTON, March 3 -``), weekday names and ``yesterday``,
``today``, ``tomorrow``.  Dates without a year take it from a reference date
when one is given, and are otherwise left out.
Impossible dates (February 30) are skipped; no input makes these functions raise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsindex.documents import DateValue

__all__ = ["Dateline", "find_dateline", "find_dates_mentioned", "find_publication_date"]

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAMES, start=1):
    for _form in {_name, _name[:3]} | ({"sept"} if _number == 9 else set()):
        MONTHS[_form] = _number
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# Only capitalised ("May") or upper-case ("MAY") forms are months: "may" and "march" are words.
_MONTH_FORMS = {f: n for m, n in MONTHS.items() for f in (m.capitalize(), m.upper())}

# The pattern takes any capitalised word next to a day number and checks it against
# _MONTH_FORMS: one simple scan is several times faster than an alternation of month names.
_WORD = r"[A-Z][a-zA-Z]{2,8}"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89][0-9]{2}|2[01][0-9]{2})"
_OFFSET = r"(?:Z|UTC|GMT|[+-](?:0[0-9]|1[0-4]):?[0-5][0-9])"

# Every branch opens with a digit or a capital ("yesterday", "today" aside): the lookahead
# lets the scan pass over most word starts without trying each branch there.
_PATTERN = re.compile(
    rf"""\b(?=[0-9A-Zyt])(?:
      (?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3][0-9])
        (?:[T\ ](?P<iso_h>[01][0-9]|2[0-3]):(?P<iso_min>[0-5][0-9])
           (?::(?P<iso_s>[0-5][0-9])(?:\.[0-9]+)?)?\ ?(?P<iso_tz>{_OFFSET})?)?(?![\w-])
    | (?P<md_m>{_WORD})\.?\ (?P<md_d>{_DAY})\b(?:,?\ (?P<md_y>{_YEAR})\b)?
    | (?P<dm_d>{_DAY})\ (?:of\ )?(?P<dm_m>{_WORD})\b\.?(?:,?\ (?P<dm_y>{_YEAR})\b)?
    | (?P<weekday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b
    | (?P<relative>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b
    )""",
    re.VERBOSE,
)
# A dateline is typed in haste: "FEb 26", "march 11", "Marc 3" all occur on the wire.
_DATELINE_MONTHS = {
    form: number for name, number in MONTHS.items() for form in (name, _MONTH_NAMES[number - 1][:4])
}
_DATELINE_MONTH = "(?i:" + "|".join(sorted(_DATELINE_MONTHS, key=len, reverse=True)) + r")\.?"
_DATELINE = re.compile(
    rf"""^[\s*]*(?P<place>[A-Z][A-Za-z.'\-]*(?:[ ][A-Z][A-Za-z.'\-]*)*
        (?:,\s*[A-Z][A-Za-z.'\-]*(?:[ ][A-Za-z.'\-]+)*)?)
        ,?\s*(?:\((?:AP|Reuters|AFP|UPI|Reuter)\)\s*)?[,-]?\s*
        (?P<m>{_DATELINE_MONTH})\ (?P<d>{_DAY})(?:,?\ (?P<y>{_YEAR}))?
        \s*(?:\((?:AP|Reuters|AFP|UPI|Reuter)\))?\s*[-–—_:]""",
    re.VERBOSE,
)
_HEAD_CHARS = 300
# Unambiguous zone abbreviations, as fixed offsets in hours ("IST" and the like are left out:
# India, Israel and Ireland all use it).
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "JST": 9, "AEST": 10, "AEDT": 11, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip
_CLOCK = re.compile(
    r""",?\s+(?:at\s+)?(?P<h>[01]?[0-9]|2[0-3])[:.](?P<min>[0-5][0-9])
        \s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*\(?
        (?P<zone>(?:UTC|GMT)[+-](?:1[0-4]|0?[0-9])(?::?[0-5][0-9])?
          |[+-](?:0[0-9]|1[0-4]):?[0-5][0-9]
          |"""
    + "|".join(sorted(_ZONES, key=len, reverse=True))
    + r")\b",
    re.VERBOSE,
)
_RELATIVE = {"yesterday": -1, "today": 0, "tomorrow": 1}
# What may stand before a publication date on a header line: labels and weekdays
# ("Published:", "Updated", "Sun"), or a byline ended by a separator ("By Ann Lee |").
_HEADER_BEFORE = re.compile(
    r"""^[\W_]*(?:(?:published|updated|posted|first\ published|last\ updated|last\ modified
        |date|dated|on|at|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?)
        [\s:,|.\-–—•]*){0,3}$
      |^[^\n]{0,60}[|•·/]\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# A line this short is a header line: whatever else it says, its date is the article's.
_HEADER_LINE = 80


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
    return _MONTH_FORMS[token.rstrip(".")]


def _scan(text: str) -> Iterator[re.Match[str]]:
    """Matches of the date pattern whose month word really is a month."""
    search = _PATTERN.search
    position = 0
    while True:
        match = search(text, position)
        if match is None:
            return
        if match["md_m"] and match["md_m"] not in _MONTH_FORMS:
            position = match.start("md_d")  # "Company 1 March 2020": rescan from the day
            continue
        if match["dm_m"] and match["dm_m"] not in _MONTH_FORMS:
            position = match.start("dm_m")
            continue
        yield match
        position = match.end()


def _day(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _nearest(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The date with this month and day closest to ``reference`` (a year either side)."""
    candidates = [_make(reference.year + k, month, day) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    return min(valid, key=lambda c: (abs((c - reference).days), c))


def _tz(token: str) -> dt.tzinfo:
    """A fixed-offset zone for ``Z``, ``EST``, ``+01:00``, ``+0100`` or ``UTC+5:30``."""
    if token in _ZONES:
        return dt.timezone(dt.timedelta(hours=_ZONES[token]))
    token = token.removeprefix("UTC").removeprefix("GMT")
    sign = -1 if token[0] == "-" else 1
    hours, _, minutes = token[1:].partition(":")
    if not minutes and len(hours) == 4:
        hours, minutes = hours[:2], hours[2:]
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
    return dt.timezone(sign * offset)


def _with_clock(day: dt.date, text: str, position: int) -> DateValue:
    """``day`` with the time and zone written right after it ("10:30 a.m. EST"), if any."""
    clock = _CLOCK.match(text, position)
    if clock is None:
        return day
    hour = int(clock["h"])
    if clock["ampm"]:
        if hour > 12:
            return day
        hour = hour % 12 + (12 if clock["ampm"][0] in "Pp" else 0)
    return dt.datetime(
        day.year, day.month, day.day, hour, int(clock["min"]), tzinfo=_tz(clock["zone"])
    )


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
    word = found["m"].rstrip(".")
    if word not in _MONTH_FORMS and not found["place"].split()[0].isupper():
        return None  # only a wire-style upper-case place excuses a month typed in haste
    month, day = _DATELINE_MONTHS[word.lower()], _day(found["d"])
    if _make(2000, month, day) is None:  # 2000 is a leap year: only impossible days fail
        return None
    year = int(found["y"]) if found["y"] else None
    return Dateline(" ".join(found["place"].split()), month, day, year)


def find_publication_date(text: str, reference: DateValue | None = None) -> DateValue | None:
    """The date ``text`` says it was published, or None when the text does not say.

    A dateline (``WASHINGTON, March 3 -``) wins; without one, the first ISO
    or full written date on the first line (a timezone-aware datetime when a
    time and zone follow it: ``2025-11-23T09:30+01:00``, ``November 23, 2025,
    10:30 a.m. EST``).  A dateline's missing year is the one that
    puts the date nearest ``reference``; without a reference the result is
    None: the text does not say which year, and the years it mentions are a
    poor guess (on Reuters-21578 the latest year mentioned is right 24% of
    the time).
    """
    try:
        return _publication_date(text, _day_of(reference))
    except (ValueError, OverflowError, KeyError):
        return None


def _publication_date(text: str, reference: dt.date | None) -> DateValue | None:
    dateline = find_dateline(text)
    if dateline is None:
        line = text[:_HEAD_CHARS].lstrip().partition("\n")[0]
        for match in _scan(line):
            if len(line) > _HEADER_LINE and not _HEADER_BEFORE.match(line[: match.start()]):
                continue  # a date the first sentence mentions, not a header
            if match["iso_y"]:
                value = _iso(match)
            elif match["md_y"] or match["dm_y"]:
                written = _written(match, None)
                value = _with_clock(written, line, match.end()) if written else None
            else:
                continue
            if value is not None:
                return value
        return None
    if dateline.year is not None:
        return _make(dateline.year, dateline.month, dateline.day)
    if reference is not None:
        return _nearest(dateline.month, dateline.day, reference)
    return None


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
    for match in _scan(text):
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
