"""Answers to protocol operations built from simpler ones, for engines without a faster way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsindex.dates import bucket_bounds
from newsindex.engine.protocol import Engine
from newsindex.hits import check_facet_request
from newsindex.options import Filters
from newsindex.query import ParsedQuery
from newsindex.results import Facet

__all__ = ["facets_per_bucket"]


def facets_per_bucket(
    engine: Engine,
    query: ParsedQuery,
    filters: Filters,
    by: Sequence[str],
    *,
    top: int,
    interval: str,
) -> dict[str, dict[str, Facet]]:
    """:meth:`Engine.facets_by_bucket` from one date facet, then one facet pass per bucket.

    Correct on any engine, but its cost grows with the number of buckets.
    """
    check_facet_request(("date",), interval)
    dates = engine.facets(query, filters, ("date",), top=top, interval=interval)["date"]
    found: dict[str, dict[str, Facet]] = {}
    for count in dates.counts:
        first, last = bucket_bounds(count.value, interval)
        narrowed = replace(
            filters,
            since=max(first, filters.since) if filters.since else first,
            until=min(last, filters.until) if filters.until else last,
        )
        found[count.value] = engine.facets(query, narrowed, by, top=top, interval=interval)
    return found
