"""How results are ranked: BM25F parameters and the weight of each searched field."""

from __future__ import annotations

from whoosh.scoring import BM25F, WeightingModel

SEARCH_FIELDS = {"title": 2.5, "body": 1.0, "entities": 1.5}
"""Fields plain words search, with their weights: the title counts most, and a
word naming one of the article's people, places, organisations or themes
counts more than a passing mention in the body."""

DEFAULT_OPERATOR = "or"
"""How plain words combine when the query does not say: ranked OR."""

OR_COORDINATION = 0.9
"""Weight Whoosh's OR groups give to articles matching more of the words."""


def weighting() -> WeightingModel:
    """The scoring model every search uses."""
    return BM25F(B=0.75, K1=1.2, title_B=0.5)
