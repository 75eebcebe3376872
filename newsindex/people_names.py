"""The name table of an index: which full name each short mention of a person counts under.

Within one article the extractor already turns "Mr Blair" into the "Tony Blair"
named earlier in it.  An article that says only "Mr Blair" is resolved here,
against the whole index: after every build the people of every article, with
the years they are named in, are read into a
:class:`~newsindex.extract.resolution.NameTable`, and each short name
("Blair", "President Bush") is recorded with the full name it means when that
is unambiguous, preferring full names seen in the same period.  "Bush" can mean
George Bush in 1987 and George W Bush in 2004, so a rule may hold for some years
only; a short name no date or count decides stays unresolved, with its
candidates.

The articles themselves are not rewritten: facets, related entities and
filters read the table.  A facet counts an article that names only "Mr Blair"
for Tony Blair, and ``people="Tony Blair"`` finds it.  Adding articles may
resolve names of earlier ones, so the whole table is recomputed after each
build, from facet counts (one pass over the index), and takes effect at once.
The user's own aliases (``alias<TAB>full name`` lines) win over every rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from newsindex.extract.gazetteer import DATA_DIR
from newsindex.extract.resolution import NameTable, untitled
from newsindex.filetable import exact_value
from newsindex.options import Filters
from newsindex.query import ParsedQuery
from newsindex.query import tree as t
from newsindex.results import Facet, FacetCount

if TYPE_CHECKING:
    from newsindex.engine.protocol import Engine

__all__ = ["ALIASES_TABLE", "NAMES_TABLE", "PeopleNames", "ResolvedName", "compute_names"]

logger = logging.getLogger(__name__)

NAMES_TABLE = "people-names"
"""The name under which the engine keeps the table (:meth:`Engine.record_table`)."""
ALIASES_TABLE = "people-aliases"
"""The name under which the engine keeps the user's aliases."""
VALUES_PER_PASS = 50_000
"""People read per facet pass when the table is computed (the most named first)."""
RESOLVED = frozenset({"alias", "unique", "period", "frequent"})
_FORMAT = 1
_ALL = ParsedQuery("*", t.All())


@dataclass(frozen=True)
class ResolvedName:
    """How a person's name as articles write it (``mention``) is counted.

    ``name`` is the full name it counts under (the mention itself when it is
    not resolved).  ``how`` is ``alias`` (the user's alias file), ``unique``
    (the only full name in the index holding it), ``period`` (the only
    candidate, or by far the most named, in the same period), ``frequent`` (by
    far the most named, for undated articles), ``ambiguous`` (several
    ``candidates``, none chosen), ``full`` (a full name, counted as itself) or
    ``unknown`` (a short name no full name in the index holds).  ``years``
    limits the rule to articles of those years; empty means every article.
    """

    mention: str
    name: str
    how: str
    candidates: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @property
    def resolved(self) -> bool:
        """True when the mention counts under another, full name."""
        return self.how in RESOLVED

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "mention": self.mention,
            "name": self.name,
            "how": self.how,
            "candidates": list(self.candidates),
            "years": list(self.years),
        }


def _key(name: str) -> str:
    return exact_value(name).casefold()


