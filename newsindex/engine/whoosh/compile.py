"""The query tree of :mod:`newsindex.query.tree` compiled into Whoosh query objects.

Plain words search the fields of :attr:`Ranking.fields` with their weights,
each analysed by its field's analyzer (stemming, stop words); ``people:``-style
clauses are answered from the exact names (:mod:`newsindex.engine.names`);
words typed side by side get the ranking's all-words bonus; and wildcards,
prefixes, fuzzy words and ranges refuse to expand past :data:`MAX_EXPANSIONS`.
"""

from __future__ import annotations

from typing import Any

from whoosh import query
from whoosh.query import Query

from newsindex.dates import day_number
from newsindex.engine.whoosh.names import FilterQuery, NameQuery, answer_from_names
from newsindex.engine.whoosh.schema import TEXT_FIELDS
from newsindex.errors import QuerySyntaxError
from newsindex.filetable import exact_value
from newsindex.query import tree
from newsindex.query.syntax import MAX_TERMS
from newsindex.query.words import STOP_WORDS
from newsindex.ranking import DEFAULT_RANKING, Ranking

__all__ = ["MAX_EXPANSIONS", "compile_query"]

MAX_EXPANSIONS = 512
"""A wildcard or fuzzy term may expand to at most this many index terms."""


class SideBySide(query.Or):  # type: ignore[misc]
    """Clauses written side by side with no operator between them (the default OR)."""


def compile_query(node: tree.Node, schema: Any, ranking: Ranking = DEFAULT_RANKING) -> Query:
    """The Whoosh query for ``node``; words an analyzer splits in two combine by
    ``ranking.operator``."""
    try:
        return _compile(node, schema, ranking)
    except RecursionError as exc:  # a tree nested hundreds deep
        message = "cannot parse the query (maximum recursion depth exceeded)"
        raise QuerySyntaxError("", message) from exc


def _compile(node: tree.Node, schema: Any, ranking: Ranking) -> Query:
    compiled = _Compiler(schema, ranking).node(node).normalize()
    compiled = compiled.accept(_drop_common_name_words).normalize()
    compiled = compiled.accept(_fields_narrow).accept(_word_bonuses(ranking))
    if compiled is query.NullQuery or isinstance(compiled, type(query.NullQuery)):
        raise QuerySyntaxError("", "the query has no searchable words")
    if _count_terms(compiled) > MAX_TERMS:
        raise QuerySyntaxError("", f"the query has more than {MAX_TERMS} terms")
    return compiled.accept(answer_from_names).accept(_cap_node)


