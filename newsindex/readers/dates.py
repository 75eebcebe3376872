"""Publication dates as sources write them: ISO 8601, RFC 2822, common layouts, epochs.

Every reader parses dates here so that the same value means the same date
whatever the format.  A value that is present but impossible (``2025-02-30``,
year 99999, ``next Tuesday``) raises :class:`ValueError` whose message names
the value; readers turn that into a skipped record naming the field.  Values
that only say "no date" (empty, ``null``, ``n/a``) are not errors: the date is
unknown.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import warnings

from dateutil import parser as dateutil_parser
from dateutil.parser import ParserError, isoparse

from newsindex.documents import DateValue

__all__ = ["MISSING_DATE_WORDS", "parse_date", "parse_iso_date"]

MISSING_DATE_WORDS = frozenset({"", "-", "--", "n/a", "na", "none", "null", "nil", "unknown", "?"})
"""Values that mean "no date" rather than a bad one (compared case-insensitively)."""

_ISO_DATE = re.compile(r"[+-]?\d{1,6}-\d{1,2}-\d{1,2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d([.,]\d+)?)?(Z|[+-]\d\d(:?\d\d)?)?", re.I
)
_COMPACT_DATE = re.compile(r"\d{8}")
_EPOCH = re.compile(r"\d{9,13}(\.\d+)?")
_HAS_TIME = re.compile(r"\d:\d\d")
_HAS_ZONE = re.compile(r"(\b(GMT|UTC|UT|Z)\b|[+-]\d\d:?\d\d\b|\b[A-Z]{3,4}\b)\s*$")
# Two sentinels that differ in every component: a value parsed against both
# that comes out different was missing that component.
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)
_MAX_DATE_CHARS = 100
_HOUR = 3600
_ZONES = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": _HOUR, "CET": _HOUR, "CEST": 2 * _HOUR,
    "EET": 2 * _HOUR, "EEST": 3 * _HOUR, "MSK": 3 * _HOUR, "JST": 9 * _HOUR, "KST": 9 * _HOUR,
    "AEST": 10 * _HOUR, "AEDT": 11 * _HOUR, "EST": -5 * _HOUR, "EDT": -4 * _HOUR,
    "CST": -6 * _HOUR, "CDT": -5 * _HOUR, "MST": -7 * _HOUR, "MDT": -6 * _HOUR,
    "PST": -8 * _HOUR, "PDT": -7 * _HOUR,
}  # fmt: skip
"""Zone abbreviations read with a fixed offset (ambiguous ones such as IST are not)."""


def _checked_year(year: int) -> None:
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range 1-9999")


def _aware(value: dt.datetime) -> dt.datetime:
    """``value`` with a fixed UTC offset; naive times are taken as UTC."""
    offset = value.utcoffset()
    if offset is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.replace(tzinfo=dt.timezone(offset))


def parse_iso_date(value: str) -> DateValue:
    """Parse an ISO 8601 date or datetime; raise ValueError saying why it is impossible."""
    value = value.strip()
    if _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in value.lstrip("+").split("-") if part)
        if value.startswith("-"):
            year = -year
        _checked_year(year)
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"not a calendar date ({exc})") from None
    text = value.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        try:  # Python 3.10 reads fewer ISO forms (``+0530``, ``,5`` seconds) than 3.11
            parsed = isoparse(value)
        except (ValueError, OverflowError):
            raise ValueError(f"not an ISO 8601 date ({exc})") from None
    return _aware(parsed)


def _from_epoch(seconds: float) -> dt.datetime:
    if seconds > 1e11:  # milliseconds, as JavaScript writes them
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ValueError("timestamp out of range") from None


def _parse_free(text: str) -> DateValue:
    try:
        with warnings.catch_warnings():
            # An unknown zone name is reported below, as a bad value.
            warnings.simplefilter("ignore")
            first: dt.datetime = dateutil_parser.parse(text, default=_DEFAULT_A, tzinfos=_ZONES)
            second: dt.datetime = dateutil_parser.parse(text, default=_DEFAULT_B, tzinfos=_ZONES)
    except (ParserError, ValueError, OverflowError, TypeError) as exc:
        reason = str(exc).split(": ")[0] or "unknown format"
        raise ValueError(f"not a date ({reason})") from None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        raise ValueError("not a full date (year, month and day are needed)")
    _checked_year(first.year)
    if not _HAS_TIME.search(text):
        return first.date()
    if first.tzinfo is None and _HAS_ZONE.search(text):
        raise ValueError("time zone not known (use a UTC offset such as +02:00)")
    return _aware(first)


def parse_date(value: object) -> DateValue | None:
    """Parse a publication date from a record; ``None`` when it says there is none.

    Accepts ISO 8601 (``2024-05-01``, ``2024-05-01T09:30:00+02:00``), RFC 2822
    as feeds write it (``Wed, 01 May 2024 09:30:00 GMT``), compact
    ``20240501``, Unix timestamps (seconds or milliseconds, as numbers or
    digit strings) and the layouts ``python-dateutil`` understands
    (``May 1, 2024``, ``01/05/2024`` read month first).  A date without a time
    is a ``datetime.date``; a time without an offset is taken as UTC.  Raises
    ValueError saying why when it is present but not a possible date (the
    message does not repeat the value: callers name field and value).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, dt.datetime):
        return _aware(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        raise ValueError(f"a {type(value).__name__}, not a date")
    text = " ".join(value.split())
    if text.casefold() in MISSING_DATE_WORDS:
        return None
    if len(text) > _MAX_DATE_CHARS:
        raise ValueError("too long to be a date")
    if _ISO_DATE.fullmatch(text) or _ISO_DATETIME.fullmatch(text):
        return parse_iso_date(text)
    if _COMPACT_DATE.fullmatch(text):
        return parse_iso_date(f"{text[:4]}-{text[4:6]}-{text[6:]}")
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    if text.isdigit():
        raise ValueError("not a full date (year, month and day are needed)")
    rfc = _parse_rfc2822(text)
    if rfc is not None:
        return rfc
    return _parse_free(text)


def _parse_rfc2822(text: str) -> dt.datetime | None:
    if "," not in text[:5] and not re.match(r"\d{1,2} [A-Za-z]{3} \d{4} \d", text):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    _checked_year(parsed.year)
    return _aware(parsed)
