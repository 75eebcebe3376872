"""Rendering results for people and for pipes: listings, JSON, JSON Lines, CSV."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsindex.cli.app import (
    color_enabled,
    echo,
)

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from pathlib import Path

    from newsindex.index import Timeline
    from newsindex.results import Facet, Hit, SearchResults

BAR_WIDTH = 8
"""Cells of the small bar a terminal timeline draws per query."""
EIGHTHS = " ▏▎▍▌▋▊▉█"
COLOURS = ("cyan", "magenta", "yellow", "green", "red", "blue")


def _style_snippet(hit: Hit) -> str:
    return (
        hit.snippet.marked(
            click.style("", bold=True, fg="yellow", reset=False), click.style("", reset=True)
        )
        if color_enabled() and sys.stdout.isatty()
        else hit.snippet.marked("[", "]")
    )


def _render_hit(hit: Hit) -> str:
    title = click.style(hit.title or "(untitled)", bold=True)
    lines = [f"{hit.rank:>2}. {title}  " + click.style(f"score {hit.score:.2f}", dim=True)]
    meta = [hit.date.isoformat() if hit.date else "date unknown", hit.id]
    if hit.source:
        meta.append(hit.source)
    if hit.similar:
        meta.append(f"{hit.similar} similar")
    lines.append("    " + " · ".join(meta))
    for label, values in (
        ("people", hit.people),
        ("places", hit.places),
        ("orgs", hit.organisations),
        ("themes", hit.themes),
    ):
        if values:
            lines.append(f"    {click.style(label + ':', fg='cyan')} {'; '.join(values)}")
    if hit.snippet.text:
        lines.append("    " + _style_snippet(hit))
    return "\n".join(lines)


def _csv_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def render_hits(results: SearchResults, output: str, fields: Sequence[str]) -> None:
    """Print search results as a listing, JSON, JSON Lines or CSV."""
    rows = [{k: whole[k] for k in fields} for whole in (hit.to_dict() for hit in results)]
    if output == "json":
        data = results.to_dict()
        data["hits"] = rows
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif output == "jsonl":
        for row in rows:
            echo(json.dumps(row, ensure_ascii=False))
    elif output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([_csv_value(row[k]) for k in fields])
        echo(buffer.getvalue(), nl=False)
    else:
        if not results.hits:
            echo(f"No results for {results.query!r}.", err=True)
        else:
            first = (results.page - 1) * results.page_size + 1
            last = first + len(results.hits) - 1
            echo(f"Results {first}-{last} of {results.total} for {results.query!r}:", err=True)
            echo()
            echo("\n\n".join(_render_hit(hit) for hit in results))
    if results.suggestion:
        echo(f"Did you mean: {results.suggestion}", err=True)


_OUTPUTS = (
    ("--json", "output_json", "JSON on stdout."),
    ("--jsonl", "output_jsonl", "One JSON object per line."),
    ("--csv", "output_csv", "CSV with a header row."),
)


def output_options(function: F) -> F:
    """--json / --jsonl / --csv, passed on as ``output``; giving two is a usage error."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        chosen = [flag for flag, name, _ in _OUTPUTS if kwargs.pop(name)]
        if len(chosen) > 1:
            raise click.UsageError(f"{' and '.join(chosen)} cannot be used together; choose one")
        return function(*args, output=chosen[0][2:] if chosen else None, **kwargs)

    for flag, name, text in reversed(_OUTPUTS):
        wrapper = click.option(flag, name, is_flag=True, help=text)(wrapper)
    return wrapper  # type: ignore[return-value]


def _facet_rows(
    grouped: dict[str, dict[str, Facet]],
) -> list[dict[str, Any]]:
    return [
        {
            **({"bucket": bucket} if bucket else {}),
            "field": name,
            "value": c.value,
            "count": c.count,
        }
        for bucket, facets in grouped.items()
        for name, facet in facets.items()
        for c in facet.counts
    ]


def _write_rows(rows: list[dict[str, Any]], columns: list[str], output: str) -> None:
    buffer = io.StringIO()
    if output == "csv":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in rows)
    else:
        buffer.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    echo(buffer.getvalue(), nl=False)


