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
    "AttentionTimeline",
    "BatchItem",
    "BatchReport",
    "KeyTerm",
    "KeyTerms",
    "PeopleNames",
    "ResolvedName",
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


# -- the same filter keywords on facets, timelines and related entities --------------------


def test_api_facets_take_the_search_filter_keywords(seed_index: NewsIndex) -> None:
    assert seed_index.facets("*", ("people",))["people"].total == 1
    assert seed_index.facets("*", ("people",), people=["Nobody Atall"])["people"].total == 0
    assert seed_index.facets("*", ("people",), since="2999")["people"].total == 0
    assert seed_index.facets("*", ("people",), sources=["nowhere"])["people"].total == 0
    both = seed_index.facets("*", ("people",), filters=Filters(), places=["India"])
    assert both["people"].total == 1
    with pytest.raises(TypeError):  # a misspelt filter is refused, never dropped
        seed_index.facets("*", person=["A B"])  # type: ignore[call-arg]


def test_api_facets_keyword_and_filters_setting_one_filter_is_an_error(
    seed_index: NewsIndex,
) -> None:
    with pytest.raises(ConfigurationError, match="people is given both"):
        seed_index.facets("*", people=["A B"], filters=Filters(people=("C D",)))


def test_api_facets_default_operator(seed_index: NewsIndex) -> None:
    query = "japan zzzznotaword"
    assert seed_index.facets(query, ("date",))["date"].total == 1
    assert seed_index.facets(query, ("date",), default_operator="and")["date"].total == 0
    with pytest.raises(ConfigurationError, match="unknown operator"):
        seed_index.facets(query, default_operator="xor")


def test_api_timeline_and_facets_over_time_take_the_filter_keywords(
    seed_index: NewsIndex,
) -> None:
    assert seed_index.timeline(["*"]).buckets == ("2025-11",)
    assert seed_index.timeline(["*"], until="2000").buckets == ()
    assert seed_index.timeline(["japan zzzznotaword"], default_operator="and").buckets == ()
    assert list(seed_index.facets_over_time("*")) == ["2025-11"]
    assert seed_index.facets_over_time("*", people=["Nobody Atall"]) == {}


def test_api_related_entities_take_the_filter_keywords(seed_index: NewsIndex) -> None:
    related = seed_index.related_entities("people", "Narendra Modi", by=("places",))
    assert related["places"].total == 1
    narrowed = seed_index.related_entities("people", "Narendra Modi", by=("places",), since="2999")
    assert narrowed["places"].total == 0


def test_api_results_index_to_a_hit_and_slice_to_a_tuple(seed_index: NewsIndex) -> None:
    results = seed_index.search("*")
    first: newsindex.Hit = results[0]
    assert first.rank == 1
    assert results[:5] == (first,)


# -- library errors say the fix in API terms, the CLI in its own ----------------------------

CLI_WORDS = ("--wait", "--index", "--rebuild", "--since", "newsindex build", "newsindex themes")


@pytest.mark.engines(
    "whoosh", "tantivy", reason="it creates an index over a folder of other files, a folder check"
)
def test_api_errors_name_no_cli_flags(tmp_path: Path) -> None:
    with pytest.raises(newsindex.IndexNotFoundError) as caught:
        NewsIndex.open(tmp_path / "nowhere")
    assert caught.value.remedy == "build"
    assert str(caught.value) == (
        f"no index at {tmp_path / 'nowhere'}; build one first (NewsIndex.create, then build)"
    )
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(newsindex.IndexWriteError) as written:
        NewsIndex.create(tmp_path / "full")
    with pytest.raises(ConfigurationError) as dates:
        Filters(since="2025-12", until="2025-11")
    for error in (caught.value, written.value, dates.value):
        assert not any(word in str(error) for word in CLI_WORDS), str(error)


def test_api_every_remedy_has_cli_wording() -> None:
    from newsindex.cli.app import CLI_REMEDIES
    from newsindex.errors import REMEDIES

    assert set(CLI_REMEDIES) == set(REMEDIES)
    assert not any(word in text for text in REMEDIES.values() for word in CLI_WORDS)
