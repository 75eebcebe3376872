"""Timelines and facets as matplotlib figures (the optional extra ``notebook``).

Figures are made with ``matplotlib.figure.Figure``, never ``pyplot``: no
global state, no window, nothing shown; a notebook displays the returned
figure and :func:`save_figure` writes it as PNG or SVG.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsindex.errors import ConfigurationError
from newsindex.frames import bucket_starts, require

if TYPE_CHECKING:
    from newsindex.index import Timeline
    from newsindex.results import Facet

__all__ = ["PICTURE_SUFFIXES", "facets_figure", "save_figure", "timeline_figure"]

PICTURE_SUFFIXES = (".png", ".svg")
WIDTH, HEIGHT = 8.0, 4.5
"""A timeline's size in inches (800 x 450 pixels at 100 dpi)."""
BAR_HEIGHT = 0.3
"""Inches per bar of a facet chart."""
DPI = 100


def _figure(what: str, width: float, height: float) -> Any:
    figure_module = require("matplotlib.figure", what)
    return figure_module.Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def timeline_figure(timeline: Timeline, *, title: str | None = None) -> Any:
    """One line per query over the buckets' dates, with a legend and labelled axes."""
    figure = _figure("Timeline.plot()", WIDTH, HEIGHT)
    mdates = require("matplotlib.dates", "Timeline.plot()")

    axes = figure.add_subplot()
    days = bucket_starts(timeline.buckets, timeline.interval)
    marker = "o" if len(days) <= 40 else None
    for query, counts in timeline.series.items():
        axes.plot(days, counts, marker=marker, markersize=3, linewidth=1.5, label=query)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.set_xlabel(f"{timeline.interval} (first day)")
    axes.set_ylabel("matching articles")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(title="query", loc="best")
    axes.set_title(title or f"Matching articles per {timeline.interval}")
    return figure


def facets_figure(facets: Mapping[str, Facet], *, title: str | None = None) -> Any:
    """A horizontal bar chart per facet, most frequent value at the top."""
    bars = sum(max(len(f.counts), 1) for f in facets.values())
    height = max(2.5, BAR_HEIGHT * bars + 1.0 * len(facets))
    figure = _figure("Facet.plot()", WIDTH, height)
    ratios = [max(len(f.counts), 1) + 2 for f in facets.values()] or [1]
    grid = figure.add_gridspec(len(ratios), 1, height_ratios=ratios)
    for row, (name, facet) in enumerate(facets.items()):
        axes = figure.add_subplot(grid[row])
        values = [c.value for c in facet.counts][::-1]
        counts = [c.count for c in facet.counts][::-1]
        axes.barh(values, counts, color=f"C{row % 10}")
        for y, count in enumerate(counts):
            axes.annotate(
                f"{count:,}", (count, y), xytext=(3, 0), textcoords="offset points", va="center"
            )
        axes.set_title(f"{name} ({facet.total:,} matching articles)", loc="left")
        axes.set_xlabel("matching articles")
        axes.margins(x=0.12)
        if not counts:
            axes.text(0.5, 0.5, "(none)", transform=axes.transAxes, ha="center")
    if title:
        figure.suptitle(title)
    return figure


def save_figure(figure: Any, path: str | Path) -> Path:
    """Write ``figure`` as PNG or SVG, chosen by ``path``'s suffix; SVG text stays text."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in PICTURE_SUFFIXES:
        raise ConfigurationError(f"cannot write a picture to {target}: name it .png or .svg")
    matplotlib = require("matplotlib", "saving a picture")
    settings = {"svg.fonttype": "none", "svg.hashsalt": "newsindex"}
    metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
    with matplotlib.rc_context(settings):
        figure.savefig(target, format=suffix[1:], metadata=metadata)
    return target
