"""The mappings newsindex creates and owns, and the document an article becomes.

Text is analysed as on the local engines: our word pattern, lower case,
accents folded, our stop words, English stems (``porter_stem``, as Whoosh).
Names (people, places, organisations, themes) are keyword fields holding the
lower-cased value counted by facets, with a ``words`` sub-field of the name's
words for ``people:modi`` clauses, each name 100 positions after the last so a
phrase never runs from one name into the next.
"""

from __future__ import annotations

import base64
from typing import Any

from newsindex.filetable import exact_value
from newsindex.query.words import STOP_WORDS, WORD
from newsindex.records import IndexDocument, unpack_data

__all__ = [
    "ENTITY_FIELDS",
    "NAME_GAP",
    "SCHEMA_VERSION",
    "document_source",
    "index_body",
    "newsindex_meta",
]

SCHEMA_VERSION = 1
"""Bumped whenever the mappings change; an index with another version must be rebuilt."""
ENTITY_FIELDS = ("people", "places", "organisations", "themes")
NAME_GAP = 100
TEXT_ANALYZER, NAME_ANALYZER, PLAIN_ANALYZER = "news_text", "news_name", "news_plain"


def analysis() -> dict[str, Any]:
    """The analyzers: text (stemmed, stop words out), names, and plain words for spelling."""
    words = {"type": "pattern", "pattern": WORD.pattern, "group": 0, "lowercase": False}
    return {
        "tokenizer": {"news_words": words},
        "filter": {
            "news_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            "news_fold": {"type": "asciifolding", "preserve_original": False},
        },
        "analyzer": {
            TEXT_ANALYZER: {
                "type": "custom",
                "tokenizer": "news_words",
                "filter": ["lowercase", "news_fold", "news_stop", "porter_stem"],
            },
            NAME_ANALYZER: {
                "type": "custom",
                "tokenizer": "news_words",
                "filter": ["lowercase", "news_fold"],
            },
            PLAIN_ANALYZER: {
                "type": "custom",
                "tokenizer": "news_words",
                "filter": ["lowercase", "news_fold"],
            },
        },
    }


def _names(gap: int) -> dict[str, Any]:
    return {"type": "text", "analyzer": NAME_ANALYZER, "position_increment_gap": gap}


def mappings(meta: dict[str, Any]) -> dict[str, Any]:
    """The mappings of a newsindex index; ``meta`` is kept as its manifest (``_meta``)."""
    keyword = {"type": "keyword"}
    properties: dict[str, Any] = {
        "id": keyword,
        "title": {"type": "text", "analyzer": TEXT_ANALYZER},
        "body": {
            "type": "text",
            "analyzer": TEXT_ANALYZER,
            "fields": {"words": {"type": "text", "analyzer": PLAIN_ANALYZER}},
        },
        "entities": {"type": "text", "analyzer": NAME_ANALYZER, "index_options": "freqs"},
        "implied_places": _names(NAME_GAP),
        "source": keyword,
        "url": keyword,
        "path": keyword,
        "dupkey": keyword,
        "date": {"type": "date", "format": "yyyy-MM-dd"},
        "location": {"type": "geo_point"},
        "data": {"type": "binary", "store": True},
    }
    for name in ENTITY_FIELDS:
        properties[name] = {"type": "keyword", "fields": {"words": _names(NAME_GAP)}}
    return {
        "dynamic": "strict",
        "_meta": meta,
        "_source": {"excludes": ["data"]},
        "properties": properties,
    }


def index_body(meta: dict[str, Any], *, shards: int, replicas: int) -> dict[str, Any]:
    """The body of the create-index request.

    No periodic refresh: newsindex refreshes at each commit, so searches see a commit
    whole (per shard) and a bulk load is never slowed by refreshes.
    """
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "refresh_interval": "-1",
            },
            "analysis": analysis(),
        },
        "mappings": mappings(meta),
    }


def newsindex_meta(mapping: dict[str, Any]) -> dict[str, Any] | None:
    """The manifest in an index's mappings, or None if newsindex did not create it."""
    meta = mapping.get("_meta")
    if isinstance(meta, dict) and meta.get("format") == "newsindex":
        return meta
    return None


def _coordinates(document: IndexDocument) -> list[dict[str, float]]:
    places = unpack_data(document.data).get("places", ())
    found = []
    for place in places:
        point = place.get("coordinates")
        if point and not place.get("inferred"):
            found.append({"lat": float(point[0]), "lon": float(point[1])})
    return found


def document_source(document: IndexDocument, path: str) -> dict[str, Any]:
    """The JSON document indexed for ``document`` (read from input file ``path``)."""
    source: dict[str, Any] = {
        "id": document.id,
        "title": "" if document.title_derived else document.title,  # shown, not ranked twice
        "body": document.body,
        "entities": [
            *document.people,
            *document.places,
            *document.organisations,
            *document.themes,
        ],
        "implied_places": list(document.implied_places),
        "source": document.source or None,
        "url": document.url or None,
        "path": path or None,
        "dupkey": document.dupkey or None,
        "date": document.day.isoformat() if document.day else None,
        "data": base64.b64encode(document.data).decode("ascii"),
    }
    for name in ENTITY_FIELDS:
        source[name] = sorted({exact_value(v) for v in document.entity_values(name) if v.strip()})
    location = _coordinates(document)
    if location:
        source["location"] = location
    return source
