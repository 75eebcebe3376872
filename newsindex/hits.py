"""What every engine's search shares: hits built from stored records, snippets' marks,
folding near-duplicates, date buckets and the checks on facet requests."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from newsindex.dedup import is_near_duplicate
from newsindex.errors import ConfigurationError
from newsindex.records import date_from_text, names
from newsindex.results import Facet, FacetCount, Hit, Snippet

__all__ = [
    "DATE_SORTS",
    "ENTITY_FIELDS",
    "FACET_FIELDS",
    "FOLD_OVERFETCH",
    "HIGHLIGHTED_HITS",
    "INTERVALS",
    "NEWEST_FIRST",
    "OLDEST_FIRST",
    "SNIPPET_CHARS",
    "bucket",
    "check_facet_request",
    "fold",
    "lead",
    "make_hit",
    "snippet_from_marked",
    "top_counts",
]

ENTITY_FIELDS = ("people", "places", "organisations", "themes")
FACET_FIELDS = (*ENTITY_FIELDS, "source", "date")
INTERVALS = ("day", "week", "month", "year")
SNIPPET_CHARS = 240
HIGHLIGHTED_HITS = 100
"""Hits on one page whose snippet highlights the match; later ones show the lead."""
NEWEST_FIRST, OLDEST_FIRST = ("date", "newest"), ("date-asc", "oldest")
DATE_SORTS = NEWEST_FIRST + OLDEST_FIRST
FOLD_OVERFETCH = 3
"""How many times a page's worth of hits is fetched so near-duplicates can be folded."""
START_MARK, END_MARK = "\x02", "\x03"
"""Characters an engine puts around highlighted words before :func:`snippet_from_marked`."""

T = TypeVar("T")


def lead(body: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of ``body``, cut at a word, for hits with nothing to highlight."""
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + " …"


def snippet_from_marked(marked: str) -> Snippet:
    """A :class:`Snippet` from text with highlights between START_MARK and END_MARK."""
    text_parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = 0
    for char in marked:
        if char == START_MARK:
            start = length
        elif char == END_MARK:
            spans.append((start, length))
        else:
            text_parts.append(char)
            length += 1
    return Snippet(" ".join("".join(text_parts).split(" ")), tuple(spans))


def fold(
    found: Iterable[T], signature: Callable[[T], int], ident: Callable[[T], str], enabled: bool
) -> list[tuple[T, tuple[str, ...]]]:
    """Group ranked hits so each near-duplicate follows the best-ranked copy of its story."""
    if not enabled:
        return [(hit, ()) for hit in found]
    kept: list[tuple[T, int, list[str]]] = []
    for hit in found:
        mark = signature(hit)
        for _, other, folded in kept:
            if mark and other and is_near_duplicate(mark, other):
                folded.append(ident(hit))
                break
        else:
            kept.append((hit, mark, []))
    return [(hit, tuple(folded)) for hit, _, folded in kept]


def make_hit(
    article_id: str,
    score: float,
    data: dict[str, Any],
    rank: int,
    snippet: Snippet,
    folded: tuple[str, ...] = (),
) -> Hit:
    """A :class:`Hit` from an article's stored record (:func:`newsindex.records.unpack_data`)."""
    return Hit(
        id=article_id,
        score=round(float(score or 0.0), 4),
        rank=rank,
        title=data.get("title", ""),
        date=date_from_text(data.get("date")),
        people=names(data, "people"),
        places=names(data, "places"),
        organisations=names(data, "organisations"),
        themes=tuple(t["name"] for t in data.get("themes", ())),
        source=data.get("source", ""),
        url=data.get("url", ""),
        path=data.get("path", ""),
        snippet=snippet,
        similar=len(folded),
        similar_ids=folded,
    )


def bucket(day: dt.date, interval: str) -> str:
    """The label of the ``interval`` containing ``day``: 2025-11-24, 2025-W48, 2025-11, 2025."""
    if interval == "day":
        return day.isoformat()
    if interval == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if interval == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if interval == "year":
        return f"{day.year:04d}"
    raise ConfigurationError(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}")


def check_facet_request(by: Sequence[str], interval: str) -> None:
    """Refuse a facet of an unknown field, or a date facet of an unknown interval."""
    for field in by:
        if field not in FACET_FIELDS:
            raise ConfigurationError(
                f"cannot facet by {field!r}; choose from {', '.join(FACET_FIELDS)}"
            )
    if "date" in by and interval not in INTERVALS:
        raise ConfigurationError(
            f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}"
        )


def top_counts(counts: Iterable[tuple[str, int]], top: int) -> tuple[FacetCount, ...]:
    """The ``top`` values by count, ties in name order."""
    ordered = heapq.nsmallest(top, counts, key=lambda kv: (-kv[1], kv[0]))
    return tuple(FacetCount(k, v) for k, v in ordered)


def date_facet(
    field: str, day_counts: Iterable[tuple[dt.date, int]], interval: str, total: int
) -> Facet:
    """A date facet: article counts per ``interval`` bucket, in date order."""
    counter: dict[str, int] = {}
    for day, count in day_counts:
        label = bucket(day, interval)
        counter[label] = counter.get(label, 0) + count
    return Facet(field, tuple(FacetCount(k, v) for k, v in sorted(counter.items())), total)


SURROUND = 60
"""Characters of context a snippet keeps before its first highlighted word."""


def highlight(body: str, spans: Sequence[tuple[int, int]], fragments: int = 2) -> Snippet:
    """A snippet of ``body`` around the matched word ``spans`` (start, end), marked.

    Up to ``fragments`` windows of at most SNIPPET_CHARS, each starting SURROUND
    characters before a match; the windows with the most matches are kept, in
    text order, joined by " … ".
    """
    if not spans:
        return Snippet(lead(body))
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    index = 0
    while index < len(spans):
        start = max(0, spans[index][0] - SURROUND)
        inside = []
        while index < len(spans) and spans[index][1] - start <= SNIPPET_CHARS:
            inside.append(spans[index])
            index += 1
        if not inside:  # a single word longer than a window
            inside.append(spans[index])
            index += 1
        end = min(len(body), max(inside[-1][1], start + SNIPPET_CHARS))
        windows.append((start, end, inside))
    best = sorted(sorted(windows, key=lambda w: -len(w[2]))[:fragments])
    parts = []
    for start, end, inside in best:
        start = _word_start(body, start)
        end = _word_end(body, end)
        marked, at = [], start
        for first, last in inside:
            marked.append(body[at:first] + START_MARK + body[first:last] + END_MARK)
            at = last
        marked.append(body[at:end])
        parts.append("".join(marked))
    return snippet_from_marked(" ".join(" … ".join(parts).split()))


def _word_start(text: str, at: int) -> int:
    """``at`` moved forward to the start of a word (unless it is the text's start)."""
    if at == 0 or not text[at - 1].isalnum():
        return at
    while at < len(text) and text[at].isalnum():
        at += 1
    return at


def _word_end(text: str, at: int) -> int:
    """``at`` moved back to the end of a word (unless it is the text's end)."""
    if at >= len(text) or not text[at].isalnum():
        return at
    while at > 0 and text[at - 1].isalnum():
        at -= 1
    return at
