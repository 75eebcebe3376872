"""Dates as users type them: ``2025-11-24``, ``2025-11``, ``2025``, or a datetime."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from newsindex.documents import DateValue

__all__ = ["bucket_bounds", "parse_date_bounds", "parse_user_date", "to_iso"]

_PARTIAL = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")


def parse_date_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date expression covers.

    ``2025`` covers the year, ``2025-11`` the month, ``2025-11-24`` one day;
    a full ISO datetime covers its day.  Raises ``ValueError`` with the reason
    for anything else, including impossible dates such as ``2025-02-30``.
    """
    text = text.strip()
    match = _PARTIAL.fullmatch(text)
    if match is None:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD") from None
        return moment.date(), moment.date()
    year = int(match["y"])
    if year < 1:
        raise ValueError(f"year {year} is out of range")
    if match["m"] is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(match["m"])
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} must be 1-12")
    if match["d"] is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    try:
        day = dt.date(year, month, int(match["d"]))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date: {exc}") from None
    return day, day


def parse_user_date(text: str, *, end: bool = False) -> dt.date:
    """A date option such as ``--since 2025-11``: the first (or, with ``end``, last) day."""
    start, last = parse_date_bounds(text)
    return last if end else start


def to_iso(value: DateValue | None) -> str | None:
    """ISO 8601 text for a date or datetime, or None."""
    return None if value is None else value.isoformat()


def bucket_bounds(label: str, interval: str) -> tuple[dt.date, dt.date]:
    """First and last day of a timeline bucket: ``2025``, ``2025-11``, ``2025-W48`` or a day."""
    if interval == "week":
        monday = dt.date.fromisocalendar(int(label[:4]), int(label[6:]), 1)
        return monday, monday + dt.timedelta(days=6)
    return parse_date_bounds(label)


def day_number(value: dt.date) -> int:
    """A date as the integer YYYYMMDD, the form engines index dates in."""
    return value.year * 10000 + value.month * 100 + value.day


def day_of(number: int) -> dt.date:
    """The date of a YYYYMMDD day number (the inverse of :func:`day_number`)."""
    return dt.date(number // 10000, number // 100 % 100, number % 100)
