"""Commands about newsindex itself: the theme taxonomy, health checks, shell completion."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsindex.cli.app import (
    EXIT_ERROR,
    echo,
    handle_errors,
    index_option,
    main,
    resolve_index,
    themes_file_option,
)
from newsindex.cli.render import output_options

if TYPE_CHECKING:
    from newsindex.doctor import Check
    from newsindex.extract.taxonomy import ThemeInfo

SHELLS = ("bash", "zsh", "fish")
THEME_FIELDS = ("name", "code", "parent", "level", "description")


def _complete_theme_names(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    from newsindex.extract.themes import taxonomy

    prefix = incomplete.casefold()
    return [
        click.shell_completion.CompletionItem(info.name, help=info.code)
        for info in taxonomy()
        if info.name.casefold().startswith(prefix)
    ]


def _tree_order(infos: tuple[ThemeInfo, ...], root: str = "") -> list[ThemeInfo]:
    """The themes under ``root`` (all, if empty), each followed by its own children."""
    children: dict[str, list[ThemeInfo]] = {}
    for info in infos:
        children.setdefault(info.parent, []).append(info)
    ordered: list[ThemeInfo] = []

    def walk(parent: str) -> None:
        for info in sorted(children.get(parent, []), key=lambda i: i.name):
            ordered.append(info)
            walk(info.name)

    walk(root)
    return ordered


def _find_theme(infos: tuple[ThemeInfo, ...], wanted: str) -> ThemeInfo:
    folded = wanted.casefold().strip()
    for info in infos:
        if folded in (info.name.casefold(), info.code.casefold()):
            return info
    import difflib

    close = difflib.get_close_matches(folded, [i.name for i in infos], n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise click.BadParameter(
        f"no theme {wanted!r}{hint} (`newsindex themes` lists them all)",
        param_hint="--parent",
    )


@main.command()
@click.option(
    "--parent",
    default=None,
    metavar="THEME",
    shell_complete=_complete_theme_names,
    help="Only the themes below this one (a name or code such as medtop:04000000).",
)
@themes_file_option
@output_options
@handle_errors
def themes(parent: str | None, themes_file: Path | None, output: str | None) -> None:
    """List the themes newsindex can assign, with their codes and descriptions.

    Top levels are the IPTC Media Topics; below them are finer news themes
    such as semiconductors or economic security.  Use the names with
    --theme or in queries (themes:semiconductors).

    \b
    Examples:
      newsindex themes
      newsindex themes --parent "economy, business and finance"
      newsindex themes --json | jq -r '.[] | select(.level == 1) | .name'
      newsindex themes --themes my.themes --parent "science and technology"
    """
    from newsindex.extract.themes import taxonomy

    infos = taxonomy(themes_file)
    root = _find_theme(infos, parent).name if parent else ""
    listed = _tree_order(infos, root)
    rows = [{key: getattr(info, key) for key in THEME_FIELDS} for info in listed]
    if output == "json":
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output == "jsonl":
        for row in rows:
            echo(json.dumps(row, ensure_ascii=False))
    elif output == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, THEME_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
        echo(buffer.getvalue(), nl=False)
    else:
        base = listed[0].level if listed else 1
        labels = ["  " * (info.level - base) + info.name for info in listed]
        width = max((len(label) for label in labels), default=0)
        for info, label in zip(listed, labels, strict=True):
            name = click.style(f"{label:<{width}}", bold=info.level == 1)
            echo(f"{name}  {info.description}".rstrip())
        under = f" under {root!r}" if root else ""
        echo(f"{len(listed)} themes{under}.", err=True)


_MARKS = {"ok": ("ok", "green"), "warn": ("warn", "yellow"), "fail": ("FAIL", "red")}


def _render_check(check: Check, width: int) -> None:
    mark, colour = _MARKS[check.status]
    label = click.style(f"{mark:<4}", fg=colour, bold=True)
    echo(f"{label}  {check.name:<{width}}  {check.detail}")
    if check.fix and check.status != "ok":
        echo(f"{'':<4}  {'':<{width}}  fix: {check.fix}")


@main.command()
@index_option
@click.option(
    "--no-env", is_flag=True, help="Check only the index, not Python, Whoosh and the extractor."
)
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@handle_errors
def doctor(index_path: Path | None, no_env: bool, as_json: bool) -> None:
    """Check an index and the environment; exit 0 if healthy, 3 if anything failed.

    Index checks: the manifest is present and matches the index files, the
    schema version is one this newsindex reads, the article count, files.db,
    the write lock, and files left by an interrupted write; for an OpenSearch
    URL, the cluster's health, the index, its articles, file table and lock.  Environment
    checks: the Python and Whoosh versions, and how long the extractor
    takes to load.  Warnings do not change the exit code.

    \b
    Examples:
      newsindex doctor
      newsindex doctor --index ~/news-index --json
      newsindex doctor --index http://127.0.0.1:9200/news
      newsindex doctor --no-env || newsindex build --rebuild
    """
    from newsindex.doctor import diagnose

    report = diagnose(resolve_index(index_path), environment=not no_env)
    if as_json:
        echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        width = max(len(check.name) for check in report.checks)
        for check in report.checks:
            _render_check(check, width)
        failed = sum(not check.ok for check in report.checks)
        verdict = "Healthy." if report.healthy else f"{failed} check(s) failed."
        echo(verdict, err=True)
    if not report.healthy:
        sys.exit(EXIT_ERROR)


def _default_shell() -> str | None:
    name = Path(os.environ.get("SHELL", "")).name
    return name if name in SHELLS else None


@main.command()
@click.argument("shell", type=click.Choice(SHELLS), required=False)
def completion(shell: str | None) -> None:
    """Print the tab-completion script for bash, zsh or fish [default: $SHELL].

    Commands, options, and the values of --person, --place, --org and
    --theme (read from the index) complete with TAB.

    \b
    Examples:
      eval "$(newsindex completion bash)"      # add to ~/.bashrc
      eval "$(newsindex completion zsh)"       # add to ~/.zshrc
      newsindex completion fish > ~/.config/fish/completions/newsindex.fish
    """
    from click.shell_completion import get_completion_class

    chosen = shell or _default_shell()
    if chosen is None:
        raise click.UsageError("name a shell: newsindex completion bash|zsh|fish")
    completer: Any = get_completion_class(chosen)
    script = completer(main, {}, "newsindex", "_NEWSINDEX_COMPLETE").source()
    echo(script)
