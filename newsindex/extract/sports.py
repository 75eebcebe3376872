"""Sports copy: a city that names a club is the team, not the place.

In a match report "Liverpool beat Barcelona 2-1" or "Sheffield 2 Middlesbrough 1"
names two clubs. A story is sports copy when it has a scoreline or several
sports words; there, a city written as a club (in a scoreline, before "beat",
"striker" or "manager", after "against", "beat" or "joined") is an
organisation everywhere the story names it, unless a preposition makes it a
place ("in Liverpool").
"""

from __future__ import annotations

import re

from newsindex.extract.gazetteer import Lexicon
from newsindex.extract.personhood import ArticleText, Mention
from newsindex.extract.tokens import Chunk, Word

__all__ = ["club_mentions", "ends_in_plural", "is_music_copy", "is_sports_copy", "team_mentions"]

# "Sheffield 2 Middlesbrough 1", "Liverpool 2-1 Everton", "beat Chelsea 3-0".
# A club's score after its name, or the other club's before it: "Sheffield 2
# Middlesbrough 1", "Liverpool 2-1 Everton".
_SCORE_AFTER = re.compile(r"\s+\d{1,2}(?:\s*[-\u2013]\s*\d{1,2})?,?\s+[A-Z]")
_SCORE_BEFORE = re.compile(r"[A-Za-z]\s+\d{1,2}(?:\s*[-\u2013]\s*\d{1,2})?,?\s+$")
_SCORE = re.compile(r"\b\d{1,2}\s*[-\u2013]\s*\d{1,2}\b|\b[A-Z][a-z]+ \d{1,2},? [A-Z][a-z]+ \d")
_SPORTS = re.compile(
    r"\b(?:scored|scoring|goals?|striker|midfielder|defender|goalkeeper|keeper|penalty|"
    r"match|matches|premiership|league|cup|fixture|kick-off|half-time|innings|wicket|"
    r"touchdowns?|rebounds|playoffs?|tournament|championship|coach|manager|season|"
    r"referee|stadium|fans|club|squad|team-mates?|draw|relegation)\b",
    re.IGNORECASE,
)
_CLUB_AFTER = re.compile(
    r"(?:'s)?\s+(?:beat|beats|won|win|lost|lose|drew|draw|held|thrashed|edged|striker|"
    r"midfielder|defender|goalkeeper|keeper|manager|boss|coach|captain|winger|forward|"
    r"fans|supporters|side|squad|team|players?|chairman|have\s+(?:won|lost|signed)|"
    r"are\s+(?:top|bottom|unbeaten))\b"
)
_CLUB_BEFORE = re.compile(
    r"\b(?:against|beat|beating|beaten\s+by|defeat(?:ed)?|v|vs|versus|joined|join|"
    r"signed\s+for|sign\s+for|loan\s+to|move\s+to|transfer\s+to|leave|left|face|faced|"
    r"facing|host|hosts|visit\s+of|draw\s+with|drew\s+with|lost\s+to|loss\s+to|win\s+over|"
    r"victory\s+over|defeat\s+to|defeat\s+by)\.?\s+$"
)
_THE_BEFORE = re.compile(r"\bthe\s+$")
_LOCATIVE = re.compile(r"\b(?:in|near|outside|around|across|from)\s+(?:central\s+)?$")


def is_sports_copy(text: str) -> bool:
    """True for a story with a scoreline or at least three sports words."""
    if _SCORE.search(text):
        return bool(_SPORTS.search(text))
    return _at_least(_SPORTS, text, 3)


def _at_least(words: re.Pattern[str], text: str, count: int) -> bool:
    """True when ``words`` occur ``count`` times in ``text`` (stops scanning there)."""
    seen = 0
    for _ in words.finditer(text):
        seen += 1
        if seen >= count:
            return True
    return False


def club_mentions(text: str, found: list[Mention]) -> list[Mention]:
    """In sports copy, cities written as clubs become organisations.

    A city name counts as a club when one of its mentions stands in a
    scoreline or beside a club word; then each of its mentions is the club,
    except one after a locative preposition ("fans in Liverpool").
    """
    cities = [
        m for m in found if m.kind == "place" and m.place is not None and m.place.kind == "city"
    ]
    if not cities:
        return found
    clubs: set[str] = set()
    located: set[int] = set()
    for m in cities:
        if _LOCATIVE.search(text, max(0, m.start - 20), m.start):
            located.add(m.start)
        elif (
            _SCORE_AFTER.match(text, m.end)
            or _SCORE_BEFORE.search(text, max(0, m.start - 12), m.start)
            or _CLUB_AFTER.match(text, m.end)
            or _CLUB_BEFORE.search(text, max(0, m.start - 24), m.start)
        ):
            clubs.add(m.text)
    if clubs and not is_sports_copy(text):
        return found
    if not clubs:
        return found
    return [
        m._replace(kind="organisation", name=m.text, place=None)
        if m.kind == "place" and m.text in clubs and m.start not in located
        else m
        for m in found
    ]


