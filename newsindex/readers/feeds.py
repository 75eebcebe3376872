"""RSS and Atom feeds, read with ``feedparser``: one article per entry.

A feed is checked with ``defusedxml`` before it is parsed: one that declares
XML entities (the vehicle of "billion laughs" expansion bombs and of external
entity reads) is refused whole.  A feed that is not well-formed XML is still
read by feedparser's lenient parser when it can be.

An entry's id is its ``guid``/``id`` when that is globally unique (it holds a
``:``, as URLs, ``tag:`` and ``urn:`` ids do), else its link, else
``<relative path>#<entry number>``; entry numbers count from 1 in file order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from newsindex.documents import Article, DateValue
from newsindex.readers import ReadOptions, Record, Skipped, register_reader
from newsindex.readers.dates import parse_date
from newsindex.readers.markup import html_to_text, looks_like_html, tidy_text
from newsindex.readers.source import load_text
from newsindex.readers.text import derive_title

__all__ = ["check_xml_safety", "read_feed"]

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DATE_KEYS = ("published", "updated", "created")


def check_xml_safety(data: bytes) -> str:
    """The reason ``data`` must not be parsed as XML, or "" when it is safe.

    Entity declarations are refused outright, whether or not they expand
    dangerously: news feeds have no need of them.
    """
    import defusedxml
    from defusedxml import ElementTree as SafeElementTree

    if _ENTITY_DECLARATION.search(data[:1_000_000]):
        return "feed declares XML entities (a possible entity-expansion attack); not read"
    try:
        SafeElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        return f"unsafe XML refused: {type(exc).__name__}"
    except SafeElementTree.ParseError:
        return ""  # not well-formed: feedparser's lenient parser may still read it
    return ""


def _text(detail: Any, fallback: Any = "") -> str:
    """Plain text from a feedparser value and its ``*_detail`` (type text/html)."""
    value = fallback if detail is None else detail.get("value", fallback)
    if not isinstance(value, str):
        return ""
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    if "html" in kind or looks_like_html(value):
        return html_to_text(value)
    return tidy_text(value)


def _body(entry: Mapping[str, Any]) -> str:
    contents = [part for part in entry.get("content") or [] if isinstance(part, Mapping)]
    texts = [_text(part) for part in contents]
    best = max(texts, key=len, default="")
    summary = _text(entry.get("summary_detail"), entry.get("summary", ""))
    return best if len(best) >= len(summary) else summary


def _date(entry: Mapping[str, Any]) -> DateValue | None:
    """The entry's date: the raw value (keeping its offset), else feedparser's reading."""
    for key in _DATE_KEYS:
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)
        except ValueError as exc:
            parsed = entry.get(f"{key}_parsed")
            if isinstance(parsed, time.struct_time):
                return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.timezone.utc)
            raise ValueError(f"field {key!r} has impossible date {raw!r}: {exc}") from None
    return None


def _entry_id(entry: Mapping[str, Any], link: str, fallback: str) -> str:
    guid = entry.get("id")
    if isinstance(guid, str) and ":" in guid and guid.strip():
        return guid.strip()
    return link or fallback


def _names(items: Any, key: str) -> list[str]:
    """The distinct non-empty ``key`` values of a list of feedparser dicts."""
    names: list[str] = []
    for item in items or []:
        value = item.get(key) if isinstance(item, Mapping) else None
        if isinstance(value, str) and value.strip() and value.strip() not in names:
            names.append(value.strip())
    return names


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names = _names(entry.get("authors"), "name")
    if not names and isinstance(entry.get("author"), str) and entry["author"].strip():
        names.append(entry["author"].strip())
    return tuple(names)


def _article(entry: Mapping[str, Any], number: int, relative: str, source: str) -> Record:
    title = _text(entry.get("title_detail"), entry.get("title", ""))
    body = _body(entry)
    if not title and not body:
        return Skipped(relative, "entry has no title or text", number)
    derived = False
    if not title:
        title, body, derived = derive_title(body)
    try:
        date = _date(entry)
    except ValueError as exc:
        return Skipped(relative, str(exc), number)
    link = entry.get("link")
    link = link.strip() if isinstance(link, str) else ""
    return Article(
        id=_entry_id(entry, link, f"{relative}#{number}"),
        title=" ".join(title.split()),
        title_derived=derived,
        body=body,
        date=date,
        url=link,
        source=source,
        path=relative,
        authors=_authors(entry),
        themes=tuple(_names(entry.get("tags"), "term")),
    )


@register_reader("feed", extensions=(".rss", ".atom", ".rdf"))
def read_feed(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read an RSS 0.9x/1.0/2.0 or Atom feed file, one article per entry."""
    decoded = load_text(path, "a feed")
    if isinstance(decoded, str):
        yield Skipped(relative, decoded)
        return
    data = decoded.text.encode("utf-8")
    try:
        unsafe = check_xml_safety(data)
        import feedparser
    except ImportError as exc:
        yield Skipped(relative, f"cannot read feeds: {exc.name} is not installed")
        return
    if unsafe:
        yield Skipped(relative, unsafe)
        return
    # A BytesIO, never a string: feedparser treats strings as URLs or file names.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser can fail on hostile input (chr() of a bad reference)
        yield Skipped(relative, f"feed could not be parsed: {type(exc).__name__}: {exc}")
        return
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if problem else ""
        yield Skipped(relative, f"not an RSS or Atom feed{detail}")
        return
    feed = parsed.get("feed") or {}
    source = " ".join(str(feed.get("title", "")).split())
    for number, entry in enumerate(entries, start=1):
        record = _article(entry, number, relative, source)
        if isinstance(record, Article) and decoded.warning:
            record.extra["warnings"] = [decoded.warning]
        yield record
