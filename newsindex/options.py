"""Options objects for building and searching, so calls stay short and explicit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsindex.errors import ConfigurationError
from newsindex.readers import ReadOptions

__all__ = ["BuildOptions", "Filters", "SearchOptions"]

SORTS = ("relevance", "date", "newest", "date-asc", "oldest")
OPERATORS = ("or", "and")


@dataclass(frozen=True)
class Filters:
    """Restrict results to articles naming these entities, from these sources, in these dates.

    Several values for one field match any of them; different fields must all match.
    ``since`` and ``until`` are inclusive days, given as dates or as ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD`` text (a month as ``until`` means its last day).
    """

    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        from newsindex.dates import parse_user_date

        for name, end in (("since", False), ("until", True)):
            value: object = getattr(self, name)
            if isinstance(value, str):  # "2025", "2025-11", "2025-11-24"
                try:
                    object.__setattr__(self, name, parse_user_date(value, end=end))
                except ValueError as exc:
                    raise ConfigurationError(f"bad {name} date {value!r}: {exc}") from None
            elif isinstance(value, dt.datetime):
                object.__setattr__(self, name, value.date())
        for name in ("people", "places", "organisations", "themes", "sources"):
            names: Any = getattr(self, name)
            if isinstance(names, str):  # one name given as a plain string
                object.__setattr__(self, name, (names,))
            elif not isinstance(names, tuple):
                object.__setattr__(self, name, tuple(names))
        if self.since and self.until and self.since > self.until:
            raise ConfigurationError(
                f"since {self.since.isoformat()} is after until {self.until.isoformat()}"
            )


@dataclass(frozen=True)
class SearchOptions:
    """How to search: filters, order, page, and how plain words combine."""

    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    default_operator: str = "or"
    suggest_below: int = 1
    """Offer a spelling suggestion when fewer hits than this are found."""
    fold_duplicates: bool = True
    """Show near-duplicates (the same story syndicated with small edits) once, as
    one hit with a count of similar ones, instead of one after another."""

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ConfigurationError(f"unknown sort {self.sort!r}; use one of {', '.join(SORTS)}")
        if self.limit < 1:
            raise ConfigurationError("limit must be at least 1")
        if self.page < 1:
            raise ConfigurationError("page must be at least 1")
        if self.default_operator not in OPERATORS:
            raise ConfigurationError(
                f"unknown operator {self.default_operator!r}; use 'or' or 'and'"
            )


@dataclass(frozen=True)
class BuildOptions:
    """How to build: start over or update, how to read input, which extractor, how long to wait."""

    rebuild: bool = False
    read: ReadOptions = field(default_factory=ReadOptions)
    extractor: str = "default"
    themes: Path | None = None
    """A file of your own themes, added to the shipped taxonomy (see docs/themes.md)."""
    entities: Path | None = None
    """A folder of your own people, places and organisations entries (docs/extraction.md)."""
    wait: float = 0.0
    """Seconds to wait for another writer to finish before giving up."""
    batch_size: int = 100_000
    """Commit after this many articles.  Each commit is atomic; a build stopped half-way
    keeps every finished batch and the next build does the rest.  Memory does not grow
    with the batch (the writer spills postings to disk), and each batch leaves a
    segment: 100,000 keeps a 100,000-article index in one (1.17x bare Whoosh's size,
    against 1.42x in five segments of 20,000)."""
    workers: int | None = None
    """Extra processes for extraction: 0 extracts in the writing process; None (the
    default) starts one per core (up to 4) when the input is large enough to pay
    off and the machine has a second core."""
