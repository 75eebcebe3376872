"""Whoosh and Tantivy answer alike on real news (issue 13, item 6).

About 2,000 real articles (the first 1,150 Reuters-21578 stories with a body,
written as JSON Lines in a temporary folder, and the BBC business and politics
folders read as files) are built with ``NewsIndex.build`` once per engine, in
two processes at once.  Filters, facets, timelines and related entities must
agree exactly; ranked text queries must share at least 80% of their top 10 on
average: their totals may differ, since the engines' English stemmers differ
(Porter takes *international* and *internal* for one word, Snowball does not;
see docs/engine.md).
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpora import reuters
from newsindex import Filters, NewsIndex, SearchOptions
from newsindex.errors import QuerySyntaxError

from .corpora import corpus

pytest.importorskip(
    "tantivy", reason='the tantivy engine is not installed (pip install -e ".[test]")'
)

ENGINES = ("whoosh", "tantivy")
REUTERS_STORIES = 1150
ENTITY_FIELDS = ("people", "places", "organisations", "themes")
FACETS = (*ENTITY_FIELDS, "source", "date")
WORDS = ("oil", "bank shares", "election labour", "trade deficit japan", "growth", "*")
DATES = (("1987-03-01", "1987-03-31"), ("1987-02-26", "1987-03-02"), ("2004", "2005"))
Indexes = dict[str, NewsIndex]


def _reuters_jsonl(folder: Path) -> Path:
    path = folder / "reuters.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        written = 0
        for story in reuters.load(corpus("reuters21578")):
            if not story.body.strip():
                continue
            date = story.date.isoformat() if story.date else None
            record = {"id": f"reuters-{story.newid}", "title": story.title, "body": story.body}
            handle.write(json.dumps({**record, "date": date, "source": "reuters"}) + "\n")
            written += 1
            if written == REUTERS_STORIES:
                break
    return path


def _build(engine: str, index: str, inputs: list[str]) -> int:
    """Build one engine's index (in a worker process); say how many articles it holds."""
    with NewsIndex.create(index, engine=engine) as built:
        built.build(inputs)
        return len(built)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Indexes]:
    """Both engines' indexes of the same ~2,000 real articles, built once for the module."""
    folder = tmp_path_factory.mktemp("parity")
    bbc = corpus("bbc-news", "bbc")
    inputs = [str(_reuters_jsonl(folder)), str(bbc / "business"), str(bbc / "politics")]
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(len(ENGINES), mp_context=spawn) as pool:
        jobs = {e: pool.submit(_build, e, str(folder / e), inputs) for e in ENGINES}
        counts = {e: job.result() for e, job in jobs.items()}
    assert counts["whoosh"] == counts["tantivy"] >= 1950  # exact duplicates are stored once
    opened = {e: NewsIndex.open(folder / e) for e in ENGINES}
    yield opened
    for index in opened.values():
        index.close()


def _ids(index: NewsIndex, query: str, filters: Filters | None = None) -> set[str]:
    options = SearchOptions(filters=filters or Filters(), limit=5000, fold_duplicates=False)
    results = index.search(query, options=options)
    assert results.total == len(results.hits) or results.total > 5000
    return {hit.id for hit in results.hits}


def _top_values(index: NewsIndex, field: str, top: int) -> list[str]:
    return [count.value for count in index.facets("*", (field,), top=top)[field].counts]


def _counts(facets: dict[str, object]) -> dict[str, object]:
    return {
        name: (facet.total, [(c.value, c.count) for c in facet.counts])  # type: ignore[attr-defined]
        for name, facet in facets.items()
    }


def test_engine_parity_same_articles(indexes: Indexes) -> None:
    assert sorted(indexes["whoosh"].ids()) == sorted(indexes["tantivy"].ids())


@pytest.mark.parametrize("field", ENTITY_FIELDS)
def test_engine_parity_filters_find_the_same_articles(indexes: Indexes, field: str) -> None:
    values = _top_values(indexes["whoosh"], field, 20)
    assert len(values) >= 12
    requests = [(value,) for value in values[:8]] + [
        tuple(values[i : i + 3]) for i in range(8, 20, 3)
    ]
    for value in requests:
        for query in ("*", "shares"):
            filters = Filters(**{field: value})
            found = {e: _ids(indexes[e], query, filters) for e in ENGINES}
            assert found["whoosh"] == found["tantivy"], (field, value, query)


@pytest.mark.parametrize("field", ENTITY_FIELDS)
def test_engine_parity_name_clauses_match_the_same_articles(indexes: Indexes, field: str) -> None:
    for value in _top_values(indexes["whoosh"], field, 10):
        last = value.split()[-1]
        for query in (f"{field}:{last}", f'{field}:"{value}"', f"{field}:{last.lower()[:3]}*"):
            found = {e: _ids(indexes[e], query) for e in ENGINES}
            assert found["whoosh"] == found["tantivy"], query


def test_engine_parity_sources_and_dates_find_the_same_articles(indexes: Indexes) -> None:
    requests = [Filters(sources=("reuters",)), Filters(sources=("reuters", "bbc"))]
    requests += [Filters(since=since, until=until) for since, until in DATES]
    requests.append(Filters(until="1987-03-05", places=("usa",)))
    for filters in requests:
        for query in ("*", "oil", "bank shares"):
            found = {e: _ids(indexes[e], query, filters) for e in ENGINES}
            assert found["whoosh"] == found["tantivy"], (filters, query)


def test_engine_parity_facets_count_the_same(indexes: Indexes) -> None:
    for query in WORDS:
        for filters in (Filters(), Filters(since=DATES[0][0], until=DATES[0][1])):
            found = {
                e: _counts(indexes[e].facets(query, FACETS, filters=filters, top=20))
                for e in ENGINES
            }
            assert found["whoosh"] == found["tantivy"], (query, filters)


def test_engine_parity_timelines_total_the_same(indexes: Indexes) -> None:
    for interval in ("day", "month", "year"):
        found = {e: indexes[e].timeline(list(WORDS), interval=interval) for e in ENGINES}
        assert found["whoosh"] == found["tantivy"], interval


def test_engine_parity_related_entities_count_the_same(indexes: Indexes) -> None:
    for field in ENTITY_FIELDS:
        for value in _top_values(indexes["whoosh"], field, 4):
            found = {e: _counts(indexes[e].related_entities(field, value)) for e in ENGINES}
            assert found["whoosh"] == found["tantivy"], (field, value)


def _topic_queries() -> list[str]:
    """Reuters topic names as people would type them (*crude oil*, *trade*): 135 of them."""
    path = corpus("reuters21578", "cat-descriptions_120396.txt")
    text = path.read_text(encoding="latin-1")
    section = text.split("****Subject Codes", 1)[1].split("****", 1)[0]
    names = re.findall(r"^([^*\n].*?)\s*\([A-Z0-9-]+\)", section, re.M)
    return [re.sub(r"[()]", " ", name).lower() for name in names]


def test_engine_parity_ranked_queries_share_their_top_ten(indexes: Indexes) -> None:
    overlaps = []
    for query in _topic_queries()[::2]:
        try:
            tops = {e: indexes[e].search(query, limit=10, sort="relevance") for e in ENGINES}
        except QuerySyntaxError:
            continue
        whoosh, tantivy = ([h.id for h in tops[e].hits] for e in ENGINES)
        if whoosh:
            overlaps.append(len(set(whoosh) & set(tantivy)) / len(whoosh))
    assert len(overlaps) >= 30
    assert sum(overlaps) / len(overlaps) >= 0.8
