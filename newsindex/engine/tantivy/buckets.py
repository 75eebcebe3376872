"""Facets per date bucket in one aggregation: a range per bucket, terms inside each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from newsindex.dates import day_of
from newsindex.engine.tantivy.schema import ENTITY_FIELDS, facet_field
from newsindex.engine.tantivy.terms import ALL_DAYS, FACET_WINDOW, SEGMENT_SIZE
from newsindex.hits import bucket, date_facet, top_counts
from newsindex.results import Facet

__all__ = ["facets_by_bucket", "terms_aggregation"]


def terms_aggregation(field: str, top: int) -> dict[str, Any]:
    """The terms aggregation counting newsindex facet ``field`` (an entity, source or date)."""
    if field == "date":
        return {"terms": {"field": "day", "size": ALL_DAYS, "segment_size": SEGMENT_SIZE}}
    name = facet_field(field) if field in ENTITY_FIELDS else "source"
    return {"terms": {"field": name, "size": top + FACET_WINDOW, "segment_size": SEGMENT_SIZE}}


def value_facet(
    field: str, buckets: list[dict[str, Any]], top: int, total: int, display: dict[str, str]
) -> Facet:
    """A facet of entity or source values from a terms aggregation's buckets."""
    counter: Counter[str] = Counter()
    for found in buckets:
        value = str(found["key"])
        counter[display.get(value, value)] += int(found["doc_count"])
    return Facet(field, top_counts(counter.items(), top), total)


def facets_by_bucket(
    searcher: Any,
    query: Any,
    by: tuple[str, ...],
    *,
    top: int,
    interval: str,
    display: Callable[[str], dict[str, str]],
) -> dict[str, dict[str, Facet]]:
    """The facets of ``by`` per ``interval`` bucket of the dated matches, in two aggregations.

    The first finds the days that hold matches; the second counts ``by`` within
    a range of days per bucket.
    """
    days = searcher.aggregate(query, {"days": terms_aggregation("date", top)})
    labels: dict[str, list[int]] = {}
    for found in days.get("days", {}).get("buckets", []):
        number = int(found["key"])
        labels.setdefault(bucket(day_of(number), interval), []).append(number)
    if not labels:
        return {}
    ranges = [
        {"key": label, "from": min(numbers), "to": max(numbers) + 1}
        for label, numbers in sorted(labels.items())
    ]
    inner = {field: terms_aggregation(field, top) for field in by}
    per_bucket = {"range": {"field": "day", "ranges": ranges, "keyed": True}, "aggs": inner}
    answer = searcher.aggregate(query, {"buckets": per_bucket})
    found_buckets = answer.get("buckets", {}).get("buckets", {})
    result: dict[str, dict[str, Facet]] = {}
    for label in sorted(labels):
        part = found_buckets.get(label, {})
        total = int(part.get("doc_count", 0))
        if not total:
            continue
        result[label] = _bucket_facets(part, by, top, total, interval, display)
    return result


def _bucket_facets(
    part: dict[str, Any],
    by: tuple[str, ...],
    top: int,
    total: int,
    interval: str,
    display: Callable[[str], dict[str, str]],
) -> dict[str, Facet]:
    facets: dict[str, Facet] = {}
    for field in by:
        buckets = part.get(field, {}).get("buckets", [])
        if field == "date":
            counts = ((day_of(int(b["key"])), int(b["doc_count"])) for b in buckets)
            facets[field] = date_facet(field, counts, interval, total)
        else:
            facets[field] = value_facet(field, buckets, top, total, display(field))
    return facets
