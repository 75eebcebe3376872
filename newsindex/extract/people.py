"""People: what makes a capitalised run a name, and how short mentions resolve to full names.

A run is a person when a title precedes it ("Prime Minister Takaichi Sanae"),
when it starts with a known first name ("Narendra Modi" needs the title;
"George W. Bush" does not), or when speech follows it ("Kibwana said").  A
later bare surname ("Modi", "Takaichi") resolves to the full name written
earlier or later in the same article, and is never a person of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "HEADLINE_VERB",
    "HEADLINE_VERBS",
    "ROLE_COMMA_BEFORE",
    "INITIALS",
    "NAME_PARTICLES",
    "NON_NAME_WORDS",
    "POST_NOMINALS",
    "PersonName",
    "SPEECH_AFTER",
    "is_role_word",
    "speech_before",
    "looks_like_name_word",
    "resolve_people",
]

NAME_PARTICLES = frozenset(
    "de da di du dos das del della la le van von der den ter ten bin ibn bint al el arap "
    "y e zu af av".split()
)

# Speech or apposition right after a name: "Kibwana said", "Kibwana, who".
SPEECH_AFTER = re.compile(
    r"\s*(?:,\s*(?:who|whose)\b|(?:,\s*)?(?:said|says|told|added|asked|explained|noted|"
    r"wrote|stated|argued|insisted|declared|replied|testified|announced|acknowledged|"
    r"admitted|recalled|warned|urged|denied|confirmed|estimated|predicted)\b)"
)
# A role phrase and a comma before a name: "Minister of International Trade and
# Industry, Hajime Tamura".
ROLE_COMMA_BEFORE = re.compile(
    r"\b(?:Minister|President|Secretary|Governor|Chairman|Chairwoman|Director|Chief|"
    r"Ambassador|Commissioner|Head|Leader|Mayor|Spokesman|Spokeswoman|Manager|Officer|"
    r"Executive|Editor|Founder|Chancellor|Premier)\b[^.;:!?]{0,60},\s*$"
)
# Headline verbs set in capitals: "TREASURY'S BAKER SAYS ...".
HEADLINE_VERBS = frozenset(
    "SAYS SEES URGES FORECASTS EXPECTS WANTS WARNS PREDICTS MAINTAINS CALLS REJECTS BACKS "
    "DENIES HOPES PLANS FAVOURS FAVORS FEARS DEFENDS DOUBTS CONFIDENT OPTIMISTIC SUPPORTS "
    "OPPOSES STANDS ASKS TELLS".split()
)
# A headline's verb after a name: "BAKER SAYS ...", "Miyazawa expects dollar to rebound".
HEADLINE_VERB = re.compile(
    r"\s+(?:says|sees|urges|forecasts|expects|wants|warns|predicts|maintains|calls|rejects|"
    r"backs|denies|hopes|plans|favours|favors|fears|defends|doubts|confident|optimistic|"
    r"pessimistic|supports|opposes|stands|tells|asks|to\s+(?:visit|meet|resign|seek))\b",
    re.IGNORECASE,
)
_BEFORE_WORDS = frozenset(
    """said says told added asked wrote by mr mrs ms dr spokesman spokeswoman spokesperson
    author historian politician leader minister president chairman chairwoman director
    executive official analyst economist lawyer attorney judge actor actress singer writer
    novelist journalist reporter editor professor coach player striker captain manager
    founder senator governor mayor ambassador envoy candidate commander officer priest
    bishop activist researcher scientist doctor colleague son daughter wife husband brother
    sister father mother photographer artist designer architect poet composer producer
    astronaut administrator secretary chief rival opponent challenger incumbent defendant
    suspect victim witness prosecutor investigator inspector detective sergeant legislator
    lawmaker dissident premier champion seed winner skater skier golfer driver pilot soldier
    student teacher worker farmer businessman businesswoman entrepreneur billionaire banker
    investor owner hairdresser nurse surgeon physician engineer lecturer""".split()
)


@lru_cache(maxsize=1 << 16)  # asked of the first word of every unknown run
def is_role_word(word: str) -> bool:
    """A capitalised role noun that can open a sentence before a name: "Hairdresser",
    "Welshman", "Then-premier"."""
    lower = word.lower()
    if lower in _BEFORE_WORDS and lower not in {"by", "mr", "mrs", "ms", "dr", "said", "says"}:
        return True
    if lower.endswith(("man", "woman")) and len(lower) > 6 and lower not in _NAMELIKE_MAN:
        return True  # Welshman, Congressman, Chairwoman
    head, dash, tail = word.partition("-")
    return bool(dash) and tail.islower() and tail in _BEFORE_WORDS  # Then-premier


# Surnames that end like "-man" words.
_NAMELIKE_MAN = frozenset(
    "goodman friedman freeman newman bowman chapman coleman hoffman kaufman lehman "
    "silverman zuckerman feldman waxman truman sherman herman norman".split()
)


def speech_before(text: str, start: int) -> bool:
    """Speech or a lowercase role noun right before ``start``: "said Kenneth Matiba",
    "historian Pieter van der Berg", "according to Smith"."""
    tail = text[max(0, start - 24) : start].rstrip(" \t\n,")
    last = tail[tail.rfind(" ") + 1 :] if " " in tail else tail
    word = last.rstrip(".").lower()
    if word in _BEFORE_WORDS and (word.islower() or last[:1].isupper()):
        return True
    return word == "to" and tail[:-2].rstrip().lower().endswith("according")


_INITIAL = re.compile(r"(?:[A-Z]\.)+[A-Z]?\.?|[A-Z]")
INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")

# Capitalised words that do not occur inside a person's name.
NON_NAME_WORDS = frozenset(
    """Cup Open Games Olympics Olympic Championship Championships Award Awards Prize Festival
    Day Week Year Summit Conference Program Programme Project Plan Act Treaty Accord Agreement
    War Revolution Crisis Street Road Avenue Square Bridge Airport Station Stadium
    Building Tower Center Centre Museum Gallery Hotel Cathedral Mosque Palace
    House Castle Prison Hospital Highway Route Line Express Medal Trophy Series Show Tour Race
    Marathon Rally Democrat Democrats Republican Republicans Socialist Socialists Communist
    Communists Conservative Conservatives Liberal Liberals Labour Greens North South East West
    Northern Southern Eastern Western Central Upper Lower Greater Great New Old Saint San Santa
    Fort Port Mount Lake Cape Sea Ocean River Island Islands Valley Coast Award Index Stock
    Stocks Bond Bonds Market Markets Exchange Dollar Yen Marks Pound Franc Lira Rupee
    Peso Reserve Federal National International Global World Union United Republic Kingdom
    Empire Royal Imperial Kingdom Affairs Foreign Justice Finance Trade Energy Health Defense
    Defence Interior Agriculture Commerce Labor Education Transport Security Intelligence
    Police Army Navy Air Force Marine Marines Guard Council Senate Congress Parliament Court
    Supreme Administration Authority Agency Department Ministry Office Bureau Commission
    Committee Board Institute University College School Academy Foundation Trust Fund Bank
    Group Corp Inc Co Ltd Plc Holdings Company Association Society League Party Front
    Movement Alliance Coalition Network News Times Post Journal Herald Tribune Daily Weekly
    Magazine Radio Television TV Internet Online Web Software Systems Technologies Electric
    Energy Oil Gas Petroleum Motors Airlines Airways Steel Mining Chemical Chemicals
    Pharmaceuticals Foods Industries Enterprises Capital Securities Investments Insurance
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    June July August September October November December Christmas Easter Ramadan God Lord
    Christ Allah Bible Koran Quran Internet Web English French German Spanish Italian
    Chinese Japanese Russian Arabic Muslim Muslims Christians Jewish Jews Catholic
    Catholics Protestant Islamic Hindu Buddhist Industry Government Officials Analysts Sources
    Traders Dealers Economists Investors Experts Diplomats Police Witnesses Residents
    Tory Tories Dems Dem Whig Whigs Unionist Unionists Nationalist Nationalists Loyalist
    Loyalists Lords Commons Peers Election Elections Referendum Poll Polls Budget Inquiry
    Parliamentary Ministerial Dlrs Dlr Stg Cts European Europeans African Africans Asian
    Asians American Americans Arab Arabs Western Utd""".split()
)
# Party members, groups and plurals written like acronyms: "MPs", "MEPs", "CEOs".
_GROUP_PLURAL = re.compile(r"[A-Z]{2,}s")
# Letters after a name that are not part of it: "Guy Mansfield QC", "Jane Smith MP".
POST_NOMINALS = frozenset("QC KC MP MEP MSP AM OBE CBE MBE KBE DBE PhD MD".split())


@lru_cache(maxsize=1 << 16)  # every capitalised word of every run asks: the same few thousand
def looks_like_name_word(word: str) -> bool:
    """A capitalised word, an initial, or a name particle — something a name is made of."""
    if _GROUP_PLURAL.fullmatch(word):
        return False  # "MPs"
    if word in NAME_PARTICLES:
        return True
    if _INITIAL.fullmatch(word):
        return True
    head = word.split("-")[-1] if word[:3] in {"al-", "el-"} else word
    return head[:1].isupper() and not head.isupper() or len(head) <= 3 and head.isupper()


@dataclass
class PersonName:
    """A person found in one article: canonical ``name``, surface ``mentions`` and ``role``."""

    name: str
    words: tuple[str, ...]
    mentions: list[str]
    first: int
    role: str = ""


def _strip_initials(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(w for w in words if not _INITIAL.fullmatch(w) and w.lower() not in NAME_PARTICLES)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True when every word of ``shorter`` appears, in order, in ``longer``."""
    pos = 0
    for word in shorter:
        try:
            pos = longer.index(word, pos) + 1
        except ValueError:
            return False
    return True