class PeopleNames:
    """The name table of an index (:meth:`newsindex.NewsIndex.names`).

    Iterating gives every rule; :meth:`resolve` says how one name counts and
    :meth:`mentions_of` which short names count under a full name.
    """

    def __init__(
        self, rules: Sequence[ResolvedName] = (), aliases: Mapping[str, str] | None = None
    ) -> None:
        self.aliases: dict[str, str] = dict(aliases or {})
        self._rules: dict[str, list[ResolvedName]] = defaultdict(list)
        self._under: dict[str, list[ResolvedName]] = defaultdict(list)
        for rule in rules:
            self._rules[_key(rule.mention)].append(rule)
            if rule.resolved:
                self._under[_key(rule.name)].append(rule)

    def __iter__(self) -> Iterator[ResolvedName]:
        for rules in self._rules.values():
            yield from rules

    def __len__(self) -> int:
        return sum(len(rules) for rules in self._rules.values())

    def __bool__(self) -> bool:
        return bool(self._rules)

    def __repr__(self) -> str:
        merged = sum(1 for rule in self if rule.resolved)
        return f"<PeopleNames: {merged} short names resolved, {len(self) - merged} not>"

    def rules_of(self, mention: str) -> list[ResolvedName]:
        """The rules for ``mention``: year-limited ones first, then the one for the rest."""
        return self._rules.get(_key(mention), [])

    def resolve(self, mention: str, when: dt.date | None = None) -> ResolvedName:
        """How ``mention`` counts in an article of date ``when``."""
        if mention in self.aliases:
            return ResolvedName(mention, self.aliases[mention], "alias")
        bare = untitled(mention)
        for rule in self.rules_of(mention) or self.rules_of(bare):
            if not rule.years or (when is not None and when.year in rule.years):
                return replace(rule, mention=mention)
        how = "full" if len(bare.split()) > 1 else "unknown"
        return ResolvedName(mention, bare if how == "full" else mention, how)

    def canonical(self, mention: str, when: dt.date | None = None) -> str:
        """The name ``mention`` counts under in an article of date ``when``."""
        return self.resolve(mention, when).name

    def mentions_of(self, name: str) -> list[ResolvedName]:
        """The rules of the short names that count under ``name``."""
        return self._under.get(_key(name), [])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (kept in the index, and printed by ``newsindex names --json``)."""
        return {"format": _FORMAT, "articles": self.articles, "rules": [r.to_dict() for r in self]}

    articles: int | None = None
    """How many articles the index held when the table was made (None: not known)."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], aliases: Mapping[str, str] | None) -> PeopleNames:
        """The table :meth:`to_dict` made; an unknown format reads as an empty table."""
        if data.get("format") != _FORMAT:
            return cls((), aliases)
        rules = [
            ResolvedName(
                str(r["mention"]),
                str(r["name"]),
                str(r["how"]),
                tuple(r.get("candidates", ())),
                tuple(int(y) for y in r.get("years", ())),
            )
            for r in data.get("rules", ())
        ]
        table = cls(rules, aliases)
        table.articles = data.get("articles")
        return table

    # -- queries ------------------------------------------------------------------------

    def expansion(self, name: str) -> t.Node | None:
        """The articles counted under full name ``name``: those naming it exactly and those
        naming a short form resolved to it; None when no short form is."""
        mentions = self.mentions_of(name)
        if not mentions:
            return None
        always = [rule for rule in mentions if not self._limited(rule)]
        clauses: list[t.Node] = [t.Name("people", (name, *(r.mention for r in always)))]
        clauses.extend(self._rule_clause(rule) for rule in mentions if self._limited(rule))
        return clauses[0] if len(clauses) == 1 else t.Or(tuple(clauses))

    def _limited(self, rule: ResolvedName) -> bool:
        """True if ``rule`` holds only in some years (it, or another rule of its mention)."""
        return len(self.rules_of(rule.mention)) > 1

    def residual(self, mention: str) -> t.Node:
        """The articles naming ``mention`` where it is not resolved."""
        resolved_years = [y for r in self.rules_of(mention) if r.resolved for y in r.years]
        if not resolved_years:
            return t.Name("people", (mention,))
        return t.AndNot(t.Name("people", (mention,)), _in_years(resolved_years))

    def _rule_clause(self, rule: ResolvedName) -> t.Node:
        named = t.Name("people", (rule.mention,))
        if rule.years:
            return t.And((named, _in_years(rule.years)))
        other = [y for r in self.rules_of(rule.mention) if r is not rule for y in r.years]
        return t.AndNot(named, _in_years(other)) if other else named

    def expand_tree(self, node: t.Node) -> t.Node:
        """``node`` with each ``people:"full name"`` clause also matching its short forms."""
        if isinstance(node, (t.And, t.Or)):
            return replace(node, clauses=tuple(self.expand_tree(c) for c in node.clauses))
        if isinstance(node, t.AndNot):
            return t.AndNot(self.expand_tree(node.positive), self.expand_tree(node.negative))
        if isinstance(node, t.Not):
            return t.Not(self.expand_tree(node.clause))
        if isinstance(node, (t.Word, t.Phrase)) and node.field == "people":
            typed = node.text if isinstance(node, t.Word) else " ".join(node.words)
            more = self._expansion_of_typed(typed)
            if more is not None:
                return t.Filter(t.Or((node, more)))
        return node

    def _expansion_of_typed(self, typed: str) -> t.Node | None:
        """The expansion of the full name ``typed`` spells (in any case), if any."""
        mentions = self.mentions_of(typed)
        return self.expansion(mentions[0].name) if mentions else None

    def narrow(self, parsed: ParsedQuery, filters: Filters) -> tuple[ParsedQuery, Filters]:
        """``parsed`` and ``filters`` with full names also matching their short forms."""
        if not self:
            return parsed, filters
        tree = self.expand_tree(parsed.tree)
        wanted = [(value, self._expansion_of_typed(value)) for value in filters.people]
        if any(more is not None for _, more in wanted):
            clause = t.Or(
                tuple(
                    t.Or((t.Phrase(tuple(v.split()), "people"), more))
                    if more is not None
                    else t.Phrase(tuple(v.split()), "people")
                    for v, more in wanted
                )
            )
            tree = t.Filter(clause) if isinstance(tree, t.All) else t.And((tree, t.Filter(clause)))
            filters = replace(filters, people=())
        if tree == parsed.tree:
            return parsed, filters
        return ParsedQuery(parsed.text, tree, parsed.default_operator), filters


