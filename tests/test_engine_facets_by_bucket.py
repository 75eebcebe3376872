"""Facets per time bucket in one pass (``facets_by_bucket``) answer exactly what one facet
pass per bucket answers, on both of the Whoosh engine's paths (posting sets and arrays)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from newsindex import BuildOptions, ConfigurationError, Filters, NewsIndex
from newsindex.engine.fallbacks import facets_per_bucket
from newsindex.engine.whoosh import arrays
from newsindex.query import ParsedQuery
from newsindex.query.tree import All

from .generated import articles, build

QUERIES = ["*", "harbours"]  # every generated article says "harbours"
FILTERS = [
    Filters(),
    Filters(people=("Person 03",)),
    Filters(places=("Lagos", "Lima"), since=dt.date(2024, 3, 15), until=dt.date(2025, 2, 2)),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    path = build(tmp_path_factory.mktemp("buckets") / "index", 600)
    with NewsIndex.open(path) as opened:
        yield opened


@pytest.fixture(params=[False, True], ids=["sets", "arrays"])
def use_arrays(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(arrays, "MIN_DOCS", 0 if request.param else 10**12)
    return bool(request.param)


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "person", "places+dates"])
def test_engine_facets_by_bucket_matches_one_pass_per_bucket(
    index: NewsIndex, use_arrays: bool, interval: str, filters: Filters
) -> None:
    engine = index._engine
    by = ("people", "places", "source", "date")
    for text in QUERIES:
        parsed = ParsedQuery(text, All(), "or") if text == "*" else NewsIndex._parse(text, "or")
        one_pass = engine.facets_by_bucket(parsed, filters, by, top=3, interval=interval)
        per_bucket = facets_per_bucket(engine, parsed, filters, by, top=3, interval=interval)
        assert one_pass == per_bucket
        assert sum(f["people"].total for f in one_pass.values()) == sum(
            c.count
            for c in engine.facets(parsed, filters, ("date",), top=3, interval=interval)[
                "date"
            ].counts
        )


def test_engine_facets_over_time_fills_empty_buckets(index: NewsIndex, use_arrays: bool) -> None:
    person = Filters(people=("Person 03",))
    over_time = index.facets_over_time("*", ("people",), interval="week", filters=person)
    timeline = index.timeline(["*"], interval="week", filters=person)
    assert list(over_time) == list(timeline.buckets)
    assert [f["people"].total for f in over_time.values()] == list(timeline.series["*"])
    empty = [f["people"] for f in over_time.values() if f["people"].total == 0]
    assert empty and all(f.counts == () for f in empty)
    assert over_time.interval == "week"


def test_engine_facets_by_bucket_refuses_an_unknown_interval(index: NewsIndex) -> None:
    with pytest.raises(ConfigurationError, match="unknown interval 'fortnight'"):
        index.facets_over_time("*", ("people",), interval="fortnight")


@pytest.fixture(scope="module")
def tantivy_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    pytest.importorskip("tantivy", reason='the tantivy engine needs pip install -e ".[test]"')
    path = tmp_path_factory.mktemp("buckets-tantivy") / "index"
    with NewsIndex.create(path, extractor="none", engine="tantivy") as index:
        index.add_articles(articles(600), BuildOptions(extractor="none", workers=0))
    with NewsIndex.open(path) as opened:
        yield opened


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "person", "places+dates"])
def test_engine_facets_by_bucket_tantivy_matches_one_pass_per_bucket(
    tantivy_index: NewsIndex, interval: str, filters: Filters
) -> None:
    engine = tantivy_index._engine
    by = ("people", "places", "source", "date")
    for text in QUERIES:
        parsed = ParsedQuery(text, All(), "or") if text == "*" else NewsIndex._parse(text, "or")
        one_pass = engine.facets_by_bucket(parsed, filters, by, top=3, interval=interval)
        assert one_pass == facets_per_bucket(engine, parsed, filters, by, top=3, interval=interval)
        assert one_pass
