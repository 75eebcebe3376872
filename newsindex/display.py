"""How results show in a notebook or at the Python prompt: short text and small HTML tables.

Every value that came from an article is escaped before it goes into HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsindex.index import Timeline
    from newsindex.results import Facet, Hit, SearchResults

__all__ = [
    "facets_html",
    "facets_over_time_html",
    "results_html",
    "results_text",
    "table_html",
    "timeline_html",
]

HTML_HITS = 10
"""Hits a results table shows before "… N more"."""
HTML_ROWS = 40
"""Rows a timeline table shows (the first and last halves) before eliding the middle."""
TITLE_CHARS = 80


def _short(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(hit: Hit) -> str:
    return hit.date.isoformat()[:10] if hit.date else "undated   "


def _more(total: int, shown: int) -> str:
    return f"… {total - shown:,} more" if total > shown else ""


def results_text(results: SearchResults, limit: int) -> str:
    """A header, the first ``limit`` hits one line each, then "… N more"."""
    shown = results.hits[:limit]
    lines = [
        f"<SearchResults {results.query!r}: {results.total:,} matching, "
        f"page {results.page} ({len(results.hits)} hits)>"
    ]
    lines += [f"  {hit.rank:>3}. {_day(hit)}  {_short(hit.title)}" for hit in shown]
    first = (results.page - 1) * results.page_size
    more = _more(results.total - first, len(shown))
    if more:
        lines.append(f"  {more}")
    if results.suggestion:
        lines.append(f"  did you mean {results.suggestion!r}?")
    return "\n".join(lines)


def table_html(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "", footer: str = ""
) -> str:
    """A small HTML table; every cell and the caption are escaped."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append(f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if footer:
        parts.append(f"<p>{escape(footer)}</p>")
    return "".join(parts)


def results_html(results: SearchResults) -> str:
    """The first hits of a page as a table: rank, date, title, people, places, source."""
    shown = results.hits[:HTML_HITS]
    rows = [
        (h.rank, _day(h).strip(), _short(h.title), ", ".join(h.people[:3]), ", ".join(h.places[:3]))
        for h in shown
    ]
    first = (results.page - 1) * results.page_size
    return table_html(
        ("rank", "date", "title", "people", "places"),
        rows,
        caption=f"{results.query!r}: {results.total:,} matching articles",
        footer=_more(results.total - first, len(shown)),
    )


def facets_html(facets: Mapping[str, Facet]) -> str:
    """One small table per facet: value and count."""
    return "".join(
        table_html(
            ("value", "count"),
            ((c.value, c.count) for c in facet.counts),
            caption=f"{name} ({facet.total:,} matching articles)",
        )
        for name, facet in facets.items()
    )


def facets_over_time_html(over_time: Mapping[str, Mapping[str, Facet]]) -> str:
    """One row per bucket and field: the top values with their counts."""
    rows = [
        (bucket, name, facet.total, ", ".join(f"{c.value} ({c.count})" for c in facet.counts[:5]))
        for bucket, facets in over_time.items()
        for name, facet in facets.items()
    ]
    return table_html(("bucket", "field", "articles", "top values"), rows)


def timeline_html(timeline: Timeline) -> str:
    """Buckets down, one column per query (long timelines show their two ends)."""
    queries = list(timeline.series)
    rows = [
        (label, *(timeline.series[q][i] for q in queries))
        for i, label in enumerate(timeline.buckets)
    ]
    footer = ""
    if len(rows) > HTML_ROWS:
        half = HTML_ROWS // 2
        footer = f"{len(rows) - HTML_ROWS:,} buckets in the middle left out"
        rows = rows[:half] + [("…", *("…" for _ in queries))] + rows[-half:]
    return table_html((timeline.interval, *queries), rows, footer=footer)