def render_facets_over_time(over_time: dict[str, dict[str, Facet]], output: str | None) -> None:
    """Print facet counts for each time bucket: a section per bucket, JSON, JSON Lines or CSV."""
    if output == "json":
        data = {b: {k: v.to_dict() for k, v in f.items()} for b, f in over_time.items()}
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif output in ("csv", "jsonl"):
        _write_rows(_facet_rows(over_time), ["bucket", "field", "value", "count"], output)
    else:
        for bucket, facets in over_time.items():
            echo(click.style(f"== {bucket}", bold=True, fg="cyan"))
            render_facets(facets, None)


def render_facets(facets: dict[str, Facet], output: str | None) -> None:
    """Print facet counts as aligned columns, JSON, JSON Lines or CSV."""
    if output == "json":
        echo(json.dumps({k: v.to_dict() for k, v in facets.items()}, ensure_ascii=False, indent=2))
        return
    if output in ("csv", "jsonl"):
        _write_rows(_facet_rows({"": facets}), ["field", "value", "count"], output)
        return
    for name, facet in facets.items():
        echo(click.style(f"{name} ({facet.total} matching articles)", bold=True))
        width = max((len(c.value) for c in facet.counts), default=0)
        for count in facet.counts:
            echo(f"  {count.value:<{width}}  {count.count:>6}")
        if not facet.counts:
            echo("  (none)")
        echo()


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (small bars are drawn only there)."""
    return sys.stdout.isatty()


def bar(value: int, peak: int, width: int = BAR_WIDTH) -> str:
    """``value`` as a bar of ``width`` cells at eighth-cell resolution (``peak`` fills it)."""
    eighths = round(width * 8 * value / peak) if peak > 0 else 0
    if value > 0:
        eighths = max(eighths, 1)  # a bucket with any match never looks empty
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def render_timeline(result: Timeline, output: str | None, *, chart: bool) -> None:
    """Print a timeline: a row per bucket, a column per query, then JSON, JSON Lines or CSV.

    On a terminal each row ends with a small bar per query (``--chart``: wide ones).
    """
    queries = list(result.series)
    if output == "json":
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if output in ("csv", "jsonl"):
        rows = [
            {"bucket": label, **{q: result.series[q][i] for q in queries}}
            for i, label in enumerate(result.buckets)
        ]
        _write_rows(rows, ["bucket", *queries], output)
        return
    if not result.buckets:
        echo("No dated articles match.", err=True)
        return
    peak = max((max(v) for v in result.series.values() if v), default=0) or 1
    widths = [max(len(q), 6) for q in queries]
    header = (f"{q:>{w}}" for q, w in zip(queries, widths, strict=True))
    echo("  ".join([f"{result.interval:<10}", *header]))
    small = not chart and stdout_is_terminal()
    for i, label in enumerate(result.buckets):
        counts = [result.series[q][i] for q in queries]
        cells = (f"{c:>{w}}" for c, w in zip(counts, widths, strict=True))
        line = "  ".join([f"{label:<10}", *cells])
        if chart:
            line += "  " + " ".join(
                click.style("█" * round(30 * c / peak), fg=colour)
                for c, colour in zip(counts, COLOURS * 8, strict=False)
            )
        elif small:
            line += "  " + " ".join(
                click.style(bar(c, peak), fg=colour) if len(queries) > 1 else bar(c, peak)
                for c, colour in zip(counts, COLOURS * 8, strict=False)
            )
        echo(line.rstrip())


def _check_picture(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter(f"{value} must end in .png or .svg", ctx, param)
    return value


def plot_option(function: F) -> F:
    """``--plot FILE``: also draw the result as a PNG or SVG picture (by FILE's suffix)."""
    from pathlib import Path

    return click.option(
        "--plot",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        callback=_check_picture,
        metavar="FILE",
        help="Also draw a picture to FILE (.png or .svg; needs newsindex[notebook]).",
    )(function)


def write_picture(figure: Any, path: Path) -> None:
    """Save ``figure`` to ``path`` and say so on stderr."""
    from newsindex.plots import save_figure

    save_figure(figure, path)
    echo(f"Picture written to {path}", err=True)
