"""The Tantivy engine: Rust, for large archives (``pip install "newsindex[tantivy]"``).

The only package that imports ``tantivy``.  :class:`TantivyEngine` puts the
store (:mod:`.store`) and the searcher (:mod:`.search`) behind the engine
protocol (:mod:`newsindex.engine.protocol`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import tantivy

from newsindex.engine.adapter import ReadsThroughSearcher
from newsindex.engine.protocol import FAIL, OK, REBUILD, WARN, Engine, EngineWriter, HealthCheck
from newsindex.engine.tantivy.buckets import facets_by_bucket
from newsindex.engine.tantivy.compile import QueryCompiler
from newsindex.engine.tantivy.schema import tantivy_document
from newsindex.engine.tantivy.search import TantivySearcher
from newsindex.engine.tantivy.store import (
    LOCK_NAME,
    WRITER_HEAP,
    TantivyStore,
    discard_folder,
    read_manifest,
    tantivy_error,
)
from newsindex.errors import NewsIndexError
from newsindex.hits import check_facet_request
from newsindex.locking import WriteLock, write_error
from newsindex.manifest import replace_directory
from newsindex.options import Filters
from newsindex.query import ParsedQuery
from newsindex.records import IndexDocument
from newsindex.results import Facet

__all__ = ["ENGINE", "TantivyEngine"]


class TantivyEngine(ReadsThroughSearcher):
    """An open Tantivy index folder (see :class:`newsindex.engine.protocol.Engine`)."""

    name: ClassVar[str] = "tantivy"
    store: TantivyStore

    def __init__(self, store: TantivyStore) -> None:
        self.store = store
        self._searcher: TantivySearcher | None = None

    @property
    def searcher(self) -> TantivySearcher:
        if self._searcher is None:
            self._searcher = TantivySearcher(self.store)
        return self._searcher

    @property
    def location(self) -> Path:
        return self.store.path

    @property
    def manifest(self) -> dict[str, Any]:
        return self.store.manifest

    @property
    def recovered(self) -> list[str]:
        return list(self.store.recovered)

    def close(self) -> None:
        self._searcher = None
        self.store.close()

    # -- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, *, wait: float = 0.0) -> Iterator[EngineWriter]:
        batch = _Writer(self.store, wait)
        try:
            yield batch
        finally:
            batch.close()

    def write_lock(self, *, wait: float = 0.0) -> contextlib.AbstractContextManager[None]:
        return self.store.locked(wait)

    def staging(self, *, extractor: str) -> Engine:
        path = self.location
        staging = path.with_name(f".{path.name}.building-{os.getpid()}")
        discard_folder(staging)
        return ENGINE.create(staging, extractor=extractor)

    def replace_with(self, staged: Engine) -> Engine:
        from newsindex.engine import open_index

        staged.close()
        self.close()
        try:
            replace_directory(Path(staged.location), self.location)
        except OSError as exc:
            raise write_error(self.location, exc) from exc
        return open_index(self.location)

    def discard(self) -> None:
        self.close()
        discard_folder(self.location)

    def reader(self) -> Any:
        return self.searcher

    # -- reading ---------------------------------------------------------------------------

    def facets_by_bucket(
        self, query: ParsedQuery, filters: Filters, by: Sequence[str], *, top: int, interval: str
    ) -> dict[str, dict[str, Facet]]:
        check_facet_request((*by, "date"), interval)
        searcher = self.searcher.searcher()
        compiled = QueryCompiler(self.store.index.schema, searcher).request(query.tree, filters)
        return facets_by_bucket(
            searcher,
            compiled,
            tuple(by),
            top=top,
            interval=interval,
            display=self.store.display_names,
        )

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.location.rglob("*") if f.is_file())


class _Writer:
    """Tantivy's writer behind the protocol, holding our write lock while open."""

    def __init__(self, store: TantivyStore, wait: float) -> None:
        self.store = store
        self.wait = wait
        self._writer: Any = None
        self._searcher: TantivySearcher | None = None
        self._locked = False
        self.pending = 0

    @property
    def tantivy(self) -> Any:
        if self._writer is None:
            self.lock()
            try:
                self._writer = self.store.index.writer(heap_size=WRITER_HEAP)
            except ValueError as exc:
                raise tantivy_error(self.store.path, exc, writing=True) from exc
        return self._writer

    def lock(self) -> None:
        if not self._locked:
            self.store.lock.acquire(self.wait)
            self._locked = True
            self.store.recover()

    def add(self, prepared: Any, *, path: str, replace: bool) -> None:
        writer = self.tantivy
        document: IndexDocument = prepared
        try:
            if replace:
                writer.delete_documents_by_term("id", document.id)
            writer.add_document(tantivy_document(document, path))
        except ValueError as exc:
            raise tantivy_error(self.store.path, exc, writing=True) from exc
        self.pending += 1

    def delete(self, field: str, value: str) -> int:
        found = len(self.store_lookup(field, value))
        if found:
            self.tantivy.delete_documents_by_term(field, value)
        return found

    def store_lookup(self, field: str, value: str) -> set[str]:
        if self._searcher is None:
            self._searcher = TantivySearcher(self.store)
        return self._searcher.lookup(field, value)

    def commit(self, **manifest: Any) -> None:
        if self._writer is None:
            return
        self.store.announce_commit()
        try:
            self._writer.commit()
            self._writer.wait_merging_threads()
        except (OSError, ValueError) as exc:
            raise tantivy_error(self.store.path, exc, writing=True) from exc
        finally:
            self._writer = None
        index = self.store.index
        index.reload()
        self.store.record_commit(int(index.searcher().num_docs), **manifest)
        self.pending = 0

    def close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.rollback()
            self._writer = None
        if self._locked:
            self.store.lock.release()
            self._locked = False


class _TantivyEngineClass:
    """Creates and opens Tantivy indexes (see :class:`newsindex.engine.protocol.EngineClass`)."""

    name = "tantivy"
    version = str(getattr(tantivy, "__version__", "unknown"))

    def create(self, path: Path, *, extractor: str) -> Engine:
        return TantivyEngine(TantivyStore.create(path, extractor=extractor))

    def open(self, path: Path, *, for_rebuild: bool = False) -> Engine:
        return TantivyEngine(TantivyStore.open(path, for_rebuild=for_rebuild))

    def prepare(self, document: IndexDocument) -> Any:
        return document

    def health(self, path: Path, manifest: dict[str, Any]) -> list[HealthCheck]:
        checks = []
        try:
            read_manifest(path)
            index = tantivy.Index.open(str(path / "tantivy"))
            checks.append(
                HealthCheck("tantivy index", OK, f"{index.searcher().num_docs:,} documents")
            )
        except (NewsIndexError, ValueError) as exc:
            checks.append(HealthCheck("tantivy index", FAIL, str(exc), REBUILD))
        if WriteLock(path, path / LOCK_NAME).held_elsewhere():
            checks.append(
                HealthCheck(
                    "write lock",
                    WARN,
                    "held: another process is writing the index now",
                    "wait for it, or pass --wait SECONDS to build",
                )
            )
        else:
            checks.append(HealthCheck("write lock", OK, "free"))
        return checks


ENGINE = _TantivyEngineClass()
"""The Tantivy engine, as :mod:`newsindex.engine` finds it."""
