"""The article record every part of newsindex passes around."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

DateValue = dt.date | dt.datetime


@dataclass(frozen=True)
class Article:
    """One news article, as read from a source and enriched by extraction.

    ``date`` is a ``datetime.date``, a timezone-aware ``datetime.datetime`` or
    ``None`` when unknown.  Entity fields hold canonical display names.
    ``title_derived`` marks a title a reader made from the body's first sentence
    for display: the body still holds that sentence, so engines do not index it
    as a title again.
    """

    id: str
    title: str
    body: str
    date: DateValue | None = None
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    source: str = ""
    url: str = ""
    path: str = ""
    authors: tuple[str, ...] = ()
    title_derived: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def with_fields(self, **changes: Any) -> Article:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)

    @property
    def text(self) -> str:
        """Title and body joined, the text extraction reads."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


def content_id(title: str, body: str) -> str:
    """A stable id derived from an article's text, used when nothing else names it."""
    digest = hashlib.sha1(f"{title}\x00{body}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]