class _Compiler:
    """Tree nodes to Whoosh queries, as Whoosh's own parser built them before simplifying."""

    def __init__(self, schema: Any, ranking: Ranking) -> None:
        self.schema = schema
        self.ranking = ranking
        self.group: type[Query] = query.And if ranking.operator == "and" else SideBySide

    def node(self, node: tree.Node) -> Query:
        if isinstance(node, tree.And):
            return query.And([self.node(c) for c in node.clauses])
        if isinstance(node, tree.Or):
            clauses = [self.node(c) for c in node.clauses]
            if not node.implicit:
                return query.Or(clauses)
            if self.group is query.And:
                return query.And(clauses)
            return SideBySide(clauses, scale=self.ranking.coordination or None)
        if isinstance(node, tree.AndNot):
            return query.AndNot(self.node(node.positive), self.node(node.negative))
        if isinstance(node, tree.Not):
            return query.Not(self.node(node.clause))
        if isinstance(node, tree.All):
            return query.Every()
        if isinstance(node, tree.DateRange):
            low = None if node.low is None else day_number(node.low)
            high = None if node.high is None else day_number(node.high)
            return query.NumericRange("date", low, high, constantscore=True)
        if isinstance(node, tree.Name):
            return NameQuery(node.field, tuple(map(exact_value, node.values)), mode="exact")
        if isinstance(node, tree.Filter):
            return FilterQuery(self.node(node.clause))
        return self.leaf(node)

    def leaf(self, node: tree.Node) -> Query:
        """A leaf in its field, or (no field) in every plain-word field with its weight."""
        field = getattr(node, "field", None)
        if field is not None:
            return self.fielded(node, field, 1.0) or query.NullQuery
        parts = [self.fielded(node, name, weight) for name, weight in self.ranking.fields.items()]
        return query.Or([p for p in parts if p is not None])

    def fielded(self, node: tree.Node, field: str, boost: float) -> Query | None:
        if isinstance(node, tree.Word):
            word = self.term(field, node.text, query.Term, boost, analyse=True)
            if word is not None and node.span is not None:
                word.startchar, word.endchar = node.span  # for spelling corrections
            return word
        if isinstance(node, tree.Prefix):
            return self.term(field, node.text, query.Prefix, boost)
        if isinstance(node, tree.Wildcard):
            return self.term(field, node.pattern, query.Wildcard, boost)
        if isinstance(node, tree.Fuzzy):
            fuzzy = self.term(field, node.text, query.FuzzyTerm, boost)
            if fuzzy is not None:
                fuzzy.maxdist, fuzzy.prefixlength = node.max_edits, node.prefix_length
            return fuzzy
        if isinstance(node, tree.Phrase):
            return self.phrase(field, node, boost)
        assert isinstance(node, tree.TermRange)
        return self.term_range(field, node, boost)

    def term(
        self, field: str, text: str, kind: type[Query], boost: float, analyse: bool = False
    ) -> Query | None:
        """One word: analysed by the field (several words when the analyzer splits it)."""
        spec = self.schema[field]
        texts = list(spec.process_text(text, mode="query", tokenize=analyse, removestops=analyse))
        if len(texts) > 1:
            return self.several(spec.multitoken_query, texts, field, kind, boost)
        if not texts:
            return None
        return kind(field, texts[0], boost=boost)

    def several(
        self, spec: str, texts: list[str], field: str, kind: type[Query], boost: float
    ) -> Query:
        spec = spec.lower()
        if spec == "first":
            return kind(field, texts[0], boost=boost)
        if spec == "phrase":
            return query.Phrase(field, texts, boost=boost)
        group = {"and": query.And, "or": query.Or}.get(spec, self.group)
        return group([kind(field, t, boost=boost) for t in texts])

    def phrase(self, field: str, node: tree.Phrase, boost: float) -> Query:
        spec = self.schema[field]
        text = " ".join(node.words)
        if spec.analyzer:
            words = [t.text for t in spec.tokenize(text, mode="query", chars=True)]
        else:
            words = list(spec.process_text(text, mode="query"))
        return query.Phrase(field, words, slop=node.slop, boost=boost)

    def term_range(self, field: str, node: tree.TermRange, boost: float) -> Query:
        spec = self.schema[field]
        low, high = node.low, node.high
        if low:
            low = _single_text(spec, low)
        if high:
            high = _single_text(spec, high)
        return query.TermRange(
            field, low, high, not node.include_low, not node.include_high, boost=boost
        )


def _single_text(spec: Any, text: str) -> str | None:
    """A range end as the field indexes it, without splitting it or dropping stop words."""
    for word in spec.process_text(text, mode="query", tokenize=False, removestops=False):
        return str(word)
    return None


def _field_clause(node: Query) -> bool:
    """True for a clause the user wrote with a ``field:`` prefix (or a date)."""
    fields = {leaf.fieldname for leaf in node.leaves() if hasattr(leaf, "fieldname")}
    if node.is_leaf():
        fields = {node.fieldname} if hasattr(node, "fieldname") else set()
    return len(fields) == 1 and "entities" not in fields and not isinstance(node, query.Not)


def _plain_word(node: Query) -> dict[str, str]:
    """For a plain word searched across fields, its analysed text per text field."""
    leaves = [node] if node.is_leaf() else list(node.children())
    if not all(type(leaf) is query.Term and isinstance(leaf.text, str) for leaf in leaves):
        return {}
    return {leaf.fieldname: leaf.text for leaf in leaves if leaf.fieldname in TEXT_FIELDS}


def _word_bonuses(ranking: Ranking) -> Any:
    """Reward articles holding every plain word typed, or typed words close together."""

    def add(node: Query) -> Query:
        if type(node) is not SideBySide or not (ranking.pairs or ranking.all_words):
            return node
        words = [_plain_word(child) for child in node.subqueries]
        pairs: list[Query] = []
        for first, second in zip(words, words[1:], strict=False):
            for field in TEXT_FIELDS if ranking.pairs else ():
                if field in first and field in second and first[field] != second[field]:
                    pairs.append(
                        query.Phrase(
                            field,
                            [first[field], second[field]],
                            slop=ranking.pair_slop,
                            boost=ranking.pairs * ranking.fields.get(field, 1.0),
                        )
                    )
        plain = [c for c, w in zip(node.subqueries, words, strict=True) if w]
        if ranking.all_words and len(plain) > 1:
            pairs.append(query.And(plain, boost=ranking.all_words))
        if not pairs:
            return node
        return SideBySide([*node.subqueries, *pairs], boost=node.boost, scale=node.scale)

    return add


