"""Reading one capitalised chunk: which words are titles, places, organisations or names.

:class:`ChunkReader` splits a chunk's words into *segments* by longest match
against the lexicon (titles, demonyms, places, organisations), then applies
the chunk-level rules that turn segments into *runs*: a title followed by a
name; "Bank of ..." and "... Corp" organisations; "Gulf of ..." and
"... Sea" geographic features; a first name before a word that is also a
place ("Michael Jordan").  What is left are unknown runs, which
:mod:`newsindex.extract.entities` judges with the whole article in view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsindex.extract.gazetteer import Lexicon, Place
from newsindex.extract.organisations import (
    CORPORATE_SUFFIXES,
    NEWSPAPER_PREFIXES,
    ORG_HEADS,
    ORG_SUFFIXES,
    PAREN_ACRONYM,
    acronym_of,
    is_acronym,
)
from newsindex.extract.people import INITIALS, NAME_PARTICLES
from newsindex.extract.places import (
    PLACE_HEADS,
    PLACE_PREFIXES,
    PLACE_SUFFIXES,
    SMALL_CITY,
    needs_context,
)
from newsindex.extract.tokens import Chunk, Word

__all__ = ["ChunkReader", "Run", "TITLE_MODIFIERS", "defined_by_acronym", "proper_case"]

# Words that may stand before a title and belong to the role ("Former President").
TITLE_MODIFIERS = frozenset(
    "Former Acting Deputy Vice Chief Senior Assistant Associate Executive Junior State Shadow "
    "Interim Outgoing Incoming Then Late Foreign Finance Defence Defense Trade Interior "
    "Economy Health Justice Education Energy Cabinet Federal Regional National".split()
)
_NAME_LINKS = NAME_PARTICLES - {"y", "e", "af", "av"}

Known = tuple[str, tuple[Place, ...], str]


@dataclass(slots=True)
class _Seg:
    kind: str  # title, place, org, demonym, word, particle
    words: list[Word]
    places: tuple[Place, ...] = ()
    name: str = ""

    @property
    def single(self) -> str:
        return self.words[0].bare if len(self.words) == 1 else ""


@dataclass(slots=True)
class Run:
    """A classified piece of a chunk: person, place, feature, org, demonym or unknown."""

    kind: str
    words: list[Word]
    chunk: Chunk
    places: tuple[Place, ...] = ()
    name: str = ""
    role: str = ""
    strict: bool = False  # in a headline or capitals: only known names count
    caps: bool = False  # in a line, sentence or article set in capitals

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        """Where the name ends: before a possessive "'s"."""
        last = self.words[-1]
        return last.start + len(last.bare)

    @property
    def surface(self) -> str:
        last = len(self.words) - 1
        return " ".join(w.bare if i == last else w.text for i, w in enumerate(self.words))


@lru_cache(maxsize=1 << 16)  # words in capitals recur in every wire headline
def proper_case(key: str) -> str:
    """``"SOUTH AFRICA"`` → ``"South Africa"``, for words set in capitals."""
    proper = " ".join(w[:1] + w[1:].lower() if len(w) > 1 else w for w in key.split(" "))
    return proper.replace(" Of ", " of ").replace(" And ", " and ").replace(" The ", " the ")


class ChunkReader:
    """Longest-match segmentation of chunks against the lexicon, and the chunk rules."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        known: dict[str, Known] = {}
        for key in lexicon.titles:
            known[key] = ("title", (), key)
        for key, country in lexicon.demonyms.items():
            known[key] = ("demonym", (), country)
        for key, places in lexicon.places.items():
            known[key] = ("place", places, "")
        for key, name in lexicon.organisations.items():
            known[key] = ("org", (), name)
        self._known = known
        # Longest key (in words) starting with each first word: most words need one lookup.
        self._first: dict[str, int] = {}
        first = self._first
        for key in known:
            if " " in key:
                head = key[: key.index(" ")]
                first[head] = max(first.get(head, 1), key.count(" ") + 1)
            elif key not in first:
                first[key] = 1

    # ----------------------------------------------------------------- matching

    def _lookup(self, key: str) -> Known | None:
        hit = self._known.get(key)
        if hit is None and key.isupper() and len(key) <= 3:
            hit = self._known.get(key.capitalize())  # "FED SAYS": the Fed
            return hit if hit is not None and hit[0] == "org" else None
        if hit is None and key.isupper() and len(key) > 3:
            proper = key.capitalize() if " " not in key else proper_case(key)
            hit = self._known.get(proper)
            if hit is not None and hit[0] == "place":
                best = hit[1][0]
                small = best.kind == "city" and best.population < SMALL_CITY and " " not in key
                if small or needs_context(proper, hit[1]):
                    # "MINE", "COCOA", "FEDERAL": in capitals only a sizeable city counts.
                    return None
        return hit

    def _limit(self, word: Word) -> int:
        first = self._first
        limit = first.get(word.text)
        if limit is None and word.possessive:
            limit = first.get(word.bare)
        if limit is None and word.text[-1] == ".":
            limit = first.get(word.text[:-1])
        if limit is None and len(word.text) > 1 and word.text.isupper():
            limit = first.get(word.text.capitalize())
        return limit or 0

    def _match(self, words: tuple[Word, ...], i: int) -> tuple[int, Known | None]:
        limit = self._limit(words[i])
        if not limit:
            return 0, None
        for length in range(min(limit, len(words) - i), 0, -1):
            inner = words[i : i + length - 1]
            last = words[i + length - 1]
            if last.particle or (inner and any(w.possessive for w in inner)):
                continue
            prefix = "".join([w.text + " " for w in inner]) if inner else ""
            hit = self._lookup(prefix + last.text)
            if hit is None and last.possessive:
                hit = self._lookup(prefix + last.bare)
            if hit is None and last.text.endswith("."):
                hit = self._lookup(prefix + last.text[:-1])
            if hit is not None:
                return length, hit
        return 0, None

    def _segments(self, words: tuple[Word, ...]) -> list[_Seg]:
        segs: list[_Seg] = []
        i = 0
        while i < len(words):
            word = words[i]
            if word.particle:
                segs.append(_Seg("particle", [word]))
                i += 1
                continue
            length, hit = self._match(words, i)
            if hit is not None:
                segs.append(_Seg(hit[0], list(words[i : i + length]), hit[1], hit[2]))
                i += length
            else:
                segs.append(_Seg("word", [word]))
                i += 1
        return segs

    # ----------------------------------------------------------------- chunk rules

    def runs(self, chunk: Chunk, strict: bool, caps: bool = False) -> list[Run]:
        """Classify the words of ``chunk``; ``strict`` for headlines and text in capitals,
        ``caps`` when the chunk stands in text set in capitals."""
        words = chunk.words
        if len(words) == 1:
            # The commonest chunk: one word, known or not.
            length, hit = self._match(words, 0)
            if hit is None:
                return [Run("unknown", [words[0]], chunk, strict=strict)]
            if hit[0] == "title":
                return []
            return [Run(hit[0], [words[0]], chunk, hit[1], hit[2], strict=strict)]
        segs = self._segments(words)
        if len(segs) == 1:
            seg = segs[0]
            if seg.kind == "word":
                return [Run("unknown", seg.words, chunk, strict=strict)]
            return self._simple(seg, chunk, strict)
        return _ChunkRules(self.lexicon, chunk, segs, strict, caps).apply()

    @staticmethod
    def _simple(seg: _Seg, chunk: Chunk, strict: bool) -> list[Run]:
        # The common case: a chunk that is one known name and nothing else.
        if seg.kind in {"place", "org", "demonym"}:
            return [Run(seg.kind, seg.words, chunk, seg.places, seg.name, strict=strict)]
        return []


