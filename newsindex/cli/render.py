"""Rendering results for people and for pipes: listings, JSON, JSON Lines, CSV."""

from __future__ import annotations

import csv
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
    from newsindex.results import Facet, Hit, SearchResults


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
            lines.append(f"    {click.style(label + ':', fg='cyan')} {', '.join(values)}")
    if hit.snippet.text:
        lines.append("    " + _style_snippet(hit))
    return "\n".join(lines)


def _csv_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def render_hits(results: SearchResults, output: str, fields: Sequence[str]) -> None:
    """Print search results as a listing, JSON, JSON Lines or CSV."""
    rows = [{k: hit.to_dict()[k] for k in fields} for hit in results]
    if output == "json":
        data = results.to_dict()
        data["hits"] = rows
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif output == "jsonl":
        for row in rows:
            echo(json.dumps(row, ensure_ascii=False))
    elif output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
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


def output_options(function: F) -> F:
    """--json / --jsonl / --csv, mutually exclusive."""
    function = click.option("--csv", "output", flag_value="csv", help="CSV with a header row.")(
        function
    )
    function = click.option(
        "--jsonl", "output", flag_value="jsonl", help="One JSON object per line."
    )(function)
    function = click.option("--json", "output", flag_value="json", help="JSON on stdout.")(function)
    return function


def render_facets(facets: dict[str, Facet], output: str | None) -> None:
    """Print facet counts as aligned columns or JSON."""
    if output == "json":
        echo(json.dumps({k: v.to_dict() for k, v in facets.items()}, ensure_ascii=False, indent=2))
        return
    if output in ("csv", "jsonl"):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if output == "csv":
            writer.writerow(["field", "value", "count"])
        for name, facet in facets.items():
            for count in facet.counts:
                if output == "csv":
                    writer.writerow([name, count.value, count.count])
                else:
                    buffer.write(
                        json.dumps(
                            {"field": name, "value": count.value, "count": count.count},
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
        echo(buffer.getvalue(), nl=False)
        return
    for name, facet in facets.items():
        echo(click.style(f"{name} ({facet.total} matching articles)", bold=True))
        width = max((len(c.value) for c in facet.counts), default=0)
        for count in facet.counts:
            echo(f"  {count.value:<{width}}  {count.count:>6}")
        if not facet.counts:
            echo("  (none)")
        echo()
