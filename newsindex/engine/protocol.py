"""The engine protocol: every operation newsindex asks of a search engine.

:class:`newsindex.NewsIndex`, the build and ``doctor`` talk to an engine only
through these two protocols, so Whoosh, Tantivy or a cluster can sit behind
the same readers, extraction, query language, API and command line.  An engine
lives in its own package under ``newsindex/engine/`` and is the only code that
imports its engine library; :mod:`newsindex.engine` finds it by name.

Queries reach an engine already parsed (:class:`newsindex.query.ParsedQuery`:
the tree of :mod:`newsindex.query.tree`, with the text the user typed beside it
for spelling suggestions).  Everything an
engine returns is one of newsindex's own types (:mod:`newsindex.results`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from newsindex.filetable import FileState
from newsindex.options import Filters, SearchOptions
from newsindex.query import ParsedQuery
from newsindex.records import IndexDocument
from newsindex.results import Facet, Hit, SearchResults, StoredArticle

__all__ = ["Engine", "EngineClass", "EngineWriter", "HealthCheck"]


OK, WARN, FAIL = "ok", "warn", "fail"
REBUILD = "newsindex build --rebuild"
"""The fix for an index that cannot be repaired in place."""


@dataclass(frozen=True)
class HealthCheck:
    """The outcome of one check: ``status`` is ``ok``, ``warn`` or ``fail``, with the fix."""

    name: str
    status: str
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        """True unless the check failed (a warning is still healthy)."""
        return self.status != FAIL

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}


class EngineWriter(Protocol):
    """Adds and deletes articles while holding the index's one write lock.

    Nothing is visible to searches until :meth:`commit`, which is atomic: a
    crash before it leaves the previous commit intact.
    """

    @property
    def pending(self) -> int:
        """Articles added since the last commit."""

    def lock(self) -> None:
        """Take the write lock now (raises :class:`~newsindex.errors.IndexLockedError`)."""

    def add(self, prepared: Any, *, path: str, replace: bool) -> None:
        """Add an article made by :meth:`EngineClass.prepare`; ``replace`` deletes its id first."""

    def delete(self, field: str, value: str) -> int:
        """Delete the articles whose ``id``, ``path`` or ``dupkey`` is ``value``; say how many."""

    def commit(self, **manifest: Any) -> None:
        """Make everything added and deleted durable at once; record ``manifest`` entries."""


class Engine(Protocol):
    """An open index on one engine: read, search and (through :meth:`writer`) write it."""

    name: ClassVar[str]
    """The engine's name, as given to ``--engine`` and kept in the manifest."""

    @property
    def location(self) -> Path | str:
        """Where the index lives (its folder, or a URL without credentials)."""

    @property
    def manifest(self) -> dict[str, Any]:
        """What the index records about itself: format, engine, extractor, last build."""

    @property
    def recovered(self) -> list[str]:
        """What the last writer that died left behind, removed by the current writer."""

    def close(self) -> None:
        """Release the index's files and connections."""

    # -- writing --------------------------------------------------------------------

    def writer(self, *, wait: float = 0.0) -> contextlib.AbstractContextManager[EngineWriter]:
        """A writer holding the write lock; leaving without commit discards its work."""

    def write_lock(self, *, wait: float = 0.0) -> contextlib.AbstractContextManager[None]:
        """Hold the write lock without writing (while a rebuild swaps indexes)."""

    def staging(self, *, extractor: str) -> Engine:
        """A new, empty index of this engine beside this one, for a rebuild to fill."""

    def replace_with(self, staged: Engine) -> Engine:
        """Swap ``staged`` in place of this index (closing both); return it reopened here."""

    def discard(self) -> None:
        """Close and delete this (staging) index."""

    # -- the file table: which input files were indexed --------------------------------

    def file_state(self, path: str) -> FileState | None:
        """What the last build recorded of input file ``path``."""

    def indexed_files(self) -> list[str]:
        """Every input file recorded."""

    def record_files(self, states: list[FileState], removed: list[str]) -> None:
        """Record input files indexed (and removed) by the commit just made."""

    def record_names(self, names: dict[str, set[str]]) -> None:
        """Remember how names were written, for display (``people`` → {"Narendra Modi"})."""

    def record_table(self, name: str, table: dict[str, Any]) -> None:
        """Keep a JSON-ready table derived from the index (the name table) under ``name``."""

    def read_table(self, name: str) -> dict[str, Any] | None:
        """The table kept under ``name``, or None if there is none."""

    # -- reading ----------------------------------------------------------------------

    def count(self) -> int:
        """How many articles the index holds."""

    def count_matching(self, query: ParsedQuery, filters: Filters) -> int:
        """How many articles match ``query`` within ``filters`` (no ranking, no records)."""

    def ids(self) -> list[str]:
        """Every article id."""

    def lookup(self, field: str, value: str) -> set[str]:
        """Ids of committed articles whose ``id``, ``path`` or ``dupkey`` is ``value``."""

    def get(self, article_id: str) -> StoredArticle | None:
        """The stored article, or None."""

    def search(self, query: ParsedQuery, options: SearchOptions) -> SearchResults:
        """Ranked hits for ``query`` within ``options``' filters.

        Pages, sort by relevance or date, snippets with highlights, folding of
        near-duplicates and a spelling suggestion when few articles match.
        """

    def facets(
        self,
        query: ParsedQuery,
        filters: Filters,
        by: Sequence[str],
        *,
        top: int,
        interval: str,
    ) -> dict[str, Facet]:
        """Counts of entity values, sources or date buckets over the matching articles."""

    def facets_by_bucket(
        self,
        query: ParsedQuery,
        filters: Filters,
        by: Sequence[str],
        *,
        top: int,
        interval: str,
    ) -> dict[str, dict[str, Facet]]:
        """The facets of ``by`` for each ``interval`` bucket of the matching dated articles.

        Keys are bucket labels (:func:`newsindex.hits.bucket`: ``2025-11``,
        ``2025-W48``); each value is what :meth:`facets` would give for the
        matches in that bucket (``total`` counts them).  Undated articles are
        left out, and so may buckets with no match.  Meant to take one pass over
        the matches, not one per bucket (:func:`newsindex.engine.fallbacks.facets_per_bucket`
        answers the same from :meth:`facets` for an engine without a faster way).
        """

    def similar(self, article_id: str, limit: int) -> list[Hit]:
        """Articles most like ``article_id`` (more-like-this on its text)."""

    def size_bytes(self) -> int:
        """The index's size on disk."""


class EngineClass(Protocol):
    """What :mod:`newsindex.engine` needs of an engine before any index is open."""

    name: str
    version: str
    """The engine library's version."""

    def create(self, path: Path, *, extractor: str) -> Engine:
        """Create an empty index at ``path`` (absent, or an empty folder)."""

    def open(self, path: Path, *, for_rebuild: bool = False) -> Engine:
        """Open the index at ``path``; ``for_rebuild`` accepts one only fit to be replaced."""

    def health(self, path: Path, manifest: dict[str, Any]) -> list[HealthCheck]:
        """This engine's checks of the index at ``path`` for ``newsindex doctor``."""

    def prepare(self, document: IndexDocument) -> Any:
        """Turn ``document`` into what :meth:`EngineWriter.add` takes (picklable).

        Runs in the extraction workers, so an engine can analyse text there.
        """
