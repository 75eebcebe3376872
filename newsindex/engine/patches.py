"""Small, targeted fixes to Whoosh applied once when the engine loads.

Whoosh's per-document reader caches the column reader of each field's
lengths, but not the *absence* of one: for every posting of a field that
keeps no lengths (keywords, ids) it asks the file system whether the column
file exists.  On a build that is one ``stat`` per posting — about a third of
indexing time in our profile.  We cache the absence too.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    reader = readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        readers[fieldname] = reader
    return reader


def apply() -> None:
    """Install the fixes (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader


apply()
