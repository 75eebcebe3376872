"""The Whoosh engine: pure Python, the default (see :mod:`newsindex.engine.protocol`).

The only package that imports ``whoosh``.  :class:`WhooshEngine` adapts the
store (:mod:`.store`) and the searcher (:mod:`.searching`) to the protocol.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, ClassVar

from newsindex.engine.adapter import ReadsThroughSearcher
from newsindex.engine.protocol import Engine, EngineWriter, HealthCheck
from newsindex.options import Filters
from newsindex.query import ParsedQuery
from newsindex.records import IndexDocument
from newsindex.results import Facet

__all__ = ["ENGINE", "WhooshEngine"]


class WhooshEngine(ReadsThroughSearcher):
    """An open Whoosh index folder (see :class:`newsindex.engine.protocol.Engine`)."""

    name: ClassVar[str] = "whoosh"

    def __init__(self, store: Any) -> None:
        from newsindex.engine.whoosh.searching import IndexSearcher

        self.store = store
        self.searcher = IndexSearcher(store)

    @property
    def location(self) -> Path:
        return Path(self.store.path)

    @property
    def manifest(self) -> dict[str, Any]:
        manifest: dict[str, Any] = self.store.manifest
        return manifest

    @property
    def recovered(self) -> list[str]:
        return list(self.store.recovered)

    def close(self) -> None:
        self.searcher.close()
        self.store.close()

    # -- writing --------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, *, wait: float = 0.0) -> Iterator[EngineWriter]:
        with self.store.writer(wait=wait) as batch:
            yield _Writer(batch)
        self.searcher.close()

    def write_lock(self, *, wait: float = 0.0) -> contextlib.AbstractContextManager[None]:
        lock: contextlib.AbstractContextManager[None] = self.store.write_lock(wait=wait)
        return lock

    def staging(self, *, extractor: str) -> Engine:
        path = self.location
        staging = path.with_name(f".{path.name}.building-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        return ENGINE.create(staging, extractor=extractor)

    def replace_with(self, staged: Engine) -> Engine:
        from newsindex.engine import open_index
        from newsindex.engine.whoosh.store import replace_directory

        staged.close()
        self.close()
        replace_directory(Path(staged.location), self.location)
        return open_index(self.location)

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.location, ignore_errors=True)

    def reader(self) -> Any:
        return self.searcher

    # -- reading ----------------------------------------------------------------------

    def facets_by_bucket(
        self, query: ParsedQuery, filters: Filters, by: Sequence[str], *, top: int, interval: str
    ) -> dict[str, dict[str, Facet]]:
        return self.searcher.facets_by_bucket(query, filters, tuple(by), top=top, interval=interval)

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.location.rglob("*") if f.is_file())


class _Writer:
    """The protocol's writer over the store's batch writer."""

    def __init__(self, batch: Any) -> None:
        self.batch = batch

    @property
    def pending(self) -> int:
        return int(self.batch.pending)

    def lock(self) -> None:
        self.batch.lock()

    def add(self, prepared: Any, *, path: str, replace: bool) -> None:
        fields = {**prepared, "path": path} if path else prepared
        self.batch.add(fields, replace=replace)

    def delete(self, field: str, value: str) -> int:
        return int(self.batch.delete_term(field, value))

    def commit(self, **manifest: Any) -> None:
        self.batch.commit(**manifest)


class _WhooshEngineClass:
    """Creates and opens Whoosh indexes (see :class:`newsindex.engine.protocol.EngineClass`)."""

    name = "whoosh"

    @property
    def version(self) -> str:
        return package_version("whoosh-reloaded")

    def create(self, path: Path, *, extractor: str) -> Engine:
        from newsindex.engine.whoosh.store import IndexStore

        return WhooshEngine(IndexStore.create(path, extractor=extractor))

    def open(self, path: Path, *, for_rebuild: bool = False) -> Engine:
        from newsindex.engine.whoosh.store import IndexStore

        return WhooshEngine(IndexStore.open(path, for_rebuild=for_rebuild))

    def health(self, path: Path, manifest: dict[str, Any]) -> list[HealthCheck]:
        from newsindex.engine.whoosh.health import checks

        return checks(path, manifest)

    def prepare(self, document: IndexDocument) -> Any:
        from newsindex.engine.whoosh.convert import engine_document

        return engine_document(document)


ENGINE = _WhooshEngineClass()
"""The Whoosh engine, as :mod:`newsindex.engine` finds it."""
