"""The top values of facet fields, exact, without turning every matching value into text.

Tantivy's terms aggregation spends most of its time on big queries turning each
segment's term numbers into strings: with ``segment_size`` "all", every
distinct value of every segment (for people, mostly names met once).  A
smaller ``segment_size`` is much cheaper, but a value cut from a segment's
list loses that segment's count, by at most the aggregation's
``doc_count_error_upper_bound`` (E).  So facets ask in up to three passes:

1. every field, the long-tailed ones (:data:`LONG_TAILED`) keeping the first
   :data:`FIRST_PASS` values of each segment (and a few times ``size`` of the
   whole); a field with E = 0 lost nothing and is done;
2. the other fields again, counting only the listed values whose count plus E
   reaches the ``top``-th count listed (``include``: no segment cuts those, so
   their counts are exact); a field is done when no value outside the list can
   reach the ``top``-th exact count: such a value counted at most the list's
   smallest count in the first pass, plus E;
3. any field still not done, with ``segment_size`` "all", as before.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ALL_DAYS",
    "FACET_WINDOW",
    "FIRST_PASS",
    "FIRST_PASS_HITS",
    "LONG_TAILED",
    "SEGMENT_SIZE",
    "top_terms",
]

FACET_WINDOW = 50
"""Values asked of Tantivy beyond ``top``, so ties at the cut sort by name as on Whoosh."""
SEGMENT_SIZE = 1_000_000
"""Values each segment reports for a facet: all of them, so counts are exact."""
ALL_DAYS = 100_000
"""Distinct days a date facet may report (273 years of days)."""
FIRST_PASS = 1_000
"""Values each segment reports in the cheap first pass."""
LONG_TAILED = frozenset({"facet_people", "facet_organisations"})
"""Columns that take the cheap first pass: names, most met once, so most of the
strings Tantivy makes are theirs.  At 1M articles places and themes cost as much
with a short ``segment_size`` as with "all", and would need a recount besides."""
LISTED = 3
"""The first pass lists this many times the values asked for (at most :data:`FIRST_PASS`)."""
FIRST_PASS_HITS = 50_000
"""Matching articles below which one full pass costs less than the first pass and a
recount (measured on the 1M synthetic benchmark index, 12 segments: the two passes
were 1.2-1.6 times slower from 7,000 to 40,000 hits, even at 50,000, and up to
1.5 times faster above)."""

Buckets = list[dict[str, Any]]


def top_terms(
    searcher: Any,
    query: Any,
    fields: dict[str, str],
    size: dict[str, int],
    top: dict[str, int],
    hits: int,
) -> dict[str, Buckets]:
    """Terms-aggregation buckets of ``fields`` (name → Tantivy field) over ``query``,
    as one pass with ``segment_size`` "all" would give them.

    Each field's buckets, in descending count, hold its ``top[name]`` values with
    the highest counts and every value tied with the last of them (up to
    ``size[name]`` values in all), each with its exact count.  Queries with fewer
    than :data:`FIRST_PASS_HITS` ``hits`` take the one full pass at once.
    """
    if hits < FIRST_PASS_HITS:
        return _aggregate(searcher, query, fields, size, {}, whole=True)
    short = {name: FIRST_PASS for name, field in fields.items() if field in LONG_TAILED}
    first = _aggregate(searcher, query, fields, size, short)
    found = {name: _buckets(first, name) for name in fields if _error(first, name) == 0}
    pending = {name: fields[name] for name in fields if name not in found}
    if pending:
        found.update(_recount(searcher, query, pending, top, first))
    rest = {name: fields[name] for name in fields if name not in found}
    if rest:
        found.update(_aggregate(searcher, query, rest, size, {}, whole=True))
    return {name: buckets[: size[name]] for name, buckets in found.items()}


def _recount(
    searcher: Any, query: Any, fields: dict[str, str], top: dict[str, int], first: dict[str, Any]
) -> dict[str, Buckets]:
    """Exact buckets of the fields of ``fields`` whose top the first pass is sure to
    have listed, counted over the listed values that may reach it."""
    candidates = {name: _candidates(first, name, top[name]) for name in fields}
    requests = {
        name: {
            "terms": {
                "field": fields[name],
                "size": len(keys),
                "segment_size": SEGMENT_SIZE,
                "include": keys,
                "show_term_doc_count_error": True,
            }
        }
        for name, keys in candidates.items()
        if keys
    }
    second = searcher.aggregate(query, requests) if requests else {}
    settled: dict[str, Buckets] = {}
    for name in requests:
        buckets = _buckets(second, name)
        if _error(second, name) == 0 and _sure(first, name, buckets, top[name]):
            settled[name] = buckets
    return settled


def _candidates(first: dict[str, Any], name: str, top: int) -> list[str]:
    """The listed values whose first-pass count plus the error bound reaches the
    ``top``-th count listed (none if fewer than ``top`` are listed)."""
    listed, error = _buckets(first, name), _error(first, name)
    if error is None or len(listed) < max(top, 1):
        return []
    kth = int(listed[max(top, 1) - 1]["doc_count"])
    return [str(b["key"]) for b in listed if int(b["doc_count"]) + error >= kth]


def _sure(first: dict[str, Any], name: str, recounted: Buckets, top: int) -> bool:
    """True if no value outside ``recounted`` can reach its ``top``-th exact count."""
    listed, error = _buckets(first, name), _error(first, name)
    if error is None or len(recounted) < max(top, 1):
        return False
    floor = int(listed[-1]["doc_count"])
    counts = sorted((int(b["doc_count"]) for b in recounted), reverse=True)
    return floor + error < counts[max(top, 1) - 1]


def _aggregate(
    searcher: Any,
    query: Any,
    fields: dict[str, str],
    size: dict[str, int],
    short: dict[str, int],
    whole: bool = False,
) -> dict[str, Any]:
    """One terms aggregation per field, keeping ``short[name]`` values per segment
    (all of them for a field not in ``short``); the buckets alone if ``whole``."""
    requests = {}
    for name, field in fields.items():
        segment_size = max(short.get(name, SEGMENT_SIZE), size[name])
        listed = min(segment_size, LISTED * size[name]) if name in short else size[name]
        request = {"field": field, "size": listed, "segment_size": segment_size}
        requests[name] = {"terms": {**request, "show_term_doc_count_error": True}}
    answer: dict[str, Any] = searcher.aggregate(query, requests)
    return {name: _buckets(answer, name) for name in fields} if whole else answer


def _buckets(answer: dict[str, Any], name: str) -> Buckets:
    buckets: Buckets = answer.get(name, {}).get("buckets", [])
    return buckets


def _error(answer: dict[str, Any], name: str) -> int | None:
    """The most a count in ``name``'s buckets may miss (None if Tantivy did not say)."""
    bound = answer.get(name, {}).get("doc_count_error_upper_bound")
    return None if bound is None else int(bound)
