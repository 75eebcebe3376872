"""Credit lines and sports clubs."""

from __future__ import annotations

import pytest

from newsindex.documents import Article
from newsindex.extract import get_extractor
from newsindex.extract.credits import find_credit
from newsindex.extract.entities import EntityFinder


@pytest.fixture(scope="module")
def finder() -> EntityFinder:
    return EntityFinder.load()


def orgs_and_places(finder: EntityFinder, title: str, body: str) -> tuple[set[str], set[str]]:
    _, places, orgs = finder.find(title, body)
    return {o.name for o in orgs}, {p.name for p in places if not p.inferred}


@pytest.mark.parametrize(
    ("body", "agency"),
    [
        ("NAIROBI, Kenya (AP) _ Thousands protested on Monday.", "Associated Press"),
        ("LONDON (Reuters) - Sterling rose on Monday.", "Reuters"),
        ("TOKYO, March 3 - The yen rose.\n\n Reuter", "Reuters"),
        ("PARIS - AFP - Talks resumed on Monday.", "Agence France-Presse"),
    ],
)
def test_extract_credit_line_is_not_an_organisation(
    finder: EntityFinder, body: str, agency: str
) -> None:
    orgs, _ = orgs_and_places(finder, "", body)
    assert agency not in orgs
    assert finder.credit("", body) == agency


def test_extract_credit_story_about_the_agency_keeps_it(finder: EntityFinder) -> None:
    body = "LONDON (Reuters) - Reuters said its profits rose 10 percent.\n Reuter"
    orgs, _ = orgs_and_places(finder, "", body)
    assert "Reuters" in orgs
    assert finder.credit("", body) == "Reuters"


def test_extract_credit_none_and_extraction_field() -> None:
    assert find_credit("The AP style guide was revised (AP) last year.") is None
    extract = get_extractor("default")
    article = Article(id="1", title="", body="LONDON (Reuters) - Sterling rose.")
    assert extract(article).credit == "Reuters"
    assert extract(Article(id="2", title="", body="Sterling rose.")).credit == ""


@pytest.mark.parametrize(
    ("body", "clubs", "places"),
    [
        (
            "Sheffield 2 Middlesbrough 1. The match was played in the league.",
            {"Sheffield", "Middlesbrough"},
            set(),
        ),
        (
            "Liverpool beat Barcelona 2-1 in the league. The Liverpool manager praised his "
            "striker. Fans in Liverpool celebrated.",
            {"Liverpool", "Barcelona"},
            {"Liverpool"},
        ),
        (
            "Ships left Liverpool for Barcelona, the port authority said.",
            set(),
            {"Liverpool", "Barcelona"},
        ),
        ("Shares in Boston rose 2-1 against the dollar, traders said.", set(), {"Boston"}),
    ],
)
def test_extract_sports_city_naming_a_club_is_an_organisation(
    finder: EntityFinder, body: str, clubs: set[str], places: set[str]
) -> None:
    orgs, found = orgs_and_places(finder, "", body)
    assert orgs == clubs
    assert found == places


@pytest.mark.parametrize(
    ("body", "teams"),
    [
        (
            "The Denver Comets beat the Knoxville Hounds 98-90 on Sunday, the first win of "
            "the season for the league leaders.",
            {"Denver Comets", "Knoxville Hounds"},
        ),
        (
            "The Otters scored twice in the second half. The coach said the team played well "
            "and the league title was close.",
            {"Otters"},
        ),
        (
            "The Midnight Lanterns played songs from their new album. The band start a tour "
            "in May, and the single is in the charts.",
            {"Midnight Lanterns"},
        ),
    ],
)
def test_extract_sports_teams_and_bands_by_nickname(
    finder: EntityFinder, body: str, teams: set[str]
) -> None:
    orgs, places = orgs_and_places(finder, "", body)
    assert teams <= orgs
    assert "Denver" not in places and "Knoxville" not in places


@pytest.mark.parametrize(
    "body",
    [
        # Not sports or music copy: no team.
        "The Denver Comets exhibit opened at the museum on Sunday.",
        # Events and peoples are plural names too.
        "The Americans won gold at the Olympics as the season and the league ended, "
        "the coach said after the match.",
        # "the Kennedys" after a Kennedy is the family.
        "Robert Kennedy scored in the match. The Kennedys watched the league game with the coach.",
    ],
)
def test_extract_sports_plurals_that_are_not_teams(finder: EntityFinder, body: str) -> None:
    orgs, _ = orgs_and_places(finder, "", body)
    assert not orgs
