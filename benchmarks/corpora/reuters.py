"""Reuters-21578 (Distribution 1.0) read into small frozen records.

``load()`` yields every ``<REUTERS>`` document of the 22 SGML files in
NEWID order; ``modapte_test()`` and ``modapte_train()`` give the ModApte
split (``LEWISSPLIT`` TEST/TRAIN with ``TOPICS="YES"``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import corpus_path
from newsindex.readers.encoding import decode_bytes

__all__ = ["ReutersDoc", "load", "modapte_test", "modapte_train", "reuters_path"]

_DOC = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_D = re.compile(r"<D>(.*?)</D>", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMERIC_REF = re.compile(r"&#(\d+);")


@dataclass(frozen=True)
class ReutersDoc:
    """One Reuters-21578 story with its category labels."""

    newid: int
    date: dt.datetime | None
    title: str
    dateline: str
    body: str
    topics: tuple[str, ...]
    places: tuple[str, ...]
    people: tuple[str, ...]
    orgs: tuple[str, ...]
    lewissplit: str
    topics_attr: str


def reuters_path() -> Path:
    """The Reuters-21578 folder under the shared corpora."""
    return corpus_path("reuters21578")


def _clean(raw: str) -> str:
    text = _NUMERIC_REF.sub(lambda m: chr(int(m.group(1))), raw)
    text = html.unescape(text)
    return _CONTROL.sub("", text).strip()


def _element(block: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return match.group(1) if match else ""


def _labels(block: str, tag: str) -> tuple[str, ...]:
    return tuple(d.strip() for d in _D.findall(_element(block, tag)))


def _date(raw: str) -> dt.datetime | None:
    text = raw.strip()
    for fmt in ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _parse_file(path: Path) -> Iterator[ReutersDoc]:
    text = decode_bytes(path.read_bytes()).text
    for match in _DOC.finditer(text):
        attrs = dict(_ATTR.findall(match.group(1)))
        block = match.group(2)
        yield ReutersDoc(
            newid=int(attrs.get("NEWID", "0")),
            date=_date(_element(block, "DATE")),
            title=_clean(_element(block, "TITLE")),
            dateline=_clean(_element(block, "DATELINE")),
            body=_clean(_element(block, "BODY")),
            topics=_labels(block, "TOPICS"),
            places=_labels(block, "PLACES"),
            people=_labels(block, "PEOPLE"),
            orgs=_labels(block, "ORGS"),
            lewissplit=attrs.get("LEWISSPLIT", ""),
            topics_attr=attrs.get("TOPICS", ""),
        )


def load(folder: Path | None = None) -> Iterator[ReutersDoc]:
    """Every document of the corpus, file by file."""
    root = folder or reuters_path()
    for path in sorted(root.glob("reut2-*.sgm")):
        yield from _parse_file(path)


def modapte_test(folder: Path | None = None) -> list[ReutersDoc]:
    """The ModApte test split: ``LEWISSPLIT="TEST"`` and ``TOPICS="YES"`` (3,299 docs)."""
    return [d for d in load(folder) if d.lewissplit == "TEST" and d.topics_attr == "YES"]


def modapte_train(folder: Path | None = None) -> list[ReutersDoc]:
    """The ModApte training split: ``LEWISSPLIT="TRAIN"`` and ``TOPICS="YES"`` (9,603 docs)."""
    return [d for d in load(folder) if d.lewissplit == "TRAIN" and d.topics_attr == "YES"]