def _fields_narrow(node: Query) -> Query:
    """Make ``field:`` clauses written beside plain words required: words rank, fields narrow.

    ``semiconductors date:2025-11 places:japan`` finds articles of November 2025
    naming Japan, ranked by how much they say about semiconductors.
    """
    if type(node) is not SideBySide:
        return node
    required = [c for c in node.subqueries if _field_clause(c)]
    if not required:
        return node
    ranked = [c for c in node.subqueries if not _field_clause(c)]
    if ranked:
        words = ranked[0] if len(ranked) == 1 else SideBySide(ranked, scale=node.scale)
        required = [words, *required]
    return required[0] if len(required) == 1 else query.And(required, boost=node.boost)


def _count_terms(node: Query) -> int:
    if node.is_leaf():
        return 1
    return sum(_count_terms(child) for child in node.children())


def _capped(texts: Any, pattern: str, what: str, fix: str) -> Any:
    """Yield expanded index words, refusing to go past MAX_EXPANSIONS."""
    for count, text in enumerate(texts, start=1):
        if count > MAX_EXPANSIONS:
            raise QuerySyntaxError(
                pattern, f"{what} matches more than {MAX_EXPANSIONS} words; {fix}"
            )
        yield text


class _Capped:
    """Mixin for expanding queries: refuse to expand to more than MAX_EXPANSIONS words."""

    def _described(self) -> tuple[str, str, str]:
        """The pattern as typed, what it is, and how to narrow it."""
        raise NotImplementedError

    def _btexts(self, ixreader: Any) -> Any:
        texts = super()._btexts(ixreader)  # type: ignore[misc]
        return _capped(texts, *self._described())


class _CappedWildcard(_Capped, query.Wildcard):  # type: ignore[misc]
    def _described(self) -> tuple[str, str, str]:
        where = f"{self.fieldname}:{self.text}"
        return where, f"the pattern {self.text!r}", "make it more specific"


class _CappedPrefix(_Capped, query.Prefix):  # type: ignore[misc]
    def _described(self) -> tuple[str, str, str]:
        where = f"{self.fieldname}:{self.text}*"
        return where, f"the prefix {self.text!r}", "make it longer"


class _CappedFuzzy(_Capped, query.FuzzyTerm):  # type: ignore[misc]
    def _described(self) -> tuple[str, str, str]:
        where = f"{self.fieldname}:{self.text}~{self.maxdist}"
        fix = "make the word longer or allow one edit (word~1)"
        return where, f"the fuzzy word {self.text!r}", fix


class _CappedTermRange(_Capped, query.TermRange):  # type: ignore[misc]
    def _described(self) -> tuple[str, str, str]:
        span = f"[{self.start or ''} TO {self.end or ''}]"
        return f"{self.fieldname}:{span}", f"the range {span}", "make the range narrower"


def _cap_node(node: Query) -> Query:
    """Swap Whoosh's uncapped expanding queries for our capped ones."""
    if isinstance(node, query.Prefix) and not isinstance(node, _CappedPrefix):
        return _CappedPrefix(node.fieldname, node.text, boost=node.boost)
    if isinstance(node, query.Wildcard) and not isinstance(node, _CappedWildcard):
        return _CappedWildcard(node.fieldname, node.text, boost=node.boost)
    if isinstance(node, query.FuzzyTerm) and not isinstance(node, _CappedFuzzy):
        return _CappedFuzzy(
            node.fieldname,
            node.text,
            boost=node.boost,
            maxdist=min(node.maxdist, 2),
            prefixlength=node.prefixlength,
            constantscore=node.constantscore,
        )
    if type(node) is query.TermRange:
        return _CappedTermRange(
            node.fieldname,
            node.start,
            node.end,
            startexcl=node.startexcl,
            endexcl=node.endexcl,
            boost=node.boost,
            constantscore=node.constantscore,
        )
    return node


def _drop_common_name_words(node: Query) -> Query:
    """Drop very common words searched in the ``entities`` field.

    Plain words search title, body and entities; the text fields drop words such
    as *of* and *the*, but names keep them ("Bank of England"), so without this
    every article with such a name would match every question that uses them.
    """
    if (
        type(node) is query.Term
        and node.fieldname == "entities"
        and isinstance(node.text, str)
        and node.text in STOP_WORDS
    ):
        return query.NullQuery
    if isinstance(node, query.Phrase) and node.fieldname == "entities":
        return query.NullQuery  # names are indexed without positions: phrases match the text
    return node
