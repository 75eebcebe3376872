"""Query text to the engine-neutral tree of :mod:`newsindex.query.tree`, or a
:class:`~newsindex.errors.QuerySyntaxError` saying where it went wrong.

The language (``docs/query-syntax.md``): words, ``"phrases"`` (``"japan india"~5``
for proximity), ``AND``/``OR``/``NOT`` and parentheses, ``wild*`` cards, fuzzy
``word~``, and ``field:value`` for title, body, people, places, organisations,
themes, source, url, id and date (``date:2025-11``,
``date:[2025-11-01 to 2025-11-30]``, ``date:>2025-11-01``).

Besides reading the syntax, this module decides which articles a query
matches, so every engine finds the same ones: words that are only stop words
search nothing, ``NOT`` excludes even among OR-ed words, and ``field:`` terms
written beside plain words are required.
"""

from __future__ import annotations

import re

from newsindex.errors import QuerySyntaxError
from newsindex.query import scan as syntax_tree
from newsindex.query.dates import DateErrors, date_range
from newsindex.query.scan import Group, Leaf
from newsindex.query.syntax import (
    FIELD_PREFIX,
    FIELDS,
    MAX_QUERY_LENGTH,
    check_balance,
    check_operators,
    rewrite_fields,
)
from newsindex.query.tree import (
    All,
    And,
    AndNot,
    DateRange,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    TermRange,
    Wildcard,
    Word,
)
from newsindex.query.words import WORD, searchable_words

__all__ = ["parse"]

_NODES = (All, And, AndNot, DateRange, Fuzzy, Not, Or, Phrase, Prefix, TermRange, Wildcard, Word)
_FIELD_NAMES = frozenset((*FIELDS, "date"))
_OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
_NAME_FIELDS = ("people", "places", "organisations", "themes")


class _Mark:
    """A clause that searches nothing, and how it vanished (it matters to ANDNOT and NOT)."""

    def __init__(self, name: str) -> None:
        self.name = name


_GONE = _Mark("gone")
"""Only stop words: dropped when the query is simplified."""
_EMPTY = _Mark("empty")
"""No words at all (or a group of such ``field:`` words): also dropped."""
_REMOVED = _Mark("removed")
"""A ``field:`` word with nothing to search, dropped as it is read: ``x ANDNOT y`` with
such an ``x`` searches ``y``, as the query language always has."""


