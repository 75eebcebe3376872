"""Organisations, and names that are not people: groups, events, companies."""

from __future__ import annotations

import pytest

from newsindex.extract.entities import EntityFinder


@pytest.fixture(scope="module")
def finder() -> EntityFinder:
    return EntityFinder.load()


def people_and_orgs(finder: EntityFinder, title: str, body: str) -> tuple[set[str], set[str]]:
    people, _, orgs = finder.find(title, body)
    return {p.name for p in people}, {o.name for o in orgs}


@pytest.mark.parametrize(
    "body",
    [
        "MPs said the bill would pass. MEPs said nothing.",
        "Tory said the party would win.",
        "The Law Lords ruled on Tuesday, said Lords officials.",
        "Election said little about the outcome.",
        "Analysts said European plane maker Airbus would gain.",
    ],
)
def test_extract_organisations_groups_and_events_are_not_people(
    finder: EntityFinder, body: str
) -> None:
    people, _ = people_and_orgs(finder, "", body)
    assert not people


@pytest.mark.parametrize(
    ("body", "company"),
    [
        ("Kastrovo said it would pay. Shares in Kastrovo fell 5%.", "Kastrovo"),
        ("Shares rose as Velmora said profits rose. Velmora's chief executive quit.", "Velmora"),
        ("Oil giant Dransk said output rose, Dransk said.", "Dransk"),
        ("Ostberg Boerse, the German stock exchange, said it would bid.", "Ostberg Boerse"),
        ('"It is weak," said an economist with KVB Amro. KVB Amro said so.', "KVB Amro"),
    ],
)
def test_extract_organisations_company_context_makes_an_organisation(
    finder: EntityFinder, body: str, company: str
) -> None:
    people, orgs = people_and_orgs(finder, "", body)
    assert company in orgs
    assert company not in people


def test_extract_organisations_person_with_first_name_stays_a_person(
    finder: EntityFinder,
) -> None:
    body = "Bernie Ebbers said the shares would rise. Ebbers's shares in the firm fell."
    people, orgs = people_and_orgs(finder, "", body)
    assert "Bernie Ebbers" in people
    assert not orgs & {"Bernie Ebbers", "Ebbers"}


def test_extract_organisations_post_nominals_are_not_part_of_a_name(finder: EntityFinder) -> None:
    people, _ = people_and_orgs(finder, "", "Guy Mansfield QC said the case was weak.")
    assert people == {"Guy Mansfield"}


def test_extract_organisations_headline_acronym_is_the_organisation(finder: EntityFinder) -> None:
    title = "BANK BORROWINGS FALL, FED SAYS"
    people, orgs = people_and_orgs(finder, title, "The Federal Reserve said borrowings fell.")
    assert not people
    assert orgs == {"Federal Reserve"}
    people, orgs = people_and_orgs(finder, title, "Borrowings fell.")
    assert not people  # a word in capitals: the Fed only when the article names it
