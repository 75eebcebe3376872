"""Opening input: files, gzip files and standard input, read as bytes in bounded pieces."""

from __future__ import annotations

import gzip
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from newsindex.readers.encoding import Decoded, decode_bytes, looks_binary

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_RECORD_BYTES",
    "STDIN",
    "TooLarge",
    "READ_ERRORS",
    "describe_os_error",
    "is_stdin",
    "iter_lines",
    "load_text",
    "open_binary",
    "read_capped",
]

STDIN = "-"
"""The path that means standard input."""

MAX_RECORD_BYTES = 16 * 1024 * 1024
"""Longest single record (a JSON line, a CSV row) read; longer ones are skipped."""

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest whole-file document (a feed, an HTML page, a JSON array) read at once."""

READ_ERRORS = (OSError, EOFError, zlib.error)
"""Exceptions that opening or reading an input can raise, to be reported as skips."""


class TooLarge:
    """Stands in for a line longer than the cap; ``size`` is at least its length."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size


def is_stdin(path: Path) -> bool:
    """True when ``path`` is ``-``, standard input."""
    return str(path) == STDIN


@contextmanager
def open_binary(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading bytes; ``-`` is standard input and ``.gz`` is unpacked."""
    if is_stdin(path):
        yield sys.stdin.buffer
        return
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as packed:
            yield packed  # type: ignore[misc]  # GzipFile is a BinaryIO in all but name
        return
    with path.open("rb") as handle:
        yield handle


def read_capped(path: Path, limit: int | None = None) -> bytes | TooLarge:
    """All bytes of ``path`` (unpacked), or TooLarge when there are more than ``limit``.

    Raises OSError (and EOFError for a truncated gzip) for the caller to report.
    """
    cap = MAX_FILE_BYTES if limit is None else limit
    with open_binary(path) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        return TooLarge(len(data))
    return data


def iter_lines(
    stream: BinaryIO, limit: int | None = None
) -> Iterator[tuple[int, bytes | TooLarge]]:
    """Yield ``(line number, line)`` from ``stream``, never holding more than ``limit`` bytes.

    A line longer than ``limit`` is consumed in pieces and yielded as TooLarge,
    so one gigantic line costs neither memory nor the rest of the file.
    """
    cap = MAX_RECORD_BYTES if limit is None else limit
    number = 0
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            size = len(line)
            while True:
                rest = stream.readline(1 << 20)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, TooLarge(size)
        else:
            yield number, line


def load_text(path: Path, kind: str, limit: int | None = None) -> Decoded | str:
    """The decoded text of a whole-file document, or the reason it cannot be read.

    ``kind`` names the format for the message about a binary file ("text",
    "JSON", "a feed").
    """
    try:
        data = read_capped(path, limit)
    except READ_ERRORS as exc:
        return describe_os_error(exc)
    if isinstance(data, TooLarge):
        return f"file larger than {MAX_FILE_BYTES if limit is None else limit:,} bytes"
    if not data.strip():
        return "empty file"
    if looks_binary(data):
        return f"binary file, not {kind}"
    return decode_bytes(data)


def describe_os_error(exc: BaseException) -> str:
    """A short reason for an error met while reading a file."""
    if isinstance(exc, EOFError):
        return "compressed file is truncated"
    if isinstance(exc, zlib.error | gzip.BadGzipFile):
        return f"not a valid gzip file: {exc}"
    if isinstance(exc, OSError):
        return f"cannot read file: {exc.strerror or exc}"
    return f"cannot read file: {exc}"
