"""Places: choosing between gazetteer entries that share a name, and refusing common words.

"Georgia" is the country unless the article is otherwise about the United
States; "Nice", "Reading" or "Split" are places only where a preposition
("in Nice") or a following place ("Split, Croatia") says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsindex.extract.gazetteer import Place

__all__ = [
    "COMMON_WORD_PLACES",
    "LOCATIVE_BEFORE",
    "PLACE_HEADS",
    "PLACE_PREFIXES",
    "PLACE_SUFFIXES",
    "SETTLEMENT_BEFORE",
    "NAMELIKE_COUNTRIES",
    "SMALL_CITY",
    "SPORTS_WORDS",
    "choose_place",
    "needs_context",
    "never_a_place",
]

# Geographic features and landmarks the gazetteer does not list, known by their shape:
# "Gulf of Mexico", "Mount Everest", "Caspian Sea", "Tiananmen Square".
PLACE_HEADS = frozenset("Gulf Strait Straits Bay Isle Isles Cape Sea Lake Mouth".split())
PLACE_PREFIXES = frozenset("Mount Mt. Lake".split())
PLACE_SUFFIXES = frozenset(
    """Sea Ocean River Mountains Mountain Islands Island Bay Gulf Strait Straits Valley Desert
    Peninsula Canal Square Park Forest Coast Basin Delta Falls Glacier Range Hills Heights
    Circle Pole Airport Bridge Street Avenue Boulevard Plaza Highway Archipelago Lagoon
    Reef Plateau Steppe Dam Stadium Arena Station Terminal Mosque Cathedral Temple Palace
    Castle Tower Prison Monument Memorial Cemetery Zoo Harbor Harbour Pier Gardens""".split()
)
# "the town of Knin": an unlisted settlement named as such.
SETTLEMENT_BEFORE = re.compile(
    r"\b(?:town|village|city|port|capital|suburb|hamlet|township|resort)\s+of\s+$"
)

# Place names that are also everyday English words or first names: they need a
# preposition or a following place before they count.
COMMON_WORD_PLACES = frozenset(
    """Of Nice Mobile Reading Bath Split March May Deal Sale Hope Independence Liberty Orange
    Concord Eugene Marion Troy Sandy Globe Eden Bury Poole Slough Providence Mission Temple
    Normal Eagle Union Goodyear Buffalo Mesa Man Jersey Kent Sterling Bend Homer Nome Barrow
    Midland Victoria Florence Charlotte Regina Chester Douglas Aurora Orlando Lawrence Tyler
    Lynn Warren Gary Nelson Winston Sharon Everett Quincy Franklin Clinton Monroe Milton
    Vernon Hull Medford Cork Derby Guinea Chad Jordan Georgia Most Best Bar Bay Gross Page
    Opportunity Enterprise Commerce Industry Justice Unity Progress Friendship Harmony Pride
    Patience Faith Grace Joy Paradise Eureka Mercy Trinity Heritage Manor Central Summit
    University College Center Mission Olympic Harbour Industrial Gateway Garden Marina Beach
    Village Westminster""".split()
)
# A one-word city smaller than this needs support when it opens a sentence or is set
# in capitals ("Federal", "Mine", "Cocoa" are towns too).
SMALL_CITY = 100_000
# Countries whose names are also given names: "Jordan said" or "Jordan scored" is a person
# unless the article otherwise speaks of the country.
NAMELIKE_COUNTRIES = frozenset({"Jordan", "Chad", "Georgia"})
SPORTS_WORDS = re.compile(
    r"\b(?:scored|scoring|points|goals?|rebounds|assists|touchdowns?|innings|playoffs?|"
    r"season|coach|league|tournament|championship)\b"
)
# Words that are never places in running text, however the gazetteer spells them.
_NEVER = frozenset(
    """Of May March Deal Sale Hope Mission Temple Normal Federal University College Center
    Republic Union Industry Commerce Enterprise Village Olympic Central Summit""".split()
)

LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|from|to|near|outside|inside|into|across|around|across|throughout|via|"
    r"visit|visited|visiting|toward|towards|between|of|northern|southern|eastern|western|"
    r"central|downtown|suburban|capital)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def never_a_place(alias: str) -> bool:
    """Words GeoNames lists as towns that running text never means as one ("University")."""
    return alias in _NEVER


def needs_context(alias: str, places: tuple[Place, ...]) -> bool:
    """True for a name that is a place only when the sentence says so."""
    if alias in _NEVER:
        return True
    if alias not in COMMON_WORD_PLACES:
        return False
    # Countries named in news are nearly always the place; see NAMELIKE_COUNTRIES.
    return places[0].kind != "country"


def choose_place(places: tuple[Place, ...], context: Iterable[str]) -> Place:
    """The entry meant, preferring one in a country the article already names."""
    if len(places) == 1:
        return places[0]
    codes = set(context)
    for place in places:
        if place.country_code in codes and place.kind != "country":
            # "Georgia" in an article about Atlanta is the US state.
            return place
    return places[0]
