"""JSON Lines (one object per line, streamed) and JSON documents (arrays, API responses).

JSON Lines is read a line at a time, so a file of millions of records needs
no more memory than its longest line; ``.gz`` files are unpacked on the fly
and ``-`` reads standard input.  A ``.json`` document is loaded whole: an
array of objects, one object, or an API response whose records sit under a
key such as ``articles`` (NewsAPI) or ``items``.  A ``.json`` file that turns
out to be JSON Lines is read as such.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsindex.readers import ReadOptions, Record, Skipped, register_reader
from newsindex.readers.encoding import LineDecoder, looks_binary
from newsindex.readers.records import RecordError, article_from_record
from newsindex.readers.source import (
    READ_ERRORS,
    TooLarge,
    describe_os_error,
    iter_lines,
    load_text,
    open_binary,
)

__all__ = ["RECORD_LIST_KEYS", "read_json", "read_jsonl"]

RECORD_LIST_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "documents",
    "docs",
    "records",
    "entries",
)
"""Keys of a JSON object under which a list of records is looked for."""


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return f"a {type(value).__name__}" if not isinstance(value, str) else "a string"


def _record(
    value: Any, relative: str, number: int, options: ReadOptions, warnings: list[str]
) -> Record:
    """One decoded JSON value to an Article, or a Skipped naming the record."""
    if not isinstance(value, Mapping):
        return Skipped(relative, f"record is {_describe(value)}, not a JSON object", number)
    try:
        article = article_from_record(value, f"{relative}#{number}", relative, options.mapping)
    except RecordError as exc:
        return Skipped(relative, str(exc), number)
    except RecursionError:
        return Skipped(relative, "record is nested too deeply", number)
    if warnings:
        article.extra["warnings"] = list(warnings)
    return article


def _parse_line(line: bytes, decoder: LineDecoder) -> tuple[Any, list[str], str]:
    """Decode and parse one line: (value, warnings, error reason or "")."""
    decoded = decoder.decode(line)
    warnings = [decoded.warning] if decoded.warning else []
    try:
        return json.loads(decoded.text), warnings, ""
    except json.JSONDecodeError as exc:
        if exc.pos >= len(decoded.text.rstrip()):
            return None, warnings, "truncated JSON: the line ends inside a record"
        return None, warnings, f"not valid JSON at column {exc.colno}: {exc.msg}"
    except RecursionError:
        return None, warnings, "JSON nested too deeply"


def _read_lines(
    lines: Iterable[tuple[int, bytes | TooLarge]], relative: str, options: ReadOptions
) -> Iterator[Record]:
    decoder = LineDecoder()
    for number, line in lines:
        if isinstance(line, TooLarge):
            yield Skipped(relative, f"line of {line.size:,} bytes is too long", number)
            continue
        if not line.strip():
            continue
        if number == 1 and looks_binary(line):
            yield Skipped(relative, "binary file, not JSON Lines")
            return
        value, warnings, error = _parse_line(line, decoder)
        if error:
            yield Skipped(relative, error, number)
        else:
            yield _record(value, relative, number, options, warnings)


@register_reader("jsonl", extensions=(".jsonl", ".ndjson", ".jsonlines"))
def read_jsonl(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read a JSON Lines file (or ``-``), one article per line; blank lines are ignored.

    The record number is the line number; without an ``id`` field an article's
    id is ``<relative path>#<line number>``.
    """
    try:
        with open_binary(path) as stream:
            yield from _read_lines(iter_lines(stream), relative, options)
    except READ_ERRORS as exc:
        yield Skipped(relative, describe_os_error(exc))


def _records_of(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        for key in RECORD_LIST_KEYS:
            if isinstance(document.get(key), list):
                return list(document[key])
    return [document]


@register_reader("json", extensions=(".json",))
def read_json(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read a JSON document: an array of records, one record, or ``{"articles": [...]}``.

    Record numbers count the array's elements from 1.
    """
    decoded = load_text(path, "JSON")
    if isinstance(decoded, str):
        if decoded.startswith("file larger"):
            decoded += "; convert it to JSON Lines"
        yield Skipped(relative, decoded)
        return
    warnings = [decoded.warning] if decoded.warning else []
    try:
        document = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several values: JSON Lines under a .json name
            raw = decoded.text.encode("utf-8", "surrogatepass")
            lines = enumerate(raw.splitlines(keepends=True), start=1)
            yield from _read_lines(lines, relative, options)
        else:
            yield Skipped(relative, f"not valid JSON at line {exc.lineno}: {exc.msg}")
        return
    except RecursionError:
        yield Skipped(relative, "JSON nested too deeply")
        return
    for number, value in enumerate(_records_of(document), start=1):
        yield _record(value, relative, number, options, warnings)
