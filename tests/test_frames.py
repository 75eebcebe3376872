"""DataFrames of hits, timelines, facets, facets over time and stats; every match, lazily."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Iterator

import pytest

from newsindex import ConfigurationError, Filters, NewsIndex, SearchOptions
from newsindex.engine.whoosh import arrays
from newsindex.frames import HIT_COLUMNS

from .generated import build

pd = pytest.importorskip("pandas")

SMALL = 400
LARGE = 10_500


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    path = build(tmp_path_factory.mktemp("frames") / "index", SMALL)
    with NewsIndex.open(path) as index:
        yield index


def test_frames_every_match_as_a_dataframe(small: NewsIndex) -> None:
    frame = small.to_pandas("*", places=["Paris"])
    assert list(frame.columns) == list(HIT_COLUMNS)
    assert frame.shape == (small.search("*", places=["Paris"]).total, len(HIT_COLUMNS))
    assert frame.shape[0] > 100  # more than any page
    assert frame["id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["date"].isna().sum() == sum(1 for n in range(0, SMALL, 3) if n % 10 == 9)
    assert frame["rank"].dtype == "int64" and frame["score"].dtype == "float64"
    assert all(isinstance(p, list) and len(p) == 2 for p in frame["people"])
    assert all(places == ["Paris"] for places in frame["places"])


@pytest.mark.parametrize("use_arrays", [False, True], ids=["sets", "arrays"])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_frames_iter_hits_pages_join_up_to_the_whole_ranking(
    small: NewsIndex, monkeypatch: pytest.MonkeyPatch, use_arrays: bool, sort: str
) -> None:
    monkeypatch.setattr(arrays, "MIN_DOCS", 0 if use_arrays else 10**12)
    whole = small.search("*", options=SearchOptions(sort=sort, limit=SMALL, fold_duplicates=False))
    paged = list(small.iter_hits("*", sort=sort, page_size=37))
    assert [hit.id for hit in paged] == [hit.id for hit in whole]
    assert [hit.rank for hit in paged] == list(range(1, SMALL + 1))


def test_frames_filters_as_object_or_keywords_not_both(small: NewsIndex) -> None:
    by_object = small.to_pandas(filters=Filters(sources=("Wire",)))
    by_keyword = small.to_pandas(sources=["Wire"])
    assert by_object["id"].tolist() == by_keyword["id"].tolist()
    with pytest.raises(ConfigurationError, match="not both"):
        small.to_pandas(filters=Filters(), sources=["Wire"])


def test_frames_search_page_to_pandas_has_the_same_columns(small: NewsIndex) -> None:
    frame = small.search("*", options=SearchOptions(limit=7, fold_duplicates=False)).to_pandas()
    assert frame.shape == (7, len(HIT_COLUMNS))
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])


def test_frames_empty_search_gives_an_empty_frame_with_columns(small: NewsIndex) -> None:
    frame = small.to_pandas(people=["Nobody At All"])
    assert frame.shape == (0, len(HIT_COLUMNS))
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])


def test_frames_timeline_one_column_per_query_gaps_filled(small: NewsIndex) -> None:
    timeline = small.timeline(["*"], interval="week", filters=Filters(people=["Person 03"]))
    frame = timeline.to_pandas()
    assert list(frame.columns) == ["*"]
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert frame["*"].dtype == "int64"
    assert len(frame) == len(timeline.buckets)
    assert (frame["*"] == 0).any()  # weeks with no match are rows of zero, not missing
    assert frame["*"].sum() == sum(timeline.series["*"])
    assert frame.index[0].weekday() == 0  # a week starts on its Monday


def test_frames_facet_values_and_counts(small: NewsIndex) -> None:
    facet = small.facets("*", ("people",), top=5)["people"]
    frame = facet.to_pandas()
    assert list(frame.columns) == ["value", "count"]
    assert frame.shape == (5, 2)
    assert frame["count"].dtype == "int64"
    assert frame["count"].is_monotonic_decreasing
    assert frame.attrs == {"field": "people", "total": SMALL}


def test_frames_facets_over_time_long_form(small: NewsIndex) -> None:
    over_time = small.facets_over_time("*", ("people", "places"), interval="year", top=3)
    assert isinstance(over_time, dict) and list(over_time) == ["2024", "2025"]
    frame = over_time.to_pandas()
    assert list(frame.columns) == ["date", "bucket", "field", "value", "count", "total"]
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert set(frame["bucket"]) == {"2024", "2025"}
    assert frame.groupby(["bucket", "field"]).size().max() <= 3
    assert frame[frame["field"] == "places"]["count"].sum() == sum(
        f["places"].total for f in over_time.values()
    )


def test_frames_stats_top_values_with_summary_in_attrs(small: NewsIndex) -> None:
    stats = small.stats(top=4)
    frame = stats.to_pandas()
    assert list(frame.columns) == ["field", "value", "count"]
    assert frame["count"].dtype == "int64"
    assert set(frame["field"]) == {"people", "places"}  # no organisations or themes here
    assert frame.attrs["articles"] == SMALL


def test_frames_without_pandas_one_clear_error(
    small: NewsIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ConfigurationError) as caught:
        small.timeline(["*"]).to_pandas()
    assert str(caught.value) == (
        'Timeline.to_pandas() needs pandas, which is not installed: pip install "newsindex[pandas]"'
    )


# -- every match, lazily, over a larger index ------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    path = build(tmp_path_factory.mktemp("large") / "index", LARGE)
    with NewsIndex.open(path) as index:
        yield index


def _peak(function: object) -> tuple[int, object]:
    tracemalloc.start()
    try:
        result = function()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_frames_iter_hits_every_match_in_bounded_memory(large: NewsIndex) -> None:
    next(iter(large.iter_hits("*", page_size=500)))  # warm the searcher's caches first
    seen: set[str] = set()

    def walk() -> int:
        count = 0
        for hit in large.iter_hits("*", page_size=500):
            count += 1
            seen.add(hit.id)
        return count

    lazy_peak, count = _peak(walk)
    held_peak, held = _peak(lambda: list(large.iter_hits("*", page_size=500)))
    assert count == LARGE == len(seen) == len(held)  # type: ignore[arg-type]
    seen_ids = len(seen) * 120  # the test's own set of ids, counted in the lazy peak
    assert lazy_peak - seen_ids < 12 * 2**20, f"lazy iteration peaked at {lazy_peak:,} bytes"
    assert lazy_peak < 0.6 * held_peak, (lazy_peak, held_peak)


@pytest.mark.slow
def test_frames_iter_hits_pages_in_date_order(large: NewsIndex) -> None:
    days = [hit.date for hit in large.iter_hits("*", sort="oldest", page_size=1000) if hit.date]
    assert len(days) == LARGE - LARGE // 10
    assert days == sorted(days)
