"""The query tree (:mod:`newsindex.query.tree`) compiled into Tantivy's query objects.

Plain words search the title, the body and the words of the article's names,
with the weights of :class:`newsindex.ranking.Ranking`; side-by-side words
also get the all-words bonus.  Name clauses (``people:modi``) and filters
match without changing scores, as on the Whoosh engine.  Wildcards, prefixes
and ranges are refused past :data:`MAX_EXPANSIONS` index words.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Callable
from typing import Any

import tantivy
from tantivy import Occur, Query

from newsindex.dates import day_number
from newsindex.engine.tantivy.schema import (
    ENTITY_FIELDS,
    facet_field,
    name_words,
    text_analyzer,
)
from newsindex.errors import QuerySyntaxError
from newsindex.filetable import exact_value
from newsindex.options import Filters
from newsindex.query import tree
from newsindex.query.words import STOP_WORDS
from newsindex.ranking import DEFAULT_RANKING, Ranking

__all__ = ["MAX_EXPANSIONS", "QueryCompiler"]

MAX_EXPANSIONS = 512
"""A wildcard, prefix or range may match at most this many index words."""
SCAN_LIMIT = 200_000
"""Index words read at most to count what a pattern matches."""
TEXT_FIELDS = ("title", "body")
IDF_FLOOR = 0.05
"""The least a ranked word weighs, as ``robertson`` idf on the Whoosh engine."""
EXACT_FIELDS = ("id", "url")


def _any(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return Query.boolean_query([(Occur.Should, c) for c in clauses])


def _all(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return Query.boolean_query([(Occur.Must, c) for c in clauses])


def _pattern(wildcard: str) -> str:
    """A Tantivy regex for a wildcard pattern: ``*`` any characters, ``?`` one."""
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in wildcard)


class QueryCompiler:
    """Compiles trees and filters for one searcher (which counts pattern expansions)."""

    def __init__(
        self,
        schema: Any,
        searcher: Any,
        ranking: Ranking = DEFAULT_RANKING,
        operator: str | None = None,
    ) -> None:
        self.schema = schema
        self.searcher = searcher
        if operator is not None and operator != ranking.operator:
            ranking = dataclasses.replace(ranking, operator=operator)
        self.ranking = ranking

    # -- the whole request ---------------------------------------------------------------

    def request(self, node: tree.Node, filters: Filters) -> Query:
        """``node`` narrowed by ``filters`` (names, sources and dates)."""
        parts = [] if isinstance(node, tree.All) else [self.compile(node)]
        for field in ENTITY_FIELDS:
            values: tuple[str, ...] = getattr(filters, field)
            if values:
                parts.append(self.names(field, values))
        if filters.sources:
            terms = [self._term("source", exact_value(v)) for v in filters.sources if v.strip()]
            parts.append(self._constant(_any(terms)))
        if filters.since or filters.until:
            parts.append(self.dates(filters.since, filters.until))
        found = _all([p for p in parts if p is not None])
        return found if found is not None else Query.all_query()

    def names(self, field: str, values: tuple[str, ...]) -> Query | None:
        """Articles naming any of ``values`` (a whole name or consecutive words of one)."""
        clauses = [self._name_words(field, name_words(value), 1) for value in values]
        return self._constant(_any([c for c in clauses if c is not None]))

    def dates(self, low: Any, high: Any) -> Query:
        """Articles dated from ``low`` to ``high`` (inclusive days; None is open)."""
        return Query.const_score_query(
            Query.range_query(
                self.schema,
                "day",
                tantivy.FieldType.Integer,
                lower_bound=day_number(low) if low else 0,
                upper_bound=day_number(high) if high else 99_991_231,
            ),
            1.0,
        )

    # -- nodes ------------------------------------------------------------------------------

    def compile(self, node: tree.Node) -> Query | None:
        """Tantivy's query for ``node``; None for a clause with nothing searchable."""
        method: Callable[[Any], Query | None] = getattr(self, f"_{type(node).__name__.lower()}")
        return method(node)

    def _all(self, node: tree.All) -> Query:
        return Query.all_query()

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
                bonus = Query.boolean_query([(Occur.Must, q) for q in plain])
                clauses.append(Query.boost_query(bonus, self.ranking.all_words))
        return _any(clauses)

    def _andnot(self, node: tree.AndNot) -> Query | None:
        positive, negative = self.compile(node.positive), self.compile(node.negative)
        if positive is None or negative is None:
            return positive
        return Query.boolean_query([(Occur.Must, positive), (Occur.MustNot, negative)])

    def _not(self, node: tree.Not) -> Query | None:
        excluded = self.compile(node.clause)
        if excluded is None:
            return None
        return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, excluded)])

    def _daterange(self, node: tree.DateRange) -> Query:
        return self.dates(node.low, node.high)

    def _name(self, node: tree.Name) -> Query | None:
        field = facet_field(node.field)
        return self._constant(_any([self._term(field, exact_value(v)) for v in node.values]))

    def _filter(self, node: tree.Filter) -> Query | None:
        return self._constant(self.compile(node.clause))

    def _word(self, node: tree.Word) -> Query | None:
        field = node.field
        if field is None:
            return self._plain_word(node.text)
        if field in TEXT_FIELDS:
            return self._split_word(field, node.text, weighted=False)
        if field in ENTITY_FIELDS:
            return self._constant(self._name_words(field, name_words(node.text), 1))
        if field == "source":
            return self._constant(self._term("source", exact_value(node.text)))
        return self._constant(self._term(field, node.text))

    def _phrase(self, node: tree.Phrase) -> Query | None:
        text = " ".join(node.words)
        if node.field in ENTITY_FIELDS:
            return self._constant(self._name_words(node.field, name_words(text), node.slop))
        if node.field in (*EXACT_FIELDS, "source"):
            return self._word(tree.Word(text, node.field))
        fields = TEXT_FIELDS if node.field is None else (node.field,)
        return _any([q for f in fields if (q := self._text_words(f, text, node.slop)) is not None])

    def _prefix(self, node: tree.Prefix) -> Query | None:
        return self._expanding(node.field, node.text.lower(), re.escape(node.text.lower()) + ".*")

    def _wildcard(self, node: tree.Wildcard) -> Query | None:
        pattern = node.pattern.lower()
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        return self._expanding(node.field, literal, _pattern(pattern))

    def _fuzzy(self, node: tree.Fuzzy) -> Query | None:
        text, edits = node.text.lower(), min(node.max_edits, 2)
        if node.field in ENTITY_FIELDS:
            words = name_words(text)
            if not words:
                return None
            query = Query.fuzzy_term_query(self.schema, node.field, words[0], distance=edits)
            return self._constant(query)
        return self._per_field(
            node.field,
            lambda field: Query.fuzzy_term_query(self.schema, field, text, distance=edits),
        )

    def _termrange(self, node: tree.TermRange) -> Query | None:
        if node.field in ENTITY_FIELDS:
            raise QuerySyntaxError(
                f"{node.field}:[…]", f"ranges work on dates, not on {node.field}"
            )
        low, high = (node.low or "").lower(), (node.high or "").lower()

        def inside(term: str) -> bool:
            above = term > low if not node.include_low else term >= low
            below = not high or (term < high if not node.include_high else term <= high)
            return above and below

        shared = 0
        while shared < min(len(low), len(high)) and low[shared] == high[shared]:
            shared += 1
        span = f"[{node.low or ''} TO {node.high or ''}]"

        def terms(field: str) -> Query | None:
            found = self._matching_terms(field, low[:shared], inside, f"the range {span}")
            return Query.term_set_query(self.schema, field, found) if found else None

        return self._per_field(node.field, terms)

    # -- building blocks ----------------------------------------------------------------------

    def _plain_word(self, text: str) -> Query | None:
        """A word in every plain-word field, weighted, as the Whoosh engine compiles it.

        A word the analyzer splits (*exchange/bourse*) is its words combined by
        the operator in each field, never a phrase.
        """
        clauses = [
            q
            for field in TEXT_FIELDS
            if (q := self._split_word(field, text, weighted=True)) is not None
        ]
        weight = self.ranking.fields.get("entities")
        words = [w for w in name_words(text) if w not in STOP_WORDS]
        if words and weight:
            entity = self._combine([self._scored_term("entities", w) for w in words])
            clauses.append(Query.boost_query(entity, weight))
        return _any(clauses)

    def _split_word(self, field: str, text: str, *, weighted: bool) -> Query | None:
        """``text`` in ``field``: one term, or its words combined by the operator."""
        terms = [self._scored_term(field, t) for t in text_analyzer().analyze(text)]
        if not terms:
            return None
        query = self._combine(terms)
        weight = self.ranking.fields.get(field, 1.0) if weighted else 1.0
        return query if weight == 1.0 else Query.boost_query(query, weight)

    def _combine(self, clauses: list[Query]) -> Query:
        found = _all(clauses) if self.ranking.operator == "and" else _any(clauses)
        assert found is not None
        return found

    def _text_words(self, field: str, text: str, slop: int) -> Query | None:
        """Words of ``text`` in a text field: a term, or a phrase within ``slop`` positions."""
        positioned: list[str | tuple[int, str]] = []
        offset = 0
        for raw in text.split():
            tokens = text_analyzer().analyze(raw)
            for token in tokens:
                positioned.append((offset, token))
                offset += 1
            if not tokens:
                offset += 1  # a stop word keeps its position, as the index does
        if not positioned:
            return None
        if len(positioned) == 1:
            return self._scored_term(field, str(positioned[0][1]))
        return Query.phrase_query(self.schema, field, positioned, slop=max(0, slop - 1))

    def _name_words(self, field: str, words: list[str], slop: int) -> Query | None:
        if not words:
            return None
        if len(words) == 1:
            return self._term(field, words[0])
        phrase: list[str | tuple[int, str]] = list(words)
        return Query.phrase_query(self.schema, field, phrase, slop=max(0, slop - 1))

    def _term(self, field: str, value: str) -> Query:
        return Query.term_query(self.schema, field, value)

    def _scored_term(self, field: str, value: str) -> Query:
        """A ranked word, its weight converted to the ranking's idf.

        Tantivy's BM25 weighs a word by log(1 + odds), odds = (N - n + 0.5) / (n + 0.5);
        the default ranking uses log(odds) floored at 0.05, as the Whoosh engine and
        SQLite FTS5 do, so a word in most articles counts for little.  Boosting by
        the ratio of the two gives the same scores (TIME nDCG@10 0.748 without it).
        """
        query = self._term(field, value)
        if self.ranking.idf != "robertson":
            return query
        found = int(self.searcher.doc_freq(field, value))
        if not found:
            return query
        odds = (max(self.total - found, 0) + 0.5) / (found + 0.5)  # n counts deleted ones
        ratio = max(IDF_FLOOR, math.log(odds)) / math.log(1.0 + odds)
        return Query.boost_query(query, ratio)

    @functools.cached_property
    def total(self) -> int:
        """Articles in the index (Tantivy's N)."""
        return int(self.searcher.num_docs)

    @staticmethod
    def _constant(query: Query | None) -> Query | None:
        return None if query is None else Query.const_score_query(query, 1.0)

    def _per_field(self, field: str | None, make: Callable[[str], Query | None]) -> Query | None:
        """``make`` for ``field``, or for every plain-word field, weighted, when None."""
        if field in ENTITY_FIELDS:
            return self._constant(make(field))
        if field is not None:
            return make(field)
        clauses = []
        for name, weight in self.ranking.fields.items():
            query = make(name)
            if query is not None:
                clauses.append(query if weight == 1.0 else Query.boost_query(query, weight))
        return _any(clauses)

    def _expanding(self, field: str | None, literal: str, regex: str) -> Query | None:
        compiled = re.compile(regex)
        shown = regex if field is None else f"{field}:{regex}"

        def make(name: str) -> Query | None:
            found = self._matching_terms(
                name, literal, compiled.fullmatch, f"the pattern {shown!r}"
            )
            return Query.regex_query(self.schema, name, regex) if found else None

        return self._per_field(field, make)

    def _matching_terms(
        self, field: str, prefix: str, test: Callable[[str], Any], what: str
    ) -> list[str]:
        """Index words of ``field`` starting with ``prefix`` that pass ``test``, capped."""
        found = []
        for term, _ in self.searcher.terms_with_prefix(field, prefix, limit=SCAN_LIMIT):
            if test(term):
                found.append(term)
                if len(found) > MAX_EXPANSIONS:
                    raise QuerySyntaxError(
                        what, f"{what} matches more than {MAX_EXPANSIONS} words; narrow it"
                    )
        return found
