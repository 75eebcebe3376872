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


@pytest.mark.parametrize(
    ("body", "organisation"),
    [
        ("Late on Monday Harvello said in a statement that sales rose.", "Harvello"),
        ("A Quindara spokesman said the plant would close.", "Quindara"),
        ("He said Velsor officials would close the plant.", "Velsor"),
        ("The report was quoted by the weekly Vortice on Sunday.", "Vortice"),
        (
            "He said so in an interview with the Gazzetta della Sera newspaper.",
            "Gazzetta della Sera",
        ),
        (
            "Ostrava Dispatch reporters said so. She spoke to the Ostrava Dispatch.",
            "Ostrava Dispatch",
        ),
    ],
)
def test_extract_organisations_company_and_media_cues(
    finder: EntityFinder, body: str, organisation: str
) -> None:
    people, orgs = people_and_orgs(finder, "", body)
    assert organisation in orgs
    assert organisation not in people


@pytest.mark.parametrize(
    "body",
    [
        # A full name with speech cues stays a person, even one a company could share.
        "Central bank governor Takeshi Morimoto spoke. Morimoto said in a statement it was fine.",
        # A possessive names the person's staff, not an organisation.
        "Vance Oblonsky spoke. A member of Oblonsky's staff said the talks went well.",
    ],
)
def test_extract_organisations_cues_a_person_shares_stay_people(
    finder: EntityFinder, body: str
) -> None:
    _, orgs = people_and_orgs(finder, "", body)
    assert not orgs


@pytest.mark.parametrize(
    ("body", "organisation"),
    [
        # Suffix words: armed groups, units, newspapers; a title word before the suffix.
        ("Members of the Popular Resistance Brigades fired.", "Popular Resistance Brigades"),
        ("The Royal Armoured Battalion will be sent north.", "Royal Armoured Battalion"),
        ("She spoke to the Ostrava Gazette on Monday.", "Ostrava Gazette"),
        (
            "A member of the Pavlodar Democratic Justice Party spoke.",
            "Pavlodar Democratic Justice Party",
        ),
        # "Daily" opens a newspaper's title; "X-backed" names another body.
        ("An advertisement ran in The Daily Meridian last week.", "Daily Meridian"),
        ("Fighters of the Varnia-backed Popular Front said so.", "Popular Front"),
        # A head word, then "on" or "against" and a topic.
        ("He spoke at the Council on Maritime Affairs in Oslo.", "Council on Maritime Affairs"),
        ("He wrote to the Committee against Torture.", "Committee against Torture"),
        # Listed: party members, broadcasters.
        ("The Nazis invaded in 1939.", "Nazi Party"),
        ("The Communists and the Christian Democrats agreed.", "Christian Democrats"),
        ("CBS said the interview would air on Sunday.", "CBS"),
    ],
)
def test_extract_organisations_by_shape_or_list(
    finder: EntityFinder, body: str, organisation: str
) -> None:
    _, orgs = people_and_orgs(finder, "", body)
    assert organisation in orgs


def test_extract_organisations_bare_name_after_a_legal_form(finder: EntityFinder) -> None:
    body = "Quellix said it would hire 200 people. Quellix Inc. makes pumps in Ohio."
    people, orgs = people_and_orgs(finder, "", body)
    assert orgs == {"Quellix"}
    assert not people
    _, _, found = finder.find("", body)
    assert set(found[0].mentions) == {"Quellix", "Quellix Inc."}


def test_extract_organisations_bare_name_ignores_a_legal_form_after_a_possessive(
    finder: EntityFinder,
) -> None:
    body = "Tarrow's Nursery Inc was sold. Nursery sales rose."
    _, orgs = people_and_orgs(finder, "", body)
    assert orgs == {"Nursery"}  # the run "Nursery Inc", but no bare "Nursery" mention
    _, _, found = finder.find("", body)
    assert found[0].mentions == ("Nursery Inc",)


def test_extract_organisations_initials_spelled_out_after_them(finder: EntityFinder) -> None:
    body = "The brand belongs to KVTM (Karl Vogel Textil Maschinen). KVTM said sales rose."
    _, orgs = people_and_orgs(finder, "", body)
    assert orgs == {"Karl Vogel Textil Maschinen"}
    _, _, found = finder.find("", body)
    assert set(found[0].mentions) == {"KVTM", "Karl Vogel Textil Maschinen"}


def test_extract_organisations_initials_of_a_term_are_no_organisation(
    finder: EntityFinder,
) -> None:
    _, orgs = people_and_orgs(finder, "", "It plans an IPO (Initial Public Offering) soon.")
    assert not orgs


def test_extract_organisations_head_word_before_a_weekday_stays_short(
    finder: EntityFinder,
) -> None:
    _, orgs = people_and_orgs(finder, "", "The Council on Monday said it would meet.")
    assert not any("Monday" in o for o in orgs)


def test_extract_organisations_credit_in_brackets_is_no_short_form(finder: EntityFinder) -> None:
    body = "Vetter hopes to play in the NFL (AP)\n\nAP - Vetter said he would try."
    _, _, orgs = finder.find("", body)
    assert "AP" not in {m for o in orgs if o.name == "National Football League" for m in o.mentions}


def test_extract_organisations_firms_named_by_partners_and_co() -> None:
    from newsindex.extract.entities import EntityFinder

    finder = EntityFinder.load()
    text = (
        "Smith Barney, Harris Upham and Co raised its forecast on Monday. Smith Barney "
        "analyst John Lee said prices would rise. E.F. Hutton and Co Inc said it agreed. "
        "Analysts at E.F. Hutton expect more. Later, Co shares fell."
    )
    people, _, orgs = finder.find("Brokers see gains", text)
    assert {p.name for p in people} == {"John Lee"}
    assert {o.name for o in orgs} == {"Smith Barney", "E.F. Hutton"}
