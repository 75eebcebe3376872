"""CSV and TSV files: one article per row, with a header row or columns named by position.

A first row is a header when one of its cells is a recognised field name
(``title``, ``headline``, ``text`` ...) or a name the mapping uses.  Otherwise
the file is headerless.  Columns can always be named by 1-based position: the
mapping may say ``{"title": "2", "body": "3"}``; in a headerless file without
such a mapping, the last column is the body and the one before it the title,
which reads AG News (``class,title,description``) and ``title,body`` files as
they are.

Rows are streamed.  Scraped datasets' mangled escapes (``\\`` for a line
break, ``#39;`` for an apostrophe) are repaired.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsindex.readers import ReadOptions, Record, Skipped, register_reader
from newsindex.readers.encoding import LineDecoder, decode_bytes, looks_binary
from newsindex.readers.markup import repair_escapes
from newsindex.readers.records import FIELD_ALIASES, RecordError, article_from_record, is_position
from newsindex.readers.source import (
    MAX_RECORD_BYTES,
    READ_ERRORS,
    TooLarge,
    describe_os_error,
    iter_lines,
    open_binary,
)

__all__ = ["is_header", "read_delimited"]

_DELIMITERS = ",;\t|"
_SNIFF_LINES = 20
_KNOWN_NAMES = frozenset(alias for aliases in FIELD_ALIASES.values() for alias in aliases)


class _Lines:
    """Decoded lines for the csv module, remembering warnings and oversize lines."""

    def __init__(self, lines: Iterator[tuple[int, bytes | TooLarge]]) -> None:
        self._lines = lines
        self._head: list[tuple[int, bytes | TooLarge]] = []
        self._decoder = LineDecoder()
        self.warnings: list[str] = []
        self.too_long = 0
        self.line = 0

    def head(self, count: int) -> bytes:
        """The first ``count`` lines as bytes, kept to be read again."""
        for item in self._lines:
            self._head.append(item)
            if len(self._head) >= count:
                break
        return b"".join(raw for _, raw in self._head if isinstance(raw, bytes))

    def __iter__(self) -> Iterator[str]:
        for number, raw in itertools.chain(self._head, self._lines):
            self.line = number
            if isinstance(raw, TooLarge):
                self.too_long = raw.size
                yield "\n"
                continue
            decoded = self._decoder.decode(raw)
            if decoded.warning:
                self.warnings.append(f"line {number}: {decoded.warning}")
            yield decoded.text


def is_header(row: Sequence[str], mapping_names: frozenset[str]) -> bool:
    """True when ``row`` names columns: a known field name or a mapped name appears in it."""
    folded = {cell.strip().casefold() for cell in row}
    return bool(folded & _KNOWN_NAMES) or bool(folded & mapping_names)


def _delimiter(path: Path, sample: str, forced: str | None) -> str:
    if forced:
        return forced
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".tsv", ".tab")):
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return "\t" if sample.count("\t") > sample.count(",") else ","


def _positional(mapping: dict[str, str], width: int) -> dict[str, str]:
    """The mapping for a headerless file: the user's positions, else title/body by default."""
    if any(is_position(value) for value in mapping.values()):
        return dict(mapping)
    if width >= 2:
        return {"title": str(width - 1), "body": str(width), **mapping}
    return {"body": "1", **mapping}


def _rows(
    path: Path, relative: str, options: ReadOptions, delimiter: str | None
) -> Iterator[Record]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    with open_binary(path) as stream:
        lines = _Lines(iter_lines(stream))
        head = lines.head(_SNIFF_LINES)
        if not head.strip():
            yield Skipped(relative, "empty file")
            return
        if looks_binary(head):
            yield Skipped(relative, "binary file, not CSV")
            return
        sep = _delimiter(path, decode_bytes(head).text, delimiter)
        reader = csv.reader(iter(lines), delimiter=sep)
        yield from _records(reader, lines, relative, options)


def _records(
    reader: Iterator[list[str]], lines: _Lines, relative: str, options: ReadOptions
) -> Iterator[Record]:
    mapping = dict(options.mapping)
    names: list[str] | None = None
    expected = 0
    number = 0
    while True:
        lines.warnings.clear()
        lines.too_long = 0
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield Skipped(relative, f"bad CSV near line {lines.line}: {exc}", number)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if names is None:
            wanted = frozenset(v.casefold() for v in mapping.values() if not is_position(v))
            expected = len(row)
            if is_header(row, wanted):
                names = [cell.strip() for cell in row]
                continue
            names = []
            mapping = _positional(mapping, expected)
        number += 1
        if lines.too_long:
            yield Skipped(relative, f"row of {lines.too_long:,} bytes is too long", number)
            continue
        if len(row) != expected:
            yield Skipped(relative, f"row has {len(row)} fields, expected {expected}", number)
            continue
        cells = [repair_escapes(cell) for cell in row]
        # Columns answer to their 1-based position as well as to their header name.
        record = {str(position): cell for position, cell in enumerate(cells, start=1)}
        record.update(zip(names, cells, strict=False))  # names is empty without a header
        try:
            article = article_from_record(record, f"{relative}#{number}", relative, mapping)
        except RecordError as exc:
            yield Skipped(relative, str(exc), number)
            continue
        if lines.warnings:
            article.extra["warnings"] = list(lines.warnings)
        yield article


def _read(
    path: Path, relative: str, options: ReadOptions, delimiter: str | None
) -> Iterator[Record]:
    try:
        yield from _rows(path, relative, options, delimiter)
    except READ_ERRORS as exc:
        yield Skipped(relative, describe_os_error(exc))


@register_reader("csv", extensions=(".csv",))
def read_delimited(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read a CSV file (delimiter sniffed among ``, ; tab |``), one article per row.

    The record number counts data rows from 1 (a header row is not counted);
    without an ``id`` column an article's id is ``<relative path>#<row>``.
    """
    yield from _read(path, relative, options, None)


@register_reader("tsv", extensions=(".tsv", ".tab"))
def read_tsv(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read a tab-separated file, one article per row (see :func:`read_delimited`)."""
    yield from _read(path, relative, options, "\t")
