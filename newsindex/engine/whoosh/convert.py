"""Index documents to Whoosh documents: the boundary where our types meet Whoosh's."""

from __future__ import annotations

import functools
from typing import Any

from newsindex.dates import day_number
from newsindex.engine.whoosh.schema import build_schema, facet_field, preanalyze
from newsindex.records import IndexDocument

__all__ = ["engine_document", "whoosh_fields"]


def _keywords(values: tuple[str, ...] | list[str]) -> str:
    # Commas separate values in keyword fields; a comma inside a value would split it.
    return ",".join(" ".join(v.replace(",", " ").split()) for v in values if v.strip())


def _words(values: tuple[str, ...] | list[str]) -> str:
    # A line break between names keeps phrases from running across two names.
    return "\n\n".join(values)


@functools.cache
def _schema() -> Any:
    return build_schema()


def engine_document(document: IndexDocument) -> dict[str, Any]:
    """:func:`whoosh_fields` with the text already analysed, ready for the writer.

    Builds run this in the extraction worker, so the writer process only
    adds postings.  The ``path`` field is left for the writer to add.
    """
    return preanalyze(_schema(), whoosh_fields(document))


def whoosh_fields(document: IndexDocument) -> dict[str, Any]:
    """The Whoosh fields of ``document``."""
    fields: dict[str, Any] = {
        "id": document.id,
        "title": "" if document.title_derived else document.title,
        "body": document.body,
        "entities": _words(
            (*document.people, *document.places, *document.organisations, *document.themes)
        ),
        facet_field("people"): _keywords(document.people),
        facet_field("places"): _keywords(document.places),
        facet_field("organisations"): _keywords(document.organisations),
        facet_field("themes"): _keywords(document.themes),
        "implied_places": _keywords(document.implied_places),
        "source": document.source,
        "url": document.url,
        "path": document.path,
        "dupkey": document.dupkey,
        "data": document.data,
    }
    if document.day is not None:
        fields["date"] = day_number(document.day)
    return {key: value for key, value in fields.items() if value != ""}