def parse(text: str, default_operator: str = "or") -> Node:
    """Parse query ``text``; words side by side are joined by ``default_operator``."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            text[:80] + "…", f"the query is {len(text)} characters; the limit is {MAX_QUERY_LENGTH}"
        )
    cleaned = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    if not cleaned.strip():
        raise QuerySyntaxError(text, "the query is empty")
    check_balance(cleaned)
    check_operators(cleaned)
    rewritten = rewrite_fields(cleaned)
    try:
        node = _tree(text, rewritten, default_operator)
    except syntax_tree.TooFewOperandsError as exc:
        raise QuerySyntaxError(text, f"cannot parse the query ({exc})") from exc
    except RecursionError as exc:  # parentheses nested hundreds deep
        message = "cannot parse the query (maximum recursion depth exceeded)"
        raise QuerySyntaxError(text, message) from exc
    if node is None:
        words = [w for w in re.split(r"\W+", cleaned) if w and w.upper() not in _OPERATORS]
        detail = " (only very common words or operators)" if words else ""
        raise QuerySyntaxError(text, f"the query has no searchable words{detail}")
    return node


def _tree(text: str, rewritten: str, default_operator: str) -> Node | None:
    """The simplified tree of the checked and rewritten text (None: nothing to search)."""
    checked = _field_positions(rewritten)
    group = syntax_tree.scan(
        rewritten, default_operator, lambda t: t.start in checked or t.text in _FIELD_NAMES
    )
    errors = DateErrors(text)
    built = _build(group, default_operator, errors)
    errors.raise_first()
    node = None if isinstance(built, _Mark) else _normalize(built)
    return None if node is None else _narrow(_exclude(node))


def _field_positions(text: str) -> set[int]:
    """Where checked ``field:`` prefixes start.

    Elsewhere (after a colon, dot, slash or quote: ``places:date:2025``) only
    an exact field name is a field; any other ``word:`` is text (``10:30``).
    """
    return {
        match.start()
        for match in FIELD_PREFIX.finditer(text)
        if text.count('"', 0, match.start()) % 2 == 0
    }


# -- syntax groups to tree nodes ----------------------------------------------------------


_Built = Node | _Mark


def _build(node: object, operator: str, errors: DateErrors) -> _Built:
    if isinstance(node, Leaf):
        return _leaf(node, errors)
    if not isinstance(node, Group):
        return _REMOVED  # nothing else survives scanning
    parts = [_build(child, operator, errors) for child in node.nodes]
    if node.kind == "andnot":
        return _and_not(*parts)
    if node.kind == "not":
        inner = parts[0]
        if inner is _REMOVED or inner is _EMPTY:
            return _REMOVED
        return inner if inner is _GONE else Not(_node(inner))
    if all(p is _REMOVED for p in parts):
        return _EMPTY
    clauses = tuple(p for p in parts if isinstance(p, _NODES))
    if not clauses:
        return _GONE
    if (operator if node.kind == "default" else node.kind) == "and":
        return And(clauses)
    return Or(clauses, implicit=node.kind == "default")


def _and_not(positive: _Built, negative: _Built) -> _Built:
    if positive is _REMOVED:
        return _GONE if negative is _REMOVED else negative
    if negative is _REMOVED or isinstance(negative, _Mark):
        return positive
    if isinstance(positive, _Mark):
        return _GONE
    return AndNot(positive, negative)


def _node(built: _Built) -> Node:
    assert not isinstance(built, _Mark)
    return built


def _leaf(leaf: Leaf, errors: DateErrors) -> _Built:
    """The tree node for one leaf, or a mark that it searches nothing."""
    field = leaf.field
    if leaf.kind == "every":
        return All()
    if field == "date" and leaf.kind != "phrase":
        return date_range(leaf, errors)
    if leaf.kind == "range":
        return TermRange(field, leaf.low, leaf.high, not leaf.low_excluded, not leaf.high_excluded)
    if leaf.kind in ("phrase", "word") and not _searches(leaf.text, field):
        if leaf.kind == "phrase":
            return _GONE
        if field is not None:
            return _REMOVED
        return _EMPTY if not WORD.search(leaf.text) else _GONE
    if leaf.kind == "phrase":
        return Phrase(tuple(leaf.text.split()), field, leaf.slop)
    if leaf.kind == "word":
        return Word(leaf.text, field, (leaf.start, leaf.end))
    if leaf.kind == "prefix":
        return Prefix(leaf.text, field)
    if leaf.kind == "fuzzy":
        return Fuzzy(leaf.text, field, leaf.max_edits, leaf.prefix_length)
    return Wildcard(leaf.text, field)


def _searches(text: str, field: str | None) -> bool:
    """Whether words of ``text`` in ``field`` search anything (stop words alone do not)."""
    if field in _NAME_FIELDS:
        return bool(WORD.search(text))
    if field == "source":
        return bool(re.findall(r"[^,]+", text))
    if field in ("id", "url", "date"):
        return True
    return bool(searchable_words(text))


# -- the shape every engine compiles --------------------------------------------------------


def _normalize(node: Node | None) -> Node | None:
    """Flatten nested groups of one kind, drop empty clauses, unwrap groups of one."""
    if isinstance(node, Not):
        inner = _normalize(node.clause)
        return None if inner is None else Not(inner)
    if isinstance(node, AndNot):
        positive, negative = _normalize(node.positive), _normalize(node.negative)
        if positive is None or negative is None:
            return positive
        return AndNot(positive, negative)
    if not isinstance(node, (And, Or)):
        return node
    clauses: list[Node] = []
    for clause in (_normalize(c) for c in node.clauses):
        if clause is None:
            continue
        if _absorbs(node, clause):
            assert isinstance(clause, (And, Or))
            clauses.extend(clause.clauses)
        else:
            clauses.append(clause)
    if any(isinstance(c, All) for c in clauses):
        return All()
    unique = list(dict.fromkeys(clauses))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    return And(tuple(unique)) if isinstance(node, And) else Or(tuple(unique), node.implicit)


def _absorbs(group: And | Or, clause: Node) -> bool:
    """Whether ``clause`` merges into ``group`` (side-by-side words keep typed ORs apart)."""
    if isinstance(group, And):
        return isinstance(clause, And)
    return isinstance(clause, Or) and (clause.implicit or not group.implicit)


def _exclude(node: Node) -> Node:
    """``a NOT b`` excludes ``b`` even when plain words are OR-ed (bottom up)."""
    node = _map_children(node, _exclude)
    if not isinstance(node, Or) or not any(isinstance(c, Not) for c in node.clauses):
        return node
    keep = tuple(c for c in node.clauses if not isinstance(c, Not))
    drop = tuple(c.clause for c in node.clauses if isinstance(c, Not))
    if not keep:
        return node
    kept = keep[0] if len(keep) == 1 else Or(keep, node.implicit)
    return AndNot(kept, drop[0] if len(drop) == 1 else Or(drop))


def _narrow(node: Node) -> Node:
    """``field:`` clauses beside plain words are required: words rank, fields narrow."""
    node = _map_children(node, _narrow)
    if not isinstance(node, Or) or not node.implicit:
        return node
    required = [c for c in node.clauses if _field_clause(c)]
    if not required:
        return node
    ranked = tuple(c for c in node.clauses if not _field_clause(c))
    if ranked:
        required.insert(0, ranked[0] if len(ranked) == 1 else Or(ranked, implicit=True))
    return required[0] if len(required) == 1 else And(tuple(required))


def _field_clause(node: Node) -> bool:
    """True for a clause on one named field (a ``field:`` prefix or a date)."""
    return not isinstance(node, Not) and len(_fields_of(node)) == 1 and None not in _fields_of(node)


def _fields_of(node: Node) -> set[str | None]:
    if isinstance(node, (And, Or)):
        return {f for c in node.clauses for f in _fields_of(c)}
    if isinstance(node, AndNot):
        return _fields_of(node.positive) | _fields_of(node.negative)
    if isinstance(node, Not):
        return _fields_of(node.clause)
    if isinstance(node, All):
        return {"*"}
    if isinstance(node, TermRange):
        return {node.field}
    return {getattr(node, "field", "date")}


def _map_children(node: Node, step: object) -> Node:
    assert callable(step)
    if isinstance(node, And):
        return And(tuple(step(c) for c in node.clauses))
    if isinstance(node, Or):
        return Or(tuple(step(c) for c in node.clauses), node.implicit)
    if isinstance(node, AndNot):
        return AndNot(step(node.positive), step(node.negative))
    if isinstance(node, Not):
        return Not(step(node.clause))
    return node
