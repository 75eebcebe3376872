"""The Tantivy schema and analysis: which fields an article becomes, and how words are cut.

Text is analysed by a tokenizer registered with Tantivy, equivalent to the
Whoosh engine's: the same word pattern, lower case, accents folded, English
stop words dropped, English stems (Snowball; Whoosh uses Porter).  Names are
split into words in Python, each name in its own run of positions, so a
phrase never runs from one name into the next.
"""

from __future__ import annotations

import functools
from typing import Any

import tantivy

from newsindex.dates import day_number
from newsindex.filetable import exact_value
from newsindex.query.words import STOP_WORDS, WORD, fold
from newsindex.records import IndexDocument

__all__ = [
    "ENTITY_FIELDS",
    "NAME_GAP",
    "SCHEMA_VERSION",
    "TEXT_ANALYZER",
    "build_schema",
    "facet_field",
    "name_words",
    "register_analyzers",
    "tantivy_document",
]

SCHEMA_VERSION = 2
"""Bumped whenever the Tantivy fields change; an index with another version must be rebuilt.

2: the SimHash stored apart from the record, so folding near-duplicates reads no record."""
ENTITY_FIELDS = ("people", "places", "organisations", "themes")
TEXT_ANALYZER = "news_text"
NAME_GAP = 100
"""Positions left between two names of one field, more than any phrase's slop."""


def facet_field(name: str) -> str:
    """The exact-value field of entity field ``name``, counted by facets."""
    return f"facet_{name}"


def name_words(value: str) -> list[str]:
    """The words of a name, folded, as name clauses and the name fields see them."""
    return WORD.findall(fold(value))


@functools.cache
def text_analyzer() -> Any:
    """The analyzer of titles, bodies and plain query words."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(WORD.pattern))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.custom_stopword(sorted(STOP_WORDS)))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def register_analyzers(index: Any) -> None:
    """Register newsindex's analyzer with an open Tantivy index (every open needs it)."""
    index.register_tokenizer(TEXT_ANALYZER, text_analyzer())


def build_schema() -> Any:
    """The schema every Tantivy newsindex index uses (version :data:`SCHEMA_VERSION`)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("title", tokenizer_name=TEXT_ANALYZER)
    builder.add_text_field("body", tokenizer_name=TEXT_ANALYZER)
    builder.add_text_field("entities", tokenizer_name="raw", index_option="freq")
    for name in ENTITY_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw")
        builder.add_text_field(facet_field(name), tokenizer_name="raw", fast=True)
    builder.add_text_field("source", tokenizer_name="raw", fast=True)
    builder.add_text_field("url", tokenizer_name="raw")
    builder.add_text_field("path", tokenizer_name="raw")
    builder.add_text_field("dupkey", tokenizer_name="raw")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("simhash", stored=True)
    builder.add_bytes_field("data", stored=True)
    return builder.build()


def _names_text(values: tuple[str, ...], *, gap: int) -> Any:
    """Names as pre-split words, each name ``gap`` positions after the last."""
    tokens = []
    position = 0
    for value in values:
        for word in name_words(value):
            tokens.append(tantivy.Token(word, position, 0, 0))
            position += 1
        position += gap
    return tantivy.PreTokenizedString(" ".join(t.text for t in tokens), tokens)


def tantivy_document(document: IndexDocument, path: str) -> Any:
    """The Tantivy document for ``document``, read from input file ``path``."""
    title = "" if document.title_derived else document.title  # shown, never a title twice
    doc = tantivy.Document(id=document.id, title=title, body=document.body)
    names = (*document.people, *document.places, *document.organisations, *document.themes)
    doc.add_pre_tokenized_text("entities", _names_text(names, gap=0))
    for name in ENTITY_FIELDS:
        values = document.entity_values(name)
        if name == "places":
            values = (*values, *document.implied_places)
        doc.add_pre_tokenized_text(name, _names_text(values, gap=NAME_GAP))
        for value in {exact_value(v) for v in document.entity_values(name) if v.strip()}:
            doc.add_text(facet_field(name), value)
    for field, value in (
        ("source", document.source),
        ("url", document.url),
        ("path", path),
        ("dupkey", document.dupkey),
    ):
        if value:
            doc.add_text(field, value)
    if document.day is not None:
        doc.add_integer("day", day_number(document.day))
    doc.add_unsigned("simhash", document.simhash)
    doc.add_bytes("data", document.data)
    return doc
