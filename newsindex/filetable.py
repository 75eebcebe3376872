"""The file table: which input files an index holds articles from, and entity display names.

``files.db`` (SQLite, inside the index directory) makes builds incremental:
each input file's size, modification time, SHA-1 and article count.  Its
``names`` table keeps how articles wrote each entity name, since facets count
lower-cased values, and its ``tables`` table the JSON tables derived from the
index after each build (the name table of :mod:`newsindex.people_names`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from newsindex.errors import IndexCorruptError, IndexWriteError

FILES_DB_NAME = "files.db"


def exact_value(value: str) -> str:
    """An entity or source as facets count it and every engine indexes it for exact
    matching: commas and runs of spaces as one space, lower case ("Boeing,  Co" →
    "boeing co").  The names table keys display names by it."""
    return " ".join(value.replace(",", " ").split()).lower()


@dataclass(frozen=True)
class FileState:
    """What a build recorded about one input file."""

    path: str
    size: int
    mtime_ns: int
    sha1: str
    articles: int


class FileTable:
    """Access to ``files.db``; mixed into :class:`~newsindex.engine.whoosh.store.IndexStore`."""

    path: Path
    _files_db: sqlite3.Connection | None

    @property
    def files_db(self) -> sqlite3.Connection:
        """The table of indexed input files (created on first use; read-only if the index is)."""
        if self._files_db is None:
            location = self.path / FILES_DB_NAME
            try:
                if not os.access(self.path, os.W_OK):
                    db = sqlite3.connect(
                        f"{location.absolute().as_uri()}?mode=ro", uri=True, timeout=30
                    )
                else:
                    db = sqlite3.connect(location, timeout=30)
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                        "mtime_ns INTEGER, sha1 TEXT, articles INTEGER)"
                    )
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS names (field TEXT, key TEXT, display TEXT, "
                        "PRIMARY KEY (field, key)) WITHOUT ROWID"
                    )
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS tables (name TEXT PRIMARY KEY, json TEXT)"
                    )
            except sqlite3.Error as exc:
                raise IndexWriteError(
                    str(self.path), f"cannot use the file table of {self.path}: {exc}"
                ) from exc
            self._files_db = db
        return self._files_db

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        if not (self.path / FILES_DB_NAME).exists():
            return []
        try:
            return self.files_db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise IndexCorruptError(
                str(self.path), f"cannot read the file table of {self.path}: {exc}"
            ) from exc

    def file_state(self, path: str) -> FileState | None:
        """What the last build recorded for input file ``path``, if anything."""
        rows = self._query(
            "SELECT path, size, mtime_ns, sha1, articles FROM files WHERE path = ?", (path,)
        )
        return FileState(*rows[0]) if rows else None

    def indexed_files(self) -> list[str]:
        """Every input file path the index holds articles from."""
        return [row[0] for row in self._query("SELECT path FROM files")]

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
        """Remember the display form of entity names (facets count lower-cased values).

        A name written two ways keeps the first recorded; within one commit, the
        first in sorted order, so every build of the same articles shows the same
        form (a set's order changes from one process to the next).
        """
        rows = [
            (field, exact_value(name), name.strip())
            for field, values in sorted(names.items())
            for name in sorted(values)
        ]
        try:
            with self.files_db:
                self.files_db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise IndexWriteError(str(self.path), f"cannot update {self.path}: {exc}") from exc

    def display_names(self, field: str) -> dict[str, str]:
        """Lower-cased entity names of ``field`` mapped to how articles wrote them."""
        rows = self._query("SELECT key, display FROM names WHERE field = ?", (field,))
        return dict(rows)

    def display_names_of(self, field: str, keys: list[str]) -> dict[str, str]:
        """:meth:`display_names` of ``keys`` only (a facet's top values): one indexed query."""
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        sql = f"SELECT key, display FROM names WHERE field = ? AND key IN ({marks})"
        return dict(self._query(sql, (field, *keys)))

    def record_table(self, name: str, table: dict[str, Any]) -> None:
        """Keep ``table`` (JSON-ready) under ``name``, replacing what was there."""
        try:
            with self.files_db:
                self.files_db.execute(
                    "INSERT OR REPLACE INTO tables VALUES (?, ?)", (name, json.dumps(table))
                )
        except sqlite3.Error as exc:
            raise IndexWriteError(str(self.path), f"cannot update {self.path}: {exc}") from exc

    def read_table(self, name: str) -> dict[str, Any] | None:
        """The table kept under ``name``, or None (an index built before tables were kept)."""
        known = self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tables'")
        rows = self._query("SELECT json FROM tables WHERE name = ?", (name,)) if known else []
        if not rows:
            return None
        try:
            table: dict[str, Any] = json.loads(rows[0][0])
        except ValueError as exc:
            raise IndexCorruptError(
                str(self.path), f"the {name} table of {self.path} is damaged: {exc}"
            ) from exc
        return table

    def close_files_db(self) -> None:
        """Close the connection to ``files.db``."""
        if self._files_db is not None:
            self._files_db.close()
            self._files_db = None


class FileRecords(Protocol):
    """Where an engine's store keeps the file table (``files.db``, or an index on a cluster)."""

    def file_state(self, path: str) -> FileState | None: ...

    def indexed_files(self) -> list[str]: ...

    def record_files(self, states: list[FileState], removed: list[str]) -> None: ...

    def record_names(self, names: dict[str, set[str]]) -> None: ...

    def record_table(self, name: str, table: dict[str, Any]) -> None: ...

    def read_table(self, name: str) -> dict[str, Any] | None: ...


class FileTableOfStore:
    """The file-table operations of :class:`newsindex.engine.protocol.Engine`, answered by
    the engine's store (mixed into each engine's adapter)."""

    store: Any

    def file_state(self, path: str) -> FileState | None:
        """What the last build recorded of input file ``path``."""
        records: FileRecords = self.store
        return records.file_state(path)

    def indexed_files(self) -> list[str]:
        """Every input file recorded."""
        records: FileRecords = self.store
        return records.indexed_files()

    def record_files(self, states: list[FileState], removed: list[str]) -> None:
        """Record input files indexed (and removed) by the commit just made."""
        records: FileRecords = self.store
        records.record_files(states, removed)

    def record_names(self, names: dict[str, set[str]]) -> None:
        """Remember how names were written, for display."""
        records: FileRecords = self.store
        records.record_names(names)

    def record_table(self, name: str, table: dict[str, Any]) -> None:
        """Keep a table derived from the index (JSON-ready) under ``name``."""
        records: FileRecords = self.store
        records.record_table(name, table)

    def read_table(self, name: str) -> dict[str, Any] | None:
        """The table kept under ``name``, or None."""
        records: FileRecords = self.store
        return records.read_table(name)
