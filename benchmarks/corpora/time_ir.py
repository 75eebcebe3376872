"""The TIME test collection (Time magazine, 1963): 423 articles, 83 queries, judgments.

``load()`` yields the articles of ``TIME.ALL``; ``queries()`` maps query
number to text (``TIME.QUE``); ``judgments()`` maps query number to the set
of relevant article ids (``TIME.REL.ALL``, 324 relevant pairs).

The judgments do not name articles by their ``*TEXT`` number but by their
position in the original 425-article file, and ``TIME.ALL`` holds 423: two
articles between positions 371 and 377 are missing.  Matching query words
against the judged articles shows where: positions up to 370 are the
370 first articles here, positions from 378 on are shifted by two, and no
judgment names a position in between.  ``judgments()`` applies that mapping
and returns ``*TEXT`` ids.

Headers are ``*TEXT <id> <MM/DD/YY> PAGE <n>``; one is irregular
(``*TEXT 431 08/30 63 PAGE 026``), so the date is read from the digits
between the id and ``PAGE`` whatever the spacing.  The text is upper case
with detached punctuation (``U.S .``); it is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import corpus_path

__all__ = ["TimeDoc", "judgments", "load", "queries", "time_path"]

_HEADER = re.compile(r"^\*TEXT\s+(\d+)\s+(.*?)\s*PAGE\s+(\d+)\s*$")
_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*[/\s]\s*(\d{2})")
_FIND = re.compile(r"^\*FIND\s+(\d+)\s*$")
_LAST_BEFORE_GAP = 370
_MISSING = 2


@dataclass(frozen=True)
class TimeDoc:
    """One TIME article: ``id`` is the number from its header without leading zeros."""

    id: str
    date: dt.date | None
    page: int
    text: str


def time_path() -> Path:
    """The TIME collection folder under the shared corpora."""
    return corpus_path("time-ir")


def _date(raw: str) -> dt.date | None:
    match = _DATE.search(raw)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return dt.date(1900 + year, month, day)
    except ValueError:
        return None


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="ascii", errors="replace").splitlines()


def _flush(header: re.Match[str] | None, body: list[str]) -> TimeDoc | None:
    if header is None:
        return None
    text = " ".join(" ".join(line.split()) for line in body if line.strip())
    return TimeDoc(str(int(header.group(1))), _date(header.group(2)), int(header.group(3)), text)


def load(folder: Path | None = None) -> Iterator[TimeDoc]:
    """Every article of ``TIME.ALL`` in file order."""
    header: re.Match[str] | None = None
    body: list[str] = []
    for line in _lines((folder or time_path()) / "TIME.ALL"):
        if line.startswith("*STOP"):
            break
        match = _HEADER.match(line)
        if match:
            doc = _flush(header, body)
            if doc is not None:
                yield doc
            header, body = match, []
        elif header is not None:
            body.append(line)
    doc = _flush(header, body)
    if doc is not None:
        yield doc


def queries(folder: Path | None = None) -> dict[str, str]:
    """Query number (as text, no leading zeros) to query text."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _lines((folder or time_path()) / "TIME.QUE"):
        if line.startswith("*STOP"):
            break
        match = _FIND.match(line)
        if match:
            current = found.setdefault(str(int(match.group(1))), [])
        elif current is not None and line.strip():
            current.append(" ".join(line.split()))
    return {number: " ".join(parts) for number, parts in found.items()}


def _article_at(position: int, ids: list[str]) -> str:
    """The id of the article at 1-based ``position`` of the original file."""
    if position > _LAST_BEFORE_GAP + _MISSING:
        position -= _MISSING
    elif position > _LAST_BEFORE_GAP:
        raise ValueError(f"position {position} is one of the articles missing from TIME.ALL")
    return ids[position - 1]


def judgments(folder: Path | None = None) -> dict[str, frozenset[str]]:
    """Query number to the ``*TEXT`` ids of the articles judged relevant (``TIME.REL.ALL``)."""
    root = folder or time_path()
    ids = [doc.id for doc in load(root)]
    relevant: dict[str, frozenset[str]] = {}
    for line in _lines(root / "TIME.REL.ALL"):
        parts = line.split()
        if len(parts) >= 2:
            key = str(int(parts[0]))
            found = {_article_at(int(p), ids) for p in parts[1:]}
            relevant[key] = relevant.get(key, frozenset()) | found
    return relevant
