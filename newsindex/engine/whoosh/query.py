"""User query text to an engine query, or a :class:`QuerySyntaxError` saying where it went wrong.

The language: words, ``"phrases"`` (``"japan india"~5`` for proximity),
``AND``/``OR``/``NOT`` and parentheses, ``wild*`` cards, fuzzy ``word~``,
and ``field:value`` for title, body, people, places, organisations, themes,
source, url, id and date (``date:2025-11``, ``date:[2025-11-01 to 2025-11-30]``,
``date:>2025-11-01``).  Plain words are combined by :data:`DEFAULT_OPERATOR`.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import qparser, query
from whoosh.analysis import STOP_WORDS
from whoosh.query import Query

from newsindex.engine.whoosh.names import NameQuery, answer_from_names, name_words
from newsindex.engine.whoosh.schema import ENTITY_FIELDS, QUERYABLE_FIELDS, TEXT_FIELDS
from newsindex.errors import QuerySyntaxError
from newsindex.ranking import DEFAULT_OPERATOR, DEFAULT_RANKING, Ranking

FIELD_ALIASES = {
    "person": "people",
    "place": "places",
    "org": "organisations",
    "orgs": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "organisation": "organisations",
    "theme": "themes",
    "headline": "title",
    "text": "body",
}
MAX_QUERY_LENGTH = 10_000
MAX_TERMS = 1_024
MAX_EXPANSIONS = 512
"""A wildcard or fuzzy term may expand to at most this many index terms."""

_FIELD_PREFIX = re.compile(r"(?<![\w\"\\:/.])([A-Za-z_]\w*):")
_OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")
_TOKEN = re.compile(r'"[^"]*"(?:~\d*)?|\[[^\]}]*[\]}]|\{[^\]}]*[\]}]|[()]|[^\s()"]+')
_COMPARISON = re.compile(r"[<>]=?")


def _check_balance(text: str) -> None:
    stack: list[tuple[str, int]] = []
    in_quote: int | None = None
    pairs = {")": "(", "]": "[", "}": "{"}
    for position, char in enumerate(text):
        if in_quote is not None:
            if char == '"':
                in_quote = None
            continue
        if char == '"':
            in_quote = position
        elif char in "([{":
            stack.append((char, position))
        elif char in ")]}":
            if (
                char == "]"
                and stack
                and stack[-1][0] == "{"
                or char == "}"
                and stack
                and stack[-1][0] == "["
            ):
                stack.pop()  # ranges may mix brackets: [a TO b} excludes b
                continue
            if not stack or stack[-1][0] != pairs[char]:
                raise QuerySyntaxError(text, f"unmatched {char!r}", position)
            stack.pop()
    if in_quote is not None:
        raise QuerySyntaxError(text, "unclosed quotation mark", in_quote)
    if stack:
        char, position = stack[-1]
        closing = {"(": ")", "[": "]", "{": "}"}[char]
        raise QuerySyntaxError(text, f"{char!r} is never closed with {closing!r}", position)


def _rewrite_fields(text: str) -> str:
    """Check every ``field:`` prefix and map aliases to our field names."""
    pieces: list[str] = []
    last = 0
    in_quote = False
    for match in _FIELD_PREFIX.finditer(text):
        # Ignore prefixes inside quoted phrases.
        in_quote = text.count('"', 0, match.start()) % 2 == 1
        if in_quote:
            continue
        name = match.group(1)
        lowered = name.lower()
        field = FIELD_ALIASES.get(lowered, lowered)
        if field not in QUERYABLE_FIELDS or field == "entities":
            known = ", ".join(sorted(f for f in QUERYABLE_FIELDS if f != "entities"))
            raise QuerySyntaxError(
                text,
                f"unknown field {name!r}; fields are {known} (quote the text to search for "
                f"a colon literally)",
                match.start(),
            )
        rest = text[match.end() :]
        if not rest or rest[0].isspace() or rest[0] == ")":
            raise QuerySyntaxError(
                text,
                f"expected a word, phrase or group after {name + ':'!r}",
                match.end(),
            )
        comparison = _COMPARISON.match(rest)
        if comparison and (comparison.end() == len(rest) or rest[comparison.end()].isspace()):
            raise QuerySyntaxError(
                text,
                f"expected a value after {name + ':' + comparison.group()!r}",
                match.end() + comparison.end(),
            )
        pieces.append(text[last : match.start()])
        pieces.append(f"{field}:")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _check_operators(text: str) -> None:
    """Reject AND/OR/NOT with nothing to combine, and empty parentheses."""
    before = "start"
    previous = ""
    previous_at = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _BINARY:
            if before in ("start", "open", "binary", "not"):
                raise QuerySyntaxError(
                    text, f"expected a word, phrase or group before {token!r}", match.start()
                )
            kind = "binary"
        elif token == "NOT":
            if before == "not":
                raise QuerySyntaxError(
                    text, "expected a word, phrase or group after 'NOT'", previous_at
                )
            kind = "not"
        elif token == "(":
            kind = "open"
        elif token == ")":
            if before in ("binary", "not"):
                raise QuerySyntaxError(
                    text, f"expected a word, phrase or group after {previous!r}", previous_at
                )
            if before == "open":
                raise QuerySyntaxError(
                    text, "expected a word, phrase or group inside '( )'", match.start()
                )
            kind = "term"
        else:
            kind = "term"
        before, previous, previous_at = kind, token, match.start()
    if before in ("binary", "not"):
        raise QuerySyntaxError(
            text, f"expected a word, phrase or group after {previous!r}", previous_at
        )


def _not_excludes(node: Query) -> Query:
    """Make ``a NOT b`` exclude b even when plain words are OR-ed.

    With OR as the default, the engine reads ``a NOT b`` as "a, or anything
    without b"; a reader means "a but not b".
    """
    if isinstance(node, query.Or) and any(isinstance(c, query.Not) for c in node.subqueries):
        keep = [c for c in node.subqueries if not isinstance(c, query.Not)]
        drop = [c.query for c in node.subqueries if isinstance(c, query.Not)]
        if keep:
            kept = (
                keep[0] if len(keep) == 1 else type(node)(keep, boost=node.boost, scale=node.scale)
            )
            return query.AndNot(kept, drop[0] if len(drop) == 1 else query.Or(drop))
    return node


class _SideBySide(query.Or):  # type: ignore[misc]
    """Clauses written side by side with no operator between them (the default OR)."""


def _side_by_side_group(scale: float) -> type[qparser.GroupNode]:
    class SideBySideGroup(qparser.OrGroup):  # type: ignore[misc]
        qclass = _SideBySide

        def __init__(self, nodes: Any = None, **kwargs: Any) -> None:
            kwargs.pop("scale", None)
            super().__init__(nodes=nodes, scale=scale or None, **kwargs)

    return SideBySideGroup


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
        if type(node) is not _SideBySide or not (ranking.pairs or ranking.all_words):
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
        return _SideBySide([*node.subqueries, *pairs], boost=node.boost, scale=node.scale)

    return add


def _fields_narrow(node: Query) -> Query:
    """Make ``field:`` clauses written beside plain words required: words rank, fields narrow.

    ``semiconductors date:2025-11 places:japan`` finds articles of November 2025
    naming Japan, ranked by how much they say about semiconductors.
    """
    if type(node) is not _SideBySide:
        return node
    required = [c for c in node.subqueries if _field_clause(c)]
    if not required:
        return node
    ranked = [c for c in node.subqueries if not _field_clause(c)]
    if ranked:
        words = ranked[0] if len(ranked) == 1 else _SideBySide(ranked, scale=node.scale)
        required = [words, *required]
    return required[0] if len(required) == 1 else query.And(required, boost=node.boost)


def _check_date_ranges(text: str, node: Query) -> None:
    if isinstance(node, query.NumericRange) and node.fieldname == "date":
        if node.start is not None and node.end is not None and node.start > node.end:
            raise QuerySyntaxError(
                text, "the date range ends before it starts", max(0, text.find("date:"))
            )
    for child in node.children():
        _check_date_ranges(text, child)


def _errors(node: Query) -> tuple[str, int | None] | None:
    error = getattr(node, "error", None)
    if error:
        return str(error), getattr(node, "startchar", None)
    for child in node.children():
        found = _errors(child)
        if found:
            return found
    return None


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


def make_parser(
    schema: Any, default_operator: str = DEFAULT_OPERATOR, ranking: Ranking = DEFAULT_RANKING
) -> qparser.QueryParser:
    """The Whoosh parser configured for our language (fields and weights from ``ranking``)."""
    group = (
        qparser.AndGroup if default_operator == "and" else _side_by_side_group(ranking.coordination)
    )
    parser = qparser.MultifieldParser(
        list(ranking.fields),
        schema,
        fieldboosts=dict(ranking.fields),
        group=group,
        termclass=query.Term,
    )
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.BoostPlugin)
    wildcard = parser.plugins[[type(p) for p in parser.plugins].index(qparser.WildcardPlugin)]
    wildcard.wildcard_class = _CappedWildcard
    return parser


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


def parse_query(
    text: str,
    schema: Any,
    default_operator: str = DEFAULT_OPERATOR,
    ranking: Ranking = DEFAULT_RANKING,
) -> Query:
    """Parse ``text`` into an engine query; raise :class:`QuerySyntaxError` if it is malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            text[:80] + "…", f"the query is {len(text)} characters; the limit is {MAX_QUERY_LENGTH}"
        )
    cleaned = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    if not cleaned.strip():
        raise QuerySyntaxError(text, "the query is empty")
    _check_balance(cleaned)
    _check_operators(cleaned)
    rewritten = _rewrite_fields(cleaned)
    parser = make_parser(schema, default_operator, ranking)
    try:
        parsed = parser.parse(rewritten)
    except QuerySyntaxError:
        raise
    except Exception as exc:  # the parser is not meant to raise; if it does, say so plainly
        raise QuerySyntaxError(text, f"cannot parse the query ({exc})") from exc
    found = _errors(parsed)
    if found:
        message, position = found
        raise QuerySyntaxError(text, message, position)
    _check_date_ranges(text, parsed)
    parsed = (
        parsed.accept(_drop_common_name_words)
        .normalize()
        .accept(_not_excludes)
        .accept(_fields_narrow)
        .accept(_word_bonuses(ranking))
    )
    if parsed is query.NullQuery or isinstance(parsed, type(query.NullQuery)):
        words = [w for w in re.split(r"\W+", cleaned) if w and w.upper() not in _OPERATORS]
        if words:
            raise QuerySyntaxError(
                text, "the query has no searchable words (only very common words or operators)"
            )
        raise QuerySyntaxError(text, "the query has no searchable words")
    if _count_terms(parsed) > MAX_TERMS:
        raise QuerySyntaxError(text, f"the query has more than {MAX_TERMS} terms")
    return parsed.accept(answer_from_names).accept(_cap_node)


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
