"""Ranking quality gate: MAP@100, nDCG@10 and P@10 on the TIME test collection.

Reads TIME from ``../shared/corpora/time-ir`` (never copied into the repository)
and goes the way a user's articles go: written as a JSON Lines file of records
with a body and no title, built with ``NewsIndex.build`` (readers, the default
extractor, the engine) and asked with ``NewsIndex.search(query, limit=100)``,
on each engine.  The floors sit just below what
``python -m benchmarks.eval_ranking --public`` measured (docs/evaluation.md,
## Ranking); a change that lowers ranking quality fails here.  SQLite FTS5 ranks
the same texts in the same test, and newsindex must not fall behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpora import time_ir
from benchmarks.eval_ranking import (
    PUBLIC_DEPTH,
    Collection,
    average_precision,
    ndcg_at,
    peer_records,
    precision_at,
    time_collection,
    write_jsonl,
)
from newsindex import NewsIndex
from tests.corpora import corpus

FLOORS = {  # (MAP@100, nDCG@10, P@10), measured 0.706 / 0.765 / 0.293 and 0.686 / 0.747 / 0.289
    "whoosh": (0.70, 0.76, 0.29),
    "tantivy": (0.68, 0.74, 0.285),
}

FTS5_GAP = {"tantivy": 0.015}
"""How far an engine may stay behind FTS5's MAP@100, and why: see the test."""


@pytest.fixture(scope="module")
def collection() -> Collection:
    corpus("time-ir")
    return time_collection()


@pytest.fixture(scope="module", params=sorted(FLOORS))
def engine_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def time_index(
    tmp_path_factory: pytest.TempPathFactory, collection: Collection, engine_name: str
) -> Iterator[NewsIndex]:
    """TIME built from untitled JSON Lines records by the public API."""
    folder = Path(tmp_path_factory.mktemp(f"time-{engine_name}"))
    inputs = write_jsonl(collection, folder, titled=False)
    index = NewsIndex.create(folder / "ix", engine=engine_name)
    index.build(inputs)
    yield index
    index.close()


@pytest.fixture(scope="module")
def ranked(time_index: NewsIndex, collection: Collection) -> dict[str, list[str]]:
    """Each query's first 100 hits, searched once through the public API."""
    return {
        number: [hit.id for hit in time_index.search(text, limit=PUBLIC_DEPTH)]
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


def test_search_quality_time_public_path_floors(
    ranked: dict[str, list[str]], collection: Collection, engine_name: str
) -> None:
    aps, ndcg, p10 = [], [], []
    for number, ids in ranked.items():
        aps.append(average_precision(ids, collection.relevant[number]))
        ndcg.append(ndcg_at(ids, collection.relevant[number]))
        p10.append(precision_at(ids, collection.relevant[number]))
    found = (_mean(aps), _mean(ndcg), _mean(p10))
    floors = FLOORS[engine_name]
    assert all(f >= floor for f, floor in zip(found, floors, strict=True)), (found, floors)


def test_search_quality_time_not_behind_fts5(
    ranked: dict[str, list[str]], collection: Collection, tmp_path: Path, engine_name: str
) -> None:
    from benchmarks.peers import Fts5Peer

    peer = Fts5Peer(tmp_path / "fts5.sqlite")
    peer.build(peer_records(collection.articles))
    ours, theirs = [], []
    for number, text in collection.queries.items():
        relevant = collection.relevant[number]
        ours.append(average_precision(ranked[number], relevant))
        theirs.append(average_precision(peer.search_text(text, PUBLIC_DEPTH), relevant))
    peer.close()
    # Tantivy's BM25 has the probabilistic idf, log(1 + (N - n + 0.5) / (n + 0.5)), which
    # no option changes: it measured MAP@100 0.686 against FTS5's 0.696 (docs/evaluation.md).
    # The gap is written down here, and this fails if it widens.
    behind = FTS5_GAP.get(engine_name, 0.0)
    assert _mean(ours) >= _mean(theirs) - behind, f"{_mean(ours):.4f} < FTS5 {_mean(theirs):.4f}"


def test_search_quality_questions_rank_instead_of_requiring_every_word(
    time_index: NewsIndex, collection: Collection
) -> None:
    """A question typed in full finds the judged articles though none holds every word."""
    text = "efforts of the ambassador to change diem's policies"
    ranked = [hit.id for hit in time_index.search(text, limit=3)]
    assert set(ranked) & collection.relevant["2"]
