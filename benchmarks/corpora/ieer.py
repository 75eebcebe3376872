"""NIST 1999 IE-ER newswire (NYT and AP, March-April 1998) with its gold entities.

Each document's headline and text are returned with tags stripped and SGML
references decoded; every ``<b_enamex>`` becomes a :class:`GoldEntity` with
character offsets into the stripped headline or text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import corpus_path

__all__ = ["GoldEntity", "IeerDoc", "ieer_path", "load"]

_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_TAG = re.compile(r"<[^>]+>")
_TYPE = re.compile(r'type="([^"]*)"')
_FILES = (
    "APW_19980314",
    "APW_19980424",
    "APW_19980429",
    "NYT_19980315",
    "NYT_19980403",
    "NYT_19980407",
)


@dataclass(frozen=True)
class GoldEntity:
    """A gold named-entity span: ``type`` is PERSON, LOCATION or ORGANIZATION."""

    type: str
    start: int
    end: int
    text: str
    in_headline: bool = False
    optional: bool = False


@dataclass(frozen=True)
class IeerDoc:
    """One IE-ER document: headline and text stripped of tags, with gold entities."""

    docno: str
    datetime: dt.datetime | None
    headline: str
    text: str
    entities: tuple[GoldEntity, ...]


def ieer_path() -> Path:
    """The IE-ER folder under the shared corpora."""
    return corpus_path("nist-ieer")


def _strip(raw: str, in_headline: bool) -> tuple[str, list[GoldEntity]]:
    out: list[str] = []
    length = 0
    open_spans: list[tuple[str, int, bool]] = []
    entities: list[GoldEntity] = []
    pos = 0
    for tag in _TAG.finditer(raw):
        piece = html.unescape(raw[pos : tag.start()])
        out.append(piece)
        length += len(piece)
        pos = tag.end()
        name = tag.group(0)
        if name.startswith("<b_enamex"):
            kind = _TYPE.search(name)
            open_spans.append((kind.group(1) if kind else "", length, 'status="opt"' in name))
        elif name.startswith("<e_enamex") and open_spans:
            kind_name, start, optional = open_spans.pop()
            text = "".join(out)[start:length]
            entities.append(GoldEntity(kind_name, start, length, text, in_headline, optional))
    out.append(html.unescape(raw[pos:]))
    text = "".join(out)
    # Offsets must survive stripping the surrounding whitespace.
    lead = len(text) - len(text.lstrip())
    shifted = [
        GoldEntity(e.type, e.start - lead, e.end - lead, e.text, e.in_headline, e.optional)
        for e in entities
    ]
    return text.strip(), shifted


def _element(block: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return match.group(1) if match else ""


def _datetime(raw: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(raw.strip(), "%m/%d/%Y %H:%M:%S")
    except ValueError:
        return None


def load(folder: Path | None = None) -> Iterator[IeerDoc]:
    """All 94 documents, file by file."""
    root = folder or ieer_path()
    for name in _FILES:
        raw = (root / name).read_text(encoding="utf-8", errors="replace")
        for match in _DOC.finditer(raw):
            block = match.group(1)
            headline, head_entities = _strip(_element(block, "HEADLINE"), True)
            text, text_entities = _strip(_element(block, "TEXT"), False)
            yield IeerDoc(
                docno=_element(block, "DOCNO").strip(),
                datetime=_datetime(_element(block, "DATE_TIME")),
                headline=headline,
                text=text,
                entities=tuple(head_entities + text_entities),
            )
