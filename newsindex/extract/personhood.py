"""People: whether a capitalised run of one article names a person.

The article is held as an :class:`ArticleText` (its text, where the headline
ends, its runs and what was learnt from them); :func:`is_person` weighs the
evidence for one run: a title, a known first name, speech nearby, a headline
verb; :func:`drop_leading_stopwords` trims what cannot open a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from newsindex.extract.gazetteer import Lexicon, Place
from newsindex.extract.names import Run, proper_case
from newsindex.extract.organisations import CORPORATE_SUFFIXES, ORG_HEADS, is_acronym
from newsindex.extract.people import (
    HEADLINE_VERB,
    HEADLINE_VERBS,
    INITIALS,
    NON_NAME_WORDS,
    ROLE_COMMA_BEFORE,
    SPEECH_AFTER,
    PersonName,
    is_role_word,
    looks_like_name_word,
    speech_before,
)

__all__ = [
    "ArticleText",
    "Mention",
    "before_headline_verb",
    "caps_word",
    "drop_leading_stopwords",
    "is_person",
    "mention",
    "shouting",
    "written",
]

_LOWER_WORD = re.compile(r"(?<![\w'-])[a-z][a-z'-]+\b")
# A hyphenated Chinese or Korean given name after a family name: "Cheng Chung-tai",
# "Park Joo-Ho".
_HYPHEN_GIVEN = re.compile(r"[A-Z][a-z]{1,5}-[A-Za-z][a-z]{1,5}")


# A lowercase word right after a name-like word: it is an adjective or a modifier there.
_NOUN_AFTER = re.compile(r" ([a-z][a-z-]+)\b")


class Mention(NamedTuple):
    """One entity mention with character offsets into the article text.

    ``kind`` is ``person``, ``place``, ``organisation`` or ``demonym`` (a
    country implied by an adjective, never a place mention); ``name`` the
    canonical name it resolved to.  Offsets index ``Article.text`` (title, a
    blank line, body), or the body alone when there is no title.
    """

    kind: str
    start: int
    end: int
    text: str
    name: str
    role: str = ""
    place: Place | None = None


@dataclass
class ArticleText:
    """One article as the finder reads it: its text, runs and what it learnt so far."""

    text: str
    title_end: int = 0
    head_end: int = 0
    runs: list[Run] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    # Companies the article writes with a legal form, by bare name: "Pfizer" → "Pfizer".
    companies: dict[str, str] = field(default_factory=dict)
    leftovers: list[Run] = field(default_factory=list)
    surnames: dict[str, PersonName] = field(default_factory=dict)
    lower: set[str] | None = None

    def lowercase_words(self) -> set[str]:
        """Words the article writes in lower case (computed once, when first needed)."""
        if self.lower is None:
            self.lower = set(_LOWER_WORD.findall(self.text))
        return self.lower


def shouting(title: str) -> bool:
    """True for a headline in title case or capitals ("Baker Says Dollar Is Firm")."""
    words = [w for w in title.split() if w[:1].isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.7


def written(text: str, run: Run) -> str:
    """The run as the article writes it, line breaks folded to spaces."""
    return " ".join(text[run.start : run.end].replace("\u2019", "'").split())


def mention(
    text: str, kind: str, run: Run, name: str, role: str = "", place: Place | None = None
) -> Mention:
    return Mention(kind, run.start, run.end, written(text, run), name, role, place)


def caps_word(word: str) -> bool:
    """An acronym such as "US" or "IT", not a stop word set in capitals."""
    return len(word) > 1 and word.isupper()


def drop_leading_stopwords(run: Run, lexicon: Lexicon) -> Run:
    """Drop "But", "In" and the like from the front of a run, and a capitalised role
    noun ("Hairdresser Milanka Milentijevic", "Welshman Mark Litton", "Then-premier
    Giulio Andreotti"): what is left must still prove itself a name."""
    words = run.words
    stop = lexicon.stopwords
    while words:
        head = words[0]
        if head.particle:
            words = words[1:]
        elif head.bare.lower() in stop and (run.caps or not caps_word(head.bare)):
            if head.bare in _GIVEN_STOPWORDS and len(words) > 1 and not words[1].particle:
                break  # "Jan Siemerink"
            words = words[1:]
        elif len(words) > 1 and is_role_word(head.bare):
            words = words[1:]  # the name must still prove itself
        else:
            break
    if words is run.words:
        return run
    return Run("unknown", words, run.chunk, role=run.role, strict=run.strict, caps=run.caps)


def is_person(run: Run, doc: ArticleText, lexicon: Lexicon) -> bool | None:
    """True for a person, False for not, None for "only if the article names them"."""
    names = [w.bare for w in run.words]
    if run.strict:
        names = [proper_case(n) if n.isupper() and len(n) > 1 else n for n in names]
    core = [n for n in names if n[-1] != "." and len(n) > 1 and n.lower() not in PARTICLES]
    if not core or not all(map(looks_like_name_word, names)):
        return None
    if _not_a_name(names, doc.text, run.end):
        return False
    if run.strict:
        # Headlines: only "BAKER SAYS ..." is evidence enough, and never a stop word.
        if any(n.lower() in lexicon.stopwords for n in core) or run.start >= doc.head_end:
            return None
        return True if len(core) <= 2 and HEADLINE_VERB.match(doc.text, run.end) else None
    text = doc.text
    if (
        text[max(0, run.start - 2) : run.start].rstrip().endswith(",")
        and ROLE_COMMA_BEFORE.search(text, max(0, run.start - 80), run.start)
        and (len(core) <= 3 and SPEECH_AFTER.match(text, run.end) or text.startswith(",", run.end))
    ):
        return True
    if len(core) > 4 or any(n in NON_NAME_WORDS for n in core):
        return None
    if any(n.lower() in lexicon.stopwords for n in core[1:]):
        return None  # "B.C. Meanwhile", "N.A. Payable May"
    lex = lexicon
    if run.role:
        return True if len(names) > 1 or not is_acronym(names[0]) else None
    speech = bool(SPEECH_AFTER.match(text, run.end)) or speech_before(text, run.start)
    headline = run.start < doc.title_end
    if headline and not speech:
        speech = bool(HEADLINE_VERB.match(text, run.end))
    if len(names) == 1:
        if not speech or is_acronym(names[0]) or names[0].lower() in doc.lowercase_words():
            return None
        after = _NOUN_AFTER.match(text, run.end)
        modifier = after is not None and after.group(1) not in lexicon.stopwords
        if modifier and not SPEECH_AFTER.match(text, run.end):
            return None  # "said European plane maker Airbus", "said Fiat chief executive"
        # "Analysts said" opens a sentence; "Kibwana said" is a name wherever it stands.
        name = names[0]
        known = name in lex.surnames or name in lex.first_names
        return True if known or headline or not run.chunk.sentence_start else None
    if INITIALS.fullmatch(names[0]):
        return True
    if speech and (
        any(n in lex.first_names or n in lex.surnames for n in core)
        or not any(n.lower() in doc.lowercase_words() for n in core)
    ):
        return True
    if len(core) < 2:
        return None
    first, rest = core[0], core[1:]
    last = rest[-1]
    if len(core) == 2 and first in lex.surnames and _HYPHEN_GIVEN.fullmatch(last):
        return True
    if first in lex.first_names or (
        first in lex.surnames and (last in lex.first_names or last in lex.surnames)
    ):
        # "Narendra Modi", "Chen Jin" -- unless the article writes a word of it in
        # lower case ("Easy Rider", "Campbell Soup").
        lower = doc.lowercase_words()
        return not any(n.lower() in lower for n in rest) or None
    return None


_MONTHS = frozenset(
    "January February March April May June July August September October November December".split()
)
_DAY_NUMBER = re.compile(r"\s+\d{1,2}\b")


def _not_a_name(names: list[str], text: str, end: int) -> bool:
    """True for a run that ends in a month and a day ("Pay May 15", "Record June 1": dates
    in dividend notices) or in a company's legal form ("Pall Corp", "Olin Co"), or that is
    one word naming a kind of body ("the Bank said", "the Group said")."""
    last = names[-1]
    if last in _MONTHS and _DAY_NUMBER.match(text, end):
        return True
    if len(names) == 1:
        return last in ORG_HEADS or last in CORPORATE_SUFFIXES  # "the Group said"
    return last in CORPORATE_SUFFIXES


def before_headline_verb(run: Run, first_names: frozenset[str]) -> Run:
    """In "TREASURY'S BAKER SAYS EXCHANGE RATES ...", the name before SAYS."""
    words = run.words
    for k in range(1, len(words)):
        if words[k].text in HEADLINE_VERBS:
            given = k >= 2 and proper_case(words[k - 2].bare) in first_names
            start = k - 2 if given and not words[k - 2].possessive else k - 1
            return Run("unknown", words[start:k], run.chunk, strict=True)
    return run


# Stop words that are also given names in front of a surname.
_GIVEN_STOPWORDS = frozenset({"Jan"})

PARTICLES = frozenset(
    "de da di du dos das del della la le van von der den ter ten bin ibn bint al el arap".split()
)
