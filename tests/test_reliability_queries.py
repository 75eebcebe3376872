"""Hostile query strings give results in bounded time or a NewsIndexError, nothing else;
words that expand (wildcards, prefixes, fuzzy words, ranges) expand a bounded number of times."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex import Article, BuildOptions, NewsIndex, NewsIndexError, SearchOptions
from newsindex.engine.whoosh import compile as engine_query
from newsindex.errors import QuerySyntaxError

from .corpora import corpus

TIME_BOUND = 10.0
"""Seconds any one query may take on a 400-article index (generous: the test machine is shared)."""

SYNTAX = [
    "AND", "OR", "NOT", "ANDNOT", "(", ")", "[", "]", "{", "}", '"', "*", "?", "~", "~2", "^",
    ":", "\\", "TO", "to", "-", "+", "title:", "body:", "people:", "places:", "themes:",
    "date:", "date:>", "id:", "nosuchfield:", "*a*", "a*", "oil~", "2025-02-30", "99999",
    "\x00", "\x1b[31m", "\u202e", "\ufeff", "😀", "日本", "İ", "ß", "\u0301", "\n", "\t",
]  # fmt: skip
WORDS = ["oil", "opec", "bank", "rates", "japan", "wheat", "reuters", "said", "the", "a"]


def hostile_queries() -> st.SearchStrategy[str]:
    """Query-language pieces, real words and arbitrary unicode glued together."""
    piece = st.one_of(
        st.sampled_from(SYNTAX),
        st.sampled_from(WORDS),
        st.text(max_size=12),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=4),
    )
    return st.lists(piece, max_size=30).map(
        lambda parts: "".join(p + (" " if i % 3 else "") for i, p in enumerate(parts))
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    """400 real Reuters stories, so wildcards have thousands of words to expand to."""
    corpus("reuters21578")
    from benchmarks.corpora import reuters

    docs = (doc for doc in reuters.load() if doc.body.strip())
    path = tmp_path_factory.mktemp("queries") / "index"
    with NewsIndex.create(path, extractor="none") as created:
        created.add_articles(
            [
                Article(id=f"r{d.newid}", title=d.title, body=d.body)
                for _, d in zip(range(400), docs, strict=False)
            ],
            BuildOptions(extractor="none", workers=0),
        )
    with NewsIndex.open(path) as opened:
        yield opened


def search_bounded(index: NewsIndex, text: str, **options: object) -> None:
    """Search; only results or a NewsIndexError may come back, within TIME_BOUND."""
    started = time.perf_counter()
    try:
        if options:
            index.search(text, options=SearchOptions(**options))  # type: ignore[arg-type]
        else:
            index.search(text)
    except NewsIndexError:
        pass
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_BOUND, f"{text[:60]!r} took {elapsed:.1f}s"


@settings(max_examples=150)
@given(text=hostile_queries())
def test_reliability_queries_hostile_strings_give_results_or_our_error(
    index: NewsIndex, text: str
) -> None:
    search_bounded(index, text)


@settings(max_examples=60)
@given(text=st.text(max_size=200))
def test_reliability_queries_any_unicode_gives_results_or_our_error(
    index: NewsIndex, text: str
) -> None:
    search_bounded(index, text)


@pytest.mark.parametrize(
    "text",
    [
        "oil " * 2_499,  # 2,499 terms in under 10,000 characters
        "a " * 5_000,  # 5,000 terms that are all stop words
        "x" * 10_001,  # longer than the limit
        "(" * 500 + "oil" + ")" * 500,  # nesting deeper than the parser recurses
        '"' + "oil " * 2_000 + '"',  # a 2,000-word phrase
        "oil~" * 2_000,
        "*" * 5_000,
        "date:[0001 to 9999]",
        "date:99999",
        "date:2025-02-30",
    ],
    ids=lambda text: repr(text[:16]),
)
def test_reliability_queries_huge_and_deep_queries_are_bounded(index: NewsIndex, text: str) -> None:
    search_bounded(index, text)


def test_reliability_queries_a_huge_single_word_is_bounded_without_suggestions(
    index: NewsIndex,
) -> None:
    search_bounded(index, "z" * 9_999, suggest_below=0)


def test_reliability_queries_a_huge_single_word_is_bounded_with_suggestions(
    index: NewsIndex,
) -> None:
    started = time.perf_counter()
    index.search("z" * 1_500)
    assert time.perf_counter() - started < 1.0


CAPPED = [
    pytest.param("*a*", id="infix-wildcard"),
    pytest.param("a*", id="prefix"),
    pytest.param("body:s*", id="field-prefix"),
    pytest.param("?a?", id="single-wildcard"),
    pytest.param("a~2", id="fuzzy"),
    pytest.param("body:[a TO z]", id="term-range"),
]


@pytest.mark.parametrize("text", CAPPED)
def test_reliability_queries_every_expanding_word_is_capped(
    index: NewsIndex, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a cap of 3 expansions, every one of these patterns matches too many words.
    monkeypatch.setattr(engine_query, "MAX_EXPANSIONS", 3)
    with pytest.raises(QuerySyntaxError, match="more than 3"):
        index.search(text, options=SearchOptions(suggest_below=0))


def test_reliability_queries_cap_message_says_what_to_do(index: NewsIndex) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        index.search("*e*")
    message = str(caught.value)
    assert f"more than {engine_query.MAX_EXPANSIONS} words" in message
    assert "more specific" in message


def test_reliability_queries_index_still_answers_after_hostile_queries(
    index: NewsIndex, tmp_path: Path
) -> None:
    for text in ("*a*", "(((", "\x00", "a~2", "oil " * 2_499):
        search_bounded(index, text)
    assert index.search("opec").total > 0
