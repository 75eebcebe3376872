"""Building and updating an index: files -> readers -> extraction -> engine.

A build is incremental: files whose size and modification time (or, failing
that, content hash) are unchanged are not read again; changed files are
re-read and their articles replaced; files that disappeared from a folder
being built have their articles removed.  Bad records are skipped one at a
time and listed in the :class:`BuildReport`; the rest is indexed.  Commits
happen in batches and are atomic, so an interrupted build leaves the last
committed state readable, and the next build completes the work.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from newsindex.documents import Article
from newsindex.engine import holds_index
from newsindex.engine.protocol import Engine, EngineWriter
from newsindex.errors import IndexLockedError, NewsIndexError
from newsindex.extract import Extraction, get_extractor
from newsindex.filetable import FileState
from newsindex.options import BuildOptions
from newsindex.prepare import Prepared, bounded_map, init_worker, prepare
from newsindex.readers import STDIN, Skipped, discover_files, read_file

__all__ = ["BuildProgress", "BuildReport", "Duplicate", "build_index", "index_articles"]

ProgressCallback = Callable[["BuildProgress"], None]
logger = logging.getLogger("newsindex.build")


@dataclass(frozen=True)
class Duplicate:
    """An article not stored because the same text is already indexed under ``kept``."""

    id: str
    kept: str
    path: str

    def __str__(self) -> str:
        return f"{self.path}: duplicate of {self.kept}"


@dataclass(frozen=True)
class BuildProgress:
    """How far a build has got: bytes of input read out of the total, articles indexed."""

    bytes_done: int
    bytes_total: int
    articles: int
    files_done: int
    files_total: int


@dataclass
class BuildReport:
    """What a build did. ``skipped`` lists every rejected record with its reason."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    articles_read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True if the build changed the index."""
        return bool(self.added or self.updated or self.removed)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "files_read": self.files_read,
            "files_unchanged": self.files_unchanged,
            "articles_read": self.articles_read,
            "skipped": [
                {"path": s.path, "record": s.record, "reason": s.reason} for s in self.skipped
            ],
            "duplicates": [{"id": d.id, "kept": d.kept, "path": d.path} for d in self.duplicates],
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 3),
        }


