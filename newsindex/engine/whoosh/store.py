"""Index directories on disk: create, open, lock, write, recover, and check what we open.

A newsindex index directory holds the Whoosh index files, ``newsindex.json``
(the manifest: format, schema version, the last commit's generation, article
count and a checksum of the Whoosh table of contents), and ``files.db``
(which input files were indexed, to make builds incremental).

Whoosh stores its schema and segment details with Python's pickle, so
opening an arbitrary directory could run code from it: :meth:`IndexStore.open`
refuses any directory whose manifest is missing or does not match its table of
contents (:mod:`newsindex.engine.whoosh.manifest`).  The file table lives in
:mod:`newsindex.filetable`.

A commit is announced in the manifest, written by Whoosh (segments first, the
table of contents last, renamed into place), then recorded in the manifest.
A writer killed at any point leaves the last completed commit readable; the
next writer to take the lock finishes the record and removes what the dead
one left behind (:meth:`IndexStore.recover`).

Every Whoosh exception is mapped here, once, to an error from
:mod:`newsindex.errors`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from newsindex.engine.whoosh import patches  # Whoosh fixes, applied on import
from newsindex.engine.whoosh.manifest import (
    INDEX_NAME,
    LOCK_NAME,
    OPEN_RETRIES,
    SEGMENT_FILE,
    TOC_PATTERN,
    TOC_TEMP,
    WRITER_TEMP,
    checked_manifest,
    generation_of,
    holds_index,
    latest_toc,
    sha256_of,
)
from newsindex.engine.whoosh.schema import SCHEMA_VERSION, build_schema
from newsindex.engine.whoosh.unpickling import UnsafeIndexDataError, altered
from newsindex.errors import (
    IndexCorruptError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    NewsIndexError,
    StoreError,
)
from newsindex.filetable import FILES_DB_NAME, FileTable
from newsindex.locking import locked_error, write_error
from newsindex.manifest import (
    CREATING,
    FORMAT_NAME,
    MANIFEST_NAME,
    MANIFEST_TEMP,
    atomic_write_json,
    remove_path,
    remove_stale_siblings,
    sync_directory,
)


class _FileIndex(whoosh_index.FileIndex):  # type: ignore[misc]
    """Whoosh's file index with a correct refresh.

    Whoosh-Reloaded 2.7.5 refreshes a searcher by adding the old reader's
    segments to the new ones, so articles merged or deleted since come back
    (counted twice), and it reuses a segment's reader even when the segment
    gained deletions.  Here a refreshed reader holds exactly the latest
    commit's segments, reusing an open segment reader only if nothing in it
    was deleted since; and reading the table of contents retries when a
    commit deleted it between listing and opening.
    """

    def _read_toc(self) -> Any:
        # A commit deletes the previous table of contents: between listing the
        # latest generation and opening it, a reader can find it gone.
        for attempt in range(OPEN_RETRIES):
            try:
                return whoosh_index.TOC.read(self.storage, self.indexname, schema=self._schema)
            except FileNotFoundError:
                if attempt == OPEN_RETRIES - 1:
                    raise
                time.sleep(0.01)
        raise AssertionError("unreachable")

    @classmethod
    def _reader(
        cls, storage: Any, schema: Any, segments: list[Any], generation: int, reuse: Any = None
    ) -> Any:
        from whoosh.reading import EmptyReader, MultiReader, SegmentReader

        reusable: dict[str, Any] = {}
        if reuse is not None:
            if reuse.segments() is None:  # an EmptyReader: nothing to reuse
                reuse.close()
            else:
                reusable = {r.segment().segment_id(): r for r, _ in reuse.leaf_readers()}

        def segment_reader(segment: Any) -> Any:
            old = reusable.get(segment.segment_id())
            if old is not None and old.segment().doc_count() == segment.doc_count():
                del reusable[segment.segment_id()]
                old._gen = generation  # so up_to_date() holds until the next commit
                return old
            return SegmentReader(storage, schema, segment, generation=generation)

        try:
            if not segments:
                return EmptyReader(schema)
            if len(segments) == 1:
                return segment_reader(segments[0])
            return MultiReader([segment_reader(s) for s in segments], generation=generation)
        finally:
            for unused in reusable.values():
                unused.close()


def _storage(path: Path, *, readonly: bool = False) -> FileStorage:
    """Whoosh's file storage for the index at ``path``, reading without memory maps.

    With a memory map Whoosh copies each segment's whole term and posting
    files into memory when a reader opens (``BytesIO`` over the map): opening
    a 100,000-article index took 0.49 s and 571 MB, growing with the index.
    Plain reads open it in 17 ms and 29 MB, for searches about a sixth slower.
    """
    return FileStorage(str(path), supports_mmap=False, readonly=readonly)


def _sync_on_close(handle: Any) -> None:
    handle.file.flush()
    os.fsync(handle.file.fileno())


class _TrackingStorage(FileStorage):  # type: ignore[misc]
    """The writer's file storage: remembers every file it opens, and syncs what it writes.

    When a commit fails half-way (a full disk), Whoosh's own cancel stops at the
    first file that cannot be flushed and leaves the rest, and the lock, open:
    a failed writer closes everything this storage opened.  Whoosh never syncs
    files to disk; here every index file is synced as it is closed, so segment
    files and the table of contents are on disk before the table of contents
    is renamed into place.  Scratch files (``MAIN.tmp``) are not synced.

    Segments are read with plain reads, not memory maps: merging maps every
    segment it reads, and those pages counted against the build's memory
    (610 MB at 100,000 articles, growing with the index).
    """

    def __init__(self, path: str, opened: list[Any], *, durable: bool = True) -> None:
        super().__init__(path, supports_mmap=False)
        self.opened = opened
        self.durable = durable

    def create_file(self, name: str, **kwargs: Any) -> Any:
        if self.durable and "onclose" not in kwargs:
            kwargs["onclose"] = _sync_on_close
        handle = super().create_file(name, **kwargs)
        self.opened.append(handle)
        return handle

    def open_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().open_file(name, **kwargs)
        self.opened.append(handle)
        return handle

    def temp_storage(self, name: str | None = None) -> Any:
        folder = os.path.join(self.folder, name or f"{INDEX_NAME}.tmp")
        return _TrackingStorage(folder, self.opened, durable=False).create()


def _abandon(writer: Any) -> None:
    """Cancel ``writer`` even when its files cannot be flushed: close all, release the lock."""
    with contextlib.suppress(Exception):
        writer.cancel()  # what it leaves open is closed below
    for handle in getattr(writer.storage, "opened", ()):
        for close in (handle.close, getattr(handle.file, "close", None)):
            with contextlib.suppress(Exception):
                if close is not None:
                    close()
    with contextlib.suppress(Exception):
        writer._tempstorage.destroy()
    if writer.writelock is not None:
        with contextlib.suppress(Exception):
            writer.writelock.release()
        writer.writelock = None
    writer.is_closed = True


WRITER_POOL_MB = 32
"""Whoosh's posting pool size.  Whoosh counts the bytes of each posting, not the Python
objects holding them, so its 128 MB default held about 260 MB at 10,000 articles; 32
halves that at the same build speed (measured on the synthetic 10k corpus)."""


class IndexStore(FileTable):
    """An open index directory: the Whoosh index plus our manifest and file table.

    A store opened with ``for_rebuild=True`` on an index that cannot be read
    (older format, damaged) has no Whoosh index: it can only be locked and
    replaced; anything else raises the error that stopped it from opening.
    """

    def __init__(
        self,
        path: Path,
        ix: Any,
        manifest: dict[str, Any],
        *,
        problem: StoreError | None = None,
    ) -> None:
        self.path = path
        self._ix = ix
        self.manifest = manifest
        self.problem = problem
        self.recovered: list[str] = []
        """Files a dead writer left behind that the last :meth:`recover` removed."""
        self._files_db: sqlite3.Connection | None = None

    @property
    def ix(self) -> Any:
        """The Whoosh index (raises the opening problem for a store kept only to rebuild)."""
        if self._ix is None:
            assert self.problem is not None
            raise self.problem
        return self._ix

    # -- creation and opening -------------------------------------------------

    @classmethod
    def create(cls, path: Path, *, extractor: str = "default") -> IndexStore:
        """Create an empty index at ``path``, which must be absent or an empty folder."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            cls._clear_for_create(path, dry_run=True)  # before the lock file lands in it
            lock = FileStorage(str(path)).lock(LOCK_NAME)
            if not lock.acquire(blocking=False):
                raise locked_error(path)
            try:
                cls._clear_for_create(path)
                manifest: dict[str, Any] = {
                    "format": FORMAT_NAME,
                    "schema_version": SCHEMA_VERSION,
                    "extractor": extractor,
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "state": CREATING,
                }
                atomic_write_json(path / MANIFEST_NAME, manifest)
                ix = _storage(path).create_index(
                    build_schema(), indexname=INDEX_NAME, indexclass=_FileIndex
                )
                store = cls(path, ix, manifest)
                store.manifest.pop("state")
                store._record_commit()
            finally:
                with contextlib.suppress(Exception):
                    lock.release()
        except OSError as exc:
            raise write_error(path, exc) from exc
        return store

    @staticmethod
    def _clear_for_create(path: Path, *, dry_run: bool = False) -> None:
        """Refuse a folder holding anything but the remains of an interrupted creation."""
        entries = [entry for entry in os.listdir(path) if entry != LOCK_NAME]
        if not entries:
            return
        try:
            state = json.loads((path / MANIFEST_NAME).read_text(encoding="utf-8")).get("state")
        except (OSError, ValueError, AttributeError):
            state = None
        ours = all(
            entry in (MANIFEST_NAME, MANIFEST_TEMP, FILES_DB_NAME, WRITER_TEMP)
            or TOC_PATTERN.fullmatch(entry)
            or TOC_TEMP.fullmatch(entry)
            or SEGMENT_FILE.fullmatch(entry)
            for entry in entries
        )
        if state == CREATING and ours:
            for entry in [] if dry_run else entries:
                remove_path(path / entry)
            return
        if holds_index(path):
            raise IndexWriteError(
                str(path), f"an index already exists at {path}; open it, or rebuild it"
            )
        raise IndexWriteError(
            str(path),
            f"{path} is not empty and holds no index",
            remedy="empty-folder",
        )

    @classmethod
    def open(cls, path: Path, *, for_rebuild: bool = False) -> IndexStore:
        """Open the index at ``path`` after checking its manifest and table of contents.

        With ``for_rebuild``, an index that exists but cannot be used (older
        format, damaged, not written by newsindex) still gives a store that can
        be locked and replaced by a rebuild.
        """
        for attempt in range(OPEN_RETRIES):
            try:
                manifest = checked_manifest(path)
            except (IndexVersionError, IndexCorruptError) as exc:
                if not for_rebuild:
                    raise
                return cls(path, None, {}, problem=exc)
            try:
                ix = cls._open_checked(path)
            except FileNotFoundError as exc:
                # A writer committed between the check and the open, and removed the
                # table of contents just checked: check the new one.
                if attempt == OPEN_RETRIES - 1:
                    raise IndexCorruptError(
                        str(path), f"the index at {path} is unreadable ({exc})"
                    ) from exc
                continue
            except (IndexCorruptError, IndexNotFoundError) as error:
                if for_rebuild and isinstance(error, IndexCorruptError):
                    return cls(path, None, {}, problem=error)
                raise
            return cls(path, ix, manifest)
        raise AssertionError("unreachable")

    @staticmethod
    def _open_checked(path: Path) -> Any:
        """The Whoosh index at ``path`` (its manifest already checked); our errors."""
        try:
            storage = _storage(path, readonly=not os.access(path, os.W_OK))
            # Our own schema, so the pickled one in the table of contents is never loaded.
            return storage.open_index(
                indexname=INDEX_NAME, schema=build_schema(), indexclass=_FileIndex
            )
        except UnsafeIndexDataError as exc:
            raise altered(path, exc) from exc
        except whoosh_index.EmptyIndexError as exc:
            raise IndexNotFoundError(str(path), f"no index at {path}", remedy="build") from exc
        except FileNotFoundError:
            raise
        except (OSError, EOFError, ValueError, ImportError, AttributeError) as exc:
            raise IndexCorruptError(
                str(path),
                f"the index at {path} is unreadable ({exc})",
                remedy="rebuild",
            ) from exc

    # -- manifest ---------------------------------------------------------------

    def _record_commit(self, **extra: Any) -> None:
        toc = latest_toc(self.path)
        if toc is None:
            raise IndexCorruptError(str(self.path), f"the index at {self.path} has no contents")
        self.manifest.update(extra)
        sync_directory(self.path)  # the renamed table of contents
        self.manifest["generation"] = generation_of(toc)
        self.manifest["toc_sha256"] = sha256_of(toc)
        self.manifest["articles"] = sum(s.doc_count() for s in self.ix._segments())
        self.manifest.pop("pending_generation", None)
        atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    def _announce_commit(self) -> None:
        self.manifest["pending_generation"] = self.ix.latest_generation() + 1
        atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    # -- locking and recovery ------------------------------------------------------

    def _acquire_lock(self, wait: float) -> Any:
        lock = FileStorage(str(self.path)).lock(LOCK_NAME)
        deadline = time.monotonic() + wait
        while True:
            try:
                if lock.acquire(blocking=False):
                    return lock
            except OSError as exc:
                raise write_error(self.path, exc) from exc
            if time.monotonic() >= deadline:
                raise locked_error(self.path)
            time.sleep(0.05)

    def recover(self) -> list[str]:
        """Finish the record of a dead writer's commit and remove what it left behind.

        Call only while holding the write lock: then no live writer owns any
        of the files removed.  Returns (and keeps in :attr:`recovered`) their names.
        """
        removed: list[str] = []
        if self._ix is not None:
            self._finish_pending_record()
            current = {s.segment_id() for s in self._ix._segments()}
            latest = self._ix.latest_generation()
            for entry in sorted(os.listdir(self.path)):
                toc = TOC_PATTERN.fullmatch(entry)
                segment = SEGMENT_FILE.fullmatch(entry)
                stale = (
                    (toc is not None and int(toc.group(1)) != latest)
                    or TOC_TEMP.fullmatch(entry) is not None
                    or (segment is not None and f"{INDEX_NAME}_{segment.group(1)}" not in current)
                    or entry in (WRITER_TEMP, MANIFEST_TEMP)
                )
                if stale:
                    with contextlib.suppress(OSError):
                        remove_path(self.path / entry)
                        removed.append(entry)
        removed.extend(remove_stale_siblings(self.path, old_copy_too=self._ix is not None))
        self.recovered = removed
        return removed

    def _finish_pending_record(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            on_disk = json.loads((self.path / MANIFEST_NAME).read_text(encoding="utf-8"))
            if isinstance(on_disk, dict) and on_disk.get("format") == FORMAT_NAME:
                self.manifest = on_disk
        pending = self.manifest.get("pending_generation")
        if pending is None:
            return
        if self._ix.latest_generation() == pending:
            self._record_commit()
        else:
            self.manifest.pop("pending_generation")
            atomic_write_json(self.path / MANIFEST_NAME, self.manifest)

    # -- writing ---------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, *, wait: float = 0.0, limitmb: int = WRITER_POOL_MB) -> Iterator[BatchWriter]:
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
        lock = self._acquire_lock(wait)
        try:
            self.recover()
            yield
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    def open_writer(self, *, wait: float = 0.0, limitmb: int = WRITER_POOL_MB) -> SegmentWriter:
        """A raw Whoosh writer with the lock taken (internal to the engine)."""
        ix = self.ix
        lock = self._acquire_lock(wait)
        try:
            self.recover()
            tracked = _FileIndex(
                _TrackingStorage(str(self.path), []), schema=ix.schema, indexname=INDEX_NAME
            )
            writer = SegmentWriter(tracked, _lk=False, limitmb=limitmb)
            patches.chunked_pool(writer)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                lock.release()
            if isinstance(exc, OSError):
                raise write_error(self.path, exc) from exc
            raise
        writer.writelock = lock
        return writer

    def close(self) -> None:
        """Release the file table and the index."""
        self.close_files_db()
        if self._ix is not None:
            self._ix.close()


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
            raise write_error(self.store.path, exc) from exc
        self.pending += 1

    def delete_term(self, field: str, value: str) -> int:
        """Delete every document whose ``field`` holds ``value``; return how many."""
        try:
            return int(self.whoosh.delete_by_term(field, value))
        except OSError as exc:
            raise write_error(self.store.path, exc) from exc

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
        except (OSError, sqlite3.Error) as exc:
            _abandon(writer)
            if isinstance(exc, OSError):
                raise write_error(self.store.path, exc) from exc
            raise IndexWriteError(str(self.store.path), str(exc)) from exc
        self.pending = 0

    def close(self) -> None:
        """Discard anything not committed and release the lock."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            _abandon(writer)


def replace_directory(new: Path, old: Path) -> None:
    """Move the freshly built index ``new`` into place of ``old`` (two renames).

    ``old`` must be an index or an empty folder: a rebuild never deletes anything else.
    """
    if old.exists() and (not old.is_dir() or (any(old.iterdir()) and not holds_index(old))):
        raise IndexWriteError(
            str(old), f"{old} is not an index; refusing to replace it with the rebuilt one"
        )
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
        raise write_error(old, exc) from exc
    shutil.rmtree(trash, ignore_errors=True)


def wrap_engine_error(path: Path, exc: Exception) -> NewsIndexError:
    """A newsindex error for an unexpected failure inside the engine."""
    return IndexCorruptError(str(path), f"the index at {path} could not be read: {exc}")
