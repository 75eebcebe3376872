"""Tantivy index folders: create, open, lock, write and commit.

A folder holds ``newsindex.json`` (the manifest, naming the engine),
``files.db`` (the file table), ``newsindex.lock`` (the write lock) and
``tantivy/`` (Tantivy's own files).  Tantivy commits atomically (its
``meta.json`` is replaced in one rename): a writer killed at any point leaves
the last commit readable.  Opening an index reads JSON and Tantivy's binary
format only; nothing in it can run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tantivy

from newsindex.engine.tantivy.schema import SCHEMA_VERSION, build_schema, register_analyzers
from newsindex.errors import (
    IndexCorruptError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    StoreError,
)
from newsindex.filetable import FILES_DB_NAME, FileTable
from newsindex.locking import WriteLock, write_error
from newsindex.manifest import (
    CREATING,
    FORMAT_NAME,
    MANIFEST_NAME,
    MANIFEST_TEMP,
    atomic_write_json,
    remove_path,
    remove_stale_siblings,
)

__all__ = ["ENGINE_NAME", "LOCK_NAME", "TANTIVY_DIR", "TantivyStore", "tantivy_error"]

ENGINE_NAME = "tantivy"
TANTIVY_DIR = "tantivy"
LOCK_NAME = "newsindex.lock"
WRITER_HEAP = 128_000_000
"""Bytes Tantivy's writer buffers before it writes a segment (its own default)."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the Tantivy index at ``path``; a clear error if it is not one."""
    where = path / MANIFEST_NAME
    if not path.is_dir() or not where.exists():
        raise IndexNotFoundError(str(path), f"no index at {path}", remedy="build")
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            str(path),
            f"the manifest of the index at {path} is unreadable ({exc})",
            remedy="rebuild",
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise IndexCorruptError(str(path), f"{where} is not a newsindex manifest")
    if manifest.get("state") == CREATING:
        raise IndexNotFoundError(
            str(path), f"no index at {path} (its creation was interrupted)", remedy="build"
        )
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            str(path),
            f"the index at {path} was built with tantivy index format {version}, this "
            f"newsindex reads format {SCHEMA_VERSION}",
            remedy="rebuild",
        )
    return manifest


