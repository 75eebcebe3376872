"""Attention normalised by volume: each bucket's matches as a share of all articles.

A raw count per week misleads when the archive holds more articles some weeks
than others.  :func:`normalise` divides each bucket's matches by every article
in that bucket under the same filters (a timeline of ``*``), as GDELT's
TimelineVol and Media Cloud's normalised count do, and can smooth the shown
measure with a trailing moving average over ``smooth`` buckets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsindex.errors import ConfigurationError
from newsindex.index import Timeline

if TYPE_CHECKING:
    from newsindex.index import NewsIndex
    from newsindex.options import Filters

__all__ = ["AttentionTimeline", "moving_average", "normalise"]


@dataclass(frozen=True)
class AttentionTimeline(Timeline):
    """A :class:`Timeline` with every bucket's article total and each query's share of it.

    ``series`` keeps the raw matching counts.  ``totals`` are all articles per
    bucket under the same filters; ``ratios`` are matches / total (0.0 for a
    bucket without articles).  With ``smooth`` above 1, ``smoothed`` holds the
    trailing moving average over ``smooth`` buckets of the ratios (when
    ``normalized``) or of the counts; a bucket's average covers it and the
    ``smooth - 1`` buckets before it (fewer at the start).
    """

    totals: tuple[int, ...] = ()
    ratios: dict[str, tuple[float, ...]] = field(default_factory=dict)
    normalized: bool = True
    smooth: int = 1
    smoothed: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def shown(self, query: str) -> tuple[float, ...]:
        """The measure to plot for ``query``: smoothed, else ratio, else count."""
        if self.smooth > 1:
            return self.smoothed[query]
        if self.normalized:
            return self.ratios[query]
        return tuple(float(c) for c in self.series[query])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the timeline's, with totals, ratios and smoothing."""
        data = super().to_dict()
        data["normalized"] = self.normalized
        if self.normalized:
            data["totals"] = list(self.totals)
            data["ratios"] = {q: list(r) for q, r in self.ratios.items()}
        data["smooth"] = self.smooth
        if self.smooth > 1:
            data["smoothed"] = {q: list(s) for q, s in self.smoothed.items()}
        return data

    def rows(self) -> list[dict[str, Any]]:
        """One dict per bucket: ``bucket``, ``total`` and per query its count, ratio, smoothed."""
        rows: list[dict[str, Any]] = []
        for i, label in enumerate(self.buckets):
            row: dict[str, Any] = {"bucket": label}
            if self.normalized:
                row["total"] = self.totals[i]
            for query, counts in self.series.items():
                row[query] = counts[i]
                if self.normalized:
                    row[f"{query} ratio"] = round(self.ratios[query][i], 6)
                if self.smooth > 1:
                    row[f"{query} smoothed"] = round(self.smoothed[query][i], 6)
            rows.append(row)
        return rows


def moving_average(values: Sequence[float], window: int) -> tuple[float, ...]:
    """The trailing moving average of ``values`` over ``window`` items (fewer at the start)."""
    if window < 1:
        raise ConfigurationError("smooth must be at least 1 bucket")
    return tuple(
        sum(values[max(0, i - window + 1) : i + 1]) / min(i + 1, window) for i in range(len(values))
    )


def normalise(
    index: NewsIndex,
    raw: Timeline,
    *,
    filters: Filters | None,
    normalized: bool = True,
    smooth: int = 1,
) -> AttentionTimeline:
    """``raw`` with totals from a timeline of ``*`` under ``filters``, ratios and smoothing."""
    if smooth < 1:
        raise ConfigurationError("smooth must be at least 1 bucket")
    totals: tuple[int, ...] = ()
    ratios: dict[str, tuple[float, ...]] = {}
    if normalized and raw.buckets:
        everything = index.timeline(["*"], interval=raw.interval, filters=filters)
        per_bucket = dict(zip(everything.buckets, everything.series["*"], strict=True))
        totals = tuple(per_bucket.get(label, 0) for label in raw.buckets)
        ratios = {
            query: tuple(c / t if t else 0.0 for c, t in zip(counts, totals, strict=True))
            for query, counts in raw.series.items()
        }
    smoothed: dict[str, tuple[float, ...]] = {}
    if smooth > 1:
        for query, counts in raw.series.items():
            base = ratios.get(query, ()) if normalized else tuple(float(c) for c in counts)
            smoothed[query] = moving_average(base, smooth)
    return AttentionTimeline(
        interval=raw.interval,
        buckets=raw.buckets,
        series=raw.series,
        totals=totals,
        ratios=ratios,
        normalized=normalized,
        smooth=smooth,
        smoothed=smoothed,
    )
