"""Reading Whoosh's pickles without running code from an index's files.

Whoosh keeps its segment list, each segment file's directory, the posting
block headers and blocks, and each article's stored fields as pickles, and
unpickling can call any importable function named in the data.  Indexes are
shared between people, so an edited index file must never run code when it
is opened or searched.  Every pickle Whoosh (and :mod:`arrays`) reads from an
index goes through :class:`IndexUnpickler`, which resolves only the few
globals the 2.7.5 index format holds and raises :class:`UnsafeIndexDataError`
for anything else, before it is called.  The checksum in the manifest covers
only the table of contents; this covers every file.
"""

from __future__ import annotations

import io
import pickle
from typing import IO, Any

from newsindex.errors import IndexCorruptError

ALLOWED_GLOBALS = frozenset(
    {
        ("whoosh.codec.whoosh3", "W3Segment"),  # the table of contents' segment list
        ("whoosh.codec.whoosh3", "W3Codec"),  # each segment's codec
        ("collections", "defaultdict"),  # a segment's field lengths ...
        ("builtins", "int"),  # ... and their default
        ("builtins", "set"),  # a segment's deleted documents, in protocol 2
        ("builtins", "frozenset"),
        ("_codecs", "encode"),  # bytes in protocol 2 pickles (Whoosh's stored fields)
    }
)
"""(module, name) pairs an index file may name; found by recording every global
resolved while building, searching and faceting real indexes."""


class UnsafeIndexDataError(IndexCorruptError):
    """An index file holds a pickle naming a global the index format never uses.

    Raised where the index's path is unknown; the store and searcher re-raise
    it as :func:`altered` with the path.
    """

    def __init__(self, module: str, name: str) -> None:
        self.global_name = f"{module}.{name}"
        super().__init__("", f"an index file names {self.global_name}, {_VERDICT}")


_VERDICT = "which no newsindex index holds: it was altered, and nothing in it was run"


def altered(path: object, exc: UnsafeIndexDataError) -> IndexCorruptError:
    """The one-line error for the index at ``path`` holding ``exc``'s unsafe pickle."""
    return IndexCorruptError(
        str(path),
        f"refusing the index at {path}: a file in it names {exc.global_name}, {_VERDICT}",
    )


class IndexUnpickler(pickle.Unpickler):
    """An unpickler that resolves only :data:`ALLOWED_GLOBALS`."""

    def find_class(self, module: str, name: str) -> Any:
        """The allowed global ``module.name``; :class:`UnsafeIndexDataError` for any other."""
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise UnsafeIndexDataError(module, name)


def load(file: IO[bytes], **_: Any) -> Any:
    """Unpickle the next object from ``file`` (as :func:`pickle.load`, allow-listed)."""
    return IndexUnpickler(file).load()


def loads(data: bytes, **_: Any) -> Any:
    """Unpickle ``data`` (as :func:`pickle.loads`, allow-listed)."""
    return IndexUnpickler(io.BytesIO(data)).load()
