"""The same 2,000 real Reuters articles on Whoosh and on OpenSearch give the same answers.

Filters find the same articles, facets, timelines and related entities count the same
(over filters; text queries go through each engine's analyzer, which differ a little),
and ranked text queries share at least 8 of their top 10 on average (the engines score
with their own BM25 and analyzers: docs/scale-out.md).  The OpenSearch index has one
shard, so ranking is not also blurred by per-shard statistics (measured separately in
docs/scale-out.md, "Ranking across shards").  Each index is built once for the module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from newsindex import NewsIndex
from newsindex.documents import Article
from newsindex.options import Filters, SearchOptions
from tests.conftest import SESSION
from tests.corpora import corpus

pytest.importorskip("opensearchpy")

ARTICLES = 2_000
FACETS = ("people", "places", "organisations", "themes", "source")
RANKED = (
    "oil prices",
    "coffee export quotas",
    "interest rates cut",
    "trade deficit",
    "takeover bid",
    "wheat",
    "dividend",
    "crude output opec",
    "money supply",
    "shipping strike",
    "gold mine",
    "sugar",
)


def reuters_articles(count: int) -> list[Article]:
    """The first ``count`` Reuters-21578 stories with a title, a body and a date."""
    corpus("reuters21578")
    from benchmarks.corpora import reuters

    chosen: list[Article] = []
    for doc in reuters.load():
        if doc.body.strip() and doc.title and doc.date:
            chosen.append(
                Article(
                    id=f"r{doc.newid}",
                    title=doc.title,
                    body=doc.body,
                    date=doc.date.date(),
                    source="Reuters",
                )
            )
        if len(chosen) == count:
            break
    return chosen


@pytest.fixture(scope="module")
def pair(
    opensearch_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[NewsIndex, NewsIndex]]:
    """(Whoosh, OpenSearch) indexes of the same articles, default extractor."""
    articles = reuters_articles(ARTICLES)
    assert len(articles) == ARTICLES
    folder = tmp_path_factory.mktemp("parity") / "whoosh"
    url = f"{opensearch_url}/{SESSION}-parity"
    with (
        NewsIndex.create(folder, engine="whoosh") as local,
        NewsIndex.create(url, shards=1, replicas=0) as cluster,
    ):
        local.add_articles(articles)
        cluster.add_articles(articles)
        yield local, cluster


def _all_ids(index: NewsIndex, query: str, filters: Filters) -> set[str]:
    options = SearchOptions(filters=filters, limit=ARTICLES, fold_duplicates=False)
    return {hit.id for hit in index.search(query, options=options)}


def _top_values(index: NewsIndex, field: str, top: int) -> list[str]:
    return [count.value for count in index.facets("*", (field,), top=top)[field].counts]


def test_opensearch_parity_holds_the_same_articles(pair: tuple[NewsIndex, NewsIndex]) -> None:
    local, cluster = pair
    assert len(local) == len(cluster) > ARTICLES * 0.95  # exact duplicates are stored once
    assert local.ids() == cluster.ids()


def test_opensearch_parity_filters_find_the_same_articles(
    pair: tuple[NewsIndex, NewsIndex],
) -> None:
    local, cluster = pair
    cases = [Filters()]
    for field in ("people", "places", "organisations", "themes"):
        cases += [Filters(**{field: (value,)}) for value in _top_values(local, field, 3)]
    cases += [
        Filters(since=dt.date(1987, 3, 1), until=dt.date(1987, 3, 15)),
        Filters(places=tuple(_top_values(local, "places", 2)), sources=("Reuters",)),
    ]
    for filters in cases:
        expected = _all_ids(local, "*", filters)
        assert expected, filters  # every case matches something: not a vacuous check
        assert _all_ids(cluster, "*", filters) == expected, filters


def test_opensearch_parity_facets_count_the_same(pair: tuple[NewsIndex, NewsIndex]) -> None:
    local, cluster = pair
    days = [c.value for c in local.facets("*", ("date",), interval="day")["date"].counts]
    since = Filters(since=days[len(days) // 2])  # the later half of the days
    for filters in (Filters(), since, Filters(places=tuple(_top_values(local, "places", 1)))):
        expected = local.facets("*", FACETS, top=25, filters=filters)
        found = cluster.facets("*", FACETS, top=25, filters=filters)
        for field in FACETS:
            assert found[field].total == expected[field].total, (filters, field)
            assert found[field].counts == expected[field].counts, (filters, field)
        assert expected["places"].counts  # the default extractor found places


def test_opensearch_parity_timelines_and_related_entities(
    pair: tuple[NewsIndex, NewsIndex],
) -> None:
    local, cluster = pair
    for interval in ("day", "week", "month"):
        queries = ["*", "oil", "coffee", "trade"]
        assert cluster.timeline(queries, interval=interval) == local.timeline(
            queries, interval=interval
        )
    for field in ("places", "people", "themes"):
        for value in _top_values(local, field, 2):
            expected = local.related_entities(field, value, top=15)
            assert cluster.related_entities(field, value, top=15) == expected, (field, value)


def overlap(first: list[str], second: list[str]) -> float:
    """The share of ``first``'s ids found in ``second`` (1.0 when both are empty)."""
    return len(set(first) & set(second)) / len(first) if first else float(not second)


def test_opensearch_parity_ranked_queries_share_the_top_ten(
    pair: tuple[NewsIndex, NewsIndex],
) -> None:
    local, cluster = pair
    scores = {}
    for query in RANKED:
        expected = [hit.id for hit in local.search(query, limit=10)]
        assert expected, query
        scores[query] = overlap(expected, [hit.id for hit in cluster.search(query, limit=10)])
    mean = sum(scores.values()) / len(scores)
    print(f"top-10 overlap with Whoosh, 1 shard: mean {mean:.2f}, per query {scores}")
    assert mean >= 0.8, scores
    assert min(scores.values()) >= 0.5, scores
