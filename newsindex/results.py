"""What searches return: plain, typed records that convert to dicts and DataFrames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, overload

from newsindex.documents import DateValue
from newsindex.extract import Entity, Theme

__all__ = [
    "Facet",
    "FacetCount",
    "FacetsOverTime",
    "Hit",
    "SearchResults",
    "Snippet",
    "StoredArticle",
]

REPR_HITS = 5
"""Hits a printed :class:`SearchResults` shows before "… N more"."""


@dataclass(frozen=True)
class Snippet:
    """A passage of an article with the matched words marked.

    ``highlights`` are (start, end) character offsets into ``text``.
    """

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The passage with each match wrapped in ``before`` and ``after``."""
        pieces: list[str] = []
        last = 0
        for start, end in self.highlights:
            pieces.append(self.text[last:start])
            pieces.append(f"{before}{self.text[start:end]}{after}")
            last = end
        pieces.append(self.text[last:])
        return "".join(pieces)


@dataclass(frozen=True)
class Hit:
    """One search result."""

    id: str
    score: float
    rank: int
    title: str
    date: DateValue | None
    people: tuple[str, ...]
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    themes: tuple[str, ...]
    source: str
    url: str
    path: str
    snippet: Snippet
    similar: int = 0
    """How many near-duplicates of this article the results folded under it."""
    similar_ids: tuple[str, ...] = ()
    """The ids of those near-duplicates."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text, the snippet marked with ``[...]``)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}  # asdict copies deeply
        data["date"] = self.date.isoformat() if self.date else None
        data["snippet"] = self.snippet.marked()
        data["highlights"] = [list(span) for span in self.snippet.highlights]
        data["snippet_text"] = self.snippet.text
        for key in ("people", "places", "organisations", "themes", "similar_ids"):
            data[key] = list(data[key])
        return data


@dataclass(frozen=True)
class SearchResults(Sequence[Hit]):
    """The hits of one page of a search, with the total and a spelling suggestion."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int = 1
    page_size: int = 10
    suggestion: str | None = None
    elapsed_ms: float = 0.0

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Hit, ...]: ...

    def __getitem__(self, index: int | slice) -> Hit | tuple[Hit, ...]:
        """The hit at ``index``, or a tuple of the hits in a slice."""
        return self.hits[index]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Each hit as a JSON-ready dict."""
        return [hit.to_dict() for hit in self.hits]

    def to_dict(self) -> dict[str, Any]:
        """The whole result page as a JSON-ready dict."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "suggestion": self.suggestion,
            "hits": self.to_dicts(),
        }

    def to_pandas(self) -> Any:
        """This page's hits as a pandas DataFrame (every match: :meth:`NewsIndex.to_pandas`).

        Entity columns hold lists and ``date`` is a datetime64 column; needs
        ``pip install "newsindex[pandas]"``.
        """
        from newsindex.frames import hits_frame

        return hits_frame(self.hits, "SearchResults.to_pandas()")

    def __repr__(self) -> str:
        from newsindex.display import results_text

        return results_text(self, REPR_HITS)

    def _repr_html_(self) -> str:
        from newsindex.display import results_html

        return results_html(self)


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet and how many matching articles have it."""

    value: str
    count: int


@dataclass(frozen=True)
class Facet:
    """Counts of one field's values over the articles matching a query."""

    field: str
    counts: tuple[FacetCount, ...]
    total: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "field": self.field,
            "total": self.total,
            "counts": [{"value": c.value, "count": c.count} for c in self.counts],
        }

    def to_pandas(self) -> Any:
        """The values and counts as a DataFrame (``value``, ``count``), most frequent first."""
        from newsindex.frames import facet_frame

        return facet_frame(self)

    def plot(self, *, title: str | None = None) -> Any:
        """A horizontal bar chart of the counts, as a matplotlib Figure (extra ``notebook``)."""
        from newsindex.plots import facets_figure

        return facets_figure({self.field: self}, title=title)

    def _repr_html_(self) -> str:
        from newsindex.display import facets_html

        return facets_html({self.field: self})


class FacetsOverTime(dict[str, dict[str, Facet]]):
    """Facets for each time bucket: a dict of bucket label (``2025-11``) to its facets.

    Returned by :meth:`NewsIndex.facets_over_time`; it is the plain dict it
    always was, with the ``interval`` and a DataFrame form added.
    """

    def __init__(self, buckets: dict[str, dict[str, Facet]], interval: str = "month") -> None:
        super().__init__(buckets)
        self.interval = interval

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: bucket → field → facet dict."""
        return {b: {k: f.to_dict() for k, f in facets.items()} for b, facets in self.items()}

    def to_pandas(self) -> Any:
        """One row per bucket, field and value: date, bucket, field, value, count, total."""
        from newsindex.frames import facets_over_time_frame

        return facets_over_time_frame(self, self.interval)

    def _repr_html_(self) -> str:
        from newsindex.display import facets_over_time_html

        return facets_over_time_html(self)


@dataclass(frozen=True)
class StoredArticle:
    """An article as the index holds it, with everything extraction found."""

    id: str
    title: str
    body: str
    date: DateValue | None
    people: tuple[Entity, ...]
    places: tuple[Entity, ...]
    organisations: tuple[Entity, ...]
    themes: tuple[Theme, ...]
    source: str = ""
    url: str = ""
    path: str = ""
    authors: tuple[str, ...] = ()
    dates_mentioned: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    extractor: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data
