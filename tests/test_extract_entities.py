"""Behaviour of the default people, places and organisations finder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.extract import Entity
from newsindex.extract.entities import EntityFinder

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "data" / "extraction"
SEED = REPO / "seeds" / "000_d6057e4f5df2a50a.txt"
SHARED_SEED = REPO.parent / "shared" / "seeds" / "000_d6057e4f5df2a50a.txt"


@pytest.fixture(scope="module")
def finder() -> EntityFinder:
    return EntityFinder.load()


def names(entities: tuple[Entity, ...], *, inferred: bool = False) -> set[str]:
    return {e.name for e in entities if e.inferred == inferred}


def find(finder: EntityFinder, text: str) -> dict[str, tuple[Entity, ...]]:
    people, places, orgs = finder.find("", text)
    return {"people": people, "places": places, "organisations": orgs}


def read_case(path: Path) -> tuple[str, dict[str, set[str]]]:
    text, _, expected = path.read_text(encoding="utf-8").partition("# expected\n")
    wanted: dict[str, set[str]] = {}
    for line in expected.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in {"people", "places", "organisations"}:
            wanted[key.strip()] = {v.strip() for v in value.split(";") if v.strip()}
    return text, wanted


def test_extract_entities_seed_article(finder: EntityFinder) -> None:
    from newsindex.readers import read_file

    seed = SEED if SEED.exists() else SHARED_SEED
    if not seed.exists():
        pytest.skip(f"seed article {seed} is absent")
    (article,) = list(read_file(seed, seed.parent))
    people, places, orgs = finder.find(article.title, article.body)
    assert names(people) == {"Takaichi Sanae", "Narendra Modi"}
    assert {"Japan", "India", "Johannesburg", "South Africa", "Delhi"} <= names(places)
    assert {"G20", "Ministry of Foreign Affairs"} <= names(orgs)
    roles = {p.name: p.role for p in people}
    assert roles == {"Takaichi Sanae": "Prime Minister", "Narendra Modi": "Prime Minister"}
    region = next(p for p in places if p.name == "Indo-Pacific")
    assert region.kind == "region"


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_extract_entities_golden_case(finder: EntityFinder, path: Path) -> None:
    text, wanted = read_case(path)
    found = find(finder, text)
    for field, expected in wanted.items():
        assert names(found[field]) == expected, field


def test_extract_entities_title_stripped_and_role_kept(finder: EntityFinder) -> None:
    people = find(finder, "Prime Minister Takaichi Sanae spoke. Takaichi later left.")["people"]
    assert [(p.name, p.role) for p in people] == [("Takaichi Sanae", "Prime Minister")]
    assert people[0].mentions == ("Takaichi Sanae", "Takaichi")


def test_extract_entities_possessive_resolves_to_full_name(finder: EntityFinder) -> None:
    people = find(finder, "Prime Minister Narendra Modi arrived. Modi's visit was brief.")["people"]
    assert [p.name for p in people] == ["Narendra Modi"]


def test_extract_entities_hyphenated_name(finder: EntityFinder) -> None:
    text = "Opposition leader Jean-Luc Melenchon said on Monday he would vote against the plan."
    assert names(find(finder, text)["people"]) == {"Jean-Luc Melenchon"}


def test_extract_entities_city_implies_country(finder: EntityFinder) -> None:
    places = find(finder, "Flooding hit Johannesburg on Monday.")["places"]
    city = next(p for p in places if p.name == "Johannesburg")
    assert (city.kind, city.country_code, city.inferred) == ("city", "ZA", False)
    assert city.coordinates is not None
    country = next(p for p in places if p.name == "South Africa")
    assert country.inferred and country.mentions == ()


def test_extract_entities_named_country_not_inferred(finder: EntityFinder) -> None:
    places = find(finder, "Flooding hit Johannesburg in South Africa.")["places"]
    assert not any(p.inferred for p in places)


def test_extract_entities_demonym_is_inferred_only(finder: EntityFinder) -> None:
    places = find(finder, "Japanese officials met on Monday.")["places"]
    assert [(p.name, p.inferred, p.mentions) for p in places] == [("Japan", True, ())]


def test_extract_entities_acronym_joins_full_name(finder: EntityFinder) -> None:
    text = "The European Union said on Monday the EU would act. Kennedy Space Center (KSC) agreed."
    orgs = find(finder, text)["organisations"]
    by_name = {o.name: o.mentions for o in orgs}
    assert by_name["European Union"] == ("European Union", "EU")
    assert "KSC" not in by_name


def test_extract_entities_region(finder: EntityFinder) -> None:
    places = find(finder, "Tension in the Middle East worried Europe.")["places"]
    assert {(p.name, p.kind) for p in places} == {("Middle East", "region"), ("Europe", "region")}


def test_extract_entities_victoria_as_person(finder: EntityFinder) -> None:
    found = find(finder, "Victoria Beckham opened a shop on Monday.")
    assert names(found["people"]) == {"Victoria Beckham"}
    assert not found["places"]


def test_extract_entities_dateline_in_capitals(finder: EntityFinder) -> None:
    places = find(finder, "NAIROBI, Kenya (AP) _ Thousands protested on Saturday.")["places"]
    assert {"Nairobi", "Kenya"} <= names(places)


def test_extract_entities_empty_text(finder: EntityFinder) -> None:
    assert finder.find("", "") == ((), (), ())


def test_extract_entities_load_is_fast() -> None:
    code = (
        "import time; t = time.perf_counter();"
        "from newsindex.extract.entities import EntityFinder; EntityFinder.load();"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 1.5


@settings(derandomize=True, deadline=None, max_examples=150)
@given(st.text(max_size=300), st.text(max_size=600))
def test_extract_entities_never_raises_and_is_deterministic(title: str, body: str) -> None:
    finder = _shared_finder()
    first = finder.find(title, body)
    assert finder.find(title, body) == first
    for group in first:
        assert all(isinstance(e, Entity) and e.name for e in group)


NAMEISH = st.lists(
    st.sampled_from(
        "Prime Minister President Mr. Modi Japan India New York Georgia Jordan said the of "
        "and , . 's Bank Ministry Foreign Affairs U.S. EU (EU) Nice in J.K. van al-Assad".split()
    ),
    max_size=40,
).map(" ".join)


@settings(derandomize=True, deadline=None, max_examples=150)
@given(NAMEISH)
def test_extract_entities_name_soup_never_raises(text: str) -> None:
    finder = _shared_finder()
    people, places, orgs = finder.find("", text)
    assert finder.find("", text) == (people, places, orgs)


_FINDER: list[EntityFinder] = []


def _shared_finder() -> EntityFinder:
    if not _FINDER:
        _FINDER.append(EntityFinder.load())
    return _FINDER[0]


def test_extract_entities_extra_folder_adds_entries(tmp_path: Path) -> None:
    (tmp_path / "aliases.tsv").write_text(
        "Little Snoring\tLittle Snoring\tcity\tGB\t52.86\t0.91\t400\n", encoding="utf-8"
    )
    (tmp_path / "organisations.tsv").write_text("Snoring Parish Council\tSPC\n", encoding="utf-8")
    finder = EntityFinder.load(tmp_path)
    people, places, orgs = finder.find("", "The SPC met in Little Snoring on Monday.")
    assert [(p.name, p.kind, p.country_code) for p in places if not p.inferred] == [
        ("Little Snoring", "city", "GB")
    ]
    assert [o.name for o in orgs] == ["Snoring Parish Council"]


def test_extract_entities_extra_folder_bad_row(tmp_path: Path) -> None:
    from newsindex.errors import ConfigurationError

    (tmp_path / "aliases.tsv").write_text("Atlantis\tAtlantis\tcontinent\t\t\t\t0\n", "utf-8")
    with pytest.raises(ConfigurationError, match="kind 'continent'"):
        EntityFinder.load(tmp_path)


def test_extract_entities_us_is_not_a_stop_word(finder: EntityFinder) -> None:
    places = find(finder, "US officials met. The deal helps US exporters, an aide told us.")
    assert names(places["places"]) == {"United States"}


@settings(derandomize=True, deadline=None, max_examples=150)
@given(NAMEISH)
def test_extract_entities_mention_offsets_point_at_the_text(text: str) -> None:
    for mention in _shared_finder().mentions("", text):
        written = " ".join(text[mention.start : mention.end].split()).replace("\u2019", "'")
        assert written == mention.text, mention


def test_extract_entities_initials_name_an_organisation(finder: EntityFinder) -> None:
    text = "The Kenya Wildlife Service counted elephants. KWS rangers said numbers rose."
    orgs = find(finder, text)["organisations"]
    assert [(o.name, o.mentions) for o in orgs] == [
        ("Kenya Wildlife Service", ("Kenya Wildlife Service", "KWS"))
    ]


@pytest.mark.parametrize(
    ("text", "people", "places"),
    [
        ("Jordan said the team played well.", {"Jordan"}, set()),
        ("Jordan said it would reopen the border with Syria.", set(), {"Jordan", "Syria"}),
        ("Jordan and Syria signed a water deal.", set(), {"Jordan", "Syria"}),
        ("King Abdullah of Jordan met officials in Amman.", {"Abdullah"}, {"Jordan", "Amman"}),
    ],
)
def test_extract_entities_jordan_person_or_country(
    finder: EntityFinder, text: str, people: set[str], places: set[str]
) -> None:
    found = find(finder, text)
    assert names(found["people"]) == people
    assert names(found["places"]) == places


def test_extract_entities_dates_and_legal_forms_are_not_people(finder: EntityFinder) -> None:
    notice = "Qtly div 10 cts vs 10 cts prior\nPay May 15\nRecord April 30\n"
    assert names(find(finder, notice)["people"]) == set()
    people, _, orgs = finder.find("PALL CORP <PLL> SECOND QUARTER SALES, ORDERS UP", "")
    assert names(people) == set()
    spoken = "Theresa May said on Monday the talks would go on."
    assert names(find(finder, spoken)["people"]) == {"Theresa May"}


def test_extract_entities_members_of_parliament_keep_the_title_apart(
    finder: EntityFinder,
) -> None:
    text = "Labour MP Ken Livingstone said the plan was wrong. Lib Dem MP Lembit Opik agreed."
    assert names(find(finder, text)["people"]) == {"Ken Livingstone", "Lembit Opik"}


def test_extract_entities_a_lone_head_word_is_the_body_it_heads(finder: EntityFinder) -> None:
    group = find(finder, "Shares in the Pearson Group rose. The Group said sales grew.")
    assert names(group["people"]) == set()
    text = "The Bank of Japan raised rates. The Bank said inflation was rising."
    found = find(finder, text)
    assert names(found["people"]) == set()
    assert names(found["organisations"]) == {"Bank of Japan"}
    alone = find(finder, "The Bank said inflation was rising, a Bank spokesman said.")
    assert names(alone["people"]) == names(alone["organisations"]) == set()
