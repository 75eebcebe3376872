"""How results are ranked: BM25F parameters, the weight of each searched field, and how
plain words combine.

Every figure here was chosen by measurement on the TIME collection and checked on
Reuters-21578 (``python -m benchmarks.eval_ranking``; see docs/evaluation.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from whoosh.scoring import BM25F, WeightingModel

__all__ = [
    "DEFAULT_OPERATOR",
    "DEFAULT_RANKING",
    "OR_COORDINATION",
    "SEARCH_FIELDS",
    "ProbabilisticBM25F",
    "Ranking",
    "RobertsonBM25F",
    "weighting",
]


@dataclass(frozen=True)
class Ranking:
    """One complete ranking configuration (the default, or a variant being measured)."""

    k1: float = 1.2
    """Term-frequency saturation: higher lets repeated words keep adding score."""
    b: float = 0.75
    """Length normalisation for the body and entity fields (0 none, 1 full)."""
    title_b: float = 0.5
    """Length normalisation for titles, which are short and vary little."""
    fields: dict[str, float] = field(
        default_factory=lambda: {"title": 2.5, "body": 1.0, "entities": 1.5}
    )
    """Fields plain words search, with their weights."""
    operator: str = "or"
    """How plain words combine when the query does not say: ``or`` (ranked) or ``and``."""
    coordination: float = 0.9
    """With ``or``: how much an article matching more of the words is favoured (0 none)."""
    pairs: float = 0.0
    """Weight of a bonus for two words typed side by side found close together (0 none)."""
    pair_slop: int = 1
    """How close "close together" is: 1 means adjacent (common words do not count)."""
    idf: str = "whoosh"
    """Inverse document frequency: ``whoosh`` (log(N/(n+1)) + 1) or ``probabilistic``
    (log(1 + (N - n + 0.5) / (n + 0.5)), as in Lucene and Tantivy) or ``robertson``
    (log((N - n + 0.5) / (n + 0.5)) floored just above 0, as in SQLite FTS5)."""


DEFAULT_RANKING = Ranking()
"""The ranking every search uses."""

SEARCH_FIELDS = DEFAULT_RANKING.fields
"""Fields plain words search, with their weights: the title counts most, and a
word naming one of the article's people, places, organisations or themes
counts more than a passing mention in the body."""

DEFAULT_OPERATOR = DEFAULT_RANKING.operator
"""How plain words combine when the query does not say: ranked OR."""

OR_COORDINATION = DEFAULT_RANKING.coordination
"""Weight Whoosh's OR groups give to articles matching more of the words."""


class ProbabilisticBM25F(BM25F):  # type: ignore[misc]
    """Whoosh's per-field BM25 with the probabilistic idf of Lucene, Tantivy and FTS5.

    Whoosh's own idf adds 1 to every term's weight, which flattens the
    difference between a rare word (a name) and a common one (*week*).
    """

    floor: float | None = None
    """Without a floor, ``1 +`` keeps every weight positive (Lucene, Tantivy); with one,
    the weight is log((N - n + 0.5) / (n + 0.5)) cut at the floor (SQLite FTS5)."""

    def idf(self, searcher: Any, fieldname: str, text: Any) -> float:
        found = searcher.doc_frequency(fieldname, text)
        total = searcher.doc_count_all()
        odds = (total - found + 0.5) / (found + 0.5)
        if self.floor is None:
            return math.log(1.0 + odds)
        return max(self.floor, math.log(odds))


class RobertsonBM25F(ProbabilisticBM25F):
    """The idf of SQLite FTS5: words in more than half the articles weigh almost nothing."""

    floor = 1e-6


def weighting(ranking: Ranking = DEFAULT_RANKING) -> WeightingModel:
    """The scoring model for ``ranking`` (by default the one every search uses)."""
    models = {"probabilistic": ProbabilisticBM25F, "robertson": RobertsonBM25F}
    model = models.get(ranking.idf, BM25F)
    return model(B=ranking.b, K1=ranking.k1, title_B=ranking.title_b)
