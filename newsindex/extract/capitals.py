"""Text set in capitals: where capital letters say nothing about names.

Old wire copy, magazine archives and many feeds' headlines are written all in
capitals ("THE PRESIDENT SAID HE WOULD ..."). There, a capitalised word is no
evidence of a name, so the rules that rely on capitals must not fire: a
pronoun or function word is never a name, an acronym that is also a word
("WHO", "US", "IT", "AIM") is an organisation or a place only when the
article names that entity some other way, and a person needs a title or a
known first name and surname ("PRESIDENT KENNEDY", "HAROLD MACMILLAN").
"""

from __future__ import annotations

import re

from newsindex.extract.gazetteer import Lexicon
from newsindex.extract.names import Run
from newsindex.extract.organisations import CORPORATE_SUFFIXES
from newsindex.extract.tokens import Chunk, Word

__all__ = ["WORD_ACRONYMS", "caps_people", "in_capitals", "is_word_acronym"]

# Short English words that are also acronyms or short names of organisations and
# places; in capitals they need the article's support. Stop words count too.
WORD_ACRONYMS = frozenset(
    """aim act add age aid aids air all and any are arm art bad ban bar bat bed big bit box
    boy bus but buy can cap car care cat cure cut day did die dog due ear eat end era eye
    fair fan far fast fat fed few fit fly for fun gap gas get god got gun guy had has hat
    her him his hit hope hot how ice ill its job joy key kid law lay led leg let lie live
    lot love low mad man map may men met mind mix mob more mud net new nice nor not now
    nut odd off oil old one our out own pace pay peace pen per pet pie pin pit pop pot
    put ran raw red rid rob rod row run sad safe save saw say sea sec see set sex she shy
    sin sit six sky son spy star sum sun tax tea team ten the tie time tin tip toe ton too
    top toy try two use van war was way web wet who why win wise won yes yet you zoo""".split()
)

# Everyday words that the name lists also hold as first names or surnames; in capitals
# they are read as words ("MAY WELL", "MARTIAL LAW", "CHIEF OF STAFF").
_EVERYDAY = frozenset(
    """able admiral also art baker bank bay bell best bill black bond born brown bush
    but case chase chief church clear close cook cross day dean early east fair field
    fine first ford fox frank free friend gay general gold good grace grand grant great
    green guard hall hand hard harvey head heart high hill hope house hunt iron joy just
    king lamb land lane law lay lee light little long love major march mark marshal martial
    mason may miles mill miller moon more morning new night north park parker pat penny
    pierce pope post power price prince rich rich rose rule sale say sharp short small
    smith south staff stand star stone strong summer sun taylor temple thank tiny trust
    turner walker wall ward way well west white will win wise wood young""".split()
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# How far to look for the word before or after a chunk.
_NEAR = 40


def is_word_acronym(word: str, stopwords: frozenset[str]) -> bool:
    """True for a capitalised word that is also an everyday English word ("WHO", "US")."""
    lower = word.lower()
    return lower in WORD_ACRONYMS or lower in stopwords


def _neighbour_upper(text: str, start: int, end: int) -> bool:
    """True when the nearest word before or after ``start:end``, in the same paragraph,
    is in capitals too."""
    low = max(0, start - _NEAR)
    gap = text.rfind("\n\n", low, start)
    before = _WORD.findall(text, gap + 2 if gap >= 0 else low, start)
    high = min(len(text), end + _NEAR)
    gap = text.find("\n\n", end, high)
    after = _WORD.search(text, end, gap if gap >= 0 else high)
    words = ([before[-1]] if before else []) + ([after.group(0)] if after else [])
    return any(len(w) > 1 and w.isupper() for w in words)


def in_capitals(text: str, chunk: Chunk) -> bool:
    """True when ``chunk`` stands in a line, sentence or article set in capitals.

    A chunk of three capitalised words or more counts on its own; a shorter
    one ("US", "NEW YORK") counts when the word next to it is in capitals too,
    so an acronym in ordinary text ("the US said") is not caps text.
    """
    words = [w for w in chunk.words if not w.particle]
    if not words or not all(w.text.isupper() or not w.text.isalpha() for w in words):
        return False
    if sum(1 for w in words if w.text.isalpha()) >= 3:
        return True
    return _neighbour_upper(text, chunk.words[0].start, chunk.words[-1].end)


def _name_word(word: str, lexicon: Lexicon) -> bool:
    proper = word.capitalize()
    lower = word.lower()
    return (
        len(word) > 2
        and lower not in lexicon.stopwords
        and lower not in _EVERYDAY
        and proper not in CORPORATE_SUFFIXES  # "PALL CORP" is a company
        and (proper in lexicon.first_names or proper in lexicon.surnames)
    )


def _role_name_word(words: list[Word], n: int, lexicon: Lexicon) -> bool:
    """After a title: a known name word, or any plain word after a first name
    ("CHANCELLOR KONRAD ADENAUER")."""
    if _name_word(words[n].bare, lexicon):
        return True
    if n == 0 or words[n - 1].bare.capitalize() not in lexicon.first_names:
        return False
    word = words[n].bare
    lower = word.lower()
    return (
        word.isalpha()
        and len(word) > 2
        and lower not in lexicon.stopwords
        and lower not in _EVERYDAY
        and not lower.endswith(("ed", "ing", "ly"))
    )


def caps_people(run: Run, lexicon: Lexicon) -> list[Run]:
    """The people a run in capitals names: after a title, or a known first name and surname.

    "PRESIDENT KENNEDY AND" gives "KENNEDY" (role "PRESIDENT"); "OFFER WAS HAROLD
    MACMILLAN" gives "HAROLD MACMILLAN". Each word must be a listed first name or
    surname and not a stop word; a name holds at most three words.
    """
    words = run.words
    found: list[Run] = []
    if run.role:
        n = 0
        while n < len(words) and n < 3 and _role_name_word(words, n, lexicon):
            n += 1
            if words[n - 1].possessive:
                break
        if n:
            found.append(Run("unknown", words[:n], run.chunk, role=run.role, strict=True))
        return found
    i = 0
    while i < len(words) - 1:
        first = words[i].bare.capitalize()
        if first in lexicon.first_names and _name_word(words[i].bare, lexicon):
            n = i + 1
            while n < len(words) and n - i < 3 and _name_word(words[n].bare, lexicon):
                n += 1
                if words[n - 1].possessive:
                    break
            if n - i >= 2 and words[n - 1].bare.capitalize() in lexicon.surnames:
                found.append(Run("unknown", words[i:n], run.chunk, strict=True))
                i = n
                continue
        i += 1
    return found
