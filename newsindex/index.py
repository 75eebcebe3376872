"""The :class:`NewsIndex`: the one object a program needs to build and search an index."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict

from newsindex.documents import Article
from newsindex.engine import create_index, is_url, open_index
from newsindex.errors import ArticleNotFoundError, ConfigurationError, IndexNotFoundError
from newsindex.hits import bucket
from newsindex.options import BuildOptions, Filters, SearchOptions
from newsindex.query.tree import All, has_field
from newsindex.results import Facet, FacetsOverTime, Hit, SearchResults, StoredArticle

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; only read by type checkers

    from newsindex.batch import BatchReport
    from newsindex.build import BuildReport, ProgressCallback
    from newsindex.engine.protocol import Engine
    from newsindex.keyterms import KeyTerms
    from newsindex.people_names import PeopleNames
    from newsindex.query import ParsedQuery
    from newsindex.query.tree import Node

__all__ = ["DEFAULT_INDEX", "IndexStats", "NewsIndex", "Timeline", "default_index_path"]

DEFAULT_INDEX = Path("indexes") / "default"
"""Where an index lives when no path is given (relative to the working directory)."""


def default_index_path() -> Path | str:
    """The index location from ``NEWSINDEX_INDEX`` (a folder or URL), else :data:`DEFAULT_INDEX`."""
    return index_location(os.environ.get("NEWSINDEX_INDEX") or DEFAULT_INDEX)


def index_location(location: str | os.PathLike[str]) -> Path | str:
    """A folder as a :class:`Path`; an OpenSearch URL (``http[s]://…``) kept as text."""
    return str(location) if is_url(str(location)) else Path(location)


@dataclass(frozen=True)
class IndexStats:
    """A summary of an index's contents."""

    path: str
    articles: int
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    size_bytes: int
    built: str | None
    extractor: str
    top: dict[str, Facet]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "path": self.path,
            "articles": self.articles,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "undated": self.undated,
            "size_bytes": self.size_bytes,
            "built": self.built,
            "extractor": self.extractor,
            "top": {name: facet.to_dict() for name, facet in self.top.items()},
        }

    def to_pandas(self) -> Any:
        """The top values as a DataFrame (field, value, count); ``attrs`` hold the rest."""
        from newsindex.frames import stats_frame

        return stats_frame(self)


@dataclass(frozen=True)
class Timeline:
    """Matching-article counts per interval for one or more queries, side by side."""

    interval: str
    buckets: tuple[str, ...]
    series: dict[str, tuple[int, ...]]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "interval": self.interval,
            "buckets": list(self.buckets),
            "series": {name: list(counts) for name, counts in self.series.items()},
        }

    def to_pandas(self) -> Any:
        """One int64 column per query over a datetime index of bucket starts, gaps as zero."""
        from newsindex.frames import timeline_frame

        return timeline_frame(self)

    def plot(self, *, title: str | None = None) -> Any:
        """One line per query, as a matplotlib Figure (needs ``newsindex[notebook]``)."""
        from newsindex.plots import timeline_figure

        return timeline_figure(self, title=title)

    def _repr_html_(self) -> str:
        from newsindex.display import timeline_html

        return timeline_html(self)


class FilterKeywords(TypedDict, total=False):
    """The filter keywords of :meth:`NewsIndex.search`, taken by every read method."""

    people: Sequence[str]
    places: Sequence[str]
    organisations: Sequence[str]
    themes: Sequence[str]
    sources: Sequence[str]
    since: dt.date | str | None
    until: dt.date | str | None


def _with_keywords(filters: Filters | None, keywords: FilterKeywords) -> Filters:
    """``filters`` narrowed by the filter keywords (see :func:`merge_filters`)."""
    return merge_filters(filters or Filters(), make_filters(**keywords))


