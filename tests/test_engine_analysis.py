"""The writer's fast analysis path agrees with Whoosh's analyzers word for word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.engine.schema import PREANALYZED_FIELDS, PreAnalyzed, build_schema, preanalyze

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
