"""Index directories on disk: create, open, lock, write, and check what we open.

A newsindex index directory holds the Whoosh index files, ``newsindex.json``
(the manifest: format, schema version, and a checksum of the Whoosh table of
contents), and ``files.db`` (which input files were indexed, to make builds
incremental).  Whoosh stores its schema with Python's pickle, so opening an
arbitrary directory could run code from it: :func:`open_store` refuses any
directory whose manifest is missing or does not match its table of contents.

Every Whoosh exception is mapped here, once, to an error from
:mod:`newsindex.errors`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from newsindex.engine.schema import SCHEMA_VERSION, build_schema
from newsindex.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    NewsIndexError,
)

MANIFEST_NAME = "newsindex.json"
FILES_DB_NAME = "files.db"
INDEX_NAME = "MAIN"
FORMAT_NAME = "newsindex"
_TOC_PATTERN = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc")


@dataclass(frozen=True)
class FileState:
    """What a build recorded about one input file."""

    path: str
    size: int
    mtime_ns: int
    sha1: str
    articles: int


def _write_error(path: Path, exc: OSError) -> IndexWriteError:
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "permission denied (is the directory read-only?)"
    else:
        reason = exc.strerror or str(exc)
    return IndexWriteError(str(path), f"cannot write the index at {path}: {reason}")


def _latest_toc(path: Path) -> Path | None:
    generations = []
    with contextlib.suppress(OSError):
        for entry in os.listdir(path):
            match = _TOC_PATTERN.fullmatch(entry)
            if match:
                generations.append(int(match.group(1)))
    if not generations:
        return None
    return path / f"_{INDEX_NAME}_{max(generations)}.toc"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the index at ``path``; raise a clear error if it is not one of ours."""
    manifest_path = path / MANIFEST_NAME
    if not path.is_dir():
        raise IndexNotFoundError(str(path), f"no index at {path}; run `newsindex build` first")
    if not manifest_path.exists():
        if _latest_toc(path) is not None:
            raise IndexCorruptError(
                str(path),
                f"{path} holds a search index that newsindex did not write (no {MANIFEST_NAME}); "
                "refusing to open it, because opening a Whoosh index can run code stored in it. "
                "Rebuild it with `newsindex build --rebuild`",
            )
        raise IndexNotFoundError(str(path), f"no index at {path}; run `newsindex build` first")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            str(path),
            f"the manifest of the index at {path} is unreadable ({exc}); "
            "rebuild it with `newsindex build --rebuild`",
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise IndexCorruptError(
            str(path), f"{path}/{MANIFEST_NAME} is not a newsindex manifest; refusing to open it"
        )
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            str(path),
            f"the index at {path} was built with index format {version}, this newsindex reads "
            f"format {SCHEMA_VERSION}; rebuild it with `newsindex build --rebuild`",
        )
    return manifest


def verify_toc(path: Path, manifest: dict[str, Any]) -> None:
    """Check that the table of contents Whoosh will unpickle is the one we wrote."""
    toc = _latest_toc(path)
    if toc is None:
        raise IndexCorruptError(
            str(path),
            f"the index at {path} has no table of contents; rebuild it with "
            "`newsindex build --rebuild`",
        )
    generation = int(_TOC_PATTERN.fullmatch(toc.name).group(1))  # type: ignore[union-attr]
    if generation == manifest.get("generation") and _sha256(toc) == manifest.get("toc_sha256"):
        return
    # A writer that died between committing and recording its commit leaves the
    # generation it announced beforehand; that one is ours too.
    if generation == manifest.get("pending_generation"):
        return
    raise IndexCorruptError(
        str(path),
        f"the index files at {path} do not match its manifest (changed outside newsindex?); "
        "refusing to open them, because opening a Whoosh index can run code stored in it. "
        "Rebuild it with `newsindex build --rebuild`",
    )


