"""Commands that read an index: search, facets, timeline, related entities, similar, show,
stats, and extract (which reads files without an index)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsindex.cli.app import (
    EXIT_NOTICE,
    HIT_FIELDS,
    complete_field_values,
    echo,
    entities_dir_option,
    filter_options,
    handle_errors,
    index_option,
    main,
    make_filters_from,
    open_index,
    themes_file_option,
)

if TYPE_CHECKING:
    from newsindex.people_names import ResolvedName

from newsindex.cli.render import (
    output_options,
    plot_option,
    render_facets,
    render_facets_over_time,
    render_hits,
    render_timeline,
    write_picture,
)
from newsindex.cli.research_commands import (
    attention_options,
    check_match,
    match_option,
    timeline_attention,
)


@main.command()
@click.argument("query")
@index_option
@filter_options
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(1, 10_000),
    default=10,
    show_default=True,
    help="Results per page.",
)
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Which page of results.",
)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "date-asc"]),
    default="relevance",
    show_default=True,
    help="Order by relevance, newest first, or oldest first.",
)
@click.option(
    "--operator",
    type=click.Choice(["or", "and"]),
    default="or",
    show_default=True,
    help="How plain words combine: any word (ranked), or every word.",
)
@output_options
@click.option(
    "--fields",
    default=",".join(HIT_FIELDS),
    show_default=False,
    metavar="A,B,...",
    help="Columns for --json/--jsonl/--csv (default: all).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Show near-duplicates one by one instead of folding them under one hit.",
)
@click.option("--fail-empty", is_flag=True, help="Exit with code 1 when nothing matches.")
@handle_errors
def search(
    query: str,
    index_path: Path | None,
    limit: int,
    page: int,
    sort: str,
    operator: str,
    output: str | None,
    fields: str,
    show_all: bool,
    fail_empty: bool,
    **filters: Any,
) -> None:
    """Ranked search over titles, bodies and extracted fields.

    QUERY uses the query language: words, "phrases", AND/OR/NOT, wild*cards,
    fuzzy~ words, and fields such as people:modi, places:"south africa",
    themes:semiconductors, date:2025-11 or date:[2025-11-01 to 2025-11-30].
    Use "*" with filters to list everything that matches them.

    \b
    Examples:
      newsindex search "semiconductors"
      newsindex search '"economic security" AND places:japan' --sort date
      newsindex search "*" --person "Narendra Modi" --since 2025-11 --json
    """
    from newsindex.options import SearchOptions

    chosen = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in HIT_FIELDS]
    if unknown:
        raise click.BadParameter(
            f"unknown field(s) {', '.join(unknown)}; choose from {', '.join(HIT_FIELDS)}",
            param_hint="--fields",
        )
    options = SearchOptions(
        filters=make_filters_from(filters),
        sort=sort,
        limit=limit,
        page=page,
        default_operator=operator,
        fold_duplicates=not show_all,
    )
    with open_index(index_path) as index:
        results = index.search(query, options=options)
    render_hits(results, output or "table", chosen)
    if fail_empty and not results.hits:
        sys.exit(EXIT_NOTICE)


@main.command()
@click.argument("query", default="*")
@index_option
@filter_options
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["people", "places", "organisations", "themes", "source", "date"]),
    help="Field to count (repeatable) [default: people, places, themes].",
)
@click.option(
    "--top",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many values per field.",
)
@click.option(
    "--interval",
    type=click.Choice(["day", "week", "month", "year"]),
    default="month",
    show_default=True,
    help="Bucket size for --by date.",
)
@click.option(
    "--per",
    type=click.Choice(["day", "week", "month", "year"]),
    default=None,
    help="Count separately for each day, week, month or year of the matching articles.",
)
@plot_option
@match_option
@output_options
@handle_errors
def facets(
    query: str,
    index_path: Path | None,
    by: tuple[str, ...],
    top: int,
    interval: str,
    per: str | None,
    plot: Path | None,
    output: str | None,
    match: str | None = None,
    **filters: Any,
) -> None:
    """Count people, places, organisations, themes, sources or dates over matching articles.

    \b
    Examples:
      newsindex facets "semiconductors" --by people --by themes --top 20
      newsindex facets "*" --by date --interval year
      newsindex facets "semiconductors" --by people --per month
      newsindex facets "*" --by people --by places --plot people.png
      newsindex facets "*" --by people --match "modi"

    --plot FILE also draws the counts as bar charts (.png or .svg; needs
    newsindex[notebook]).
    """
    chosen = by or ("people", "places", "themes")
    selected = make_filters_from(filters)
    if plot is not None and per is not None:
        raise click.UsageError("--plot cannot be combined with --per; plot each bucket's facets")
    with open_index(index_path) as index:
        if match is not None:
            check_match(match, chosen, per)
            result = index.facets(query, chosen, filters=selected, top=top, match=match)
            render_facets(result, output)
            return
        if per is None:
            result = index.facets(query, chosen, filters=selected, top=top, interval=interval)
            if plot is not None:
                from newsindex.plots import facets_figure

                write_picture(facets_figure(result), plot)
            render_facets(result, output)
            return
        if "date" in chosen:
            raise click.UsageError("--per cannot be combined with --by date; use timeline")
        over_time = index.facets_over_time(query, chosen, interval=per, filters=selected, top=top)
    render_facets_over_time(over_time, output)


@main.command()
@click.argument("queries", nargs=-1, required=True)
@index_option
@filter_options
@click.option(
    "--interval",
    type=click.Choice(["day", "week", "month", "year"]),
    default="month",
    show_default=True,
    help="Bucket size.",
)
@click.option("--chart", is_flag=True, help="Draw wide coloured bars in the terminal.")
@plot_option
@attention_options
@output_options
@handle_errors
def timeline(
    queries: tuple[str, ...],
    index_path: Path | None,
    interval: str,
    chart: bool,
    plot: Path | None,
    output: str | None,
    normalize: bool = False,
    smooth: int = 1,
    **filters: Any,
) -> None:
    """Matching-article counts per interval for one or more queries, side by side.

    \b
    Examples:
      newsindex timeline "semiconductors" "tariffs" --interval month
      newsindex timeline "people:modi" --interval week --chart
      newsindex timeline "semiconductors" "tariffs" --plot timeline.svg
      newsindex timeline "tariffs" --normalize --smooth 3 --csv

    On a terminal each row ends with a small bar per query; --plot FILE also
    draws the timeline as a picture (.png or .svg; needs newsindex[notebook]).
    """
    if normalize or smooth != 1:
        if plot is not None:
            raise click.UsageError("--plot draws the raw counts; drop --normalize and --smooth")
        timeline_attention(queries, index_path, interval, chart, output, normalize, smooth, filters)
        return
    with open_index(index_path) as index:
        result = index.timeline(
            list(queries), interval=interval, filters=make_filters_from(filters)
        )
    if plot is not None:
        write_picture(result.plot(), plot)
    render_timeline(result, output, chart=chart)


@main.command("related-entities")
@index_option
@click.option(
    "--person",
    "person",
    default=None,
    shell_complete=complete_field_values("people"),
    metavar="NAME",
    help="Who appears with this person.",
)
@click.option(
    "--place",
    "place",
    default=None,
    shell_complete=complete_field_values("places"),
    metavar="NAME",
    help="... with this place.",
)
@click.option(
    "--org",
    "org",
    default=None,
    shell_complete=complete_field_values("organisations"),
    metavar="NAME",
    help="... with this organisation.",
)
@click.option(
    "--theme",
    "theme",
    default=None,
    shell_complete=complete_field_values("themes"),
    metavar="THEME",
    help="... with this theme.",
)
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["people", "places", "organisations", "themes"]),
    help="Which kinds to list [default: all four].",
)
@click.option(
    "--top",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many values of each kind.",
)
@output_options
@handle_errors
def related_entities(
    index_path: Path | None,
    person: str | None,
    place: str | None,
    org: str | None,
    theme: str | None,
    by: tuple[str, ...],
    top: int,
    output: str | None,
) -> None:
    """Who and what is mentioned most often together with a person, place, org or theme.

    \b
    Example:
      newsindex related-entities --person "Narendra Modi"
    """
    given = [
        (f, v)
        for f, v in (
            ("people", person),
            ("places", place),
            ("organisations", org),
            ("themes", theme),
        )
        if v
    ]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --person, --place, --org or --theme")
    field, value = given[0]
    with open_index(index_path) as index:
        result = index.related_entities(
            field, value, by=by or ("people", "places", "organisations", "themes"), top=top
        )
    render_facets(result, output)


@main.command()
@click.argument("article_id")
@index_option
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many similar articles.",
)
@output_options
@handle_errors
def similar(article_id: str, index_path: Path | None, limit: int, output: str | None) -> None:
    """Articles most like the one with ARTICLE_ID ("more like this").

    \b
    Example:
      newsindex similar seeds/000_d6057e4f5df2a50a.txt
    """
    from newsindex.results import SearchResults

    with open_index(index_path) as index:
        hits = index.similar(article_id, limit)
    results = SearchResults(
        query=f"similar to {article_id}", hits=tuple(hits), total=len(hits), page_size=limit
    )
    render_hits(results, output or "table", HIT_FIELDS)


@main.command()
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def show(article_id: str, index_path: Path | None, as_json: bool) -> None:
    """Print one article in full, with what extraction found and why.

    \b
    Example:
      newsindex show seeds/000_d6057e4f5df2a50a.txt
    """
    with open_index(index_path) as index:
        article = index.get(article_id)
        table = index.names()
    resolved = {p.name: table.resolve(p.name, article.date) for p in article.people}
    if as_json:
        data = article.to_dict()
        data["people_resolved"] = [r.to_dict() for r in resolved.values()]
        echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    echo(click.style(article.title, bold=True))
    echo(
        " · ".join(
            filter(
                None,
                [
                    article.date.isoformat() if article.date else "date unknown",
                    article.id,
                    article.source,
                    article.url,
                ],
            )
        )
    )
    echo()
    for label, entities in (
        ("people", article.people),
        ("places", article.places),
        ("organisations", article.organisations),
    ):
        if not entities:
            continue
        echo(click.style(f"{label}:", fg="cyan"))
        for entity in entities:
            details = [d for d in (entity.role, entity.kind, entity.country_code) if d]
            if entity.inferred:
                details.append("implied")
            if entity.mentions:
                details.append("as " + ", ".join(repr(m) for m in entity.mentions))
            if entity.name in resolved and resolved[entity.name].how != "full":
                details.append(_resolution(resolved[entity.name]))
            echo(f"  {entity.name}" + (f"  ({'; '.join(details)})" if details else ""))
    if article.themes:
        echo(click.style("themes:", fg="cyan"))
        for theme in article.themes:
            evidence = ", ".join(theme.evidence)
            echo(
                f"  {theme.name}  (score {theme.score:.2f}"
                + (f"; evidence: {evidence}" if evidence else "")
                + ")"
            )
    if article.dates_mentioned:
        echo(click.style("dates mentioned:", fg="cyan") + " " + ", ".join(article.dates_mentioned))
    for warning in article.warnings:
        echo(click.style("warning: ", fg="red") + warning)
    echo()
    echo(article.body)


def _resolution(rule: ResolvedName) -> str:
    """How ``show`` says a person's name counts in facets and filters."""
    if rule.resolved:
        return f"counted as {rule.name}: {rule.how}"
    if rule.candidates:
        return f"{rule.how}: could be {', '.join(rule.candidates)}"
    return "no full name in the index holds it"


