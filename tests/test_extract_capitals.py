"""Text set in capitals: capital letters are no evidence of names there."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.extract.dates import find_publication_date
from newsindex.extract.entities import EntityFinder

ARTICLE = (
    "THE ALLIES AFTER NASSAU . LAST WEEK, AS THEY STUDIED THE ACCORD BETWEEN PRESIDENT "
    "KENNEDY AND PRIME MINISTER MACMILLAN, HE SAID THAT THE OFFER WAS GOOD . THE ONE LEADER "
    "WHO WELCOMED THE OFFER WAS HAROLD MACMILLAN, WHO SAID IT WOULD LAST . AND STILL THEY "
    "ANNOUNCED THAT WE WILL AIM HIGHER, SHE SAYS . IN PARIS THE GOVERNMENT WAS SILENT ."
)


@pytest.fixture(scope="module")
def finder() -> EntityFinder:
    return EntityFinder.load()


def test_extract_capitals_article_no_function_words(finder: EntityFinder) -> None:
    people, places, orgs = finder.find("", ARTICLE)
    stop = finder.lexicon.stopwords
    for entity in (*people, *places, *orgs):
        assert not any(w.lower() in stop for w in entity.name.split()), entity.name
    assert {p.name for p in people} == {"Kennedy", "Harold Macmillan"}
    assert "Paris" in {p.name for p in places}
    assert not orgs  # WHO is a pronoun here, AIM a verb


def test_extract_capitals_word_acronym_needs_the_article_to_name_it(
    finder: EntityFinder,
) -> None:
    text = "DELEGATES OF THE WORLD HEALTH ORGANIZATION MET . THE WHO SAID IT WOULD ACT ."
    _, _, orgs = finder.find("", text)
    assert [o.name for o in orgs] == ["World Health Organization"]
    assert set(orgs[0].mentions) == {"WORLD HEALTH ORGANIZATION", "WHO"}


def test_extract_capitals_acronym_in_ordinary_text_still_counts(finder: EntityFinder) -> None:
    _, places, orgs = finder.find("", "The WHO said the US would pay.")
    assert [o.name for o in orgs] == ["World Health Organization"]
    assert "United States" in {p.name for p in places}


def test_extract_capitals_one_line_in_capitals(finder: EntityFinder) -> None:
    text = "Tony Blair spoke in London.\nHE SAID THE GOVERNMENT WOULD ACT . AND THEN IT DID .\n"
    people, _, _ = finder.find("", text)
    assert [p.name for p in people] == ["Tony Blair"]


def test_extract_capitals_headline_verb_only_in_headline(finder: EntityFinder) -> None:
    people, _, _ = finder.find("TREASURY'S BAKER SAYS DOLLAR FIRM", "The dollar rose.")
    assert [p.name for p in people] == ["Baker"]
    body = "THE MARKETS WERE QUIET . WATSON SAYS NOTHING . HE SAYS LITTLE ."
    people, _, _ = finder.find("", body)
    assert not people


def test_extract_capitals_date_in_body_is_not_publication_date() -> None:
    text = (
        "AT 10 : 42 A.M., PEKING TIME, WEDNESDAY, JULY 21, 1954, THE WAR IN INDO-CHINA "
        "CAME TO AN END . THE RESULT HAD BEEN A FOREGONE CONCLUSION ."
    )
    assert find_publication_date(text) is None
    assert find_publication_date("Published JULY 21, 1954\n" + text) == dt.date(1954, 7, 21)
    assert find_publication_date("By Ann Lee | July 21, 1954 " + text) == dt.date(1954, 7, 21)


_WORDS = st.sampled_from(
    "HE SHE IT THEY AND BUT THE WITH STILL IN HIS THEIR WAS WERE SAID SAYS ANNOUNCED "
    "GOVERNMENT WHO US AIM IT PROVERB BITTERLY . ,".split()
)


_FINDER: list[EntityFinder] = []


@settings(derandomize=True, deadline=None, max_examples=200)
@given(st.lists(_WORDS, min_size=3, max_size=40))
def test_extract_capitals_never_names_function_words(words: list[str]) -> None:
    if not _FINDER:
        _FINDER.append(EntityFinder.load())
    finder = _FINDER[0]
    people, places, orgs = finder.find("", " ".join(words))
    stop = finder.lexicon.stopwords
    found = [e.name for e in (*people, *places, *orgs)]
    assert not [n for n in found if any(w.lower() in stop for w in n.split())]
    assert "World Health Organization" not in found
