"""How results are ranked: BM25 parameters, the weight of each searched field, and how
plain words combine.

Every default here was chosen by measurement: on the TIME collection (judged
relevance) and on Reuters-21578 with topic names as queries (pseudo-relevance),
next to SQLite FTS5 and Tantivy.  ``python -m benchmarks.eval_ranking --variants``
reproduces the figures; docs/evaluation.md (## Ranking) has the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_OPERATOR",
    "DEFAULT_RANKING",
    "OR_COORDINATION",
    "SEARCH_FIELDS",
    "Ranking",
]


@dataclass(frozen=True)
class Ranking:
    """One complete ranking configuration (the default, or a variant being measured)."""

    k1: float = 1.2
    """Term-frequency saturation. 0.9 and 1.5 measured lower on TIME, 2.0 within 0.002."""
    b: float = 0.75
    """Length normalisation of body and entity fields; 0.5 and 0.9 measured lower."""
    title_b: float = 0.5
    """Length normalisation of titles, which are short and vary little."""
    fields: dict[str, float] = field(
        default_factory=lambda: {"title": 1.5, "body": 1.0, "entities": 0.25}
    )
    """Fields plain words search, with their weights.

    Title and body are scored separately and added, so a word in both counts
    twice; the title counts half as much again on top (Reuters nDCG@10 for
    title 1.0, 1.5, 2.5, 4.0: 0.671, 0.679, 0.655, 0.645; TIME has no titles).
    ``entities`` holds the names of the article's people, places, organisations
    and themes: a word naming one of them adds to the body's score, so an article
    about Japan outranks one that mentions Japan once (0 measured lower on TIME).
    Heavier weights (0.75, 1.5) measured lower on both collections: names are
    already in the body, and a wrong name costs more than a right one gains.
    """
    operator: str = "or"
    """How plain words combine when the query does not say: ``or`` (ranked) or ``and``.

    Ranked OR: a question typed in full ("efforts of the ambassador to change
    Diem's policies") must rank by relevance, not demand every word.  On TIME,
    nDCG@10 is 0.765 with OR (and the all-words bonus), 0.069 with AND (few
    articles hold every word of a question) and 0.756 with AND-then-OR (AND hits
    first, then the rest by OR).
    """
    all_words: float = 0.5
    """With ``or``: an article holding every plain word typed gets this share of its
    score for those words again (0 off).

    Between OR and AND: every article with any of the words is found, and those
    with all of them rise unless another is clearly more relevant.  nDCG@10 on
    TIME / Reuters for 0, 0.25, 0.5, 0.75, 1, 4: 0.761 / 0.652, 0.765 / 0.670,
    0.765 / 0.671, 0.761 / 0.675, 0.756 / 0.676, 0.750 / 0.678.  0.5 is best on
    the judged collection (TIME) and still gains most of the Reuters effect.
    """
    coordination: float = 0.0
    """With ``or``: Whoosh's bonus for matching more of the words (0 off).

    Its additive bonus is tiny next to BM25 scores; 0.5, 0.9 and 2 changed no
    ranking on TIME, so it is off.  BM25 already favours articles with more of
    the words."""
    pairs: float = 0.0
    """Weight of a bonus for two words typed side by side found close together (0 off).

    On TIME, 0.1 and 0.25 added at most 0.002 nDCG@10 and 0.25 with slop 3 lost
    0.007: within noise, for phrase look-ups on every query, so off."""
    pair_slop: int = 1
    """How close "close together" is: 1 means adjacent (common words do not count)."""
    idf: str = "robertson"
    """Inverse document frequency: ``robertson``, ``probabilistic`` or ``whoosh``.

    ``robertson`` is log((N - n + 0.5) / (n + 0.5)) floored at 0.05, as SQLite
    FTS5 does (floored at 1e-6 there): a word in most articles counts for little.
    ``probabilistic`` adds 1 inside the log (Lucene, Tantivy); ``whoosh`` is
    log(N / (n + 1)) + 1.  On TIME, nDCG@10: 0.765, 0.751 and 0.724.
    """


DEFAULT_RANKING = Ranking()
"""The ranking every search uses."""

SEARCH_FIELDS = DEFAULT_RANKING.fields
"""Fields plain words search, with their weights (see :attr:`Ranking.fields`)."""

DEFAULT_OPERATOR = DEFAULT_RANKING.operator
"""How plain words combine when the query does not say: ranked OR."""

OR_COORDINATION = DEFAULT_RANKING.coordination
"""Whoosh's coordination bonus for OR groups (off; see :attr:`Ranking.coordination`)."""
