"""The public API: what ``newsindex`` exports, and properties that must hold for any input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsindex
from newsindex import (
    Article,
    ArticleNotFoundError,
    BuildOptions,
    ConfigurationError,
    Filters,
    NewsIndex,
    NewsIndexError,
    SearchOptions,
)

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine

EXPECTED_EXPORTS = {
    "Article",
    "ArticleNotFoundError",
    "BuildOptions",
    "BuildProgress",
    "BuildReport",
    "ConfigurationError",
    "DEFAULT_INDEX",
    "DocumentError",
    "Duplicate",
    "Entity",
    "Extraction",
    "Facet",
    "FacetCount",
    "FacetsOverTime",
    "Filters",
    "Hit",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "NewsIndex",
    "NewsIndexError",
    "QuerySyntaxError",
    "ReadOptions",
    "SearchOptions",
    "SearchResults",
    "Skipped",
    "Snippet",
    "StoreError",
    "StoredArticle",
    "Theme",
    "Timeline",
    "__version__",
    "available_extractors",
    "available_formats",
    "default_index_path",
    "get_extractor",
}


def test_api_exports_exactly_the_public_names() -> None:
    assert set(newsindex.__all__) == EXPECTED_EXPORTS
    for name in newsindex.__all__:
        assert getattr(newsindex, name) is not None, name


def test_api_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = newsindex.NoSuchThing  # type: ignore[attr-defined]


def test_api_errors_share_one_root() -> None:
    for name in newsindex.__all__:
        value = getattr(newsindex, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, NewsIndexError), name
    assert issubclass(newsindex.QuerySyntaxError, ValueError)


dates = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from(
            [dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30))]
        ),
    ),
)
articles = st.builds(
    Article,
    id=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != ""),
    title=st.text(max_size=80),
    body=st.text(min_size=1, max_size=400),
    date=dates,
)


@pytest.mark.engines(
    "whoosh", "tantivy", reason="it deletes the index folder between examples, a folder operation"
)
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article=articles)
def test_api_any_article_round_trips_and_is_found_by_id(tmp_path: Path, article: Article) -> None:
    path = tmp_path / f"ix-{abs(hash(article.id))}"
    with NewsIndex.create(path) as index:
        index.add_articles([article], BuildOptions(extractor="none"))
        stored = index.get(article.id)
        assert stored.title == article.title
        assert stored.body == article.body
        assert stored.date == article.date
        assert article.id in index.ids()
    import shutil

    shutil.rmtree(path)


@settings(max_examples=150)
@given(text=st.text(max_size=60))
def test_api_any_query_string_gives_results_or_our_error(text: str) -> None:
    index = _shared_index()
    try:
        results = index.search(text)
    except NewsIndexError:
        return
    assert results.total >= 0


_INDEX: list[NewsIndex] = []


def _shared_index() -> NewsIndex:
    if not _INDEX:
        import tempfile

        path = Path(tempfile.mkdtemp()) / "ix"
        index = NewsIndex.create(path)
        index.add_articles(
            [Article(id="q1", title="Chips and tariffs", body="Semiconductor tariffs in Japan.")],
            BuildOptions(extractor="none"),
        )
        _INDEX.append(index)
    return _INDEX[0]


# -- keywords beside options, and unknown ids ---------------------------------------------


def test_api_search_keyword_filters_are_added_to_options(seed_index: NewsIndex) -> None:
    assert seed_index.search("*", options=SearchOptions()).total == 1
    narrowed = seed_index.search("*", people=["Nobody Atall"], options=SearchOptions())
    assert narrowed.total == 0
    dated = seed_index.search("*", since="2999", options=SearchOptions(limit=5))
    assert dated.total == 0


def test_api_search_keyword_and_options_setting_one_filter_is_an_error(
    seed_index: NewsIndex,
) -> None:
    options = SearchOptions(filters=Filters(people=("Narendra Modi",)))
    with pytest.raises(ConfigurationError, match="people is given both"):
        seed_index.search("*", people=["Joe Biden"], options=options)
    with pytest.raises(ConfigurationError, match="set them in SearchOptions"):
        seed_index.search("*", limit=3, options=SearchOptions())


def test_api_get_unknown_id_is_not_found_and_a_key_error(seed_index: NewsIndex) -> None:
    with pytest.raises(KeyError) as caught:
        seed_index.get("no/such/article")
    assert isinstance(caught.value, ArticleNotFoundError)
    assert caught.value.article_id == "no/such/article"
    assert str(caught.value) == f"no article with id 'no/such/article' in {seed_index.path}"