class TantivyStore(FileTable):
    """An open Tantivy index folder: the Tantivy index, our manifest and file table."""

    def __init__(
        self, path: Path, index: Any, manifest: dict[str, Any], problem: StoreError | None = None
    ) -> None:
        self.path = path
        self._index = index
        self.manifest = manifest
        self.problem = problem
        self.recovered: list[str] = []
        self._files_db = None
        self.lock = WriteLock(path, path / LOCK_NAME)

    @property
    def index(self) -> Any:
        """The Tantivy index (raises the opening problem for a store kept only to rebuild)."""
        if self._index is None:
            assert self.problem is not None
            raise self.problem
        return self._index

    @classmethod
    def create(cls, path: Path, *, extractor: str) -> TantivyStore:
        """Create an empty index at ``path``, which must be absent or an empty folder."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            _refuse_non_empty(path)
            manifest: dict[str, Any] = {
                "format": FORMAT_NAME,
                "engine": ENGINE_NAME,
                "schema_version": SCHEMA_VERSION,
                "extractor": extractor,
                "created": _now(),
                "state": CREATING,
            }
            atomic_write_json(path / MANIFEST_NAME, manifest)
            (path / TANTIVY_DIR).mkdir()
            index = tantivy.Index(build_schema(), path=str(path / TANTIVY_DIR), reuse=False)
            register_analyzers(index)
            manifest.pop("state")
            manifest["articles"] = 0
            atomic_write_json(path / MANIFEST_NAME, manifest)
        except OSError as exc:
            raise write_error(path, exc) from exc
        return cls(path, index, manifest)

    @classmethod
    def open(cls, path: Path, *, for_rebuild: bool = False) -> TantivyStore:
        """Open the index at ``path`` after checking its manifest."""
        try:
            manifest = read_manifest(path)
            index = tantivy.Index.open(str(path / TANTIVY_DIR))
            register_analyzers(index)
        except (IndexVersionError, IndexCorruptError) as exc:
            if not for_rebuild:
                raise
            return cls(path, None, {}, problem=exc)
        except ValueError as exc:  # Tantivy's own errors arrive as ValueError
            error = tantivy_error(path, exc, writing=False)
            if for_rebuild:
                return cls(path, None, {}, problem=error)
            raise error from exc
        return cls(path, index, manifest)

    def announce_commit(self) -> None:
        """Say in the manifest that a commit is under way (its count is not yet recorded)."""
        self.manifest["pending_generation"] = int(self.manifest.get("generation", 0)) + 1
        atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    def record_commit(self, articles: int, **extra: Any) -> None:
        """Record a finished commit in the manifest."""
        self.manifest.update(extra)
        self.manifest["articles"] = articles
        self.manifest["generation"] = self.manifest.pop("pending_generation", None) or (
            int(self.manifest.get("generation", 0)) + 1
        )
        atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    def _finish_pending_record(self) -> None:
        """Record the count of a commit whose writer died before recording it."""
        with contextlib.suppress(OSError, ValueError):
            on_disk = json.loads((self.path / MANIFEST_NAME).read_text(encoding="utf-8"))
            if isinstance(on_disk, dict) and on_disk.get("format") == FORMAT_NAME:
                self.manifest = on_disk
        if "pending_generation" in self.manifest and self._index is not None:
            self._index.reload()
            self.record_commit(int(self._index.searcher().num_docs))

    @contextlib.contextmanager
    def locked(self, wait: float) -> Iterator[None]:
        """Hold the write lock (and sweep what a dead writer left) for the block."""
        self.lock.acquire(wait)
        try:
            self.recover()
            yield
        finally:
            self.lock.release()

    def recover(self) -> list[str]:
        """Remove what a dead writer left: its staging folders and unused Tantivy files."""
        self._finish_pending_record()
        removed = remove_stale_siblings(self.path, old_copy_too=self._index is not None)
        with contextlib.suppress(OSError):
            (self.path / MANIFEST_TEMP).unlink()
        self.recovered = removed
        return removed

    def close(self) -> None:
        """Release the file table and the index."""
        self.close_files_db()
        self._index = None if self.problem is None else self._index


def _refuse_non_empty(path: Path) -> None:
    entries = [e for e in os.listdir(path) if e != LOCK_NAME]
    if not entries:
        return
    try:
        state = json.loads((path / MANIFEST_NAME).read_text(encoding="utf-8")).get("state")
    except (OSError, ValueError, AttributeError):
        state = None
    ours = set(entries) <= {MANIFEST_NAME, MANIFEST_TEMP, FILES_DB_NAME, TANTIVY_DIR}
    if state == CREATING and ours:
        for entry in entries:
            remove_path(path / entry)
        return
    if (path / MANIFEST_NAME).exists():
        raise IndexWriteError(
            str(path), f"an index already exists at {path}; open it, or rebuild it"
        )
    raise IndexWriteError(
        str(path), f"{path} is not empty and holds no index", remedy="empty-folder"
    )


def discard_folder(path: Path) -> None:
    """Delete a staging index folder."""
    shutil.rmtree(path, ignore_errors=True)


def tantivy_error(path: Path, exc: Exception, *, writing: bool) -> StoreError:
    """One clear error for a failure Tantivy reports as text (its errors are ValueErrors)."""
    text = str(exc)
    if "os error 28" in text:
        return write_error(path, OSError(28, "No space left on device"))
    if "os error 30" in text or "os error 13" in text:
        if not writing:
            return IndexCorruptError(
                str(path),
                f"the index at {path} is on a read-only file system, and the tantivy engine "
                "needs to write a lock file to read it; copy it to a writable folder",
            )
        return write_error(path, OSError(13, "Permission denied"))
    if writing:
        return IndexWriteError(str(path), f"cannot write the index at {path}: {text}")
    return IndexCorruptError(
        str(path), f"the index at {path} is unreadable ({text})", remedy="rebuild"
    )
