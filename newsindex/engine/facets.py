"""Fast facet counts and date filters: per-searcher caches over the index's own data.

Whoosh's ``FieldFacet`` re-reads every posting list of a keyword field on each
call (seconds at 100,000 articles), and recomputes a date range's documents on
every search.  Here each keyword field's values are read once per searcher
into a per-document table, each date range's documents once per searcher, so a
facet costs one pass over the matching documents and a repeated date filter
costs nothing.  A searcher sees one commit; a new commit gets a new cache.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Any

from whoosh import query

MIN_DAY, MAX_DAY = 10101, 99991231
"""The stored YYYYMMDD numbers of real days; undated articles hold something else."""
MAX_DATE_RANGES = 64
"""Date ranges whose documents one searcher keeps."""


class FacetCache:
    """Keyword values per document, and documents per date range, for one searcher."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self._values: dict[str, tuple[list[str], list[tuple[int, ...]]]] = {}
        self._dates: list[int] | None = None
        self._by_day: tuple[list[int], list[int]] | None = None
        self._ranges: dict[tuple[int | None, int | None], set[int]] = {}
        self.display: dict[str, dict[str, str]] = {}
        """Display names of each field's values, filled by the searcher that owns the cache."""

    def values(self, field: str) -> tuple[list[str], list[tuple[int, ...]]]:
        """The distinct values of ``field`` and, per document number, the values it holds."""
        if field not in self._values:
            reader = self.searcher.reader()
            names: list[str] = []
            per_doc: list[list[int]] = [[] for _ in range(reader.doc_count_all())]
            if field in reader.indexed_field_names():
                for number, term in enumerate(reader.lexicon(field)):
                    names.append(term.decode("utf-8") if isinstance(term, bytes) else str(term))
                    for doc in reader.postings(field, term).all_ids():
                        per_doc[doc].append(number)
            self._values[field] = (names, [tuple(v) for v in per_doc])
        return self._values[field]

    def count(self, field: str, docs: Iterable[int]) -> Counter[str]:
        """How many of ``docs`` hold each value of ``field``."""
        names, per_doc = self.values(field)
        counts = Counter(itertools.chain.from_iterable(per_doc[d] for d in docs))
        return Counter({names[number]: count for number, count in counts.items()})

    def dates(self) -> list[int]:
        """The stored YYYYMMDD of every document (0 when it has none)."""
        if self._dates is None:
            reader = self.searcher.reader()
            days = [0] * reader.doc_count_all()
            if reader.has_column("date"):
                column = reader.column_reader("date")
                for doc in range(len(days)):
                    value = column[doc]
                    if value is not None and MIN_DAY <= int(value) <= MAX_DAY:
                        days[doc] = int(value)
            self._dates = days
        return self._dates

    def _day_index(self) -> tuple[list[int], list[int]]:
        """The dated live documents ordered by day: their days, and their numbers."""
        if self._by_day is None:
            days = self.dates()
            reader = self.searcher.reader()
            live = set(reader.all_doc_ids()) if reader.has_deletions() else None
            pairs = sorted(
                (day, doc) for doc, day in enumerate(days) if day and (live is None or doc in live)
            )
            self._by_day = ([day for day, _ in pairs], [doc for _, doc in pairs])
        return self._by_day

    def date_docs(self, low: int | None, high: int | None) -> set[int]:
        """Live documents dated from ``low`` to ``high`` (YYYYMMDD, inclusive; None is open).

        Undated documents never fall in a range.  One bisection over the
        documents ordered by day, whatever the range; the set is shared by every
        search of this searcher, so callers must not change it.
        """
        key = (low, high)
        if key not in self._ranges:
            if len(self._ranges) >= MAX_DATE_RANGES:
                self._ranges.clear()
            days, docs = self._day_index()
            first = 0 if low is None else bisect.bisect_left(days, low)
            last = len(days) if high is None else bisect.bisect_right(days, high)
            self._ranges[key] = set(docs[first:last])
        return self._ranges[key]

    def matching(self, q: Any, date_docs: set[int] | None) -> list[int]:
        """Document numbers matching ``q`` (and within ``date_docs`` when given)."""
        if isinstance(q, query.Every):
            docs: Iterable[int] = self.searcher.reader().all_doc_ids()
        else:
            docs = self.searcher.docs_for_query(q)
        if date_docs is None:
            return list(docs)
        return [d for d in docs if d in date_docs]