class IndexStore:
    """An open index directory: the Whoosh index plus our manifest and file table."""

    def __init__(self, path: Path, ix: Any, manifest: dict[str, Any]) -> None:
        self.path = path
        self.ix = ix
        self.manifest = manifest
        self._files_db: sqlite3.Connection | None = None

    # -- creation and opening -------------------------------------------------

    @classmethod
    def create(cls, path: Path, *, extractor: str = "default") -> IndexStore:
        """Create an empty index at ``path`` (the directory may exist but must not hold one)."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            if (path / MANIFEST_NAME).exists() or _latest_toc(path) is not None:
                raise IndexWriteError(
                    str(path), f"an index already exists at {path}; open it, or rebuild it"
                )
            storage = FileStorage(str(path))
            ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
            manifest: dict[str, Any] = {
                "format": FORMAT_NAME,
                "schema_version": SCHEMA_VERSION,
                "extractor": extractor,
                "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }
            store = cls(path, ix, manifest)
            store._record_commit()
            return store
        except OSError as exc:
            raise _write_error(path, exc) from exc

    @classmethod
    def open(cls, path: Path) -> IndexStore:
        """Open the index at ``path`` after checking its manifest and table of contents."""
        manifest = read_manifest(path)
        verify_toc(path, manifest)
        try:
            storage = FileStorage(str(path), readonly=not os.access(path, os.W_OK))
            ix = storage.open_index(indexname=INDEX_NAME)
        except whoosh_index.EmptyIndexError as exc:
            raise IndexNotFoundError(
                str(path), f"no index at {path}; run `newsindex build` first"
            ) from exc
        except (OSError, EOFError, ValueError) as exc:
            raise IndexCorruptError(
                str(path),
                f"the index at {path} is unreadable ({exc}); rebuild it with "
                "`newsindex build --rebuild`",
            ) from exc
        return cls(path, ix, manifest)

    # -- manifest ---------------------------------------------------------------

    def _record_commit(self, **extra: Any) -> None:
        toc = _latest_toc(self.path)
        if toc is None:
            raise IndexCorruptError(str(self.path), f"the index at {self.path} has no contents")
        self.manifest.update(extra)
        self.manifest["generation"] = int(_TOC_PATTERN.fullmatch(toc.name).group(1))  # type: ignore[union-attr]
        self.manifest["toc_sha256"] = _sha256(toc)
        self.manifest.pop("pending_generation", None)
        _atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    def _announce_commit(self) -> None:
        self.manifest["pending_generation"] = self.ix.latest_generation() + 1
        _atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    # -- writing ---------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, *, wait: float = 0.0, limitmb: int = 256) -> Iterator[BatchWriter]:
        """A writer holding the index's write lock; commit with ``BatchWriter.commit``.

        Raises :class:`IndexLockedError` if another process holds the lock for
        longer than ``wait`` seconds.  Leaving the block without committing
        discards what was added since the last commit.
        """
        batch = BatchWriter(self, wait=wait, limitmb=limitmb)
        try:
            yield batch
        finally:
            batch.close()

    @contextlib.contextmanager
    def write_lock(self, *, wait: float = 0.0) -> Iterator[None]:
        """Hold the index's write lock without opening a writer (used while swapping indexes)."""
        import time

        lock = self.ix.lock("WRITELOCK")
        deadline = time.monotonic() + wait
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise IndexLockedError(
                    str(self.path),
                    f"the index at {self.path} is being written by another process; "
                    "try again when it finishes, or pass --wait SECONDS",
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    def open_writer(self, *, wait: float = 0.0, limitmb: int = 256) -> SegmentWriter:
        """A raw Whoosh writer with the lock taken (internal to the engine)."""
        try:
            return self.ix.writer(timeout=wait, delay=0.05, limitmb=limitmb)
        except whoosh_index.LockError as exc:
            raise IndexLockedError(
                str(self.path),
                f"the index at {self.path} is being written by another process; "
                "try again when it finishes, or pass --wait SECONDS",
            ) from exc
        except OSError as exc:
            raise _write_error(self.path, exc) from exc

    # -- the file table ----------------------------------------------------------

    @property
    def files_db(self) -> sqlite3.Connection:
        """The table of indexed input files (created on first use)."""
        if self._files_db is None:
            try:
                db = sqlite3.connect(self.path / FILES_DB_NAME, timeout=30)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                    "mtime_ns INTEGER, sha1 TEXT, articles INTEGER)"
                )
                db.execute(
                    "CREATE TABLE IF NOT EXISTS names (field TEXT, key TEXT, display TEXT, "
                    "PRIMARY KEY (field, key))"
                )
            except sqlite3.Error as exc:
                raise IndexWriteError(
                    str(self.path), f"cannot use the file table of {self.path}: {exc}"
                ) from exc
            self._files_db = db
        return self._files_db

    def file_state(self, path: str) -> FileState | None:
        """What the last build recorded for input file ``path``, if anything."""
        if not (self.path / FILES_DB_NAME).exists():
            return None
        row = self.files_db.execute(
            "SELECT path, size, mtime_ns, sha1, articles FROM files WHERE path = ?", (path,)
        ).fetchone()
        return FileState(*row) if row else None

    def indexed_files(self) -> list[str]:
        """Every input file path the index holds articles from."""
        if not (self.path / FILES_DB_NAME).exists():
            return []
        return [row[0] for row in self.files_db.execute("SELECT path FROM files")]

    def record_files(self, states: list[FileState], removed: list[str]) -> None:
        """Record files whose articles were just committed, and forget removed ones."""
        try:
            with self.files_db:
                self.files_db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                    [(s.path, s.size, s.mtime_ns, s.sha1, s.articles) for s in states],
                )
                self.files_db.executemany(
                    "DELETE FROM files WHERE path = ?", [(p,) for p in removed]
                )
        except sqlite3.Error as exc:
            raise IndexWriteError(str(self.path), f"cannot update {self.path}: {exc}") from exc

    def record_names(self, names: dict[str, set[str]]) -> None:
        """Remember the display form of entity names (facets count lower-cased values)."""
        rows = [
            (field, name.replace(",", " ").strip().lower(), name.replace(",", " ").strip())
            for field, values in names.items()
            for name in values
        ]
        try:
            with self.files_db:
                self.files_db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise IndexWriteError(str(self.path), f"cannot update {self.path}: {exc}") from exc

    def display_names(self, field: str) -> dict[str, str]:
        """Lower-cased entity names of ``field`` mapped to how articles wrote them."""
        if not (self.path / FILES_DB_NAME).exists():
            return {}
        rows = self.files_db.execute("SELECT key, display FROM names WHERE field = ?", (field,))
        return dict(rows.fetchall())

    def close(self) -> None:
        """Release the file table and the index."""
        if self._files_db is not None:
            self._files_db.close()
            self._files_db = None
        self.ix.close()


