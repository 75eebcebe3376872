"""Whoosh's scoring for :class:`newsindex.ranking.Ranking`: BM25F with our idf choices."""

from __future__ import annotations

import math
from typing import Any

from whoosh.scoring import BM25F, WeightingModel

from newsindex.ranking import DEFAULT_RANKING, Ranking

__all__ = ["ProbabilisticBM25F", "RobertsonBM25F", "weighting"]


class ProbabilisticBM25F(BM25F):  # type: ignore[misc]
    """Whoosh's per-field BM25 with the probabilistic idf of Lucene and Tantivy.

    Whoosh's own idf adds 1 to every word's weight, which flattens the
    difference between a rare word (a name) and a common one (*week*).
    """

    floor: float | None = None
    """None: log(1 + odds), always positive.  A number: log(odds), cut at that floor."""

    def idf(self, searcher: Any, fieldname: str, text: Any) -> float:
        found = searcher.doc_frequency(fieldname, text)
        total = searcher.doc_count_all()
        odds = (total - found + 0.5) / (found + 0.5)
        if self.floor is None:
            return math.log(1.0 + odds)
        return max(self.floor, math.log(odds))


class RobertsonBM25F(ProbabilisticBM25F):
    """The idf of SQLite FTS5: a word in more than half the articles weighs little.

    The floor (FTS5 uses 1e-6) keeps such words ranking articles by how often
    and where they use them, with readable scores; 0.05 and 1e-6 rank TIME the same.
    """

    floor = 0.05


def weighting(ranking: Ranking = DEFAULT_RANKING) -> WeightingModel:
    """The scoring model for ``ranking`` (by default the one every search uses)."""
    models = {"probabilistic": ProbabilisticBM25F, "robertson": RobertsonBM25F}
    model = models.get(ranking.idf, BM25F)
    return model(B=ranking.b, K1=ranking.k1, title_B=ranking.title_b)
