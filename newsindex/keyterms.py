"""Key terms of a query: the words and names that set the matching articles apart.

Each term is scored with Dunning's log-likelihood ratio G² (Dunning 1993,
"Accurate methods for the statistics of surprise and coincidence",
Computational Linguistics 19(1)) on a 2x2 table of articles: how many of the
matching articles contain the term, against how many of the other articles
do.  Only terms more frequent among the matches are kept; G² above 10.83 is
significant at p < 0.001 (one degree of freedom).

* ``words``: the words of each article's stored title and body (the
  ``newsindex.query.words.WORD`` pattern, lower-cased and accent-folded, stop
  words, numbers, one-letter words and the query's own words dropped), counted
  once per article.  Exact when there are at most ``sample`` matching and at
  most ``sample`` other articles; otherwise a seeded random sample of
  ``sample`` articles of each side is read.
* ``people``, ``places``, ``organisations``, ``themes``: exact facet counts of
  the matches against those of the whole index (minus the matches).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsindex.dedup import STOP_WORDS as NEWS_STOP_WORDS
from newsindex.errors import ConfigurationError
from newsindex.options import Filters, SearchOptions
from newsindex.query.words import STOP_WORDS, WORD, fold

if TYPE_CHECKING:
    from newsindex.index import NewsIndex

__all__ = ["FIELDS", "SAMPLE_SIZE", "KeyTerm", "KeyTerms", "g2", "keyterms"]

FIELDS = ("words", "people", "places", "organisations", "themes")
SAMPLE_SIZE = 5_000
"""Articles read per side for ``words`` before sampling (seeded) takes over."""
MEASURE = "G² log-likelihood ratio (Dunning 1993)"
_DROP = STOP_WORDS | NEWS_STOP_WORDS


@dataclass(frozen=True)
class KeyTerm:
    """One term: its G² score and how many articles of each side contain it."""

    term: str
    score: float
    matches: int
    """Matching articles (of those read) containing the term."""
    others: int
    """Other articles (of those read) containing the term."""


@dataclass(frozen=True)
class KeyTerms:
    """The key terms of ``query`` in ``by``, best first, with what they were counted over."""

    query: str
    by: str
    terms: tuple[KeyTerm, ...]
    matching: int
    """Matching articles counted (all of them, or the sample)."""
    others: int
    """Other articles counted (all of them, or the sample)."""
    sampled: bool
    measure: str = MEASURE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "query": self.query,
            "by": self.by,
            "measure": self.measure,
            "matching": self.matching,
            "others": self.others,
            "sampled": self.sampled,
            "terms": [
                {
                    "term": t.term,
                    "score": round(t.score, 3),
                    "matches": t.matches,
                    "others": t.others,
                }
                for t in self.terms
            ],
        }


def _xlogx(observed: float, expected: float) -> float:
    return observed * math.log(observed / expected) if observed > 0 else 0.0


def g2(k1: int, n1: int, k2: int, n2: int) -> float:
    """Dunning's G² for a term in ``k1`` of ``n1`` articles against ``k2`` of ``n2``."""
    total, with_term = n1 + n2, k1 + k2
    if not total or not n1 or not n2 or with_term in (0, total):
        return 0.0
    cells = (
        (k1, n1, with_term),
        (n1 - k1, n1, total - with_term),
        (k2, n2, with_term),
        (n2 - k2, n2, total - with_term),
    )
    return 2.0 * sum(_xlogx(o, row * col / total) for o, row, col in cells)


def _rank(
    found: Counter[str], n1: int, rest: Counter[str], n2: int, top: int, min_count: int
) -> tuple[KeyTerm, ...]:
    scored = [
        KeyTerm(term, g2(k1, n1, rest[term], n2), k1, rest[term])
        for term, k1 in found.items()
        if k1 >= min_count and k1 * n2 > rest[term] * n1
    ]
    scored.sort(key=lambda t: (-t.score, t.term))
    return tuple(t for t in scored[:top] if t.score > 0)


def article_words(text: str, drop: frozenset[str] = frozenset()) -> set[str]:
    """The distinct folded words of ``text`` that can be key terms."""
    words = {fold(w) for w in WORD.findall(text)}
    return {w for w in words if len(w) > 1 and not w.isdigit() and w not in _DROP and w not in drop}


def _count(index: NewsIndex, ids: Iterable[str], drop: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for article_id in ids:
        article = index.get(article_id)
        counts.update(article_words(f"{article.title}\n{article.body}", drop))
    return counts


def keyterms(
    index: NewsIndex,
    query: str,
    *,
    by: str = "words",
    top: int = 20,
    filters: Filters | None = None,
    sample: int = SAMPLE_SIZE,
    seed: int = 1,
    min_count: int = 2,
) -> KeyTerms:
    """The ``top`` terms of ``by`` most over-represented in the articles matching ``query``."""
    if by not in FIELDS:
        raise ConfigurationError(f"unknown field {by!r}; use one of {', '.join(FIELDS)}")
    if by != "words":
        return _entity_terms(index, query, by, top, filters, min_count)
    everything = index.search("*", options=SearchOptions(filters=filters or Filters(), limit=1))
    found = index.search(query, options=_all(filters, max(everything.total, 1)))
    matching = [hit.id for hit in found.hits]
    chosen = set(matching)
    rest = [i for i in _ids_within(index, filters, everything.total) if i not in chosen]
    rng = random.Random(seed)
    sampled = len(matching) > sample or len(rest) > sample
    matching = rng.sample(matching, sample) if len(matching) > sample else matching
    rest = rng.sample(rest, sample) if len(rest) > sample else rest
    drop = frozenset(article_words(query.replace(":", " ")))
    terms = _rank(
        _count(index, matching, drop),
        len(matching),
        _count(index, rest, drop),
        len(rest),
        top,
        min_count,
    )
    return KeyTerms(query, by, terms, len(matching), len(rest), sampled)


def _all(filters: Filters | None, limit: int) -> SearchOptions:
    return SearchOptions(
        filters=filters or Filters(), limit=limit, sort="date", fold_duplicates=False
    )


def _ids_within(index: NewsIndex, filters: Filters | None, total: int) -> list[str]:
    """Every article id within ``filters`` (all ids when there are none)."""
    if filters is None or filters == Filters():
        return index.ids()
    return [hit.id for hit in index.search("*", options=_all(filters, max(total, 1))).hits]


def _entity_terms(
    index: NewsIndex, query: str, by: str, top: int, filters: Filters | None, min_count: int
) -> KeyTerms:
    from newsindex.valuematch import MATCH_CAP

    found = index.facets(query, (by,), filters=filters, top=MATCH_CAP)[by]
    whole = index.facets("*", (by,), filters=filters, top=MATCH_CAP)[by]
    inside = Counter({c.value: c.count for c in found.counts})
    rest = Counter({c.value: c.count - inside[c.value] for c in whole.counts})
    n1, n2 = found.total, whole.total - found.total
    return KeyTerms(query, by, _rank(inside, n1, rest, n2, top, min_count), n1, n2, False)
