"""User query text to a Whoosh query, or a :class:`QuerySyntaxError` saying where it went wrong.

The text is parsed once into the engine-neutral tree (:func:`newsindex.query.parser.parse`)
and the tree compiled for Whoosh (:func:`newsindex.engine.whoosh.compile.compile_query`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from whoosh import query
from whoosh.query import Query

from newsindex.engine.whoosh.compile import MAX_EXPANSIONS, compile_query
from newsindex.engine.whoosh.names import NameQuery, name_words
from newsindex.engine.whoosh.schema import ENTITY_FIELDS
from newsindex.errors import QuerySyntaxError
from newsindex.query import ParsedQuery
from newsindex.query.parser import parse
from newsindex.query.syntax import FIELD_ALIASES, MAX_QUERY_LENGTH, MAX_TERMS
from newsindex.ranking import DEFAULT_OPERATOR, DEFAULT_RANKING, Ranking

__all__ = [
    "FIELD_ALIASES",
    "MAX_EXPANSIONS",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "compile_parsed",
    "entity_filter",
    "parse_query",
]


def parse_query(
    text: str,
    schema: Any,
    default_operator: str = DEFAULT_OPERATOR,
    ranking: Ranking = DEFAULT_RANKING,
) -> Query:
    """Parse ``text`` into an engine query; raise :class:`QuerySyntaxError` if it is malformed."""
    if ranking.operator != default_operator:
        ranking = dataclasses.replace(ranking, operator=default_operator)
    tree = parse(text, default_operator)
    try:
        return compile_query(tree, schema, ranking)
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(text, exc.message, exc.position) from None


def compile_parsed(parsed: ParsedQuery, schema: Any, ranking: Ranking = DEFAULT_RANKING) -> Query:
    """The Whoosh query for a query parsed once by :class:`newsindex.NewsIndex`."""
    if ranking.operator != parsed.default_operator:
        ranking = dataclasses.replace(ranking, operator=parsed.default_operator)
    try:
        return compile_query(parsed.tree, schema, ranking)
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(parsed.text, exc.message, exc.position) from None


def entity_filter(field: str, values: tuple[str, ...], schema: Any) -> Query | None:
    """A filter matching articles whose ``field`` names any of ``values``.

    A value matches a whole name or consecutive words of one: ``modi`` and
    ``narendra modi`` both match Narendra Modi.
    """
    if field not in (*ENTITY_FIELDS, "source"):
        raise ValueError(f"not an entity field: {field}")
    alternatives: list[Query] = []
    for value in values:
        if field == "source":
            if value.strip():
                alternatives.append(query.Term("source", value.strip().lower()))
            continue
        words = name_words(value)
        if words:
            alternatives.append(NameQuery(field, words))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else query.Or(alternatives)