@main.command()
@index_option
@click.option(
    "--top",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many people, places, organisations and themes to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def stats(index_path: Path | None, top: int, as_json: bool) -> None:
    """Article count, date range, size, last build, and the top people, places and themes.

    \b
    Example:
      newsindex stats --top 5
    """
    with open_index(index_path) as index:
        result = index.stats(top=top)
    if as_json:
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    echo(click.style(f"Index {result.path}", bold=True))
    echo(f"  articles   {result.articles:,} ({result.undated:,} undated)")
    if result.first_date and result.last_date:
        echo(f"  dates      {result.first_date} to {result.last_date}")
    echo(f"  size       {result.size_bytes / 1e6:,.1f} MB")
    echo(f"  built      {result.built}  (extractor: {result.extractor})")
    echo()
    render_facets(result.top, None)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", default=None, metavar="FORMAT", help="Read inputs as this format.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of every article.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per article per line.")
@themes_file_option
@entities_dir_option
@handle_errors
def extract(
    paths: tuple[str, ...],
    fmt: str | None,
    as_json: bool,
    as_jsonl: bool,
    themes_file: Path | None,
    entities_dir: Path | None,
) -> None:
    """Show what would be extracted from articles, without touching an index.

    \b
    Example:
      newsindex extract seeds/000_d6057e4f5df2a50a.txt
    """
    from newsindex.extraction_report import extract_files

    if as_json and as_jsonl:
        raise click.UsageError("--json and --jsonl cannot be used together; choose one")
    any_skipped = False
    collected: list[dict[str, Any]] = []
    for item in extract_files(paths, fmt, themes=themes_file, entities=entities_dir):
        if item.skipped is not None:
            any_skipped = True
            echo(f"skipped {item.skipped}", err=True)
            continue
        if as_json:
            collected.append(item.to_dict())
            continue
        if as_jsonl:
            echo(json.dumps(item.to_dict(), ensure_ascii=False, default=str))
            continue
        data = item.to_dict()
        echo(click.style(f"{data['id']}: {data['title']}", bold=True))
        echo(f"  date: {data['date'] or 'unknown'}")
        for label in ("people", "places", "organisations"):
            names = [
                e["name"]
                + (" (implied)" if e.get("inferred") else "")
                + (f" [{e['role']}]" if e.get("role") else "")
                + (f" as {', '.join(e['mentions'])}" if e.get("mentions") else "")
                for e in data[label]
            ]
            echo(f"  {label}: {'; '.join(names) or '-'}")
        themes = [f"{t['name']} ({', '.join(t['evidence'])})" for t in data["themes"]]
        echo(f"  themes: {'; '.join(themes) or '-'}")
        if data["dates_mentioned"]:
            echo(f"  dates mentioned: {', '.join(data['dates_mentioned'])}")
        echo()
    if as_json:
        echo(json.dumps(collected, ensure_ascii=False, indent=2, default=str))
    if any_skipped:
        sys.exit(EXIT_NOTICE)
