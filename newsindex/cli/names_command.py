"""``newsindex names``: the index's name table, and the user's aliases for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsindex.cli.app import echo, handle_errors, index_option, main, open_index, wait_option

if TYPE_CHECKING:
    from newsindex.people_names import PeopleNames, ResolvedName


@main.command()
@click.argument("people", nargs=-1)
@index_option
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Make each 'alias<TAB>full name' line of FILE count the alias as the full name.",
)
@click.option("--clear-aliases", is_flag=True, help="Forget the aliases given before.")
@wait_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def names(
    people: tuple[str, ...],
    index_path: Path | None,
    aliases: Path | None,
    clear_aliases: bool,
    wait: float,
    as_json: bool,
) -> None:
    """Which full name each short name of a person counts under, in facets and filters.

    With PEOPLE, how each of those names resolves; without, every short name
    that counts under a full name, then those left unresolved.

    \b
    Examples:
      newsindex names
      newsindex names Blair "Mr Bush"
      newsindex names --aliases my-aliases.tsv
    """
    if aliases and clear_aliases:
        raise click.UsageError("give --aliases FILE or --clear-aliases, not both")
    with open_index(index_path) as index:
        if aliases or clear_aliases:
            table = index.set_aliases(aliases, wait=wait)
        else:
            table = index.names()
    rules = [table.resolve(p) for p in people] if people else list(table)
    if as_json:
        echo(json.dumps([r.to_dict() for r in rules], ensure_ascii=False, indent=2))
    elif people:
        for rule in rules:
            echo(_line(rule))
    else:
        _print_table(table, rules)


def _line(rule: ResolvedName) -> str:
    years = f" in {_years(rule.years)}" if rule.years else ""
    if rule.resolved:
        return f"{rule.mention} → {rule.name}  ({rule.how}{years})"
    if rule.candidates:
        return f"{rule.mention}  ({rule.how}{years}: {', '.join(rule.candidates)})"
    return f"{rule.mention}  ({rule.how})"


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years) if len(years) < 4 else f"{years[0]}–{years[-1]}"


def _print_table(table: PeopleNames, rules: list[ResolvedName]) -> None:
    resolved = sorted((r for r in rules if r.resolved), key=lambda r: (r.name, r.mention))
    left = sorted((r for r in rules if not r.resolved), key=lambda r: r.mention)
    if not rules:
        echo("No short names in this index to resolve.", err=True)
    for title, group in (("counted under a full name", resolved), ("left as written", left)):
        if group:
            echo(click.style(f"{title}:", fg="cyan"))
            for rule in group:
                echo(f"  {_line(rule)}")
    if table.aliases:
        echo(click.style(f"aliases: {len(table.aliases)}", fg="cyan"))
