"""The ``newsindex`` command group, its error handling, and options shared by commands."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from newsindex.index import NewsIndex

F = TypeVar("F", bound=Callable[..., Any])

EXIT_NOTICE = 1
EXIT_ERROR = 3
EXIT_LOCKED = 4
DEFAULT_SEEDS = Path("seeds")
HIT_FIELDS = (
    "rank",
    "score",
    "id",
    "title",
    "date",
    "people",
    "places",
    "organisations",
    "themes",
    "source",
    "url",
    "path",
    "snippet",
    "similar",
    "similar_ids",
)


def _color() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


def color_enabled() -> bool:
    """True when output goes to a terminal and NO_COLOR is not set."""
    return _color() is not False and sys.stdout.isatty()


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print, with colour only on a terminal and never when NO_COLOR is set."""
    click.echo(message, err=err, nl=nl, color=_color())


class NewsIndexCommandError(click.ClickException):
    """A library error shown as one line on stderr with our exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it to exit

    def show(self, file: Any = None) -> None:
        echo(f"Error: {self.format_message()}", err=True)


CLI_REMEDIES = {
    "build": "run `newsindex build` first",
    "rebuild": "rebuild it with `newsindex build --rebuild`",
    "wait": "try again when it finishes, or pass --wait SECONDS",
    "empty-folder": "give --index a new or empty folder",
    "themes": "use a theme listed by `newsindex themes`",
}
"""Each standard fix of :data:`newsindex.errors.REMEDIES`, said with our commands and options."""


def cli_message(exc: Exception) -> str:
    """The error's one line, its fix said in CLI terms rather than the Python API's."""
    remedy = getattr(exc, "remedy", None)
    if remedy in CLI_REMEDIES:
        return f"{getattr(exc, 'problem', '')}; {CLI_REMEDIES[remedy]}"
    return str(exc)


def handle_errors(function: F) -> F:
    """Turn any NewsIndexError into a one-line error and a non-zero exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from newsindex.errors import IndexLockedError, NewsIndexError

        try:
            return function(*args, **kwargs)
        except IndexLockedError as exc:
            raise NewsIndexCommandError(cli_message(exc), EXIT_LOCKED) from exc
        except NewsIndexError as exc:
            raise NewsIndexCommandError(cli_message(exc), EXIT_ERROR) from exc
        except KeyboardInterrupt:
            echo("Interrupted; the index keeps its last completed commit.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A date given as YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "date"

    def __init__(self, *, end: bool = False) -> None:
        self.end = end

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from newsindex.dates import parse_user_date

        try:
            return parse_user_date(str(value), end=self.end)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


themes_file_option = click.option(
    "--themes",
    "themes_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A file of your own themes, added to the shipped ones (docs/themes.md).",
)
"""``--themes FILE``, shared by build, add, extract and themes."""

entities_dir_option = click.option(
    "--entities",
    "entities_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder of your own people, places and organisations (docs/extraction.md).",
)
"""``--entities DIR``, shared by build, add and extract."""


class IndexLocation(click.ParamType):  # type: ignore[type-arg]
    """An index folder (a :class:`Path`), or an OpenSearch index URL kept as text."""

    name = "path|url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from newsindex.engine import is_url

        if isinstance(value, Path) or not is_url(str(value)):
            folder = click.Path(file_okay=False, path_type=Path)
            return folder.convert(value, param, ctx)
        return str(value)


def index_option(function: F) -> F:
    """The ``--index`` option shared by every command that uses an index."""
    return click.option(
        "--index",
        "index_path",
        type=IndexLocation(),
        envvar="NEWSINDEX_INDEX",
        default=None,
        help="Index directory, or OpenSearch URL http[s]://HOST:PORT/NAME "
        "[default: $NEWSINDEX_INDEX, else indexes/default].",
    )(function)


wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="Wait this long for another writer to finish instead of failing.",
)
"""The ``--wait SECONDS`` option of every command that writes to an index."""


def resolve_index(path: Path | str | None) -> Path | str:
    """The index location given (a folder, or an OpenSearch URL), else the default."""
    from newsindex.index import default_index_path

    return path if path is not None else default_index_path()


def open_index(path: Path | str | None) -> NewsIndex:
    """Open the index for reading."""
    from newsindex.index import NewsIndex

    return NewsIndex.open(resolve_index(path))


def complete_field_values(field: str) -> Callable[..., list[Any]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        try:
            index = open_index(ctx.params.get("index_path"))
        except Exception:
            return []
        try:
            facet = index.facets("*", (field,), top=200)[field]
        finally:
            index.close()
        prefix = incomplete.casefold()
        return [
            click.shell_completion.CompletionItem(c.value, help=f"{c.count} articles")
            for c in facet.counts
            if c.value.casefold().startswith(prefix)
        ]

    return complete


def filter_options(function: F) -> F:
    """Options that narrow results by entity, source and date."""
    options = [
        click.option(
            "--person",
            "people",
            multiple=True,
            metavar="NAME",
            shell_complete=complete_field_values("people"),
            help="Only articles naming this person (repeat for any of several).",
        ),
        click.option(
            "--place",
            "places",
            multiple=True,
            metavar="NAME",
            shell_complete=complete_field_values("places"),
            help="Only articles naming this place.",
        ),
        click.option(
            "--org",
            "organisations",
            multiple=True,
            metavar="NAME",
            shell_complete=complete_field_values("organisations"),
            help="Only articles naming this organisation.",
        ),
        click.option(
            "--theme",
            "themes",
            multiple=True,
            metavar="THEME",
            shell_complete=complete_field_values("themes"),
            help="Only articles with this theme.",
        ),
        click.option(
            "--source",
            "sources",
            multiple=True,
            metavar="NAME",
            shell_complete=complete_field_values("source"),
            help="Only articles from this source.",
        ),
        click.option(
            "--since",
            type=DateParam(),
            default=None,
            help="Only articles dated on or after this day (YYYY[-MM[-DD]]).",
        ),
        click.option(
            "--until",
            type=DateParam(end=True),
            default=None,
            help="Only articles dated on or before this day (YYYY[-MM[-DD]]).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def make_filters_from(kwargs: dict[str, Any]) -> Any:
    """Build library Filters from the filter options, removing them from ``kwargs``."""
    from newsindex.errors import ConfigurationError
    from newsindex.options import Filters

    since, until = kwargs.pop("since"), kwargs.pop("until")
    if since and until and since > until:
        raise click.UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}")
    try:
        return Filters(
            people=kwargs.pop("people"),
            places=kwargs.pop("places"),
            organisations=kwargs.pop("organisations"),
            themes=kwargs.pop("themes"),
            sources=kwargs.pop("sources"),
            since=since,
            until=until,
        )
    except ConfigurationError as exc:  # conflicting options are a usage error
        raise click.UsageError(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="newsindex", prog_name="newsindex")
def main() -> None:
    """Index news articles and search them by words, people, places, themes and dates.

    \b
    Examples:
      newsindex build                      # index seeds/ into indexes/default
      newsindex build ~/news --index ~/ix  # index a folder of your own
      newsindex search "semiconductors"
      newsindex search 'people:modi AND places:"south africa"' --since 2025-11
      newsindex facets "semiconductors" --by people --by themes
    """