_MUSIC = re.compile(
    r"\b(?:album|albums|band|bands|song|songs|singer|guitarist|drummer|concert|gig|"
    r"chart|charts|single|tour|lyrics|record\s+label|frontman)\b"
)
# Plurals that name events, awards or groups of people, never one team or band.
_NOT_TEAMS = frozenset(
    """Olympics Games Championships Championship Awards Nations Champions Series Finals
    Playoffs Masters Open Opens Paralympics Oscars Grammys Emmys Baftas Globes Classics
    Indoors Fans Players Friends Others Years Days Times News Affairs Services Relations
    Rights Forces States Islands Highlands Lowlands Midlands Mountains Hills Falls Lakes
    Springs Woods Gardens Isles Keys Heights Sciences Studies Arts Commons Lords Talks
    Christmas Honours Lectures Slams Directors Lights Europeans Asians Africans Scots
    Spaniards Brits Swedes Danes Finns Poles Turks Arabs Jews Muslims Christians""".split()
)


def is_music_copy(text: str) -> bool:
    """True for a story about music: at least three music words ("album", "band", "gig")."""
    return _at_least(_MUSIC, text, 3)


def team_mentions(
    doc: ArticleText, found: list[Mention], plurals: list[Chunk], lexicon: Lexicon
) -> list[Mention]:
    """In sports or music copy, "the Knicks", "the Chicago Bulls" and "the Beatles" are
    organisations: a team or band named by a capitalised plural after "the" or after a
    city or state. ``plurals`` are the article's chunks that end in such a plural."""
    persons = [m for m in found if m.kind == "person"]
    teams: list[Mention] = []
    for chunk in plurals:
        named = _team_name(doc.text, chunk, lexicon)
        if named is None:
            continue
        start, end, name = named
        last = name.rsplit(" ", 1)[-1]
        if last.lower() in doc.lowercase_words():
            continue  # "the Fans": a word the story also writes in lower case
        # "the Kennedys" after "John Kennedy" is a family, "the Williams sisters" two players.
        people = {w for m in persons if not start <= m.start < end for w in m.name.split()}
        if last in people or last[:-1] in people or name.split(" ")[0] in people:
            continue
        teams.append(Mention("organisation", start, end, name, name))
    if not teams or not (is_sports_copy(doc.text) or is_music_copy(doc.text)):
        return found
    spans = [(t.start, t.end) for t in teams]
    kept = [m for m in found if not any(s <= m.start and m.end <= e for s, e in spans)]
    return kept + teams


def ends_in_plural(chunk: Chunk) -> bool:
    """True when a chunk ends in a capitalised plural that could name a team ("Knicks")."""
    last = chunk.words[-1]
    word = last.text
    return (
        len(word) > 3
        and word[-1] == "s"
        and word[-2] not in "s'"
        and not last.possessive
        and word[1:].isalpha()
        and word[1:].islower()
    )


def _team_name(text: str, chunk: Chunk, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """Start, end and name of the team or band a plural-ending chunk may name."""
    words = chunk.words
    if not _nickname(words[-1].text, lexicon):
        return None
    # The name runs back from the plural to a particle ("the", "and") or three words.
    cut = len(words) - 1
    while cut > 0 and len(words) - cut < 3 and not _breaks_name(words[cut - 1]):
        cut -= 1
    tail = words[cut:]
    if cut > 0:
        after_the = words[cut - 1].text in {"The", "the"}
    else:
        after_the = bool(_THE_BEFORE.search(text, max(0, tail[0].start - 5), tail[0].start))
    prefix = " ".join(w.text for w in tail[:-1])
    if not (prefix or after_the) or (prefix and not _team_prefix(prefix, after_the, lexicon)):
        return None  # "Subscriptions close", "This brings": no "the" and no city
    name = " ".join(w.text for w in tail)
    if name in lexicon.places:
        return None  # "Buenos Aires"
    return tail[0].start, tail[-1].end, name


def _breaks_name(word: Word) -> bool:
    """A particle or "the": a team's name never runs back past it."""
    return word.particle or word.text in {"The", "the"}


def _team_prefix(prefix: str, after_the: bool, lexicon: Lexicon) -> bool:
    """Words that may open a team's or band's name: a city or state ("Chicago Bulls"),
    or after "the" any words but a first name ("the All Blacks", "the Rolling Stones")."""
    places = lexicon.places.get(prefix)
    given = prefix.split()[0] in lexicon.first_names
    if places and places[0].kind in {"city", "admin"}:
        return after_the or not given  # "referee Nigel Williams": Nigel is a town too
    return after_the and not places and not given


def _nickname(word: str, lexicon: Lexicon) -> bool:
    """A plural that can name a team or band: not an event, a people's name or a place."""
    if word in _NOT_TEAMS or word in lexicon.places or word in lexicon.organisations:
        return False
    # "Americans", "Londoners": the people of a place.
    return word[:-1] not in lexicon.demonyms and word[:-3] not in lexicon.places
