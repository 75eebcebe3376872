"""Ranking quality gate: nDCG@10 and P@10 on the TIME test collection.

Reads TIME from ``../shared/corpora/time-ir`` (never copied into the repository)
and indexes its 423 articles with the default extractor, as a user would.
The floors sit just below what ``python -m benchmarks.eval_ranking`` measured
(docs/evaluation.md, ## Ranking); a change that lowers ranking quality fails here.
SQLite FTS5 ranks the same articles in the same test, and newsindex must not
fall behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpora import time_ir
from benchmarks.eval_ranking import (
    Collection,
    build_newsindex,
    ndcg_at,
    peer_records,
    precision_at,
    time_collection,
)
from newsindex import NewsIndex
from tests.corpora import corpus

NDCG10_FLOOR = 0.75
P10_FLOOR = 0.285


@pytest.fixture(scope="module")
def collection() -> Collection:
    corpus("time-ir")
    return time_collection()


@pytest.fixture(scope="module")
def time_index(
    tmp_path_factory: pytest.TempPathFactory, collection: Collection
) -> Iterator[NewsIndex]:
    folder = Path(tmp_path_factory.mktemp("time")) / "ix"
    index = build_newsindex(folder, collection.articles, "default")
    yield index
    index.close()


@pytest.fixture(scope="module")
def top10(time_index: NewsIndex, collection: Collection) -> dict[str, list[str]]:
    """Each query's first ten hits, searched once through the public API."""
    return {
        number: [hit.id for hit in time_index.search(text, limit=10)]
        for number, text in collection.queries.items()
    }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_search_quality_time_loader_reads_the_whole_collection(collection: Collection) -> None:
    assert len(collection.articles) == 423
    assert len(collection.queries) == 83
    assert sum(len(ids) for ids in collection.relevant.values()) == 324
    ids = {article.id for article in collection.articles}
    assert all(doc in ids for docs in collection.relevant.values() for doc in docs)
    irregular = next(a for a in collection.articles if a.id == "431")
    assert irregular.date is not None and irregular.date.isoformat() == "1963-08-30"
    assert time_ir.queries()["2"].startswith("EFFORTS OF AMBASSADOR HENRY CABOT LODGE")


def test_search_quality_time_ndcg_floor(
    top10: dict[str, list[str]], collection: Collection
) -> None:
    ndcg, p10 = [], []
    for number, ranked in top10.items():
        ndcg.append(ndcg_at(ranked, collection.relevant[number]))
        p10.append(precision_at(ranked, collection.relevant[number]))
    assert _mean(ndcg) >= NDCG10_FLOOR, f"nDCG@10 {_mean(ndcg):.4f} < {NDCG10_FLOOR}"
    assert _mean(p10) >= P10_FLOOR, f"P@10 {_mean(p10):.4f} < {P10_FLOOR}"


def test_search_quality_time_not_behind_fts5(
    top10: dict[str, list[str]], collection: Collection, tmp_path: Path
) -> None:
    from benchmarks.peers import Fts5Peer

    peer = Fts5Peer(tmp_path / "fts5.sqlite")
    peer.build(peer_records(collection.articles))
    ours, theirs = [], []
    for number, text in collection.queries.items():
        relevant = collection.relevant[number]
        ours.append(ndcg_at(top10[number], relevant))
        theirs.append(ndcg_at(peer.search_text(text, 10), relevant))
    peer.close()
    assert _mean(ours) >= _mean(theirs), f"newsindex {_mean(ours):.4f} < FTS5 {_mean(theirs):.4f}"


def test_search_quality_questions_rank_instead_of_requiring_every_word(
    time_index: NewsIndex, collection: Collection
) -> None:
    """A question typed in full finds the judged articles though none holds every word."""
    text = "efforts of the ambassador to change diem's policies"
    ranked = [hit.id for hit in time_index.search(text, limit=3)]
    assert set(ranked) & collection.relevant["2"]
