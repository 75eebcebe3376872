"""Readers turn input files into :class:`~newsindex.documents.Article` records.

Each reader handles one format and yields, for every record it finds, either
an ``Article`` or a :class:`Skipped` telling why the record was rejected: a
bad record never stops the rest of the file.  Readers know nothing of the
search engine or of extraction.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsindex.documents import Article
from newsindex.errors import ConfigurationError

__all__ = [
    "STDIN",
    "ReadOptions",
    "Reader",
    "Record",
    "Skipped",
    "available_formats",
    "detect_format",
    "discover_files",
    "read_file",
    "register_reader",
    "sniff_format",
]


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read: ``record`` is its 1-based number in the file."""

    path: str
    reason: str
    record: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.record}" if self.record is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ReadOptions:
    """How to read input: a forced ``format`` and a field ``mapping`` (ours -> theirs).

    ``mapping`` names, for any of our fields (``id``, ``title``, ``body``,
    ``date``, ``url``, ``source``, ``authors``, ``people``, ``places``,
    ``organisations``, ``themes``), the source field to read it from: a JSON
    key (``"meta.headline"`` looks inside objects), a CSV column name, or a
    1-based column number for a CSV file without a header.  Raises
    ConfigurationError for an unknown field name.
    """

    format: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from newsindex.readers.records import check_mapping

        check_mapping(self.mapping)


Record = Article | Skipped
Reader = Callable[[Path, str, ReadOptions], Iterator[Record]]
"""A reader takes the file path, its id prefix (path relative to the build root)
and the options, and yields one Record per article found."""

STDIN = "-"
"""The path that means standard input."""

_READERS: dict[str, Reader] = {}
_EXTENSIONS: dict[str, str] = {}


def register_reader(name: str, extensions: Iterable[str] = ()) -> Callable[[Reader], Reader]:
    """Register ``reader`` as format ``name``, chosen for files with ``extensions``."""

    def decorate(reader: Reader) -> Reader:
        _READERS[name] = reader
        for ext in extensions:
            _EXTENSIONS[ext.lower()] = name
        return reader

    return decorate


def _load_builtin() -> None:
    from newsindex.readers import feeds, jsonl, tabular, text, webpage  # noqa: F401


def available_formats() -> tuple[str, ...]:
    """Names of the registered input formats."""
    _load_builtin()
    return tuple(sorted(_READERS))


def detect_format(path: Path) -> str | None:
    """The format for ``path`` by its extension (``.gz`` looks through), or None."""
    _load_builtin()
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _EXTENSIONS:
        return _EXTENSIONS[suffixes[-1]]
    return None


def sniff_format(head: bytes) -> str:
    """The format the first bytes of a file look like: feed, html, json, jsonl or text."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    lowered = start.lower()
    if lowered.startswith(b"<"):
        if b"<rss" in lowered or b"<feed" in lowered or b"<rdf:rdf" in lowered:
            return "feed"
        if b"<html" in lowered or lowered.startswith(b"<!doctype html"):
            return "html"
        return "text"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    return "text"


_GLOB_CHARS = frozenset("*?[")


def _glob_root(pattern: str) -> Path:
    """The folder a glob pattern is anchored at: its parts before the first wildcard."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, sorted; then any folder that could not be listed.

    An unlisted folder is yielded itself, so that reading it reports why.
    """
    seen: set[tuple[int, int]] = set()
    unlisted: list[Path] = []

    def note(error: OSError) -> None:
        if error.filename is not None:
            unlisted.append(Path(error.filename))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=note, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames.clear()
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirnames.clear()
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
    yield from unlisted


def discover_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` for every file under ``paths``, in sorted order.

    Folders are walked recursively (hidden entries skipped, symlink loops
    avoided); a path that does not exist but holds ``*``, ``?`` or ``[`` is a
    glob pattern (``**`` crosses folders); ``-`` is standard input.  ``root``
    is the folder the file was found under, used to derive stable relative
    ids.  A path that matches nothing is still yielded, so that reading it
    reports why.
    """
    for given in paths:
        text = str(given)
        if text == STDIN:
            yield given, Path(".")
        elif given.is_dir():
            for found in _walk(given):
                yield found, given
        elif not given.exists() and not given.is_symlink() and _GLOB_CHARS & set(text):
            root = _glob_root(text)
            matches = sorted(glob.glob(text, recursive=True))
            for match in matches:
                found = Path(match)
                if found.is_dir():
                    for inner in _walk(found):
                        yield inner, root
                else:
                    yield found, root
            if not matches:
                yield given, root
        else:
            yield given, given.parent


def _choose_format(path: Path, options: ReadOptions) -> str:
    if options.format:
        return options.format
    if str(path) == STDIN:
        return "jsonl"
    found = detect_format(path)
    if found is not None:
        return found
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return "text"
    return sniff_format(head)


def _unreadable(path: Path, relative: str) -> Skipped | None:
    """A Skipped for a path that is not a readable file, else None."""
    if str(path) == STDIN:
        return None
    if path.is_dir():
        try:
            os.listdir(path)
        except OSError as exc:
            return Skipped(relative, f"cannot read folder: {exc.strerror or exc}")
        return Skipped(relative, "is a folder, not a file")
    if not path.exists() and not path.is_symlink():
        if _GLOB_CHARS & set(str(path)):
            return Skipped(relative, "no file matches this pattern")
        return Skipped(relative, "no such file")
    return None


def read_file(path: Path, root: Path, options: ReadOptions | None = None) -> Iterator[Record]:
    """Read every record of one file with the reader its format calls for.

    The format is ``options.format`` if given, else chosen by extension, else
    by sniffing the first bytes; ``-`` reads JSON Lines from standard input.
    Bad content gives Skipped records, never an exception; an unknown format
    name raises ConfigurationError.
    """
    _load_builtin()
    options = options or ReadOptions()
    fmt = _choose_format(path, options)
    try:
        reader = _READERS[fmt]
    except KeyError:
        known = ", ".join(sorted(_READERS))
        raise ConfigurationError(f"unknown format {fmt!r}; known: {known}") from None
    if str(path) == STDIN:
        relative = "stdin"
    else:
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            relative = path.name
    problem = _unreadable(path, relative)
    if problem is not None:
        yield problem
        return
    yield from reader(path, relative, options)
