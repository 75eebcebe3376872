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

from newsindex.extract.personhood import Mention

__all__ = ["club_mentions", "is_sports_copy"]

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
_LOCATIVE = re.compile(r"\b(?:in|near|outside|around|across|from)\s+(?:central\s+)?$")


def is_sports_copy(text: str) -> bool:
    """True for a story with a scoreline or at least three sports words."""
    if _SCORE.search(text):
        return bool(_SPORTS.search(text))
    count = 0
    for _ in _SPORTS.finditer(text):
        count += 1
        if count >= 3:
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
