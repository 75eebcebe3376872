"""Small, targeted fixes to Whoosh applied once when the engine loads.

Whoosh's per-document reader caches the column reader of each field's
lengths, but not the *absence* of one: for every posting of a field that
keeps no lengths (keywords, ids) it asks the file system whether the column
file exists.  On a build that is one ``stat`` per posting — about a third of
indexing time in our profile.  We cache the absence too.

Whoosh's posting pool spills sorted runs to disk one pickled posting at a
time and reads them back the same way: about a third of the writer's time in
a build.  :class:`ChunkedPostingPool` pickles runs in chunks of postings.

Whoosh pickles each article's stored fields with protocol 2, which writes
bytes as latin-1 text: our compressed records grew by a third on disk.
Protocol 5 stores them as they are (reading is unchanged: pickle detects
the protocol).

Every pickle read from an index file goes through the allow-list unpickler of
:mod:`newsindex.engine.whoosh.unpickling`, so an altered file cannot run code.

Whoosh's ``AndNotMatcher`` checks its first match against the excluded
clause only when both start on the same document: ``copper NOT harbour``
returned an article with both words whenever the excluded clause's first
match came earlier.  It now always skips excluded documents first.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import columns, writing
from whoosh.codec import whoosh3
from whoosh.filedb import structfile
from whoosh.matching import binary

from newsindex.engine.whoosh import unpickling

_MISSING = object()


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    reader = readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        readers[fieldname] = reader
    return reader


RUN_CHUNK = 1024
"""Postings pickled together when the pool spills a run to disk.  A merge reads one
chunk of every run at once, so chunks stay small: 8,192 held 65 MB more per 10,000
articles merged."""


class ChunkedPostingPool(writing.PostingPool):  # type: ignore[misc]
    """Whoosh's posting pool, spilling and reading runs a chunk of postings at a time."""

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        chunk: list[Any] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= RUN_CHUNK:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def chunked_pool(writer: Any) -> None:
    """Give a fresh ``writer`` a :class:`ChunkedPostingPool` in place of Whoosh's own."""
    old = writer.pool
    writer.pool = ChunkedPostingPool(old.tempstore, old.segment, limitmb=old.limit // (1 << 20))


def _add_pickled(self: Any, docnum: int, value: Any) -> None:
    data = b"" if value is None else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    self._child.add(docnum, data)


def _and_not_find_first(self: Any) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


WHOOSH_VERSION = "2.7.5"
"""The whoosh-reloaded release these fixes and ``arrays.py`` were written against
(pinned exactly in ``pyproject.toml``)."""


def _require(owner: Any, *names: str) -> None:
    """ImportError unless ``owner`` (a Whoosh module or class) still has every one of ``names``.

    A Whoosh whose internals moved must fail here, at import, rather than run
    unpatched and score or filter wrongly.
    """
    for name in names:
        if not hasattr(owner, name):
            where = getattr(owner, "__qualname__", getattr(owner, "__name__", repr(owner)))
            module = getattr(owner, "__module__", None)
            where = f"{module}.{where}" if module and module != where else where
            raise ImportError(
                f"newsindex needs whoosh-reloaded {WHOOSH_VERSION}: the installed Whoosh has no "
                f"{where}.{name}; install whoosh-reloaded=={WHOOSH_VERSION}"
            )


def _check_targets() -> None:
    """Every Whoosh internal that these fixes and ``arrays.py`` replace or read."""
    _require(whoosh3.W3PerDocReader, "_cached_reader", "column_reader", "has_column")
    _require(binary.AndNotMatcher, "_find_first", "_find_next")
    _require(columns.PickleColumn.Writer, "add")
    _require(writing.PostingPool, "_write_run", "_read_run", "_open_run", "_remove_run")
    _require(whoosh3.W3TermInfo, "is_inlined", "inlined_postings", "extent")
    _require(whoosh3, "LENGTHS_COLUMN", "WHOOSH3_HEADER_MAGIC", "loads")
    _require(columns, "loads")
    _require(structfile, "load_pickle")


def apply() -> None:
    """Install the fixes (idempotent); ImportError if Whoosh lacks a target."""
    _check_targets()
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    binary.AndNotMatcher._find_first = _and_not_find_first
    columns.PickleColumn.Writer.add = _add_pickled
    # Every pickle read from an index file: the table of contents, segment file
    # directories, hash-table extras and posting block headers (StructFile.read_pickle),
    # posting blocks and inlined postings (whoosh3), stored fields (columns).
    structfile.load_pickle = unpickling.load
    whoosh3.loads = unpickling.loads
    columns.loads = unpickling.loads


apply()
