"""Research commands: attention normalised by volume (``timeline --normalize``), batch
search and key terms."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from newsindex.cli.app import (
    EXIT_NOTICE,
    echo,
    filter_options,
    handle_errors,
    index_option,
    main,
    make_filters_from,
    open_index,
)
from newsindex.cli.render import _write_rows, output_options

if TYPE_CHECKING:
    from newsindex.attention import AttentionTimeline
    from newsindex.batch import BatchItem, BatchReport

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


match_option = click.option(
    "--match",
    default=None,
    metavar="TEXT",
    help="Only values containing TEXT (case and accents ignored), still counted over "
    "the matching articles.",
)
"""``--match TEXT`` for ``facets``."""


def check_match(match: str, by: tuple[str, ...], per: str | None) -> None:
    """``facets --match``: a usage error with ``--by date``, ``--per`` or empty text."""
    if "date" in by:
        raise click.UsageError("--match filters names, not dates; leave out --by date")
    if per is not None:
        raise click.UsageError("--match cannot be combined with --per")
    if not match.strip():
        raise click.BadParameter("give some text to look for", param_hint="--match")


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


@main.command()
@click.argument("queries_file", metavar="FILE", type=click.File("r", encoding="utf-8"))
@index_option
@filter_options
@click.option(
    "--top",
    type=click.IntRange(0, 100),
    default=3,
    show_default=True,
    help="Hits to show per query.",
)
@click.option(
    "--per",
    type=click.Choice(["day", "week", "month", "year"]),
    default=None,
    help="Also count each query's matches per day, week, month or year.",
)
@output_options
@handle_errors
def batch(
    queries_file: TextIO,
    index_path: Path | None,
    top: int,
    per: str | None,
    output: str | None,
    **filters: Any,
) -> None:
    """Run one query per line of FILE ("-" for stdin) against one open index.

    Blank lines and lines starting with # are skipped. For each query: total
    hits, first and last date, the top hits and, with --per, counts per bucket.
    A line that does not parse is reported on stderr with its line number, the
    rest still run, and the exit code is 1.

    \b
    Examples:
      newsindex batch names.txt
      newsindex batch names.txt --per month --csv > counts.csv
    """
    selected = make_filters_from(filters)
    lines = queries_file.read().splitlines()
    name = getattr(queries_file, "name", "-")
    with open_index(index_path) as index:
        report = index.batch(lines, filters=selected, top=max(top, 1), per=per)
    render_batch(report, output, top)
    for item in report.failed:
        echo(f"{name}:{item.line}: {item.error}", err=True)
    if report.failed:
        sys.exit(EXIT_NOTICE)


def render_batch(report: BatchReport, output: str | None, top: int) -> None:
    """A batch report as JSON, CSV/JSON Lines (a row per query) or a table."""
    if output == "json":
        echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if output in ("csv", "jsonl"):
        buckets = sorted({b for item in report.items for b in item.per})
        rows = [_batch_row(item, top, buckets, flat=output == "csv") for item in report.items]
        columns = ["line", "query", "total", "first_date", "last_date", "top", "error", *buckets]
        _write_rows(rows, columns, output)
        return
    for item in report.items:
        if not item.ok:
            continue
        span = f"{item.first_date} to {item.last_date}" if item.first_date else "undated"
        echo(click.style(f"{item.query}", bold=True) + f"  {item.total} hits  {span}")
        for hit in item.hits[:top]:
            date = hit.date.isoformat()[:10] if hit.date else "----------"
            echo(f"  {date}  {hit.title}  ({hit.id})")
        if item.per:
            echo("  " + "  ".join(f"{b}: {n}" for b, n in item.per.items()))


def _batch_row(item: BatchItem, top: int, buckets: list[str], *, flat: bool) -> dict[str, Any]:
    data = item.to_dict()
    hits = [f"{h['title']} ({h['id']})" for h in data["hits"][:top]]
    row = {k: data[k] for k in ("line", "query", "total", "first_date", "last_date", "error")}
    row["top"] = "; ".join(hits) if flat else data["hits"][:top]
    if flat:
        row = {k: "" if v is None else v for k, v in row.items()}
    row.update({b: item.per.get(b, 0) for b in buckets})
    return row


@main.command()
@click.argument("query")
@index_option
@filter_options
@click.option(
    "--by",
    type=click.Choice(["words", "people", "places", "organisations", "themes"]),
    default="words",
    show_default=True,
    help="What kind of term to score.",
)
@click.option(
    "--top", type=click.IntRange(1, 1000), default=20, show_default=True, help="How many terms."
)
@click.option(
    "--sample",
    type=click.IntRange(10, 1_000_000),
    default=5_000,
    show_default=True,
    help="For --by words: articles read per side (matches, others); seeded sample above.",
)
@output_options
@handle_errors
def keyterms(
    query: str,
    index_path: Path | None,
    by: str,
    top: int,
    sample: int,
    output: str | None,
    **filters: Any,
) -> None:
    """Words or names that set the articles matching QUERY apart from the rest.

    Terms are scored with Dunning's log-likelihood ratio G² over articles that
    match against those that do not (docs/recipes.md); only terms more frequent
    among the matches are listed.

    \b
    Examples:
      newsindex keyterms "tariffs"
      newsindex keyterms "tariffs" --by people --top 10 --csv
    """
    selected = make_filters_from(filters)
    with open_index(index_path) as index:
        result = index.keyterms(query, by=by, top=top, filters=selected, sample=sample)
    if output == "json":
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = result.to_dict()["terms"]
    if output in ("csv", "jsonl"):
        _write_rows(rows, ["term", "score", "matches", "others"], output)
        return
    sampled = " (sampled)" if result.sampled else ""
    echo(
        f"{result.by} in {result.matching:,} matching vs {result.others:,} other articles"
        f"{sampled}, scored by {result.measure}:",
        err=True,
    )
    width = max((len(r["term"]) for r in rows), default=4)
    echo(f"{'term':<{width}}  {'G²':>9}  {'matches':>7}  {'others':>7}")
    for row in rows:
        echo(
            f"{row['term']:<{width}}  {row['score']:>9.1f}  {row['matches']:>7}  {row['others']:>7}"
        )