def _holder(core: tuple[str, ...], holding: dict[str, list[PersonName]]) -> PersonName | None:
    """The person already found whose name holds every word of ``core``, in order."""
    if not core:
        return None
    for person in holding.get(core[-1], ()):
        if _contains(_strip_initials(person.words), core):
            return person
    return None


def resolve_people(
    full: Iterable[tuple[str, int, str, str]],
    first_names: frozenset[str],
) -> tuple[list[PersonName], dict[str, PersonName]]:
    """Merge the multi-word names found in an article.

    ``full`` holds ``(name, offset, surface, role)`` for every multi-word
    person mention.  Shorter names contained in a longer one ("George Bush" in
    "George W. Bush") join it.  Returns the people in order of first mention
    and an index from each single word (surname or family name) to its person.
    """
    people: list[PersonName] = []
    by_name: dict[str, PersonName] = {}
    # Each word of a person's name -> the people whose names hold it, so a shorter name
    # is compared only with the people who share its last word.
    holding: dict[str, list[PersonName]] = {}
    ordered = sorted(full, key=lambda item: (-len(item[0].split()), item[1]))
    for name, offset, surface, role in ordered:
        words = tuple(name.split())
        person = by_name.get(name)
        if person is None:
            person = _holder(_strip_initials(words), holding)
        if person is None:
            person = PersonName(name, words, [], offset, role)
            people.append(person)
            for word in set(_strip_initials(words)):
                holding.setdefault(word, []).append(person)
        by_name[name] = person
        person.mentions.append(surface)
        person.first = min(person.first, offset)
        if role and not person.role:
            person.role = role
    index: dict[str, PersonName] = {}
    ambiguous: set[str] = set()
    for person in people:
        core = _strip_initials(person.words)
        candidates = {core[-1]} if core else set()
        # Family-name-first names ("Takaichi Sanae") are referred to by their first word
        # when it is not a given name.
        if len(core) >= 2 and core[0] not in first_names:
            candidates.add(core[0])
        for word in candidates:
            if word in index and index[word] is not person:
                ambiguous.add(word)
            index[word] = person
    for word in ambiguous:
        index.pop(word, None)
    # A first name alone ("Gloria") refers to the only person of the article who has it.
    given: dict[str, list[PersonName]] = {}
    for person in people:
        core = _strip_initials(person.words)
        if len(core) >= 2 and core[0] in first_names:
            given.setdefault(core[0], []).append(person)
    for word, owners in given.items():
        if len(owners) == 1 and word not in index and word not in ambiguous:
            index[word] = owners[0]
    people.sort(key=lambda p: p.first)
    return people, index
