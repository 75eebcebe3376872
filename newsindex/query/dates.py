"""``date:`` values in a query: a year, month or day, a comparison, or a range."""

from __future__ import annotations

import datetime as dt

from newsindex.dates import day_number, parse_date_bounds
from newsindex.errors import QuerySyntaxError
from newsindex.query.scan import Leaf
from newsindex.query.tree import DateRange

__all__ = ["DateErrors", "date_range"]

_NOTHING = DateRange(dt.date.max, dt.date.min)
"""A range no article falls in (a start after the last representable day)."""


class DateErrors:
    """The first bad date of a query and the first range that ends before it starts.

    A bad date is reported first wherever it is; the query text is the one typed.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.bad: QuerySyntaxError | None = None
        self.backwards: QuerySyntaxError | None = None

    def raise_first(self) -> None:
        if self.bad is not None:
            raise self.bad
        if self.backwards is not None:
            raise self.backwards


def date_range(leaf: Leaf, errors: DateErrors) -> DateRange:
    """The days ``leaf`` (on the ``date`` field) covers; a mistake is noted in ``errors``."""
    try:
        if leaf.kind != "range":
            low, high = parse_date_bounds(leaf.text)
            return DateRange(low, high)
        return _between(leaf, errors)
    except ValueError as exc:
        if errors.bad is None:
            errors.bad = QuerySyntaxError(errors.text, f"bad date: {exc}", leaf.start)
        return _NOTHING


def _between(leaf: Leaf, errors: DateErrors) -> DateRange:
    """A ``[a TO b]`` range or a comparison; ``{``/``}`` and ``<``/``>`` leave a day out."""
    low = high = None
    low_number = high_number = None
    if leaf.low:
        first, last = parse_date_bounds(leaf.low)
        low, low_number = first, day_number(first)
        if leaf.low_excluded:
            low, low_number = _shift(last, 1), day_number(last) + 1
    if leaf.high:
        first, last = parse_date_bounds(leaf.high)
        high, high_number = last, day_number(last)
        if leaf.high_excluded:
            high, high_number = _shift(first, -1), day_number(first) - 1
    # Compared as YYYYMMDD numbers, as always: {2025-11-30 TO 2025-12-01} is no error.
    if low_number is not None and high_number is not None and low_number > high_number:
        if errors.backwards is None:
            at = max(0, errors.text.find("date:"))
            errors.backwards = QuerySyntaxError(
                errors.text, "the date range ends before it starts", at
            )
    if leaf.low and low is None or leaf.high and high is None:
        return _NOTHING  # a day before the first or after the last representable one
    return DateRange(low, high)


def _shift(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days``, or None past either end of the calendar."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None
