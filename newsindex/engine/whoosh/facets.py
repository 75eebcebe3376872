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
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import Any

from whoosh import query

from newsindex.dates import bucket_bounds
from newsindex.hits import bucket

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
        self._live: set[int] | None = None
        self._clauses: dict[Any, set[int]] = {}
        self._all_counts: dict[str, Counter[str]] = {}
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

    def count(self, field: str, docs: Collection[int]) -> Counter[str]:
        """How many of ``docs`` (live documents) hold each value of ``field``."""
        names, per_doc = self.values(field)
        everything = len(docs) == self.live_count()
        if everything and field in self._all_counts:
            return self._all_counts[field]
        numbers = Counter(itertools.chain.from_iterable(map(per_doc.__getitem__, docs)))
        counts = Counter({names[number]: count for number, count in numbers.items()})
        if everything:  # every article: the same answer until the next commit
            self._all_counts[field] = counts
        return counts

    def live_count(self) -> int:
        """How many live documents the searcher sees."""
        return int(self.searcher.reader().doc_count())

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

    def live(self) -> set[int] | None:
        """Every live document number, or None when no document is deleted."""
        reader = self.searcher.reader()
        if not reader.has_deletions():
            return None
        if self._live is None:
            self._live = set(reader.all_doc_ids())
        return self._live

    def _docs(self, q: Any) -> set[int]:
        """Document numbers matching ``q``, live or deleted.

        Words and their AND/OR/NOT combinations are read straight from the
        posting lists as sets (no per-document matcher calls); any other clause
        (phrases, ranges, patterns) is matched by the engine and kept per searcher.
        """
        if type(q) is query.Term:
            field = (
                self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
            )
            if field is None:
                return set()
            try:
                text = field.to_bytes(q.text)
            except ValueError:
                return set()
            reader = self.searcher.reader()
            if (q.fieldname, text) not in reader:
                return set()
            return set(reader.postings(q.fieldname, text).all_ids())
        if isinstance(q, query.Every) and not q.fieldname:
            return set(range(self.searcher.reader().doc_count_all()))
        if (isinstance(q, query.Or) and not q.minmatch) or isinstance(q, query.DisjunctionMax):
            found: set[int] = set()
            for child in q.subqueries:
                found |= self._docs(child)
            return found
        if type(q) is query.And or type(q) is query.Require:
            parts = sorted((self._docs(child) for child in q.children()), key=len)
            return parts[0].intersection(*parts[1:]) if parts else set()
        if type(q) is query.AndNot:
            return self._docs(q.a) - self._docs(q.b)
        if type(q) is query.AndMaybe:
            return self._docs(q.a)
        if q not in self._clauses:
            if len(self._clauses) >= MAX_DATE_RANGES:
                self._clauses.clear()
            self._clauses[q] = set(self.searcher.docs_for_query(q))
        return self._clauses[q]

    def group_by_bucket(
        self, docs: Iterable[int], label_of: Callable[[int], str]
    ) -> dict[str, list[int]]:
        """``docs`` grouped by the label of their day's bucket (undated ones left out)."""
        dates = self.dates()
        groups: dict[str, list[int]] = {}
        for doc in docs:
            if dates[doc]:
                groups.setdefault(label_of(dates[doc]), []).append(doc)
        return groups

    def matching(self, q: Any, date_docs: set[int] | None) -> set[int]:
        """Live document numbers matching ``q`` (and within ``date_docs`` when given)."""
        if isinstance(q, query.Every) and not q.fieldname:
            live = self.live()
            docs = set(range(self.searcher.reader().doc_count_all())) if live is None else live
            return set(docs if date_docs is None else date_docs)
        docs = self._docs(q)
        live = self.live()
        if live is not None:
            docs = docs & live
        return docs if date_docs is None else docs & date_docs


def labeller(interval: str) -> Callable[[int], str]:
    """A function from a stored day (YYYYMMDD) to its ``interval`` bucket's label, remembered."""
    labels: dict[int, str] = {}

    def label_of(number: int) -> str:
        if number not in labels:
            day = dt.date(number // 10000, number // 100 % 100, number % 100)
            labels[number] = bucket(day, interval)
        return labels[number]

    return label_of


def label_day(label: str, interval: str) -> int:
    """The stored day (YYYYMMDD) of the first day of the bucket labelled ``label``."""
    first = bucket_bounds(label, interval)[0]
    return first.year * 10000 + first.month * 100 + first.day