class _ChunkRules:
    """The rules applied left to right over one chunk's segments."""

    def __init__(
        self, lexicon: Lexicon, chunk: Chunk, segs: list[_Seg], strict: bool, caps: bool
    ) -> None:
        self.lex = lexicon
        self.chunk = chunk
        self.segs = segs
        self.strict = strict
        self.caps = caps
        self.runs: list[Run] = []
        self.role: list[Word] = []
        self.current: list[Word] = []

    def flush(self) -> None:
        if self.current:
            role = " ".join(w.text for w in self.role)
            self.runs.append(
                Run("unknown", self.current, self.chunk, role=role, strict=self.strict)
            )
        self.current = []
        self.role = []

    def emit(
        self, kind: str, words: list[Word], places: tuple[Place, ...] = (), name: str = ""
    ) -> None:
        self.runs.append(Run(kind, words, self.chunk, places, name, strict=self.strict))

    def absorb(self, seg: _Seg, titles: bool = False) -> list[Word]:
        """The capitalised words just before a head or suffix word ("Kenya Commercial" Bank);
        with ``titles``, a title word too ("China Democratic Justice" Party)."""
        back = self.role + self.current if titles else list(self.current)
        start = back[0].start if back else seg.words[0].start
        runs = self.runs
        while (
            runs
            and runs[-1].kind in {"place", "org", "demonym", "unknown"}
            and not runs[-1].role
            and not runs[-1].words[-1].possessive
            and 0 < start - runs[-1].words[-1].end <= 2
        ):
            back = runs.pop().words + back
            start = back[0].start
        self.current, self.role = [], []
        return back

    def _rest(self, j: int) -> int:
        """Index after the segments that continue a "Bank of ..." name from ``j``.

        The name runs on to the chunk's end, a possessive, a second "of" ("University
        of Sheffield of the UK"), or an "and" that opens another organisation
        ("Massachusetts Institute of Technology and Colorado State University").
        """
        segs = self.segs
        end = j + 3
        while end < len(segs) and not segs[end - 1].words[-1].possessive:
            seg = segs[end]
            if seg.kind == "title":
                break  # "Bank of France Governor Jacques de Larosiere"
            if seg.kind == "particle":
                link = seg.words[0].text
                if link in {"of", "for", "in", "at"} and self._place_follows(end + 1):
                    break
                if link == "and" and any(
                    w.bare in ORG_HEADS or w.bare in ORG_SUFFIXES
                    for s in segs[end + 1 :]
                    for w in s.words
                ):
                    break
            end += 1
        return end

    def _place_follows(self, k: int) -> bool:
        segs = self.segs
        while k < len(segs) and segs[k].kind == "particle":
            k += 1
        return k < len(segs) and segs[k].kind == "place"

    def apply(self) -> list[Run]:
        segs = self.segs
        j = 0
        while j < len(segs):
            j = self.step(j)
        self.flush()
        return self.runs

    def step(self, j: int) -> int:
        segs = self.segs
        seg = segs[j]
        nxt = segs[j + 1] if j + 1 < len(segs) else None
        single = seg.single
        word = seg.words[-1]
        of_next = (
            nxt is not None
            and nxt.kind == "particle"
            and nxt.words[0].text in {"of", "for"}
            and j + 2 < len(segs)
        )
        if seg.kind not in {"particle", "title"} and of_next and single in ORG_HEADS:
            # "Reserve Bank of India", "University of Southern Indiana".
            end = self._rest(j)
            self.emit("org", self.absorb(seg) + [w for s in segs[j:end] for w in s.words])
            return end
        if seg.kind not in {"particle", "title"} and of_next and single in PLACE_HEADS:
            # "Gulf of Mexico", "Strait of Hormuz", "Cape of Good Hope": the words after
            # "of (the)" up to the next particle.
            end = j + 2
            while end < len(segs) and segs[end].kind == "particle" and segs[end].single == "the":
                end += 1
            while end < len(segs) and segs[end].kind != "particle":
                end += 1
            self.flush()
            self.emit("feature", [w for s in segs[j:end] for w in s.words])
            return end
        if seg.kind == "word" and single in PLACE_SUFFIXES and (self.current or self.runs):
            back = self.absorb(seg)
            if back:
                # "Caspian Sea", "Tiananmen Square", "Mississippi River".
                self.emit("feature", back + seg.words)
                return j + 1
        if single in PLACE_PREFIXES and nxt is not None and nxt.kind in {"word", "place"}:
            # "Mount Everest", "Lake Victoria".
            self.flush()
            self.emit("feature", seg.words + nxt.words)
            return j + 2
        if (
            single in NEWSPAPER_PREFIXES
            and all(w.text == "The" for w in self.current)
            and nxt is not None
            and nxt.kind in {"word", "place"}
            and not word.possessive
        ):
            # "Daily Star", "New York Daily News": a newspaper's title.
            self.current = []  # "The Daily Star": the article is not part of the name
            back = self.absorb(seg) if self.runs and self.runs[-1].kind == "place" else []
            self.emit("org", back + seg.words + nxt.words)
            return j + 2
        suffix = seg.kind == "word" or (seg.kind == "place" and len(seg.words) == 1)
        if suffix and single in ORG_SUFFIXES and (self.current or self.runs):
            back = self.absorb(seg, titles=True)
            if back:
                self.emit("org", back + seg.words)
                return j + 1
        if seg.kind == "word" and single in CORPORATE_SUFFIXES and self.runs and not self.current:
            last = self.runs[-1]
            if last.kind == "org" and not last.words[-1].possessive:
                last.words.extend(seg.words)  # "Texaco Inc"
                return j + 1
        if self.caps and seg.kind == "word" and single.lower() in self.lex.stopwords:
            self.flush()  # "WE WENT TO PARIS": in capitals a stop word ends a name
            return j + 1
        if seg.kind == "particle":
            if self.current and (word.text in _NAME_LINKS or word.text == "&"):
                self.current.append(word)
            elif self.role and not self.current and word.text in {"of", "for", "the"}:
                return self.role_of(j)
            else:
                self.flush()
            return j + 1
        if seg.kind == "title" and all(w.bare in TITLE_MODIFIERS for w in self.current):
            # "Prime Minister", "Former President", "Deputy Foreign Minister".
            self.role.extend(self.current + seg.words)
            self.current = []
            return j + 1
        if self.name_continues(seg, nxt):
            self.current.extend(seg.words)
            if word.possessive:
                self.flush()
            return j + 1
        if seg.kind == "word":
            self.current.append(word)
            if word.possessive:
                self.flush()
            return j + 1
        if seg.kind == "place" and self.name_tail(seg):
            # "G20 Summit", "Space Shuttle Endeavour": the tail of a longer name.
            if self.current:
                self.current.extend(seg.words)
            return j + 1
        self.flush()
        if seg.kind == "title":
            self.role = list(seg.words)
        else:
            self.emit(seg.kind, seg.words, seg.places, seg.name)
        return j + 1

    def role_of(self, j: int) -> int:
        """ "Chancellor of the Exchequer Nigel Lawson": the role runs on to a first name."""
        segs = self.segs
        first_names = self.lex.first_names
        for k in range(j + 1, len(segs)):
            seg = segs[k]
            if seg.kind == "word" and seg.single in first_names and k + 1 < len(segs):
                self.role.extend(w for s in segs[j:k] for w in s.words)
                return k
        self.flush()
        return j + 1

    def name_continues(self, seg: _Seg, nxt: _Seg | None) -> bool:
        """A place, organisation or title word that is part of a person's name here."""
        single = seg.single
        if not single or seg.kind not in {"place", "org", "title"}:
            return False
        lex = self.lex
        if self.strict:
            # "PRESIDENT KENNEDY": only a title makes a known name in capitals a person.
            proper = proper_case(single)
            known = proper in lex.first_names or proper in lex.surnames
            return known and bool(self.role) and not self.current
        if (
            seg.kind == "place"
            and nxt is not None
            and nxt.kind == "particle"
            and nxt.words[0].text in _NAME_LINKS
        ):
            return True  # "Van der Berg"
        if single not in lex.first_names and single not in lex.surnames:
            return False
        current = self.current
        if current and (
            current[-1].bare in lex.first_names or INITIALS.fullmatch(current[-1].text)
        ):
            return True  # "Michael Jordan", "John Major", "George W. Bush"
        if self.role and not current:
            return True  # "President Ford", "Mr. Jordan"
        return (
            seg.kind == "place"
            and single in lex.first_names
            and nxt is not None
            and nxt.kind == "word"
            and not current
            and nxt.single not in ORG_SUFFIXES
            and nxt.single not in PLACE_SUFFIXES
        )  # "Victoria Beckham"

    def name_tail(self, seg: _Seg) -> bool:
        """A one-word city right after other capitalised words of the same chunk."""
        if len(seg.words) != 1 or seg.places[0].kind != "city" or self.caps:
            return False
        if self.current:
            return True
        runs = self.runs
        return bool(runs) and runs[-1].kind == "org" and not runs[-1].words[-1].possessive