def _hash_file(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _FileJob:
    """One input file on its way through a build, and what became of its articles."""

    path: Path
    key: str
    number: int
    """1-based position among the build's files, for progress."""
    size: int
    state: FileState | None = None
    """The file's state to record once all its articles are written (None: none to record)."""
    read: bool = False
    """True if its articles were read (not skipped as unchanged or unreadable)."""
    previous: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _FileStart:
    """Marks where a file's articles begin in the stream."""

    job: _FileJob


@dataclass(frozen=True)
class _FileEnd:
    """Marks where a file's articles end in the stream."""

    job: _FileJob


_Marker = _FileStart | _FileEnd


class _Indexer:
    """Feeds articles to the engine, counting, de-duplicating and committing in batches."""

    def __init__(self, store: Engine, writer: EngineWriter, options: BuildOptions) -> None:
        self.store = store
        self.writer = writer
        self.options = options
        self._extractor: Callable[[Article], Extraction] | None = None
        self.report = BuildReport()
        self.pending_files: list[FileState] = []
        self.removed_files: list[str] = []
        self.names: dict[str, set[str]] = {}
        self._batch_keys: dict[str, str] = {}
        self._pool: Any = None
        self.fresh = store.count() == 0
        self._fresh_ids: set[str] = set()
        self.workers = options.workers or 0
        self.total_bytes = 0
        self.total_files = 0
        self.committed = False
        """True once this build has committed a batch."""

    # -- extraction, optionally in a second process ------------------------------------

    def extract(self, records: Iterable[Article | _Marker]) -> Iterator[Prepared | _Marker]:
        """Prepare each article for the writer (see :func:`~newsindex.prepare.prepare`), in order;
        file markers among them pass through in place."""
        workers = self.workers
        if workers > 0:
            if self._pool is None:
                import multiprocessing

                context = multiprocessing.get_context("spawn")
                self._pool = context.Pool(
                    workers,
                    initializer=init_worker,
                    initargs=(
                        self.options.extractor,
                        self.options.themes,
                        self.options.entities,
                        self.store.name,
                    ),
                )
            yield from cast("Iterator[Prepared | _Marker]", bounded_map(self._pool, records))
        else:
            for item in records:
                if isinstance(item, Article):
                    yield prepare(self.extractor, self.store.name, item)
                else:
                    yield item

    @property
    def extractor(self) -> Callable[[Article], Extraction]:
        """The extractor, loaded in this process only when it extracts here (no workers)."""
        if self._extractor is None:
            options = self.options
            self._extractor = get_extractor(
                options.extractor, themes=options.themes, entities=options.entities
            )
        return self._extractor

    def close(self) -> None:
        """Stop the extraction workers."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    # -- lookups against what is already committed ------------------------------------

    def ids_from(self, path_key: str) -> set[str]:
        """Ids of committed articles read from input file ``path_key``."""
        if self.fresh:
            return set()
        return self.store.lookup("path", path_key)

    def _duplicate_of(self, key: str, article_id: str, replaced: set[str]) -> str | None:
        kept = self._batch_keys.get(key)
        if kept is not None and kept != article_id:
            return kept
        if self.fresh and not self.committed:
            return None  # the index was empty and nothing is committed yet: nothing to find
        found = sorted(self.store.lookup("dupkey", key) - replaced - {article_id})
        return found[0] if found else None

    # -- writing ------------------------------------------------------------------------

    def index(self, prepared: Prepared, path_key: str, replaced: set[str]) -> bool:
        """Index one prepared article; return False if it was a duplicate."""
        article, key = prepared.article, prepared.dupkey
        for warning in article.extra.get("warnings", ()):
            self.report.warnings.append(f"{article.path or article.id}: {warning}")
        kept = self._duplicate_of(key, article.id, replaced)
        if kept is not None:
            self.report.duplicates.append(Duplicate(article.id, kept, article.path or path_key))
            return False
        replace = not self.fresh or article.id in self._fresh_ids
        self.writer.add(prepared.document, path=path_key, replace=replace)
        if self.fresh:
            self._fresh_ids.add(article.id)
        self._batch_keys[key] = article.id
        for name in ("people", "places", "organisations", "themes"):
            values = getattr(article, name)
            if values:
                self.names.setdefault(name, set()).update(values)
        return True

    def maybe_commit(self) -> None:
        """Commit when the batch is full."""
        if self.writer.pending >= self.options.batch_size:
            self.commit()

    def commit(self) -> None:
        """Commit what was added and record the files that are now complete."""
        logger.info(
            "committing %d documents (%d files complete)",
            self.writer.pending,
            len(self.pending_files),
        )
        self.writer.commit(extractor=self.options.extractor, built=_now())
        self.committed = True
        self.store.record_files(self.pending_files, self.removed_files)
        if self.names:
            self.store.record_names(self.names)
        self.pending_files, self.removed_files, self.names = [], [], {}
        self._batch_keys.clear()
        self.committed = True


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _file_key(path: Path) -> str:
    """The file's real path, which the file table and the ``path`` field key on.

    The folder is resolved once for all its files (resolving each file walked
    every folder above it again: 0.7 ms a file, a tenth of a folder build)."""
    try:
        if path.is_symlink():
            return str(path.resolve())
        return str(_real_folder(path.parent) / path.name)
    except (OSError, RuntimeError):
        return str(path.absolute())


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: Path) -> Path:
    return folder.resolve()


@functools.lru_cache(maxsize=4096)
def _inside_an_index(folder: Path) -> bool:
    """True for a folder holding an index: its files are never input, even under a built folder."""
    return holds_index(folder)


def id_base(given: Path, root: Path) -> Path:
    """The folder article ids are made relative to.

    A path typed relative to the working directory keeps the form it was typed
    in: ``seeds``, ``seeds/a.txt`` and ``seeds/*.txt`` all give ``seeds/a.txt``,
    and ``export.jsonl`` gives ``export.jsonl#1``.  An absolute path (or one
    climbing out with ``..``) keeps the name of the folder the file was found
    in: ``/data/seeds`` and ``/data/seeds/a.txt`` both give ``seeds/a.txt``.
    """
    if not given.is_absolute() and ".." not in given.parts:
        return Path.cwd()
    return root.absolute().parent


def _plan(paths: Iterable[Path | str]) -> tuple[list[tuple[Path, Path]], list[Skipped], list[str]]:
    """Expand ``paths`` to (file, id base) pairs; missing paths are skipped with a reason."""
    files: list[tuple[Path, Path]] = []
    missing: list[Skipped] = []
    folders: list[str] = []
    for given in paths:
        text = str(given)
        if text == STDIN:
            files.append((Path(STDIN), Path(".")))
            continue
        path = Path(given)
        if not path.exists() and not any(ch in text for ch in "*?["):
            missing.append(Skipped(text, "no such file or folder"))
            continue
        if path.is_dir():
            folders.append(_file_key(path))
        for found, root in discover_files([path]):
            if not _inside_an_index(found.parent.absolute()):
                files.append((found.absolute(), id_base(path, root)))
    return files, missing, folders


def _check_file(indexer: _Indexer, job: _FileJob, rebuild: bool) -> bool:
    """Decide whether ``job``'s file must be read; count it if not.  Runs ahead of the writer."""
    report = indexer.report
    if job.key == STDIN:
        return True
    try:
        stat = job.path.stat()
        state = None if rebuild else indexer.store.file_state(job.key)
        if state and state.size == stat.st_size and state.mtime_ns == stat.st_mtime_ns:
            report.unchanged += state.articles
            report.files_unchanged += 1
            return False
        sha1 = _hash_file(job.path)
    except OSError as exc:
        report.skipped.append(Skipped(str(job.path), f"cannot read file: {exc.strerror or exc}"))
        return False
    if state and state.sha1 == sha1:
        report.unchanged += state.articles
        report.files_unchanged += 1
        job.state = FileState(job.key, stat.st_size, stat.st_mtime_ns, sha1, state.articles)
        return False
    job.state = FileState(job.key, stat.st_size, stat.st_mtime_ns, sha1, 0)
    return True


def _stream(
    indexer: _Indexer,
    files: list[tuple[Path, Path]],
    keys: list[str],
    sizes: list[int],
    rebuild: bool,
) -> Iterator[Article | _Marker]:
    """Every file's articles in order, each file between a start and an end marker."""
    for number, ((path, base), size) in enumerate(zip(files, sizes, strict=True), start=1):
        job = _FileJob(path, keys[number - 1], number, size)
        if _check_file(indexer, job, rebuild):
            logger.debug("reading %s", path)
            job.read = True
            yield _FileStart(job)
            yield from _records(indexer, path, base)
        yield _FileEnd(job)


def _start_file(indexer: _Indexer, job: _FileJob) -> None:
    """The writer reaches a file: its committed articles are replaced by what it holds now."""
    job.previous = indexer.ids_from(job.key) if job.key != STDIN else set()
    if job.previous:
        indexer.writer.delete("path", job.key)
    indexer.report.files_read += 1


def _write_article(indexer: _Indexer, job: _FileJob, prepared: Prepared) -> None:
    # Commit before an article rather than after it, so a batch that fills up
    # on a file's last article also records that file as complete.
    indexer.maybe_commit()
    report = indexer.report
    report.articles_read += 1
    article = prepared.article
    if indexer.index(prepared, job.key, job.previous):
        if article.id in job.previous:
            report.updated += 1
        elif article.id not in job.seen:
            report.added += 1
        job.seen.add(article.id)


def _end_file(indexer: _Indexer, job: _FileJob) -> None:
    """The writer is past a file's last article: it is complete in the next commit."""
    if job.read:
        indexer.report.removed += len(job.previous - job.seen)
        if job.state is not None:
            job.state = FileState(
                job.key, job.state.size, job.state.mtime_ns, job.state.sha1, len(job.seen)
            )
    if job.state is not None:
        indexer.pending_files.append(job.state)
    if job.read:
        indexer.maybe_commit()


def _records(indexer: _Indexer, path: Path, base: Path) -> Iterator[Article]:
    for record in read_file(path, base, indexer.options.read):
        if isinstance(record, Skipped):
            logger.info("skipped %s", record)
            indexer.report.skipped.append(record)
        else:
            yield record


def build_index(
    store: Engine,
    paths: Iterable[Path | str],
    options: BuildOptions,
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Read, extract and index ``paths`` into ``store``; see the module docstring."""
    started = time.perf_counter()
    _real_folder.cache_clear()  # a folder may have been moved or relinked since the last build
    files, missing, folders = _plan(paths)
    keys = [STDIN if str(path) == STDIN else _file_key(path) for path, _ in files]
    total_bytes = 0
    sizes: list[int] = []
    for path, _ in files:
        try:
            size = 0 if str(path) == STDIN else path.stat().st_size
        except OSError:
            size = 0
        sizes.append(size)
        total_bytes += size
    with store.writer(wait=options.wait) as writer:
        writer.lock()
        indexer = _Indexer(store, writer, options)
        indexer.workers = _choose_workers(options, total_bytes)
        indexer.total_bytes, indexer.total_files = total_bytes, len(files)
        indexer.report.skipped.extend(missing)
        indexer.report.warnings.extend(
            f"{store.location}: removed {name}, left by a build that was interrupted"
            for name in store.recovered
        )
        try:
            stream = _stream(indexer, files, keys, sizes, options.rebuild)
            _write_stream(indexer, stream, progress)
            _remove_vanished(indexer, folders, set(keys))
            indexer.commit()
        finally:
            indexer.close()
    _warn(indexer.report, _record_names(store, indexer.report.changed))
    report = indexer.report
    report.seconds = time.perf_counter() - started
    return report


def _write_stream(
    indexer: _Indexer, stream: Iterator[Article | _Marker], progress: ProgressCallback | None
) -> None:
    """Extract and write the stream of every file's articles, doing each file's bookkeeping
    when the writer reaches its markers; report progress as each file completes."""
    job: _FileJob | None = None
    done = 0
    for item in indexer.extract(stream):
        if isinstance(item, _FileStart):
            job = item.job
            _start_file(indexer, job)
        elif isinstance(item, _FileEnd):
            _end_file(indexer, item.job)
            done += item.job.size
            if progress is not None:
                report = indexer.report
                progress(
                    BuildProgress(
                        done,
                        indexer.total_bytes,
                        report.added + report.updated,
                        item.job.number,
                        indexer.total_files,
                    )
                )
        else:
            assert job is not None  # every article follows its file's start marker
            _write_article(indexer, job, item)


PARALLEL_THRESHOLD_BYTES = 4 << 20
"""Input smaller than this is extracted in the writing process: starting a worker costs ~1 s."""


MAX_DEFAULT_WORKERS = 4
"""Extraction processes a large build starts by default: one per core, up to this many.

The writer waits on extraction about two thirds of the time, so a worker per
core keeps every core busy: on 2 cores, 2 workers built 10,000 articles in
25 s instead of 32 s with one.  Past about four the single writer is the limit."""


def _choose_workers(options: BuildOptions, total_bytes: int) -> int:
    if options.workers is not None:
        return options.workers
    cores = os.cpu_count() or 1
    if options.extractor == "none" or cores < 2 or total_bytes < PARALLEL_THRESHOLD_BYTES:
        return 0
    return min(cores, MAX_DEFAULT_WORKERS)


def _remove_vanished(indexer: _Indexer, folders: list[str], seen: set[str]) -> None:
    """Remove articles of files that were under a built folder and are gone now."""
    if not folders:
        return
    for key in indexer.store.indexed_files():
        if key in seen or not any(
            key.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders
        ):
            continue
        if os.path.exists(key) and any(part.startswith(".") for part in Path(key).parts):
            continue
        state = indexer.store.file_state(key)
        indexer.writer.delete("path", key)
        indexer.report.removed += state.articles if state else 0
        indexer.removed_files.append(key)


def index_articles(
    store: Engine, articles: Iterable[Article], options: BuildOptions
) -> BuildReport:
    """Extract and index ready-made ``articles`` (replacing any with the same id)."""
    started = time.perf_counter()
    with store.writer(wait=options.wait) as writer:
        writer.lock()
        indexer = _Indexer(store, writer, options)
        indexer.fresh = False
        try:
            for prepared in indexer.extract(articles):
                assert isinstance(prepared, Prepared)  # no files here, so no file markers
                indexer.report.articles_read += 1
                article_id = prepared.article.id
                existed = bool(store.lookup("id", article_id))
                if indexer.index(prepared, prepared.article.path or "", set()):
                    if existed:
                        indexer.report.updated += 1
                    else:
                        indexer.report.added += 1
                indexer.maybe_commit()
            indexer.commit()
        finally:
            indexer.close()
    _warn(indexer.report, _record_names(store, indexer.report.changed))
    indexer.report.seconds = time.perf_counter() - started
    return indexer.report


def remove_articles(store: Engine, ids: Iterable[str], options: BuildOptions) -> list[str]:
    """Delete the articles with ``ids``; return the ids that were not in the index."""
    missing = []
    removed = 0
    with store.writer(wait=options.wait) as writer:
        writer.lock()
        for article_id in ids:
            if writer.delete("id", article_id) == 0:
                missing.append(article_id)
            else:
                removed += 1
        writer.commit(extractor=options.extractor)
    warning = _record_names(store, removed > 0)
    if warning:
        logger.warning("%s", warning)
    return missing


def _warn(report: BuildReport, warning: str | None) -> None:
    if warning:
        logger.warning("%s", warning)
        report.warnings.append(warning)


def _record_names(store: Engine, changed: bool) -> str | None:
    """Recompute the name table once a build's commits are done, if the index changed since
    the table was made (new articles may also resolve the names of earlier ones); return
    a warning if it could not be.

    It is made under the write lock, so no other writer's commit changes the index
    while it is read; if another writer already holds the lock, that writer makes it
    when it ends, from an index holding this build's articles too.
    """
    from newsindex.people_names import names_are_current, record_names

    try:
        if not changed and names_are_current(store):
            return None
        with store.write_lock(wait=0.0):
            record_names(store)
    except IndexLockedError:
        logger.info("another writer holds %s; it records the name table", store.location)
    except NewsIndexError as exc:  # the articles are committed: say so, and go on
        return f"{store.location}: the name table was not updated: {exc}"
    return None
