"""Records with named fields (JSON objects, CSV rows) to articles.

Common field names are recognised out of the box (``headline``,
``publishedAt``, ``link``, ``source: {"name": ...}`` ...); a user mapping
(ours -> theirs) names the field to use instead.  A record that cannot be an
article raises :class:`RecordError` with a reason naming the field and value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newsindex.documents import Article, DateValue
from newsindex.errors import ConfigurationError
from newsindex.readers.dates import parse_date
from newsindex.readers.markup import html_to_text, looks_like_html, tidy_text
from newsindex.readers.text import derive_title

__all__ = [
    "FIELD_ALIASES",
    "FIELDS",
    "RecordError",
    "article_from_record",
    "check_mapping",
    "is_position",
]

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "uuid", "_id", "doc_id", "docid", "article_id", "newid"),
    "title": ("title", "headline", "heading", "header"),
    "body": (
        "body", "text", "content", "full_text", "fulltext", "article", "maintext",
        "article_text", "story", "description", "summary", "abstract", "lead",
    ),
    "date": (
        "date", "published", "publishedat", "published_at", "datepublished", "pubdate",
        "date_publish", "publish_date", "publication_date", "published_date", "date_published",
        "datetime", "timestamp", "time", "created_at", "datecreated", "date_created", "updated",
    ),
    "url": ("url", "link", "href", "canonical_url", "uri", "permalink"),
    "source": ("source", "source_name", "publisher", "site", "sitename", "site_name", "outlet"),
    "authors": ("authors", "author", "byline", "creator", "creators", "writer"),
    "people": ("people", "persons", "person"),
    "places": ("places", "locations", "location", "countries"),
    "organisations": ("organisations", "organizations", "orgs", "organisation", "organization"),
    "themes": ("themes", "topics", "tags", "categories", "category", "keywords", "section"),
}  # fmt: skip
"""Our field -> the names recognised for it, in order of preference (case-insensitive)."""

FIELDS = tuple(FIELD_ALIASES)
_ALIAS_RANK = {
    alias: (ours, rank)
    for ours, aliases in FIELD_ALIASES.items()
    for rank, alias in enumerate(aliases)
}
_LIST_SPLIT = re.compile(r"\s*[,;|]\s*")
_AUTHOR_SPLIT = re.compile(r"\s*[,;|&]\s*|\s+and\s+")
_MAX_LIST_ITEMS = 1000


class RecordError(ValueError):
    """A record that cannot be read as an article; the message says why."""


def is_position(value: str) -> bool:
    """True when a mapping value names a 1-based column position (``"2"``)."""
    return value.isdigit() and int(value) >= 1


def check_mapping(mapping: Mapping[str, str]) -> None:
    """Raise ConfigurationError unless ``mapping`` maps our field names to non-empty names."""
    for ours, theirs in mapping.items():
        if ours not in FIELD_ALIASES:
            known = ", ".join(FIELDS)
            raise ConfigurationError(f"unknown field {ours!r} in mapping; known fields: {known}")
        if not isinstance(theirs, str) or not theirs.strip():
            raise ConfigurationError(f"mapping for {ours!r} must be a field name or column number")


def _find(record: Mapping[str, Any], name: str) -> tuple[bool, Any]:
    """Look ``name`` up exactly, then case-insensitively, then as a dotted path."""
    if name in record:
        return True, record[name]
    folded = name.casefold()
    for key, value in record.items():
        if isinstance(key, str) and key.casefold() == folded:
            return True, value
    if "." in name:
        current: Any = record
        for part in name.split("."):
            if not isinstance(current, Mapping) or part not in current:
                return False, None
            current = current[part]
        return True, current
    return False, None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _fields(record: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, tuple[str, Any]]:
    """For each of our fields, the source field name and value ("" and None when absent).

    One pass over the record's keys: each recognised name competes by its rank
    in :data:`FIELD_ALIASES`, empty values never win.
    """
    found: dict[str, tuple[int, str, Any]] = {}
    for key, value in record.items():
        if not isinstance(key, str):
            continue
        hit = _ALIAS_RANK.get(key.casefold())
        if hit is None or _is_empty(value):
            continue
        ours, rank = hit
        if ours not in found or rank < found[ours][0]:
            found[ours] = (rank, key, value)
    fields = {ours: (key, value) for ours, (_, key, value) in found.items()}
    for ours, theirs in mapping.items():
        present, value = _find(record, theirs)
        fields[ours] = (theirs, value if present else None)
    return fields


def _scalar_text(field: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise RecordError(f"field {field!r} is {value!r}, not text")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Mapping):
        for key in ("name", "title", "value", "text", "#text"):
            if isinstance(value.get(key), str):
                return str(value[key])
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n\n".join(value)
    raise RecordError(f"field {field!r} holds a {type(value).__name__}, not text")


def _text(field: str, value: Any) -> str:
    text = _scalar_text(field, value)
    if looks_like_html(text):
        return html_to_text(text)
    return tidy_text(text)


def _names(field: str, value: Any) -> tuple[str, ...]:
    """A list field from a list (of strings or ``{"name": ...}``) or a separated string."""
    if value is None:
        return ()
    items: list[Any]
    if isinstance(value, str):
        splitter = _AUTHOR_SPLIT if field == "authors" else _LIST_SPLIT
        items = [part for part in splitter.split(value) if part]
    elif isinstance(value, list):
        items = value[:_MAX_LIST_ITEMS]
    else:
        items = [value]
    names: list[str] = []
    for item in items:
        text = " ".join(_scalar_text(field, item).split())
        if text.lower().startswith("by ") and field == "authors":
            text = text[3:].strip()
        if text and text not in names:
            names.append(text)
    return tuple(names)


def _date(field: str, value: Any) -> DateValue | None:
    try:
        return parse_date(value)
    except ValueError as exc:
        shown = value if not isinstance(value, str) else value[:60]
        raise RecordError(
            f"field {field or 'date'!r} has impossible date {shown!r}: {exc}"
        ) from None


def article_from_record(
    record: Mapping[str, Any],
    default_id: str,
    path: str,
    mapping: Mapping[str, str],
) -> Article:
    """Build an article from one record; raise RecordError saying why it cannot be one.

    ``default_id`` is used when the record has no id field.  A record needs a
    title or a body; without a title, the body's first sentence is used.
    """
    fields = dict.fromkeys(FIELDS, ("", None)) | _fields(record, mapping)
    title = _text(fields["title"][0] or "title", fields["title"][1])
    body = _text(fields["body"][0] or "body", fields["body"][1])
    if not title and not body:
        raise RecordError("no title or body field with text")
    derived = False
    if not title:
        title, body, derived = derive_title(body)
    raw_id = fields["id"][1]
    article_id = " ".join(_scalar_text("id", raw_id).split()) if not _is_empty(raw_id) else ""
    return Article(
        id=article_id or default_id,
        title=" ".join(title.split()),
        title_derived=derived,
        body=body,
        date=_date(fields["date"][0], fields["date"][1]),
        url=_scalar_text("url", fields["url"][1]).strip(),
        source=" ".join(_scalar_text("source", fields["source"][1]).split()),
        path=path,
        authors=_names("authors", fields["authors"][1]),
        people=_names("people", fields["people"][1]),
        places=_names("places", fields["places"][1]),
        organisations=_names("organisations", fields["organisations"][1]),
        themes=_names("themes", fields["themes"][1]),
    )