class BatchWriter:
    """Adds, replaces and deletes documents, committing in batches.

    The Whoosh writer is opened lazily and re-opened after each commit, so a
    long build holds bounded memory and every commit is a usable index.
    """

    def __init__(self, store: IndexStore, *, wait: float, limitmb: int) -> None:
        self.store = store
        self.wait = wait
        self.limitmb = limitmb
        self._writer: SegmentWriter | None = None
        self.pending = 0

    @property
    def whoosh(self) -> SegmentWriter:
        """The open Whoosh writer (opened and locked on first use)."""
        if self._writer is None:
            self._writer = self.store.open_writer(wait=self.wait, limitmb=self.limitmb)
        return self._writer

    def lock(self) -> None:
        """Take the write lock now, so a locked index fails before any work is done."""
        _ = self.whoosh

    def add(self, fields: dict[str, Any], *, replace: bool) -> None:
        """Add one document; ``replace`` first deletes any document with the same id."""
        try:
            if replace:
                self.whoosh.update_document(**fields)
            else:
                self.whoosh.add_document(**fields)
        except OSError as exc:
            raise _write_error(self.store.path, exc) from exc
        self.pending += 1

    def delete_term(self, field: str, value: str) -> int:
        """Delete every document whose ``field`` holds ``value``; return how many."""
        try:
            return int(self.whoosh.delete_by_term(field, value))
        except OSError as exc:
            raise _write_error(self.store.path, exc) from exc

    def searcher(self) -> Any:
        """A searcher over the index as this writer sees it (uncommitted deletes included)."""
        return self.whoosh.searcher()

    def commit(self, *, optimize: bool = False, **manifest: Any) -> None:
        """Make everything added so far durable, atomically, and record it in the manifest."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        try:
            self.store._announce_commit()
            writer.commit(optimize=optimize)
            self.store._record_commit(**manifest)
        except OSError as exc:
            with contextlib.suppress(Exception):
                writer.cancel()
            raise _write_error(self.store.path, exc) from exc
        self.pending = 0

    def close(self) -> None:
        """Discard anything not committed and release the lock."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            with contextlib.suppress(Exception):
                writer.cancel()


def replace_directory(new: Path, old: Path) -> None:
    """Move the freshly built index ``new`` into place of ``old`` (two renames)."""
    trash = old.with_name(f".{old.name}.old")
    try:
        if trash.exists():
            shutil.rmtree(trash)
        if old.exists():
            os.replace(old, trash)
        os.replace(new, old)
    except OSError as exc:
        if trash.exists() and not old.exists():
            os.replace(trash, old)
        raise _write_error(old, exc) from exc
    shutil.rmtree(trash, ignore_errors=True)


def wrap_engine_error(path: Path, exc: Exception) -> NewsIndexError:
    """A newsindex error for an unexpected failure inside the engine."""
    return IndexCorruptError(str(path), f"the index at {path} could not be read: {exc}")
