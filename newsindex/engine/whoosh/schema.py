"""The index schema: which fields an article becomes, and how they are analysed."""

from __future__ import annotations

import re
from collections.abc import Callable
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
from whoosh.system import pack_uint

from newsindex.dates import day_number

SCHEMA_VERSION = 3
"""Bumped whenever the fields change; an index with another version must be rebuilt."""

TEXT_FIELDS = ("title", "body")
ENTITY_FIELDS = ("people", "places", "organisations", "themes")
KEYWORD_FIELDS = (*ENTITY_FIELDS, "source")
QUERYABLE_FIELDS = (*TEXT_FIELDS, *KEYWORD_FIELDS, "date", "id", "url", "entities")


def facet_field(name: str) -> str:
    """The exact-value field behind entity field ``name`` (used for facets and counts)."""
    return f"facet_{name}"


WORD_PATTERN = r"\w+(?:[.'’-]\w+)*"
"""A word: letters and digits, joined by inner dots, apostrophes and hyphens (U.S., o'neill)."""


def text_analyzer() -> Analyzer:
    """Words, lower-cased, accents folded, stop words dropped, English stems."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(minsize=1)
        | StemFilter(lang="en", cachesize=50000)
    )


def name_analyzer() -> Analyzer:
    """Words of entity names, lower-cased and accent-folded, not stemmed."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


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

    Each entity is indexed once, as an exact value: ``facet_people`` holds each
    whole name (lower-cased) and serves facets, filters and ``people:``
    clauses alike; ``implied_places`` holds places implied but not named (a
    city's country), which ``places:`` clauses also match but facets do not
    count.  The ``people``, ``places``, ``organisations`` and ``themes`` fields
    are never filled: they give the query parser the analyzer for
    ``people:modi`` and ``people:"narendra modi"``, which
    :mod:`newsindex.engine.whoosh.names` answers from the exact values' words.
    ``entities`` holds the words of every name, for ranking only (without
    positions: phrases match the text, not the list of names).
    """
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=PreAnalyzedText(analyzer=text_analyzer(), phrase=True, field_boost=1.0),
        body=PreAnalyzedText(analyzer=text_analyzer(), phrase=True),
        entities=PreAnalyzedText(analyzer=name_analyzer(), phrase=False),
        people=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        places=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        organisations=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        themes=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        facet_people=keyword_field(),
        facet_places=keyword_field(),
        facet_organisations=keyword_field(),
        facet_themes=keyword_field(),
        implied_places=keyword_field(),
        source=keyword_field(),
        url=fields.ID(),
        date=DayField(),
        path=fields.ID(),
        dupkey=fields.ID(),
        data=fields.STORED(),
    )


PREANALYZED_FIELDS = ("title", "body", "entities")
"""Fields whose postings an extraction worker can compute before the writer sees them."""


class PreAnalyzed:
    """A field's postings computed ahead of indexing (in a worker process).

    Whoosh's writer spends about a quarter of its time analysing text; a
    worker that has the same analyzer can do it in parallel and hand over
    the ready postings.
    """

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[bytes, int, float, bytes]]) -> None:
        self.items = items

    def __reduce__(self) -> tuple[Any, ...]:
        return (PreAnalyzed, (self.items,))


class PreAnalyzedText(fields.TEXT):  # type: ignore[misc]
    """A text field that also accepts :class:`PreAnalyzed` postings."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, PreAnalyzed):
            return iter(value.items)
        return super().index(value, **kwargs)


WORD = re.compile(WORD_PATTERN)
""":data:`WORD_PATTERN` compiled, for code that splits words as the analyzers do."""


def analysis_steps(analyzer: Any) -> tuple[frozenset[str], Callable[[str], str] | None]:
    """The stop words and the (cached) stemmer of one of our analyzers.

    With :data:`WORD`, lower-casing and ``accent_map`` these are all an
    analyzer does, so code that needs speed can run them in one loop.
    """
    stops: frozenset[str] = frozenset()
    stem_word = None
    for item in getattr(analyzer, "items", ()):
        if isinstance(item, StopFilter):
            stops = frozenset(item.stops)
        elif isinstance(item, StemFilter):
            stem_word = item._stem
    return stops, stem_word


def _fast_postings(field: fields.FieldType, text: str) -> list[tuple[bytes, int, float, bytes]]:
    """What ``field.index(text)`` returns for our two analyzers, without Whoosh's token objects.

    Whoosh runs every word through a chain of generator filters, about half
    the cost of preparing an article.  This does the same steps in one loop —
    lower-case, fold accents, drop stop words (renumbering positions as
    Whoosh's StopFilter does), stem — and encodes positions with the field's
    own format; tests check it agrees with Whoosh word for word.
    """
    stops, stem_word = analysis_steps(field.analyzer)
    positions: dict[str, list[int]] = {}
    position: int | None = None
    for index, word in enumerate(WORD.findall(text)):
        word = word.lower().translate(accent_map)
        if not word or word in stops:
            continue
        position = index if position is None else position + 1
        if stem_word is not None:
            word = stem_word(word)
        found = positions.get(word)
        if found is None:
            positions[word] = [position]
        else:
            found.append(position)
    boost = field.format.field_boost
    # A positions format stores the positions; a frequency format only their count.
    encode = field.format.encode if field.format.supports("positions") else _encode_count
    return [
        (word.encode("utf-8"), len(places), float(len(places)) * boost, encode(places))
        for word, places in positions.items()
    ]


def _encode_count(places: list[int]) -> bytes:
    return bytes(pack_uint(len(places)))


def preanalyze(schema: fields.Schema, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its text fields replaced by their ready postings."""
    done = dict(document)
    for name in PREANALYZED_FIELDS:
        value = done.get(name)
        if isinstance(value, str):
            done[name] = PreAnalyzed(_fast_postings(schema[name], value))
    return done
