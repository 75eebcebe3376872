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
from whoosh.query import Query

from newsindex.engine.ranking import DEFAULT_OPERATOR, OR_COORDINATION, SEARCH_FIELDS
from newsindex.engine.schema import ENTITY_FIELDS, QUERYABLE_FIELDS
from newsindex.errors import QuerySyntaxError

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

_FIELD_PREFIX = re.compile(r"(?<![\w\"\\])([A-Za-z_]\w*):(?=\S)")
_OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")


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
        pieces.append(text[last : match.start()])
        pieces.append(f"{field}:")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


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


class _CappedWildcard(query.Wildcard):  # type: ignore[misc]
    """A wildcard that refuses to expand to more than MAX_EXPANSIONS terms."""

    def _btexts(self, ixreader: Any) -> Any:
        count = 0
        for text in super()._btexts(ixreader):
            count += 1
            if count > MAX_EXPANSIONS:
                raise QuerySyntaxError(
                    f"{self.fieldname}:{self.text}",
                    f"the pattern {self.text!r} matches more than {MAX_EXPANSIONS} words; "
                    "make it more specific",
                )
            yield text


class _CappedPrefix(query.Prefix):  # type: ignore[misc]
    """A prefix query that refuses to expand to more than MAX_EXPANSIONS terms."""

    def _btexts(self, ixreader: Any) -> Any:
        count = 0
        for text in super()._btexts(ixreader):
            count += 1
            if count > MAX_EXPANSIONS:
                raise QuerySyntaxError(
                    f"{self.fieldname}:{self.text}*",
                    f"the prefix {self.text!r} matches more than {MAX_EXPANSIONS} words; "
                    "make it longer",
                )
            yield text


def make_parser(schema: Any, default_operator: str = DEFAULT_OPERATOR) -> qparser.QueryParser:
    """The Whoosh parser configured for our language."""
    group = (
        qparser.AndGroup if default_operator == "and" else qparser.OrGroup.factory(OR_COORDINATION)
    )
    parser = qparser.MultifieldParser(
        list(SEARCH_FIELDS), schema, fieldboosts=SEARCH_FIELDS, group=group, termclass=query.Term
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
    if isinstance(node, query.FuzzyTerm):
        node.maxdist = min(node.maxdist, 2)
        return node
    return node


def parse_query(text: str, schema: Any, default_operator: str = DEFAULT_OPERATOR) -> Query:
    """Parse ``text`` into an engine query; raise :class:`QuerySyntaxError` if it is malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            text[:80] + "…", f"the query is {len(text)} characters; the limit is {MAX_QUERY_LENGTH}"
        )
    cleaned = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    if not cleaned.strip():
        raise QuerySyntaxError(text, "the query is empty")
    _check_balance(cleaned)
    rewritten = _rewrite_fields(cleaned)
    parser = make_parser(schema, default_operator)
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
    if parsed is query.NullQuery or isinstance(parsed, type(query.NullQuery)):
        words = [w for w in re.split(r"\W+", cleaned) if w and w.upper() not in _OPERATORS]
        if words:
            raise QuerySyntaxError(
                text, "the query has no searchable words (only very common words or operators)"
            )
        raise QuerySyntaxError(text, "the query has no searchable words")
    if _count_terms(parsed) > MAX_TERMS:
        raise QuerySyntaxError(text, f"the query has more than {MAX_TERMS} terms")
    return parsed.accept(_cap_node)


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
        words = [token.text for token in schema[field].analyzer(value)]
        if len(words) == 1:
            alternatives.append(query.Term(field, words[0]))
        elif words:
            alternatives.append(query.Phrase(field, words))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else query.Or(alternatives)
