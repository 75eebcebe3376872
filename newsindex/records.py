"""Articles as the index stores them: the neutral document every engine indexes,
and the packed record kept with it (deflated JSON, read back as a :class:`StoredArticle`)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import zlib
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from newsindex.documents import Article, DateValue
from newsindex.extract import Entity, Extraction, Theme
from newsindex.results import StoredArticle

__all__ = [
    "IndexDocument",
    "date_from_text",
    "index_document",
    "names",
    "pack_data",
    "stored_article",
    "stored_data",
    "unpack_data",
]


@dataclass(frozen=True)
class IndexDocument:
    """What every engine indexes for one article, whatever its own field types.

    ``people`` … ``themes`` are the names as extracted (display case);
    ``implied_places`` are places implied but not named (a city's country),
    matched by ``places:`` clauses but never counted in facets.  ``data`` is
    the packed record (:func:`pack_data`) shown for hits and ``show``.
    """

    id: str
    title: str
    body: str
    people: tuple[str, ...]
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    themes: tuple[str, ...]
    implied_places: tuple[str, ...]
    source: str
    url: str
    day: dt.date | None
    dupkey: str
    data: bytes
    path: str = ""
    title_derived: bool = False
    """The title was made from the body's first sentence: shown, not indexed as a title."""
    simhash: int = 0
    """The 64-bit SimHash also inside ``data``: an engine may keep it apart, to fold
    near-duplicates without unpacking records."""

    def entity_values(self, field: str) -> tuple[str, ...]:
        """The names of entity ``field`` (``people``, ``places``, ``organisations``, ``themes``)."""
        values: tuple[str, ...] = getattr(self, field)
        return values


def index_document(
    article: Article, extraction: Extraction | None, *, dupkey: str = "", simhash: int = 0
) -> IndexDocument:
    """The :class:`IndexDocument` for ``article`` (already enriched with ``extraction``)."""
    inferred = tuple(e.name for e in (extraction.places if extraction else ()) if e.inferred)
    day = article.date.date() if isinstance(article.date, dt.datetime) else article.date
    return IndexDocument(
        id=article.id,
        title=article.title,
        title_derived=article.title_derived,
        body=article.body,
        people=article.people,
        places=article.places,
        organisations=article.organisations,
        themes=article.themes,
        implied_places=inferred,
        source=article.source.replace(",", " ").strip().lower(),
        url=article.url,
        day=day,
        dupkey=dupkey,
        data=pack_data({**stored_data(article, extraction), "simhash": simhash}),
        simhash=simhash,
    )


def _date_to_text(value: DateValue | None) -> str | None:
    return value.isoformat() if value is not None else None


def date_from_text(value: str | None) -> DateValue | None:
    """Read back a date stored as ISO text (a date or an aware datetime)."""
    if not value:
        return None
    if len(value) == 10:
        return dt.date.fromisoformat(value)
    return dt.datetime.fromisoformat(value)


_FIELDS = {cls: tuple(f.name for f in dataclass_fields(cls)) for cls in (Entity, Theme)}


def _compact(record: Entity | Theme, empty: tuple[Any, ...]) -> dict[str, Any]:
    """The record's non-empty fields (dataclasses.asdict was a tenth of build time)."""
    found = {name: getattr(record, name) for name in _FIELDS[type(record)]}
    return {k: v for k, v in found.items() if v not in empty}


def _entity_map(found: tuple[Entity, ...], names: tuple[str, ...]) -> list[dict[str, Any]]:
    by_name = {e.name.casefold(): e for e in found}
    result = []
    for name in names:
        entity = by_name.get(name.casefold(), Entity(name=name))
        result.append(_compact(entity, ("", (), None, False)))
    result.extend(_compact(e, ("", (), None, False)) for e in found if e.inferred)
    return result


def _theme_map(found: tuple[Theme, ...], names: tuple[str, ...]) -> list[dict[str, Any]]:
    by_name = {t.name.casefold(): t for t in found}
    result = []
    for name in names:
        theme = by_name.get(name.casefold(), Theme(name=name))
        result.append(_compact(theme, ("", (), None, 0.0)))
    return result


def stored_data(article: Article, extraction: Extraction | None) -> dict[str, Any]:
    """Everything shown for an article, kept with it in the index."""
    ex = extraction or Extraction()
    return {
        "title": article.title,
        "body": article.body,
        "date": _date_to_text(article.date),
        "people": _entity_map(ex.people, article.people),
        "places": _entity_map(ex.places, article.places),
        "organisations": _entity_map(ex.organisations, article.organisations),
        "themes": _theme_map(ex.themes, article.themes),
        "source": article.source,
        "url": article.url,
        "path": article.path,
        "authors": list(article.authors),
        "dates_mentioned": [d.isoformat() for d in ex.dates_mentioned],
        "warnings": list(article.extra.get("warnings", ())),
        "extractor": ex.extractor,
    }


STORED_FORMAT = 1
"""First byte of a packed record: deflate against the ``v1`` dictionary."""
_ZDICT_FILE = Path(__file__).resolve().parent / "data" / "stored" / "v1.zdict"


@functools.cache
def _zdict() -> bytes:
    return _ZDICT_FILE.read_bytes()


def pack_data(data: dict[str, Any]) -> bytes:
    """What the index stores for an article: compact JSON, deflated against a preset dictionary.

    Records of a few kilobytes compress about a quarter smaller against the
    dictionary (JSON keys, theme names, places, news words) than on their own.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _zdict())
    raw = text.encode("utf-8", "surrogatepass")
    return bytes([STORED_FORMAT]) + packer.compress(raw) + packer.flush()


def unpack_data(raw: bytes) -> dict[str, Any]:
    """Read back what :func:`pack_data` stored."""
    if raw[:1] == bytes([STORED_FORMAT]):
        unpacker = zlib.decompressobj(-15, _zdict())
        raw = unpacker.decompress(raw[1:]) + unpacker.flush()
    data: dict[str, Any] = json.loads(raw.decode("utf-8", "surrogatepass"))
    return data


def _entity(data: dict[str, Any]) -> Entity:
    values = dict(data)
    values["mentions"] = tuple(values.get("mentions", ()))
    if values.get("coordinates") is not None:
        values["coordinates"] = tuple(values["coordinates"])
    return Entity(**values)


def _theme(data: dict[str, Any]) -> Theme:
    values = dict(data)
    values["evidence"] = tuple(values.get("evidence", ()))
    return Theme(**values)


def names(data: dict[str, Any], field: str) -> tuple[str, ...]:
    """Display names of entity ``field`` as mentioned (implied places left out)."""
    return tuple(item["name"] for item in data.get(field, ()) if not item.get("inferred"))


def stored_article(doc_id: str, data: dict[str, Any]) -> StoredArticle:
    """Rebuild a :class:`StoredArticle` from what the index stored."""
    return StoredArticle(
        id=doc_id,
        title=data.get("title", ""),
        body=data.get("body", ""),
        date=date_from_text(data.get("date")),
        people=tuple(_entity(e) for e in data.get("people", ())),
        places=tuple(_entity(e) for e in data.get("places", ())),
        organisations=tuple(_entity(e) for e in data.get("organisations", ())),
        themes=tuple(_theme(t) for t in data.get("themes", ())),
        source=data.get("source", ""),
        url=data.get("url", ""),
        path=data.get("path", ""),
        authors=tuple(data.get("authors", ())),
        dates_mentioned=tuple(data.get("dates_mentioned", ())),
        warnings=tuple(data.get("warnings", ())),
        extractor=data.get("extractor", ""),
    )