def _in_years(years: Sequence[int]) -> t.Node:
    """Articles dated in any of ``years``, as one date range per run of consecutive years."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    ranges = tuple(t.DateRange(dt.date(r[0], 1, 1), dt.date(r[-1], 12, 31)) for r in runs)
    return ranges[0] if len(ranges) == 1 else t.Or(ranges)


# -- computing the table ----------------------------------------------------------------


def compute_names(engine: Engine, aliases: Mapping[str, str] | None = None) -> PeopleNames:
    """The name table of the index ``engine`` holds, read from its people facets: one pass
    over every article, then one over the articles of each year (few values per request,
    as a cluster or Tantivy's aggregation limits want)."""
    whole = engine.facets(_ALL, Filters(), ("people", "date"), top=VALUES_PER_PASS, interval="year")
    table = NameTable(aliases)
    dated: Counter[str] = Counter()
    years: dict[str, list[int]] = defaultdict(list)
    for label in (c.value for c in whole["date"].counts):
        year = int(label[:4])
        within = Filters(since=dt.date(year, 1, 1), until=dt.date(year, 12, 31))
        facet = engine.facets(_ALL, within, ("people",), top=VALUES_PER_PASS, interval="year")
        for count in facet["people"].counts:
            table.add(count.value, _middle(year), count.count)
            dated[count.value] += count.count
            years[count.value].append(year)
    for count in whole["people"].counts:
        if count.count > dated[count.value]:
            table.add(count.value, None, count.count - dated[count.value])
    rules: list[ResolvedName] = []
    for count in whole["people"].counts:
        found = _rules(table, count.value, sorted(years[count.value]))
        rules.extend(_weighed(table, found, count.count))
    return PeopleNames(rules, aliases)


def _weighed(table: NameTable, rules: list[ResolvedName], mentions: int) -> list[ResolvedName]:
    """``rules`` with each merge the counts do not bear out turned into an unresolved rule.

    A short name that is also one of the :data:`COMMON_FIRST_NAMES` most common
    first names is mostly someone's first name: "Charles" in 13 articles is not
    the "Ray Charles" of one.  It merges only into a full name seen at least as
    often as itself.  The user's aliases are always kept.
    """
    if not rules or rules[0].mention not in _first_names():
        return rules
    return [
        replace(rule, name=rule.mention, how="weak")
        if rule.resolved and rule.how != "alias" and table.seen(rule.name) < mentions
        else rule
        for rule in rules
    ]


COMMON_FIRST_NAMES = 1000
"""How many of the most frequent first names (``first_names.txt``) count as common."""


@functools.cache
def _first_names() -> frozenset[str]:
    path = DATA_DIR / "first_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in lines if line.strip() and line[0] != "#"]
    return frozenset(names[:COMMON_FIRST_NAMES])


def load_names(engine: Engine) -> PeopleNames:
    """The name table the last build recorded in ``engine``'s index (empty if none)."""
    aliases = engine.read_table(ALIASES_TABLE)
    data = engine.read_table(NAMES_TABLE)
    names = PeopleNames.from_dict(data or {}, aliases)
    if names.articles is None:  # no table yet (an index built before them): not again
        names.articles = engine.count()  # until a build changes the index
    return names


def record_names(engine: Engine) -> PeopleNames:
    """Compute the name table of ``engine``'s index with the aliases it keeps, and keep it.

    Call it holding the write lock, so no commit changes the index while it is read.
    """
    started = time.perf_counter()
    names = compute_names(engine, engine.read_table(ALIASES_TABLE))
    names.articles = engine.count()
    engine.record_table(NAMES_TABLE, names.to_dict())
    logger.info("name table: %d rules in %.2f s", len(names), time.perf_counter() - started)
    return names


def names_are_current(engine: Engine) -> bool:
    """True if the kept name table was made from an index of today's article count."""
    kept = engine.read_table(NAMES_TABLE)
    return kept is not None and kept.get("articles") == engine.count()


def _middle(year: int) -> dt.date:
    return dt.date(year, 7, 1)


def _rules(table: NameTable, mention: str, years: list[int]) -> list[ResolvedName]:
    """The rules of ``mention``: none for a full name or one nothing holds, else one rule,
    or one per full name it means in some years and one for the rest."""
    first = table.resolve(mention)
    if first.how in ("full", "unknown"):
        return []
    rest = ResolvedName(mention, first.name, first.how, first.candidates)
    if first.how in ("alias", "unique"):
        return [rest]
    by_name: dict[str, list[int]] = defaultdict(list)
    for year in years:
        found = table.resolve(mention, _middle(year))
        if found.resolved:
            by_name[found.name].append(year)
    if len(by_name) == 1 and len(next(iter(by_name.values()))) == len(years):
        (name,) = by_name
        how = rest.how if rest.name == name else "period"
        return [ResolvedName(mention, name, how, first.candidates)]
    limited = [
        ResolvedName(mention, name, "period", first.candidates, tuple(found))
        for name, found in sorted(by_name.items())
        if name != rest.name
    ]
    return [*limited, rest]


# -- facets ------------------------------------------------------------------------------


def merged_buckets(
    engine: Engine,
    parsed: ParsedQuery,
    filters: Filters,
    by: tuple[str, ...],
    top: int,
    interval: str,
    names: PeopleNames,
) -> dict[str, dict[str, Facet]]:
    """:meth:`Engine.facets_by_bucket` with each bucket's people merged by
    :func:`merge_facet` (sums, resolved for the bucket's year)."""
    found = engine.facets_by_bucket(parsed, filters, by, top=fetch_size(top), interval=interval)
    return {
        label: with_people(
            facets, merge_facet(facets["people"], names, top, None, _middle(int(label[:4]))), top
        )
        for label, facets in found.items()
    }


def with_people(facets: dict[str, Facet], people: Facet, top: int) -> dict[str, Facet]:
    """``facets`` asked for :func:`fetch_size` values, with ``people`` merged in their place
    and every other field cut back to its ``top`` (dates are never cut)."""
    return {
        k: people if k == "people" else f if k == "date" else replace(f, counts=f.counts[:top])
        for k, f in facets.items()
    }


EXACT_ROWS = 100
"""Rows of a people facet whose merged counts are counted exactly (one query each); rows
past them (``facets(top=10_000)``, ``match``, key terms) are sums of their forms' counts."""


def fetch_size(top: int) -> int:
    """How many people to ask the engine for, so that merged rows still fill ``top``."""
    return min(VALUES_PER_PASS, top * 3 + 30)


def merge_facet(
    facet: Facet,
    names: PeopleNames,
    top: int,
    count: Callable[[t.Node], int] | None,
    when: dt.date | None = None,
) -> Facet:
    """``facet`` (people) with short forms counted under their full names.

    With ``count`` (the number of matching articles a clause narrows to), each
    row of the first :data:`EXACT_ROWS` that merges several values is counted
    exactly; without it (``when`` the bucket's date), and past those rows, merged
    rows are sums, which count twice an article naming both forms (in-story
    resolution makes that rare).
    """
    estimate: Counter[str] = Counter()
    shown: dict[str, str] = {}
    inexact: set[str] = set()
    for row in facet.counts:
        rules = names.rules_of(row.value)
        if when is not None and rules:
            rules = [names.resolve(row.value, when)]
        targets = {r.name for r in rules if r.resolved} or {row.value}
        if any(not r.resolved for r in rules) and any(r.resolved for r in rules):
            targets.add(row.value)
        for name in targets:
            estimate[_key(name)] += row.count
            shown.setdefault(_key(name), name)
        if any(r.resolved for r in rules) or names.mentions_of(row.value):
            inexact.update(_key(name) for name in targets)
    if count is not None:
        _count_exactly(estimate, shown, inexact, names, min(top, EXACT_ROWS), count)
    ranked = sorted(estimate, key=lambda k: (-estimate[k], shown[k].casefold()))[:top]
    rows = tuple(FacetCount(shown[k], estimate[k]) for k in ranked if estimate[k] > 0)
    return Facet(facet.field, rows, facet.total)


def _count_exactly(
    estimate: Counter[str],
    shown: dict[str, str],
    inexact: set[str],
    names: PeopleNames,
    top: int,
    count: Callable[[t.Node], int],
) -> None:
    """Count the merged rows of the top ``top`` exactly, until the top holds only exact rows
    (every estimate is an upper bound, so a row counted lower may leave the top)."""
    while True:
        ranked = sorted(estimate, key=lambda k: (-estimate[k], shown[k].casefold()))[:top]
        pending = [k for k in ranked if k in inexact]
        if not pending:
            return
        for key in pending:
            name = shown[key]
            clause = names.expansion(name)
            if clause is None:
                clause = names.residual(name)
            estimate[key] = count(clause)
            inexact.discard(key)
