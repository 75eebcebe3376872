"""Results as pandas DataFrames, for notebooks (pandas is the optional extra ``pandas``).

pandas is imported here, inside the functions, so ``import newsindex`` never
pays for it and a missing pandas is one clear error naming the extra.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from newsindex.errors import ConfigurationError

if TYPE_CHECKING:
    from newsindex.index import IndexStats, Timeline
    from newsindex.results import Facet, Hit

__all__ = [
    "HIT_COLUMNS",
    "bucket_starts",
    "facet_frame",
    "facets_over_time_frame",
    "hits_frame",
    "require",
    "stats_frame",
    "timeline_frame",
]

HIT_COLUMNS = (
    "rank",
    "id",
    "score",
    "date",
    "title",
    "people",
    "places",
    "organisations",
    "themes",
    "source",
    "url",
    "path",
    "snippet",
    "similar",
)
"""The columns of a DataFrame of hits, in order."""
EXTRAS = {"pandas": "pandas"}
"""The extra that installs each module (anything else: ``notebook``)."""


def require(module: str, what: str) -> Any:
    """Import ``module`` (pandas or matplotlib), or raise one error naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        extra = EXTRAS.get(package, "notebook")
        raise ConfigurationError(
            f'{what} needs {package}, which is not installed: pip install "newsindex[{extra}]"'
        ) from None


def _pandas(what: str) -> Any:
    return require("pandas", what)


def hits_frame(hits: Iterable[Hit], what: str = "to_pandas()") -> Any:
    """One row per hit: entity columns hold lists, ``date`` is a datetime64 column."""
    pd = _pandas(what)
    rows = [
        (
            hit.rank,
            hit.id,
            hit.score,
            hit.date.isoformat()[:10] if hit.date else None,
            hit.title,
            list(hit.people),
            list(hit.places),
            list(hit.organisations),
            list(hit.themes),
            hit.source,
            hit.url,
            hit.path,
            hit.snippet.text,
            hit.similar,
        )
        for hit in hits
    ]
    frame = pd.DataFrame.from_records(rows, columns=list(HIT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame.astype({"rank": "int64", "score": "float64", "similar": "int64"})


def bucket_starts(labels: Iterable[str], interval: str) -> list[Any]:
    """The first day of each bucket label (``2025-11`` → 2025-11-01, ``2025-W48`` → Monday)."""
    from newsindex.dates import bucket_bounds

    return [bucket_bounds(label, interval)[0] for label in labels]


def timeline_frame(timeline: Timeline) -> Any:
    """One int64 column per query over a datetime index of bucket starts (gaps hold zero)."""
    pd = _pandas("Timeline.to_pandas()")
    index = pd.DatetimeIndex(bucket_starts(timeline.buckets, timeline.interval), name="date")
    data = {query: list(counts) for query, counts in timeline.series.items()}
    frame = pd.DataFrame(data, index=index, dtype="int64", columns=list(timeline.series))
    frame.columns.name = "query"
    frame.attrs["interval"] = timeline.interval
    return frame


def facet_frame(facet: Facet) -> Any:
    """The facet's values and counts, most frequent first; ``attrs`` keep field and total."""
    pd = _pandas("Facet.to_pandas()")
    frame = pd.DataFrame(
        {
            "value": pd.Series([c.value for c in facet.counts], dtype="object"),
            "count": pd.Series([c.count for c in facet.counts], dtype="int64"),
        }
    )
    frame.attrs.update(field=facet.field, total=facet.total)
    return frame


def facets_over_time_frame(over_time: Mapping[str, Mapping[str, Facet]], interval: str) -> Any:
    """One row per bucket, field and value: ``date`` (bucket start), ``bucket``, ``field``,
    ``value``, ``count`` and ``total`` (matching articles in the bucket)."""
    pd = _pandas("facets_over_time(...).to_pandas()")
    starts = dict(zip(over_time, bucket_starts(over_time, interval), strict=True))
    rows = [
        (starts[label], label, field, count.value, count.count, facet.total)
        for label, facets in over_time.items()
        for field, facet in facets.items()
        for count in facet.counts
    ]
    columns = ["date", "bucket", "field", "value", "count", "total"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.astype({"count": "int64", "total": "int64"})
    frame.attrs["interval"] = interval
    return frame


def stats_frame(stats: IndexStats) -> Any:
    """The most frequent values of each field (``field``, ``value``, ``count``); the summary
    figures (articles, dates, size) are in ``attrs``."""
    pd = _pandas("IndexStats.to_pandas()")
    rows = [(name, c.value, c.count) for name, facet in stats.top.items() for c in facet.counts]
    frame = pd.DataFrame.from_records(rows, columns=["field", "value", "count"])
    frame = frame.astype({"count": "int64"})
    summary = stats.to_dict()
    summary.pop("top")
    frame.attrs.update(summary)
    return frame