class NewsIndex:
    """A newsindex index directory, open for building and searching.

    >>> with NewsIndex.open_or_create("indexes/default") as index:   # doctest: +SKIP
    ...     index.build(["seeds/"])
    ...     for hit in index.search("semiconductors"):
    ...         print(hit.title)
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # -- opening ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        extractor: str = "default",
        engine: str | None = None,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> NewsIndex:
        """Create a new, empty index at ``path`` on ``engine`` (``whoosh`` or ``tantivy``).

        The engine defaults to ``NEWSINDEX_ENGINE``, else ``whoosh``; a URL
        (``http://host:9200/news``) is an OpenSearch index, laid out in
        ``shards`` primary shards with ``replicas`` copies of each.
        """
        layout = {k: v for k, v in (("shards", shards), ("replicas", replicas)) if v is not None}
        return cls(
            create_index(index_location(path), engine=engine, extractor=extractor, layout=layout)
        )

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> NewsIndex:
        """Open the existing index at ``path`` with the engine that built it.

        Raises :class:`IndexNotFoundError` if there is none.
        """
        return cls(open_index(index_location(path)))

    @classmethod
    def open_or_create(
        cls,
        path: str | os.PathLike[str],
        *,
        engine: str | None = None,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> NewsIndex:
        """Open the index at ``path``, creating an empty one on ``engine`` if there is none."""
        try:
            return cls.open(path)
        except IndexNotFoundError:
            return cls.create(path, engine=engine, shards=shards, replicas=replicas)

    @classmethod
    def open_for_rebuild(
        cls,
        path: str | os.PathLike[str],
        *,
        engine: str | None = None,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> NewsIndex:
        """Open ``path`` only to rebuild it: an index of an older format, or one that is
        damaged or not newsindex's, is accepted (never read) and replaced by the rebuild.

        ``engine`` is the engine the rebuilt index will use (by default the one it has).
        """
        target = index_location(path)
        try:
            index = cls(open_index(target, for_rebuild=True))
        except IndexNotFoundError:
            return cls.create(target, engine=engine, shards=shards, replicas=replicas)
        index._rebuild_engine = engine
        return index

    _rebuild_engine: str | None = None

    @property
    def path(self) -> Path | str:
        """The index directory (or, on OpenSearch, its URL without credentials)."""
        return self._engine.location

    @property
    def engine(self) -> str:
        """The name of the engine holding this index (``whoosh`` or ``tantivy``)."""
        return self._engine.name

    def close(self) -> None:
        """Release the index's files."""
        self._engine.close()

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __len__(self) -> int:
        return self._engine.count()

    # -- building ---------------------------------------------------------------------

    def build(
        self,
        paths: Iterable[str | os.PathLike[str]],
        options: BuildOptions | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> BuildReport:
        """Index the files and folders in ``paths``, updating what changed since the last build.

        With ``options.rebuild`` the index is built afresh beside the old one and
        swapped in only when complete, so the old index stays usable meanwhile.
        """
        from newsindex.build import build_index

        options = options or BuildOptions()
        targets = [Path(p) if str(p) != "-" else "-" for p in paths]
        self._names = None  # the build recomputes the name table
        if not options.rebuild:
            return build_index(self._engine, targets, options, progress)
        return self._rebuild(targets, options, progress)

    def _rebuild(
        self,
        targets: Sequence[Path | str],
        options: BuildOptions,
        progress: ProgressCallback | None,
    ) -> BuildReport:
        from newsindex.build import build_index

        # Hold the old index's write lock so no other writer's work is lost in the swap.
        with self._engine.write_lock(wait=options.wait):
            name = self._rebuild_engine or self._engine.name
            if name == self._engine.name or is_url(self.path):
                fresh = self._engine.staging(extractor=options.extractor)
            else:
                fresh = _staging_on(name, self.path, options.extractor)
            _carry_aliases(self._engine, fresh)
            try:
                report = build_index(fresh, targets, options, progress)
            except BaseException:
                fresh.discard()
                raise
            self._engine = self._engine.replace_with(fresh)
        self._rebuild_engine = None
        self._names = None
        return report

    def add_articles(
        self, articles: Iterable[Article], options: BuildOptions | None = None
    ) -> BuildReport:
        """Extract and index ready-made articles, replacing any with the same id."""
        from newsindex.build import index_articles

        self._names = None
        return index_articles(self._engine, articles, options or BuildOptions())

    def remove(self, ids: Iterable[str], options: BuildOptions | None = None) -> list[str]:
        """Remove articles by id; return the ids that were not found."""
        from newsindex.build import remove_articles

        self._names = None
        return remove_articles(self._engine, ids, options or BuildOptions())

    # -- searching ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        people: Sequence[str] = (),
        places: Sequence[str] = (),
        organisations: Sequence[str] = (),
        themes: Sequence[str] = (),
        sources: Sequence[str] = (),
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        sort: str = "relevance",
        limit: int = 10,
        page: int = 1,
        options: SearchOptions | None = None,
    ) -> SearchResults:
        """Ranked search. ``query`` uses the query language (see docs/query-syntax.md).

        Keyword filters narrow the results; ``since``/``until`` accept a date or
        ``YYYY[-MM[-DD]]`` text.  Pass ``options`` to reuse a prepared
        :class:`SearchOptions`: keyword filters are added to its filters
        (:class:`ConfigurationError` if both set the same one), and ``sort``,
        ``limit`` and ``page`` must then be left out (they are the options').
        """
        keywords = make_filters(people, places, organisations, themes, sources, since, until)
        if options is None:
            options = SearchOptions(filters=keywords, sort=sort, limit=limit, page=page)
        else:
            if (sort, limit, page) != ("relevance", 10, 1):
                raise ConfigurationError(
                    "sort, limit and page are part of options when options is given; "
                    "set them in SearchOptions"
                )
            options = replace(options, filters=merge_filters(options.filters, keywords))
        parsed, filters = self._narrow(
            self._parse(query, options.default_operator), options.filters
        )
        return self._engine.search(parsed, replace(options, filters=filters))

    def get(self, article_id: str) -> StoredArticle:
        """The article with ``article_id`` and everything extraction found in it."""
        article = self._engine.get(article_id)
        if article is None:
            raise ArticleNotFoundError(article_id, str(self.path))
        return article

    def ids(self) -> list[str]:
        """Every article id in the index."""
        return self._engine.ids()

    def similar(self, article_id: str, limit: int = 10) -> list[Hit]:
        """Articles most like the one with ``article_id``."""
        self.get(article_id)
        return self._engine.similar(article_id, limit)

    def facets(
        self,
        query: str = "*",
        by: Sequence[str] = ("people", "places", "themes"),
        *,
        filters: Filters | None = None,
        top: int = 10,
        interval: str = "month",
        default_operator: str = "or",
        match: str | None = None,
        **keywords: Unpack[FilterKeywords],
    ) -> dict[str, Facet]:
        """Counts of people, places, organisations, themes, sources or dates over a query.

        Keyword filters narrow the articles counted as in :meth:`search`, and are
        added to ``filters`` (:class:`ConfigurationError` if both set the same one).
        ``default_operator`` (``or`` or ``and``) joins plain words as in search.
        ``match`` keeps only values containing that text, ignoring case and accents
        (see :mod:`newsindex.valuematch` for the cap on values searched).
        """
        narrowed = _with_keywords(filters, keywords)
        _check_operator(default_operator)
        if match is not None:
            from newsindex.valuematch import MATCH_CAP, filter_values

            found = self.facets(
                query,
                by,
                filters=narrowed,
                top=MATCH_CAP,
                interval=interval,
                default_operator=default_operator,
            )
            return filter_values(found, match, top)
        parsed, narrowed = self._narrow(self._parse(query, default_operator), narrowed)
        names = self.names() if "people" in by else None
        if not names:
            return self._engine.facets(parsed, narrowed, tuple(by), top=top, interval=interval)
        from newsindex.people_names import fetch_size, merge_facet, with_people

        found = self._engine.facets(
            parsed, narrowed, tuple(by), top=fetch_size(top), interval=interval
        )
        people = merge_facet(found["people"], names, top, self._counter(parsed, narrowed))
        return with_people(found, people, top)

    def facets_over_time(
        self,
        query: str = "*",
        by: Sequence[str] = ("people",),
        *,
        interval: str = "month",
        filters: Filters | None = None,
        top: int = 10,
        default_operator: str = "or",
        **keywords: Unpack[FilterKeywords],
    ) -> FacetsOverTime:
        """Facets of ``by`` for each ``interval`` of the articles matching ``query``.

        Answers "who is mentioned with semiconductors, by month": the result maps
        each bucket label (``2025-11``) to its facets, every bucket from the first
        dated match to the last (empty ones too), counted in one pass over the
        matches.  It is a dict with ``.to_pandas()``.  Filters as in :meth:`facets`.
        """
        parsed, narrowed = self._narrow(
            self._parse(query, default_operator), _with_keywords(filters, keywords)
        )
        names = self.names() if "people" in by else None
        if not names:
            found = self._engine.facets_by_bucket(
                parsed, narrowed, tuple(by), top=top, interval=interval
            )
        else:
            from newsindex.people_names import merged_buckets

            found = merged_buckets(self._engine, parsed, narrowed, tuple(by), top, interval, names)
        labels = sorted(found)
        if labels:
            labels = _fill_buckets(labels[0], labels[-1], interval)
        buckets = {
            label: found.get(label) or {field: Facet(field, (), 0) for field in by}
            for label in labels
        }
        return FacetsOverTime(buckets, interval)

    def iter_hits(
        self,
        query: str = "*",
        *,
        filters: Filters | None = None,
        sort: str = "relevance",
        page_size: int = 1000,
        **keywords: Any,
    ) -> Iterator[Hit]:
        """Every article matching ``query``, in ``sort`` order, fetched ``page_size`` at a time.

        Memory stays bounded by a page, however many articles match.  Filters are
        a :class:`Filters` or the keywords :meth:`search` takes (``people=...``,
        ``since=...``).  Near-duplicates are not folded: each article comes once.
        A commit made while iterating may shift later pages.
        """
        from newsindex.paging import pages

        if filters is not None and keywords:
            raise ConfigurationError("give filters as a Filters object or as keywords, not both")
        chosen = filters if filters is not None else make_filters(**keywords)
        options = SearchOptions(filters=chosen, sort=sort, limit=page_size)
        parsed = self._parse(query, options.default_operator)  # a bad query fails here, not later
        parsed, narrowed = self._narrow(parsed, options.filters)
        options = replace(options, filters=narrowed)
        return pages(lambda page: self._engine.search(parsed, page), options)

    def to_pandas(
        self, query: str = "*", *, filters: Filters | None = None, **keywords: Any
    ) -> Any:
        """Every article matching ``query`` as a pandas DataFrame, one row per article.

        Entity columns hold lists, ``date`` is datetime64; filters as for
        :meth:`iter_hits`.  Needs ``pip install "newsindex[pandas]"``.
        """
        from newsindex.frames import hits_frame, require

        require("pandas", "NewsIndex.to_pandas()")
        return hits_frame(self.iter_hits(query, filters=filters, **keywords))

    def timeline(
        self,
        queries: Sequence[str],
        *,
        interval: str = "month",
        filters: Filters | None = None,
        default_operator: str = "or",
        normalize: bool = False,
        smooth: int = 1,
        **keywords: Unpack[FilterKeywords],
    ) -> Timeline:
        """Matching-article counts per ``interval`` for each query, on shared buckets.

        Filters as in :meth:`facets`.  With ``normalize`` or ``smooth`` above 1 the
        result is an :class:`~newsindex.attention.AttentionTimeline`: with
        ``normalize`` each bucket's matches are also divided by all articles in it
        under the same filters; ``smooth`` is a trailing moving average over that
        many buckets.
        """
        base = _with_keywords(filters, keywords)
        if normalize or smooth != 1:
            from newsindex.attention import normalise

            raw = self.timeline(
                queries, interval=interval, filters=base, default_operator=default_operator
            )
            return normalise(self, raw, filters=base, normalized=normalize, smooth=smooth)
        per_query: dict[str, dict[str, int]] = {}
        for text in queries:
            facet = self.facets(
                text, ("date",), filters=base, interval=interval, default_operator=default_operator
            )["date"]
            per_query[text] = {c.value: c.count for c in facet.counts}
        labels = sorted({label for counts in per_query.values() for label in counts})
        if labels:
            labels = _fill_buckets(labels[0], labels[-1], interval)
        return Timeline(
            interval=interval,
            buckets=tuple(labels),
            series={q: tuple(c.get(label, 0) for label in labels) for q, c in per_query.items()},
        )

    def batch(
        self,
        queries: Iterable[str],
        *,
        filters: Filters | None = None,
        top: int = 3,
        per: str | None = None,
    ) -> BatchReport:
        """Run many queries, one per item (lines of a file: blank and ``#`` lines skipped).

        Each gives its total, first and last date, ``top`` hits and, with ``per``
        (``day``/``week``/``month``/``year``), counts per bucket; a query that does
        not parse is kept as an error with its line number and the rest still run.
        """
        from newsindex.batch import run_batch

        return run_batch(self, queries, filters=filters, top=top, per=per)

    def keyterms(
        self,
        query: str,
        *,
        by: str = "words",
        top: int = 20,
        filters: Filters | None = None,
        sample: int | None = None,
        seed: int = 1,
    ) -> KeyTerms:
        """Terms of ``by`` (``words``, ``people``, ``places``, ``organisations``, ``themes``)
        most over-represented in the articles matching ``query``, scored by Dunning's G².

        ``words`` reads up to ``sample`` articles per side (default
        :data:`newsindex.keyterms.SAMPLE_SIZE`), exactly below it and as a seeded
        sample above; entity fields use exact facet counts.
        """
        from newsindex.keyterms import SAMPLE_SIZE, keyterms

        size = SAMPLE_SIZE if sample is None else sample
        return keyterms(self, query, by=by, top=top, filters=filters, sample=size, seed=seed)

    def related_entities(
        self,
        field: str,
        value: str,
        *,
        by: Sequence[str] = ("people", "places", "organisations", "themes"),
        top: int = 10,
        filters: Filters | None = None,
        **keywords: Unpack[FilterKeywords],
    ) -> dict[str, Facet]:
        """Who and what appears most often in the articles naming ``value`` in ``field``.

        Filters as in :meth:`facets`.
        """
        if field not in ENTITY_FIELDS:
            raise ConfigurationError(
                f"cannot relate by {field!r}; use people, places, organisations or themes"
            )
        base = _with_keywords(filters, keywords)
        narrowed = _replace_filter(base, field, (*getattr(base, field), value))
        facets = self.facets("*", by, filters=narrowed, top=top + 1)
        folded = value.casefold()
        cleaned: dict[str, Facet] = {}
        for name, facet in facets.items():
            counts = tuple(c for c in facet.counts if c.value.casefold() != folded)[:top]
            cleaned[name] = Facet(name, counts, facet.total)
        return cleaned

    # -- people's names ---------------------------------------------------------------------

    def names(self) -> PeopleNames:
        """The index's name table: which full name each short name of a person counts under.

        Facets, related entities and filters on a full name read it (see
        :mod:`newsindex.people_names`); every build recomputes it.
        """
        if self._names is None or self._names.articles != self._engine.count():
            from newsindex.people_names import load_names

            self._names = load_names(self._engine)  # again after another process's build
        return self._names

    _names: PeopleNames | None = None

    def set_aliases(
        self, aliases: Mapping[str, str] | str | os.PathLike[str] | None, *, wait: float = 0.0
    ) -> PeopleNames:
        """Make ``alias`` count as ``full name`` for each pair of ``aliases`` (a mapping, or a
        file of ``alias<TAB>full name`` lines), overriding the name table's own rules;
        None removes the aliases.  The table is recomputed and returned."""
        from newsindex.extract.resolution import read_aliases
        from newsindex.people_names import ALIASES_TABLE, record_names

        if aliases is not None and not isinstance(aliases, Mapping):
            aliases = read_aliases(Path(aliases))
        with self._engine.write_lock(wait=wait):
            self._engine.record_table(ALIASES_TABLE, dict(aliases or {}))
            self._names = record_names(self._engine)
        return self._names

    def _narrow(self, parsed: ParsedQuery, filters: Filters) -> tuple[ParsedQuery, Filters]:
        """``parsed`` and ``filters`` with each full name of a person also matching the
        short names that count under it (only when a query or filter names people)."""
        if not filters.people and not has_field(parsed.tree, "people"):
            return parsed, filters
        return self.names().narrow(parsed, filters)

    def _counter(self, parsed: ParsedQuery, filters: Filters) -> Callable[[Node], int]:
        """How many articles match ``parsed`` and ``filters`` and a further ``clause``."""
        from newsindex.query import ParsedQuery as Parsed
        from newsindex.query.tree import And

        def count(clause: Node) -> int:
            tree = clause if isinstance(parsed.tree, All) else And((parsed.tree, clause))
            return self._engine.count_matching(
                Parsed(parsed.text, tree, parsed.default_operator), filters
            )

        return count

    def stats(self, top: int = 10) -> IndexStats:
        """Article count, date range, size, and the most frequent people, places and themes."""
        facets = self.facets(
            "*", ("date", "people", "places", "organisations", "themes"), top=top, interval="day"
        )
        days = [c.value for c in facets["date"].counts]
        dated = sum(c.count for c in facets["date"].counts)
        size = self._engine.size_bytes()
        manifest = self._engine.manifest
        count = len(self)
        return IndexStats(
            path=str(self.path),
            articles=count,
            first_date=dt.date.fromisoformat(days[0]) if days else None,
            last_date=dt.date.fromisoformat(days[-1]) if days else None,
            undated=count - dated,
            size_bytes=size,
            built=manifest.get("built") or manifest.get("created"),
            extractor=str(manifest.get("extractor", "")),
            top={k: v for k, v in facets.items() if k != "date"},
        )

    @staticmethod
    def _parse(text: str, default_operator: str) -> ParsedQuery:
        """``text`` parsed once, for whichever engine answers it."""
        from newsindex.query import ParsedQuery
        from newsindex.query.parser import parse

        stripped = text.strip()
        tree = All() if stripped in ("", "*") else parse(text, default_operator)
        return ParsedQuery(text, tree, default_operator)


def _carry_aliases(old: Engine, fresh: Engine) -> None:
    """Give a rebuilt index the user's aliases of the index it replaces."""
    from newsindex.people_names import ALIASES_TABLE

    aliases = old.read_table(ALIASES_TABLE)
    if aliases:
        fresh.record_table(ALIASES_TABLE, aliases)


def _staging_on(engine: str, path: Path | str, extractor: str) -> Engine:
    """An empty index on ``engine`` beside ``path``, for a rebuild that switches engines."""
    from newsindex.engine import create_index

    folder = Path(path)
    staging = folder.with_name(f".{folder.name}.building-{os.getpid()}")
    if staging.exists():
        import shutil

        shutil.rmtree(staging)
    return create_index(staging, engine=engine, extractor=extractor)


ENTITY_FIELDS = ("people", "places", "organisations", "themes")


def _check_operator(operator: str) -> None:
    from newsindex.options import OPERATORS

    if operator not in OPERATORS:
        raise ConfigurationError(f"unknown operator {operator!r}; use 'or' or 'and'")


def _replace_filter(filters: Filters, field: str, values: tuple[str, ...]) -> Filters:
    from dataclasses import replace

    changes: dict[str, Any] = {field: values}
    return replace(filters, **changes)


def _as_date(value: dt.date | str | None, *, end: bool) -> dt.date | None:
    from newsindex.dates import parse_user_date

    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return parse_user_date(value, end=end)
    except ValueError as exc:
        raise ConfigurationError(f"bad date {value!r}: {exc}") from None


def make_filters(
    people: Sequence[str] = (),
    places: Sequence[str] = (),
    organisations: Sequence[str] = (),
    themes: Sequence[str] = (),
    sources: Sequence[str] = (),
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> Filters:
    """Build :class:`Filters`, accepting ``YYYY[-MM[-DD]]`` text for the dates."""
    return Filters(
        people=tuple(people),
        places=tuple(places),
        organisations=tuple(organisations),
        themes=tuple(themes),
        sources=tuple(sources),
        since=_as_date(since, end=False),
        until=_as_date(until, end=True),
    )


def merge_filters(base: Filters, extra: Filters) -> Filters:
    """``base`` narrowed by ``extra``; :class:`ConfigurationError` if both set one field."""
    changes: dict[str, Any] = {}
    for field in fields(Filters):
        value = getattr(extra, field.name)
        if value in ((), None):
            continue
        if getattr(base, field.name) not in ((), None):
            raise ConfigurationError(
                f"{field.name} is given both as a keyword and in the filters; give it once"
            )
        changes[field.name] = value
    return replace(base, **changes)


def _fill_buckets(first: str, last: str, interval: str) -> list[str]:
    """Every bucket label from ``first`` to ``last`` inclusive, so gaps show as zero."""
    if interval == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    if interval == "month":
        y, m = (int(x) for x in first.split("-"))
        labels = []
        while f"{y:04d}-{m:02d}" <= last:
            labels.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return labels
    if interval == "week":
        start = dt.date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
        end = dt.date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
    else:
        start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    labels = []
    step = dt.timedelta(days=7 if interval == "week" else 1)
    day = start
    while day <= end:
        labels.append(bucket(day, interval))
        day += step
    return labels