def defined_by_acronym(text: str, chunk: Chunk) -> tuple[Chunk, Run] | None:
    """The end of ``chunk`` that initials in brackets right after it spell out, as an
    organisation run, and the rest of the chunk; None when no such initials follow."""
    words = chunk.words
    if len(words) < 2:
        return None
    match = PAREN_ACRONYM.match(text, words[-1].end)
    if match is None:
        return None
    letters = match.group(1).replace(".", "").upper()
    for k in range(len(words) - 1):
        if words[k].particle:
            continue
        tail = " ".join(w.bare for w in words[k:])
        if acronym_of(tail).upper() == letters:
            rest = words[:k]
            while rest and rest[-1].particle:
                rest = rest[:-1]
            return Chunk(tuple(rest), chunk.sentence_start), Run("org", list(words[k:]), chunk)
    return None


_OPEN_BRACKET = re.compile(r"[ \t]*\([ \t]*")


def spells_out(text: str, short: Chunk, chunk: Chunk) -> bool:
    """True when ``chunk`` stands in brackets right after the initials ``short`` and
    spells them out: "LVMH (Louis Vuitton Moet Hennessy)"."""
    if len(chunk.words) < 2 or len(short.words) != 1 or text[chunk.words[0].start - 1] != "(":
        return False
    initials = short.words[0].bare
    if not text.startswith(")", chunk.words[-1].end) or not is_acronym(initials):
        return False
    if _OPEN_BRACKET.fullmatch(text, short.words[0].end, chunk.words[0].start) is None:
        return False
    words = " ".join(w.bare for w in chunk.words)
    return acronym_of(words).upper() == initials.replace(".", "").upper()


