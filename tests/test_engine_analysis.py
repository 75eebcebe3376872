"""The fast analysis paths (the writer's postings, the searcher's snippets) agree with
Whoosh's analyzers word for word."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import highlight

from newsindex.engine.whoosh.schema import PREANALYZED_FIELDS, PreAnalyzed, build_schema, preanalyze
from newsindex.engine.whoosh.searching import IndexSearcher, _MarkerFormatter
from newsindex.hits import SNIPPET_CHARS
from newsindex.hits import snippet_from_marked as _snippet_from_marked

SCHEMA = build_schema()
NEWS_TEXT = st.lists(
    st.sampled_from(
        list("abcdefghij ABCDE .,'’-\n\t0123456789ßﬁŁ")
        + ["the ", "and ", "of ", "José ", "İstanbul ", "U.S. ", "o'neill ", "running "]
    ),
    max_size=60,
).map("".join)


def _whoosh(field: str, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(SCHEMA[field].index(text))


@settings(max_examples=300, deadline=None)
@given(text=NEWS_TEXT, field=st.sampled_from(PREANALYZED_FIELDS))
def test_analysis_fast_postings_match_whoosh(text: str, field: str) -> None:
    ready = preanalyze(SCHEMA, {field: text})[field]
    assert isinstance(ready, PreAnalyzed)
    assert sorted(ready.items) == _whoosh(field, text)


@pytest.mark.parametrize(
    "text",
    [
        "The Prime Minister of Japan and the Prime Minister of India held talks.",
        "Narendra Modi\n\nJosé María Aznar\n\neconomy, business and finance",
        "Semiconductors, semiconductor; SEMICONDUCTING. U.S.-based rock'n'roll 3.5%",
        "",
    ],
)
def test_analysis_fast_postings_match_whoosh_on_news(text: str) -> None:
    for field in PREANALYZED_FIELDS:
        ready = preanalyze(SCHEMA, {field: text})[field]
        assert sorted(ready.items) == _whoosh(field, text)


def test_analysis_other_fields_are_left_alone() -> None:
    document = {"id": "a1", "facet_people": "narendra modi", "title": "Talks"}
    ready = preanalyze(SCHEMA, document)
    assert ready["id"] == "a1" and ready["facet_people"] == "narendra modi"
    assert isinstance(ready["title"], PreAnalyzed)


def _snippet_both_ways(text: str, words: list[str]) -> tuple[object, object]:
    """A snippet from the searcher's fast token loop, and from Whoosh's own highlighter."""
    analyzer = SCHEMA["body"].analyzer
    terms = frozenset(t.text for w in words for t in analyzer(w, mode="query"))
    searcher = IndexSearcher(mock.Mock(**{"ix.schema": SCHEMA}))
    marked = highlight.highlight(
        text,
        terms,
        analyzer,
        highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
        _MarkerFormatter(),
        top=2,
    )
    tokens = [(t.startchar, t.endchar) for t in searcher._marked_tokens(text, terms) if t.matched]
    expected = [
        (t.startchar, t.endchar)
        for t in highlight.set_matched_filter(
            analyzer(text, chars=True, mode="query", removestops=False), terms
        )
        if t.matched
    ]
    return (searcher._snippet(text, terms), tokens), (marked, expected)


@settings(max_examples=200, deadline=None)
@given(text=NEWS_TEXT.map(lambda t: t * 8), picks=st.lists(st.integers(0, 40), max_size=3))
def test_snippet_tokens_match_whoosh_highlighter(text: str, picks: list[int]) -> None:
    words = SCHEMA["body"].analyzer(text, removestops=False)
    found = [t.text for t in words]
    chosen = [found[i % len(found)] for i in picks] if found else []
    (snippet, tokens), (marked, expected) = _snippet_both_ways(text, chosen)
    assert tokens == expected
    if marked:
        assert snippet == _snippet_from_marked(" ".join(marked.split()))


def test_snippet_matches_whoosh_on_a_news_article() -> None:
    seed = next(Path(__file__).parents[1].glob("seeds/*.txt")).read_text(encoding="utf-8")
    (snippet, tokens), (marked, expected) = _snippet_both_ways(
        seed, ["semiconductors", "India", "the"]
    )
    assert tokens == expected and len(tokens) > 2
    assert snippet == _snippet_from_marked(" ".join(marked.split()))
