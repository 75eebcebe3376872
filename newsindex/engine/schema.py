"""The index schema: which fields an article becomes, and how they are analysed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from whoosh import fields
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.qparser import QueryParserError
from whoosh.query import NumericRange, Query
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 2
"""Bumped whenever the fields change; an index with another version must be rebuilt."""

TEXT_FIELDS = ("title", "body")
ENTITY_FIELDS = ("people", "places", "organisations", "themes")
KEYWORD_FIELDS = (*ENTITY_FIELDS, "source")
QUERYABLE_FIELDS = (*TEXT_FIELDS, *KEYWORD_FIELDS, "date", "id", "url", "entities")


def facet_field(name: str) -> str:
    """The exact-value field behind entity field ``name`` (used for facets and counts)."""
    return f"facet_{name}"


def text_analyzer() -> Analyzer:
    """Words, lower-cased, accents folded, stop words dropped, English stems."""
    return (
        RegexTokenizer(r"\w+(?:[.'’-]\w+)*")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(minsize=1)
        | StemFilter(lang="en", cachesize=50000)
    )


def name_analyzer() -> Analyzer:
    """Words of entity names, lower-cased and accent-folded, not stemmed."""
    return RegexTokenizer(r"\w+(?:[.'’-]\w+)*") | LowercaseFilter() | CharsetFilter(accent_map)


def day_number(value: dt.date) -> int:
    """A date as the integer YYYYMMDD, the form the date field stores."""
    return value.year * 10000 + value.month * 100 + value.day


class DayField(fields.NUMERIC):  # type: ignore[misc]
    """A date at day resolution stored as a 32-bit YYYYMMDD number.

    It parses ISO dates in queries (``date:2025-11-24``, ``date:2025-11``,
    ``date:2025``, ranges with open ends), which a plain numeric field cannot.
    """

    def __init__(self, **kwargs: Any) -> None:
        # Signed: Whoosh's tiered range terms are wrong for unsigned numbers, which
        # made ranges open at the start (date:<2025-11-01) match every article.
        super().__init__(numtype=int, bits=32, signed=True, sortable=True, **kwargs)

    def _bounds(self, text: str) -> tuple[int, int]:
        from newsindex.dates import parse_date_bounds

        try:
            start, end = parse_date_bounds(text)
        except ValueError as exc:
            raise QueryParserError(f"bad date: {exc}") from None
        return day_number(start), day_number(end)

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> Query:
        low, high = self._bounds(qstring)
        return NumericRange(fieldname, low, high, boost=boost, constantscore=True)

    def parse_range(
        self,
        fieldname: str,
        start: str | None,
        end: str | None,
        startexcl: bool,
        endexcl: bool,
        boost: float = 1.0,
    ) -> Query:
        low = self._bounds(start)[0] if start else None
        high = self._bounds(end)[1] if end else None
        if start and startexcl:
            low = self._bounds(start)[1] + 1
        if end and endexcl:
            high = self._bounds(end)[0] - 1
        return NumericRange(fieldname, low, high, boost=boost, constantscore=True)


def keyword_field() -> fields.KEYWORD:
    """Comma-separated exact values, case-insensitive, countable for facets."""
    return fields.KEYWORD(commas=True, lowercase=True)


def build_schema() -> fields.Schema:
    """The schema every newsindex index uses (version :data:`SCHEMA_VERSION`).

    Entity fields come twice: ``people`` holds the words of each name, so
    ``people:modi`` and ``people:"narendra modi"`` both match, while
    ``facet_people`` holds each whole name as one exact value for facets.
    ``places`` also holds places implied but not named (a city's country);
    ``facet_places`` only those named.
    """
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=text_analyzer(), phrase=True, field_boost=1.0),
        body=fields.TEXT(analyzer=text_analyzer(), phrase=True),
        entities=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        people=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        places=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        organisations=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        themes=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        facet_people=keyword_field(),
        facet_places=keyword_field(),
        facet_organisations=keyword_field(),
        facet_themes=keyword_field(),
        source=keyword_field(),
        url=fields.ID(),
        date=DayField(),
        path=fields.ID(),
        dupkey=fields.ID(),
        data=fields.STORED(),
    )