def names_a_body(words: tuple[Word, ...], first_names: frozenset[str]) -> bool:
    """Words in brackets after initials that name a body, not a term: "Louis Vuitton
    Moet Hennessy" (a first name), "Kenya Wildlife Service" (a head word), but not
    "Initial Public Offering"."""
    return words[0].bare in first_names or any(
        w.bare in ORG_HEADS or w.bare in ORG_SUFFIXES for w in words
    )


_LINK = re.compile(r"[ \t]+(?:on|against)[ \t]+(?:the[ \t]+)?")
_NOT_TOPICS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December".split()
)


def linked_names(text: str, runs: list[Run]) -> list[Run]:
    """Join a head word and the capitalised words after "on" or "against" into one
    organisation: "Council on Foreign Relations", "Committee Against Torture"."""
    out: list[Run] = []
    for run in runs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and run.kind == "unknown"
            and prev.kind in {"org", "unknown"}
            and not (prev.strict or run.strict)
            and prev.words[-1].bare in ORG_HEADS
            and not prev.words[-1].possessive
            and run.words[0].bare not in _NOT_TOPICS
            and _LINK.fullmatch(text, prev.end, run.start)
        ):
            out[-1] = Run("org", prev.words + run.words, prev.chunk)
            continue
        out.append(run)
    return out
