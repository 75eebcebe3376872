"""Batch search: many queries against one open index, one line each.

A journalist's list of names, one query per line, checked against an archive:
for each query the number of matching articles, the first and last date, the
top hits and optionally counts per month.  A line that does not parse is
reported with its line number and the rest still run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from newsindex.errors import NewsIndexError
from newsindex.options import Filters, SearchOptions
from newsindex.results import Hit

if TYPE_CHECKING:
    from newsindex.index import NewsIndex

__all__ = ["BatchItem", "BatchReport", "run_batch"]


@dataclass(frozen=True)
class BatchItem:
    """The answer to one line of a batch: its counts and top hits, or the error it raised."""

    line: int
    query: str
    total: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    hits: tuple[Hit, ...] = ()
    per: dict[str, int] = field(default_factory=dict)
    """Matching articles per bucket (``2025-11``) when asked for, else empty."""
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the query ran."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; hits as ``{id, title, date, score}``."""
        return {
            "line": self.line,
            "query": self.query,
            "total": self.total,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "hits": [
                {
                    "id": h.id,
                    "title": h.title,
                    "date": h.date.isoformat() if h.date else None,
                    "score": round(h.score, 4),
                }
                for h in self.hits
            ],
            "per": dict(self.per),
            "error": self.error,
        }


@dataclass(frozen=True)
class BatchReport:
    """Every line's :class:`BatchItem`, in input order."""

    items: tuple[BatchItem, ...]
    interval: str | None = None

    @property
    def failed(self) -> tuple[BatchItem, ...]:
        """The lines whose query raised an error."""
        return tuple(item for item in self.items if not item.ok)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"interval": self.interval, "queries": [item.to_dict() for item in self.items]}


def queries_of(lines: Iterable[str]) -> list[tuple[int, str]]:
    """``(line number, query)`` for each line that is neither blank nor a ``#`` comment."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            found.append((number, text))
    return found


def run_batch(
    index: NewsIndex,
    lines: Iterable[str],
    *,
    filters: Filters | None = None,
    top: int = 3,
    per: str | None = None,
    options: SearchOptions | None = None,
) -> BatchReport:
    """Run each query line of ``lines`` (numbered from 1) on ``index``; see :class:`BatchItem`."""
    base = options or SearchOptions()
    search_options = replace(base, filters=filters or base.filters, limit=top, page=1)
    items = [_one(index, number, text, search_options, per) for number, text in queries_of(lines)]
    return BatchReport(items=tuple(items), interval=per)


def _one(
    index: NewsIndex, number: int, text: str, options: SearchOptions, per: str | None
) -> BatchItem:
    try:
        results = index.search(text, options=options)
        days = index.facets(text, ("date",), filters=options.filters, interval="day")["date"]
        counts: dict[str, int] = {}
        if per is not None and results.total:
            facet = index.facets(text, ("date",), filters=options.filters, interval=per)["date"]
            counts = {c.value: c.count for c in facet.counts}
    except NewsIndexError as exc:
        return BatchItem(line=number, query=text, error=str(exc))
    dated = [c.value for c in days.counts if c.count]
    return BatchItem(
        line=number,
        query=text,
        total=results.total,
        first_date=dt.date.fromisoformat(min(dated)) if dated else None,
        last_date=dt.date.fromisoformat(max(dated)) if dated else None,
        hits=tuple(results.hits),
        per=counts,
    )
