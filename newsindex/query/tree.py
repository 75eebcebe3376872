"""The engine-neutral form of a query: what the user asked, before any engine sees it.

:func:`newsindex.query.parse` turns query text into one of these nodes (or raises
:class:`~newsindex.errors.QuerySyntaxError`); each engine compiles the tree into
its own query objects.  Words are kept as typed: analysis (case, accents, stop
words, stems) is the engine's job, because each engine analyses its index.

Fields are newsindex's own names: ``title``, ``body``, ``people``, ``places``,
``organisations``, ``themes``, ``source``, ``url``, ``id`` and ``date``.
``field=None`` means a plain word: it searches the title, the body and the
words of the article's names, ranked with the weights of
:class:`newsindex.ranking.Ranking`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "All",
    "And",
    "AndNot",
    "DateRange",
    "Filter",
    "Fuzzy",
    "Name",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "TermRange",
    "Wildcard",
    "Word",
    "has_field",
    "text_words",
]


@dataclass(frozen=True)
class Word:
    """One word as typed, in ``field`` or (``None``) in the plain-word fields.

    ``span`` is where the word was typed (start and end offsets in the query
    text after field aliases are spelled out), for spelling suggestions; it
    takes no part in comparisons.
    """

    text: str
    field: str | None = None
    span: tuple[int, int] | None = dataclasses.field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Phrase:
    """Words in this order; ``slop`` 1 means adjacent, N means at most N positions apart."""

    words: tuple[str, ...]
    field: str | None = None
    slop: int = 1


@dataclass(frozen=True)
class Prefix:
    """Any indexed word starting with ``text`` (typed as ``text*``)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Wildcard:
    """Indexed words matching ``pattern``: ``*`` any run of characters, ``?`` one."""

    pattern: str
    field: str | None = None


@dataclass(frozen=True)
class Fuzzy:
    """Indexed words at most ``max_edits`` edits from ``text`` (typed as ``text~N``)."""

    text: str
    field: str | None = None
    max_edits: int = 1
    prefix_length: int = 0


@dataclass(frozen=True)
class DateRange:
    """Articles dated from ``low`` to ``high``, both days included; ``None`` is open."""

    low: dt.date | None
    high: dt.date | None


@dataclass(frozen=True)
class TermRange:
    """Indexed words of ``field`` (``None``: the plain-word fields) between ``low`` and
    ``high`` in text order; ``None`` leaves that end open."""

    field: str | None
    low: str | None
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class And:
    """Every clause must match; scores add up."""

    clauses: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any clause may match; scores add up.

    ``implicit`` marks clauses written side by side with no operator: an
    engine adds the all-words and adjacent-words bonuses of the ranking to
    those, never to an ``OR`` the user typed.
    """

    clauses: tuple[Node, ...]
    implicit: bool = False


@dataclass(frozen=True)
class AndNot:
    """Articles matching ``positive`` and not ``negative`` (scored by ``positive``)."""

    positive: Node
    negative: Node


@dataclass(frozen=True)
class Not:
    """Every article that ``clause`` does not match (a query of ``NOT x`` alone)."""

    clause: Node


@dataclass(frozen=True)
class Name:
    """Articles whose entity ``field`` holds exactly one of ``values``, as facets count them
    (case and spacing aside).  Never typed: name resolution adds it, so that a filter on
    "Tony Blair" also finds the articles that call him "Mr Blair"
    (:mod:`newsindex.people_names`).
    """

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Filter:
    """Articles matching ``clause``, which narrows the results but adds nothing to their
    ranking (every match scores the same).  Never typed: name resolution adds it."""

    clause: Node


@dataclass(frozen=True)
class All:
    """Every article (an empty query, or ``*``)."""


Node = (
    Word
    | Phrase
    | Prefix
    | Wildcard
    | Fuzzy
    | DateRange
    | TermRange
    | And
    | Or
    | AndNot
    | Not
    | Name
    | Filter
    | All
)


def text_words(node: Node) -> Iterator[str]:
    """The words typed in ``node`` that search the text: plain words, ``title:`` and ``body:``.

    The excluded side of ``a NOT b`` is left out; the clause of a lone ``NOT b`` is not.
    """
    if isinstance(node, Word) and node.field in (None, "title", "body"):
        yield node.text
    elif isinstance(node, (And, Or)):
        for child in node.clauses:
            yield from text_words(child)
    elif isinstance(node, AndNot):
        yield from text_words(node.positive)
    elif isinstance(node, Not):
        yield from text_words(node.clause)


def has_field(node: Node, field: str) -> bool:
    """True if ``node`` has a clause on ``field`` (``people:modi``)."""
    if isinstance(node, (And, Or)):
        return any(has_field(child, field) for child in node.clauses)
    if isinstance(node, AndNot):
        return has_field(node.positive, field) or has_field(node.negative, field)
    if isinstance(node, (Not, Filter)):
        return has_field(node.clause, field)
    return getattr(node, "field", None) == field
