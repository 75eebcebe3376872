"""The OpenSearch engine: an index on a cluster (``pip install "newsindex[opensearch]"``).

The only package that imports ``opensearchpy``.  An index location is a URL,
``http[s]://[user:password@]host[:port]/name`` (:mod:`.connection`); the store
(:mod:`.store`) owns the mappings, the alias, the file table and the write
lock, and the searcher (:mod:`.search`) compiles queries (:mod:`.compile`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import opensearchpy

from newsindex.engine.adapter import ReadsThroughSearcher
from newsindex.engine.opensearch.connection import Location, default_layout, parse_location
from newsindex.engine.opensearch.mapping import document_source
from newsindex.engine.opensearch.search import OpenSearchSearcher
from newsindex.engine.opensearch.store import BULK_BYTES, OpenSearchStore, bulk_line
from newsindex.engine.protocol import Engine, EngineWriter, HealthCheck
from newsindex.errors import NewsIndexError
from newsindex.options import Filters
from newsindex.query import ParsedQuery
from newsindex.records import IndexDocument
from newsindex.results import Facet

__all__ = ["ENGINE", "OpenSearchEngine"]


class OpenSearchEngine(ReadsThroughSearcher):
    """An open newsindex index on an OpenSearch cluster (see the engine protocol)."""

    name: ClassVar[str] = "opensearch"
    store: OpenSearchStore

    def __init__(self, store: OpenSearchStore, *, staged: bool = False) -> None:
        self.store = store
        self.staged = staged
        self.searcher = OpenSearchSearcher(store)

    @property
    def location(self) -> str:
        """The index URL, without credentials."""
        if self.staged:
            return self.store.where.with_name(self.store.physical).shown
        return self.store.where.shown

    @property
    def manifest(self) -> dict[str, Any]:
        return self.store.manifest

    @property
    def recovered(self) -> list[str]:
        return []

    def close(self) -> None:
        self.store.client.close()

    # -- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, *, wait: float = 0.0) -> Iterator[EngineWriter]:
        batch = _Writer(self.store, self.searcher, wait)
        try:
            yield batch
        finally:
            batch.close()

    @contextlib.contextmanager
    def write_lock(self, *, wait: float = 0.0) -> Iterator[None]:
        self.store.acquire(wait)
        try:
            yield
        finally:
            self.store.release()

    def staging(self, *, extractor: str) -> Engine:
        return OpenSearchEngine(self.store.staging(extractor), staged=True)

    def replace_with(self, staged: Engine) -> Engine:
        if not isinstance(staged, OpenSearchEngine):
            raise NewsIndexError(
                f"cannot rebuild {self.location} on another engine; an OpenSearch index "
                "is rebuilt on OpenSearch"
            )
        self.store.release()
        self.store.swap(staged.store)
        return OpenSearchEngine(OpenSearchStore.open(self.store.where))

    def discard(self) -> None:
        self.store.drop()
        self.close()

    def reader(self) -> Any:
        return self.searcher

    # -- reading -----------------------------------------------------------------------------

    def facets_by_bucket(
        self, query: ParsedQuery, filters: Filters, by: Sequence[str], *, top: int, interval: str
    ) -> dict[str, dict[str, Facet]]:
        from newsindex.engine.fallbacks import facets_per_bucket

        return facets_per_bucket(self, query, filters, by, top=top, interval=interval)

    def size_bytes(self) -> int:
        client, index = self.store.client, self.store.physical
        stats = self.store._read(lambda: client.indices.stats(index=index, metric="store"))
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


class _Writer:
    """Bulk requests of about :data:`BULK_BYTES`, sent as articles arrive, under the lock.

    The index never refreshes on its own (``refresh_interval: -1``): what is sent
    becomes visible at the refresh of :meth:`commit`, all at once on each shard.
    Unlike a local engine, what is sent cannot be taken back: a writer that dies
    before :meth:`commit` leaves the articles it sent (visible at the next commit's
    refresh), but not its file-table entries, so the next build reads those files
    again and, ids being document ids, updates those articles in place.
    """

    def __init__(self, store: OpenSearchStore, searcher: OpenSearchSearcher, wait: float) -> None:
        self.store = store
        self.searcher = searcher
        self.wait = wait
        self.pending = 0
        self._lines: list[bytes] = []
        self._bytes = 0
        self._locked = False

    def lock(self) -> None:
        if not self._locked:
            self.store.acquire(self.wait)
            self._locked = True

    def add(self, prepared: Any, *, path: str, replace: bool) -> None:
        self.lock()
        document: dict[str, Any] = prepared
        source = {**document, "path": path or None}
        self._queue(bulk_line({"index": {"_id": document["id"]}}, source))
        self.pending += 1

    def delete(self, field: str, value: str) -> int:
        self.lock()
        found = self.searcher.lookup(field, value)
        for article_id in sorted(found):
            self._queue(bulk_line({"delete": {"_id": article_id}}))
        return len(found)

    def _queue(self, line: bytes) -> None:
        self._lines.append(line)
        self._bytes += len(line)
        if self._bytes >= BULK_BYTES:
            self._send()

    def _send(self) -> None:
        if self._lines:
            self.store.renew()
            self.store.bulk(self._lines)
        self._lines, self._bytes = [], 0

    def commit(self, **manifest: Any) -> None:
        if not self._locked:
            return
        self._send()
        self.store.refresh()
        self.store.record_commit(self.searcher.count(), **manifest)
        self.pending = 0

    def close(self) -> None:
        self._lines, self._bytes = [], 0
        if self._locked:
            self.store.release()
            self._locked = False


class _OpenSearchEngineClass:
    """Creates and opens indexes on a cluster (see the engine protocol's ``EngineClass``)."""

    name = "opensearch"
    version = ".".join(str(part) for part in opensearchpy.VERSION)

    def create(
        self,
        path: Path | str,
        *,
        extractor: str,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> Engine:
        """A new index; the layout defaults to :func:`default_layout` (1 shard, 1 replica)."""
        where = parse_location(str(path))
        default_shards, default_replicas = default_layout()
        return OpenSearchEngine(
            OpenSearchStore.create(
                where,
                extractor=extractor,
                shards=default_shards if shards is None else shards,
                replicas=default_replicas if replicas is None else replicas,
            )
        )

    def open(self, path: Path | str, *, for_rebuild: bool = False) -> Engine:
        where = parse_location(str(path))
        return OpenSearchEngine(OpenSearchStore.open(where, for_rebuild=for_rebuild))

    def prepare(self, document: IndexDocument) -> Any:
        return document_source(document, document.path)

    def health(self, path: Path | str, manifest: dict[str, Any]) -> list[HealthCheck]:
        """The cluster, the index, its articles, file table and lock (``manifest`` unused)."""
        from newsindex.engine.opensearch.health import health

        return health(str(path))


ENGINE = _OpenSearchEngineClass()
"""The OpenSearch engine, as :mod:`newsindex.engine` finds it."""

__all__ += ["Location"]
