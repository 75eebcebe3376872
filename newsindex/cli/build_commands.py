"""Commands that write an index: build, add, remove."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsindex.cli.app import (
    DEFAULT_SEEDS,
    EXIT_NOTICE,
    echo,
    entities_dir_option,
    handle_errors,
    index_option,
    main,
    open_index,
    resolve_index,
    themes_file_option,
    wait_option,
)
from newsindex.engine import ENGINE_NAMES, default_engine, is_url

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from newsindex.build import BuildProgress, BuildReport


def _progress_renderer(
    quiet: bool,
) -> tuple[Callable[[BuildProgress], None] | None, Callable[[], None]]:
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    import time

    state: dict[str, Any] = {"bar": None, "done": 0, "started": time.monotonic()}

    def update(progress: BuildProgress) -> None:
        if state["bar"] is None:
            if progress.bytes_total < 512 * 1024 and progress.files_total < 300:
                return
            bar: Any = click.progressbar(
                length=max(progress.bytes_total, 1),
                label="Indexing",
                file=sys.stderr,
                show_eta=True,
                item_show_func=lambda item: item,
            )
            bar.__enter__()
            state["bar"] = bar
        rate = progress.articles / max(time.monotonic() - state["started"], 1e-6)
        state["bar"].update(
            progress.bytes_done - state["done"],
            f"{progress.articles:,} articles, {rate:,.0f}/s",
        )
        state["done"] = progress.bytes_done

    def finish() -> None:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    return update, finish


def _print_report(report: BuildReport, index_path: Path | str) -> None:
    if report.changed:
        summary = (
            f"Indexed into {index_path}: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged"
        )
    else:
        summary = (
            f"Index {index_path} is up to date: nothing changed ({report.unchanged} unchanged)"
        )
    extras = []
    if report.duplicates:
        extras.append(f"{len(report.duplicates)} duplicates not stored")
    if report.skipped:
        extras.append(f"{len(report.skipped)} skipped")
    if extras:
        summary += "; " + ", ".join(extras)
    echo(summary + f" in {report.seconds:.1f}s.", err=True)
    for skipped in report.skipped:
        echo(f"skipped {skipped}", err=True)
    for duplicate in report.duplicates:
        echo(f"duplicate {duplicate}", err=True)
    for warning in report.warnings:
        echo(f"warning {warning}", err=True)


def input_options(function: F) -> F:
    """Options shared by the commands that read input: format, field mapping, themes, waiting."""
    options = [
        click.option(
            "--format",
            "fmt",
            default=None,
            metavar="FORMAT",
            help="Read every input as this format (text, jsonl, csv, feed, html, ...).",
        ),
        click.option(
            "--field",
            "fields",
            multiple=True,
            metavar="OURS=THEIRS",
            help="Map an input field to ours, e.g. --field title=headline (repeatable).",
        ),
        themes_file_option,
        entities_dir_option,
        wait_option,
        click.option(
            "--workers",
            type=click.IntRange(min=0),
            default=None,
            help="Extra processes for extraction [default: 1 per core, up to 4, on large inputs].",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _mapping(fields: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for item in fields:
        ours, sep, theirs = item.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise click.UsageError(f"--field takes OURS=THEIRS, got {item!r}")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def _run_build(
    paths: tuple[str, ...],
    index_path: Path | str | None,
    rebuild: bool,
    engine: str | None = None,
    layout: dict[str, int] | None = None,
    **given: Any,
) -> None:
    from newsindex.index import NewsIndex
    from newsindex.options import BuildOptions
    from newsindex.readers import ReadOptions

    target = resolve_index(index_path)
    options = BuildOptions(
        rebuild=rebuild,
        read=ReadOptions(format=given["fmt"], mapping=_mapping(given["fields"])),
        wait=given["wait"],
        workers=given["workers"],
        themes=given["themes_file"],
        entities=given["entities_dir"],
    )
    update, finish = _progress_renderer(given["quiet"] or given["as_json"])
    layout = layout or {}
    if layout and not is_url(target):
        raise click.UsageError("--shards and --replicas apply only to an OpenSearch index URL")
    if rebuild:
        opened = NewsIndex.open_for_rebuild(target, engine=engine, **layout)
    else:
        new_engine = engine or (None if is_url(target) else default_engine())
        opened = NewsIndex.open_or_create(target, engine=new_engine, **layout)
    with opened as index:
        if engine and index.engine != engine and not rebuild:
            raise click.UsageError(
                f"the index at {target} uses the {index.engine} engine; add --rebuild to "
                f"rebuild it on {engine}"
            )
        try:
            report = index.build(paths, options, progress=update)
        finally:
            finish()
    if given["as_json"]:
        echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif not given["quiet"]:
        _print_report(report, target)
    if report.skipped:
        sys.exit(EXIT_NOTICE)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@index_option
@click.option("--rebuild", is_flag=True, help="Start over: build a fresh index and swap it in.")
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default=None,
    help="Search engine of a new or rebuilt index [default: $NEWSINDEX_ENGINE, else whoosh; "
    "tantivy needs newsindex[tantivy]].",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 1024),
    default=None,
    help="Primary shards of a new OpenSearch index (an --index URL) "
    "[default: $NEWSINDEX_OPENSEARCH_SHARDS, else 1].",
)
@click.option(
    "--replicas",
    type=click.IntRange(0, 16),
    default=None,
    help="Replicas of each shard of a new OpenSearch index "
    "[default: $NEWSINDEX_OPENSEARCH_REPLICAS, else 1].",
)
@input_options
@handle_errors
def build(
    paths: tuple[str, ...],
    index_path: Path | str | None,
    rebuild: bool,
    engine: str | None,
    shards: int | None,
    replicas: int | None,
    **given: Any,
) -> None:
    """Index articles from files and folders (default: seeds/).

    Re-running build updates the index: new and changed files are read,
    unchanged ones skipped, and articles of files deleted from a folder
    removed.  Records that cannot be read are skipped with a reason; the rest
    is indexed, and the exit code is 1 if anything was skipped.

    \b
    Examples:
      newsindex build
      newsindex build archive/ feeds/*.xml --index ~/news-index
      newsindex build export.csv --field title=headline --field body=story
      cat dump.jsonl | newsindex build -
      newsindex build archive/ --engine tantivy --index big-index
      newsindex build archive/ --rebuild --engine tantivy   # switch engines
      newsindex build archive/ --index http://127.0.0.1:9200/news --shards 3
    """
    if not paths:
        if not DEFAULT_SEEDS.is_dir():
            raise click.UsageError("no PATHS given and there is no seeds/ folder here")
        paths = (str(DEFAULT_SEEDS),)
    layout = {k: v for k, v in (("shards", shards), ("replicas", replicas)) if v is not None}
    _run_build(paths, index_path, rebuild, engine, layout, **given)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@index_option
@input_options
@handle_errors
def add(paths: tuple[str, ...], index_path: Path | None, **given: Any) -> None:
    """Add or update the articles in PATHS without touching the rest of the index.

    Unlike build on a folder, add never removes articles of files that are gone.

    \b
    Example:
      newsindex add today/2025-11-24.jsonl
    """
    _run_build(paths, index_path, False, **given)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@wait_option
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
@handle_errors
def remove(ids: tuple[str, ...], index_path: Path | None, wait: float, as_json: bool) -> None:
    """Remove articles by id.

    \b
    Example:
      newsindex remove seeds/000_d6057e4f5df2a50a.txt
    """
    from newsindex.options import BuildOptions

    with open_index(index_path) as index:
        missing = index.remove(ids, BuildOptions(wait=wait))
    removed = len(ids) - len(missing)
    if as_json:
        echo(json.dumps({"removed": removed, "missing": missing}, ensure_ascii=False))
    else:
        echo(f"Removed {removed} article{'s' if removed != 1 else ''}.", err=True)
        for article_id in missing:
            echo(f"not found: {article_id}", err=True)
    if missing:
        sys.exit(EXIT_NOTICE)
