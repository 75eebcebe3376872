"""Capitalised chunks: the runs of name-like words entity extraction looks at.

A *chunk* is a maximal run of capitalised words on one line (a single line
break inside a name is allowed), joined by spaces and by the lowercase
particles names and titles use ("of", "de", "van", "bin", "al-").  Commas,
brackets, quotes and sentence ends break chunks.  Each word keeps its
character offsets in the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["ABBREVIATIONS", "MAX_WORDS", "Chunk", "Word", "chunks", "is_sentence_start"]

_UPPER = "".join(
    ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper() and ch.isalpha()
) + "".join(ch for ch in map(chr, range(0x391, 0x430)) if ch.isupper())

# Particles allowed between capitalised words inside one chunk.
PARTICLES = (
    "of|for|the|and|de|da|di|du|dos|das|del|della|la|le|van|von|der|den|ter|ten|"
    "bin|ibn|bint|al|el|arap|y|e|zu|af|av"
)
_PREFIX = r"(?:al|el|ad|as|ash|an|ar|at|az|ul|d)['\u2019\-]"
_CAP = rf"(?:[{_UPPER}][\w'\u2019\-]*|{_PREFIX}[{_UPPER}][\w'\u2019\-]*|&)"
_INITIALS = rf"(?:[{_UPPER}]\.){{1,4}}(?![\w'\u2019])"
_WORD = rf"(?:{_INITIALS}|{_CAP}(?:\.(?=[\s,;:)\"'\u201d]|$))?)"
_GAP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"
# The lookahead (the letters a word can open with) spares most positions the lookbehind.
_CHUNK = re.compile(
    rf"(?=[{_UPPER}adeu&])(?<![\w'\u2019\-]){_WORD}(?:{_GAP}(?:(?:{PARTICLES}){_GAP})*{_WORD})*",
)
_PIECE = re.compile(r"\S+")

# The most words one chunk holds.
MAX_WORDS = 16

# Words that keep their full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr Prof St Sen Rep Gov Gen Lt Col Maj Capt Sgt Adm Rev Jr Sr Inc Corp Co "
    "Ltd Bros Mt Ft No Gov Brig Cmdr Supt Insp Hon Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec Ave Blvd Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md "
    "Mass Mich Minn Miss Mo Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo".split()
)


class Word(NamedTuple):
    """One word of a chunk: ``text`` as written, ``bare`` without a possessive ending."""

    text: str
    bare: str
    start: int
    end: int
    possessive: bool
    particle: bool


class Chunk(NamedTuple):
    """A run of capitalised words; ``sentence_start`` when it opens a sentence."""

    words: tuple[Word, ...]
    sentence_start: bool


def is_sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence, paragraph or the text."""
    pos = start - 1
    while pos >= 0 and text[pos] in " \t\"'`\u201c\u2018([-_*\u2014":
        pos -= 1
    if pos < 0:
        return True
    char = text[pos]
    if char in ".!?:;\u2026":
        return True
    if char in "\r\n":
        # A line break after a line that did not end a sentence still starts a
        # paragraph when the line is blank or the next line is indented.
        return pos == 0 or text[pos - 1] in "\r\n" or text[start - 1] in " \t"
    return False


def _word(piece: str, start: int) -> Word:
    text = piece.replace("\u2019", "'") if "\u2019" in piece else piece
    if "'" in text and len(text) > 3:
        if text.endswith(("'s", "'S")):
            return Word(text, text[:-2], start, start + len(piece), True, False)
        if text.endswith(("s'", "S'")):
            return Word(text, text[:-1], start, start + len(piece), True, False)
    particle = text == "&" or (text.islower() and "-" not in text and "'" not in text)
    return Word(text, text, start, start + len(piece), False, particle)


def _ends_sentence(word: Word) -> bool:
    if not word.text.endswith("."):
        return False
    stem = word.text[:-1]
    if stem in ABBREVIATIONS:
        return False
    # Initials ("W.", "J.K.", "U.S.") keep their stops.
    return not re.fullmatch(rf"(?:[{_UPPER}]\.)*[{_UPPER}]", stem)


def _strip_stop(word: Word) -> Word:
    text = word.text[:-1]
    return Word(text, text, word.start, word.end - 1, False, False)


def chunks(text: str, skip: frozenset[str] = frozenset()) -> list[Chunk]:
    """Split ``text`` into capitalised chunks (particles never start or end one).

    One-word chunks whose word is in ``skip`` ("The", "But") are left out.
    """
    found: list[Chunk] = []
    for match in _CHUNK.finditer(text):
        raw = match.group(0)
        base = match.start()
        if " " not in raw and "\n" not in raw and "\t" not in raw:
            if raw in skip:
                continue
            words = [_word(raw, base)]
        else:
            words = [_word(p.group(0), base + p.start()) for p in _PIECE.finditer(raw)]
        current: list[Word] = []
        for word in words:
            if len(current) >= MAX_WORDS:
                # No name is this long; a table row or a list in capitals is cut up so
                # that no rule ever works on more than a handful of words.
                _emit(text, current, found)
                current = []
            if word.text[-1] == "." and _ends_sentence(word):
                current.append(_strip_stop(word))
                _emit(text, current, found)
                current = []
            else:
                current.append(word)
        _emit(text, current, found)
    return found


def _emit(text: str, words: list[Word], found: list[Chunk]) -> None:
    if not words:
        return
    if words[-1].particle or words[0].particle:
        while words and words[-1].particle:
            words = words[:-1]
        while words and words[0].particle:
            words = words[1:]
    if words:
        found.append(Chunk(tuple(words), is_sentence_start(text, words[0].start)))
