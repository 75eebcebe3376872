"""The query tree (:mod:`newsindex.query.tree`) compiled into OpenSearch's query DSL.

The same semantics as the Tantivy compiler: plain words search the title, the
body and the words of the article's names with the weights of
:class:`newsindex.ranking.Ranking`, side-by-side words get the all-words
bonus, and name clauses and filters match without changing scores.  Text is
analysed by the index's own analyzer (``match_phrase``), never ``query_string``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsindex.engine.opensearch.mapping import ENTITY_FIELDS
from newsindex.errors import QuerySyntaxError
from newsindex.filetable import exact_value
from newsindex.options import Filters
from newsindex.query import tree
from newsindex.query.words import STOP_WORDS, WORD, fold, searchable_words
from newsindex.ranking import DEFAULT_RANKING, Ranking

__all__ = ["MATCH_ALL", "QueryCompiler", "name_words"]

Query = dict[str, Any]
MATCH_ALL: Query = {"match_all": {}}
TEXT_FIELDS = ("title", "body")
EXACT_FIELDS = ("id", "url")
MAX_EXPANSIONS = 512
"""A fuzzy term may expand to at most this many index words."""


def name_words(value: str) -> list[str]:
    """The words of a name, folded, as the ``words`` sub-fields hold them."""
    return WORD.findall(fold(value))


def _any(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _all(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"must": clauses}}


def _constant(query: Query | None) -> Query | None:
    return None if query is None else {"constant_score": {"filter": query, "boost": 1.0}}


def _boost(query: Query, weight: float) -> Query:
    if weight == 1.0:
        return query
    return {"bool": {"must": [query], "boost": weight}}


class QueryCompiler:
    """Compiles trees and filters into query DSL dicts."""

    def __init__(self, ranking: Ranking = DEFAULT_RANKING) -> None:
        self.ranking = ranking

    def request(self, node: tree.Node, filters: Filters) -> Query:
        """``node`` narrowed by ``filters`` (names, sources and dates) as filter clauses."""
        scored = MATCH_ALL if isinstance(node, tree.All) else self.compile(node)
        narrowing = self.filters(filters)
        if scored is None:  # nothing searchable (only stop words): as on the local engines
            scored = MATCH_ALL
        if not narrowing:
            return scored
        return {"bool": {"must": [scored], "filter": narrowing}}

    def filters(self, filters: Filters) -> list[Query]:
        """The filter clauses of ``filters``."""
        found: list[Query] = []
        for field in ENTITY_FIELDS:
            values: tuple[str, ...] = getattr(filters, field)
            if values:
                names = [self._name_words(field, name_words(v), 1) for v in values]
                found.append(_any([n for n in names if n is not None]) or {"match_none": {}})
        if filters.sources:
            terms = [exact_value(v) for v in filters.sources if v.strip()]
            found.append({"terms": {"source": terms}} if terms else {"match_none": {}})
        if filters.since or filters.until:
            found.append(self.dates(filters.since, filters.until))
        return found

    @staticmethod
    def dates(low: Any, high: Any) -> Query:
        """Articles dated from ``low`` to ``high`` (inclusive days; None is open)."""
        bounds = {}
        if low:
            bounds["gte"] = low.isoformat()
        if high:
            bounds["lte"] = high.isoformat()
        return {"range": {"date": bounds}}

    # -- nodes ----------------------------------------------------------------------------

    def compile(self, node: tree.Node) -> Query | None:
        """The DSL for ``node``; None for a clause with nothing searchable."""
        method: Callable[[Any], Query | None] = getattr(self, f"_{type(node).__name__.lower()}")
        return method(node)

    def _all(self, node: tree.All) -> Query:
        return MATCH_ALL

    def _and(self, node: tree.And) -> Query | None:
        return _all([q for q in map(self.compile, node.clauses) if q is not None])

    def _or(self, node: tree.Or) -> Query | None:
        compiled = [self.compile(child) for child in node.clauses]
        clauses = [q for q in compiled if q is not None]
        if node.implicit and self.ranking.all_words:
            plain = [
                q
                for child, q in zip(node.clauses, compiled, strict=True)
                if isinstance(child, tree.Word) and child.field is None and q is not None
            ]
            if len(plain) > 1:
                clauses.append(_boost({"bool": {"must": plain}}, self.ranking.all_words))
        return _any(clauses)

    def _andnot(self, node: tree.AndNot) -> Query | None:
        positive, negative = self.compile(node.positive), self.compile(node.negative)
        if positive is None or negative is None:
            return positive
        return {"bool": {"must": [positive], "must_not": [negative]}}

    def _not(self, node: tree.Not) -> Query | None:
        excluded = self.compile(node.clause)
        if excluded is None:
            return None
        return {"bool": {"must": [MATCH_ALL], "must_not": [excluded]}}

    def _daterange(self, node: tree.DateRange) -> Query:
        return _constant(self.dates(node.low, node.high)) or MATCH_ALL

    def _name(self, node: tree.Name) -> Query | None:
        return _constant({"terms": {node.field: [exact_value(v) for v in node.values]}})

    def _filter(self, node: tree.Filter) -> Query | None:
        return _constant(self.compile(node.clause))

    def _word(self, node: tree.Word) -> Query | None:
        field = node.field
        if field is None:
            return self._plain_word(node.text)
        if field in TEXT_FIELDS:
            return self._text_words(field, node.text, 1)
        if field in ENTITY_FIELDS:
            return _constant(self._name_words(field, name_words(node.text), 1))
        if field == "source":
            return _constant({"term": {"source": exact_value(node.text)}})
        return _constant({"term": {field: node.text}})

    def _phrase(self, node: tree.Phrase) -> Query | None:
        text = " ".join(node.words)
        if node.field in ENTITY_FIELDS:
            return _constant(self._name_words(node.field, name_words(text), node.slop))
        if node.field in (*EXACT_FIELDS, "source"):
            return self._word(tree.Word(text, node.field))
        fields = TEXT_FIELDS if node.field is None else (node.field,)
        return _any([q for f in fields if (q := self._text_words(f, text, node.slop)) is not None])

    def _prefix(self, node: tree.Prefix) -> Query | None:
        text = fold(node.text)
        return self._per_field(node.field, lambda f: {"prefix": {f: {"value": text}}})

    def _wildcard(self, node: tree.Wildcard) -> Query | None:
        pattern = fold(node.pattern)
        return self._per_field(node.field, lambda f: {"wildcard": {f: {"value": pattern}}})

    def _fuzzy(self, node: tree.Fuzzy) -> Query | None:
        text, edits = fold(node.text), min(node.max_edits, 2)
        if node.field in ENTITY_FIELDS:
            words = name_words(text)
            text = words[0] if words else ""
        if not text:
            return None

        def make(field: str) -> Query:
            options = {
                "value": text,
                "fuzziness": edits,
                "prefix_length": node.prefix_length,
                "max_expansions": MAX_EXPANSIONS,
                "transpositions": False,
            }
            return {"fuzzy": {field: options}}

        return self._per_field(node.field, make)

    def _termrange(self, node: tree.TermRange) -> Query | None:
        if node.field in ENTITY_FIELDS:
            raise QuerySyntaxError(
                f"{node.field}:[…]", f"ranges work on dates, not on {node.field}"
            )
        bounds: dict[str, str] = {}
        if node.low:
            bounds["gte" if node.include_low else "gt"] = node.low.lower()
        if node.high:
            bounds["lte" if node.include_high else "lt"] = node.high.lower()
        return self._per_field(node.field, lambda f: {"range": {f: bounds}})

    # -- building blocks ------------------------------------------------------------------

    def _plain_word(self, text: str) -> Query | None:
        clauses = [
            q
            for field in TEXT_FIELDS
            if (q := self._text_words(field, text, 1, boost=True)) is not None
        ]
        words = [w for w in name_words(text) if w not in STOP_WORDS]
        weight = self.ranking.fields.get("entities")
        if len(words) == 1 and weight:
            clauses.append(_boost({"term": {"entities": words[0]}}, weight))
        return _any(clauses)

    def _text_words(self, field: str, text: str, slop: int, boost: bool = False) -> Query | None:
        """Words of ``text`` in a text field: a term, or a phrase within ``slop`` positions."""
        if not searchable_words(text):
            return None
        query = {"match_phrase": {field: {"query": text, "slop": max(0, slop - 1)}}}
        weight = self.ranking.fields.get(field, 1.0) if boost else 1.0
        return _boost(query, weight)

    def _name_words(self, field: str, words: list[str], slop: int) -> Query | None:
        if not words:
            return None
        text = " ".join(words)
        targets = [f"{field}.words", *(["implied_places"] if field == "places" else [])]
        clauses: list[Query] = [
            {"match_phrase": {target: {"query": text, "slop": max(0, slop - 1)}}}
            for target in targets
        ]
        return _any(clauses)

    def _per_field(self, field: str | None, make: Callable[[str], Query]) -> Query | None:
        """``make`` for ``field``, or for every plain-word field, weighted, when None."""
        if field in ENTITY_FIELDS:
            return _constant(make(f"{field}.words"))
        if field is not None:
            return make(field)
        clauses = [_boost(make(name), weight) for name, weight in self.ranking.fields.items()]
        return _any(clauses)
