"""Research commands: attention normalised by volume (``timeline --normalize``), batch
search and key terms."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsindex.cli.app import echo, make_filters_from, open_index
from newsindex.cli.render import _write_rows

if TYPE_CHECKING:
    from newsindex.attention import AttentionTimeline

F = TypeVar("F", bound=Callable[..., Any])


def attention_options(function: F) -> F:
    """``--normalize`` and ``--smooth N`` for ``timeline``."""
    function = click.option(
        "--smooth",
        type=click.IntRange(1, 1000),
        default=1,
        show_default=True,
        metavar="N",
        help="Trailing moving average over N buckets (of the share with --normalize).",
    )(function)
    return click.option(
        "--normalize",
        is_flag=True,
        help="Divide each bucket's matches by all articles in it (same filters); "
        "--json/--csv keep both counts.",
    )(function)


def timeline_attention(
    queries: tuple[str, ...],
    index_path: Path | None,
    interval: str,
    chart: bool,
    output: str | None,
    normalize: bool,
    smooth: int,
    filters: dict[str, Any],
) -> None:
    """``timeline --normalize/--smooth``: compute and render an attention timeline."""
    from newsindex.attention import AttentionTimeline

    with open_index(index_path) as index:
        result = index.timeline(
            list(queries),
            interval=interval,
            filters=make_filters_from(filters),
            normalize=normalize,
            smooth=smooth,
        )
    assert isinstance(result, AttentionTimeline)
    render_attention(result, output, chart)


def render_attention(result: AttentionTimeline, output: str | None, chart: bool) -> None:
    """An attention timeline as JSON, CSV/JSON Lines (a row per bucket) or a table."""
    if output == "json":
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = result.rows()
    if output in ("csv", "jsonl"):
        _write_rows(rows, list(rows[0]) if rows else ["bucket"], output)
        return
    if not result.buckets:
        echo("No dated articles match.", err=True)
        return
    queries = list(result.series)
    note = "share of all articles" if result.normalized else "matches"
    if result.smooth > 1:
        note += f", trailing average of {result.smooth} {result.interval}s"
    echo(f"{note}:", err=True)
    header = [f"{result.interval:<10}"]
    if result.normalized:
        header.append(f"{'total':>7}")
    header += [f"{q:>{max(len(q), 8)}}" for q in queries]
    echo("  ".join(header))
    peak = max((max(result.shown(q)) for q in queries if result.shown(q)), default=0) or 1
    for i, label in enumerate(result.buckets):
        line = [f"{label:<10}"]
        if result.normalized:
            line.append(f"{result.totals[i]:>7}")
        for q in queries:
            value = result.shown(q)[i]
            text = f"{value:.2%}" if result.normalized else f"{value:.1f}"
            line.append(f"{text:>{max(len(q), 8)}}")
        if chart:
            line.append(" ".join("█" * round(30 * result.shown(q)[i] / peak) for q in queries))
        echo("  ".join(line))
