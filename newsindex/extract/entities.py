"""People, places and organisations in one article: the default, offline entity finder.

:class:`EntityFinder` reads the shipped word lists once (:meth:`EntityFinder.load`)
and then, per article, splits the text into capitalised chunks, matches each
chunk against titles, organisations, places and demonyms (longest match
first), applies the name rules in :mod:`newsindex.extract.people`, and
resolves short mentions against the full names in the same article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsindex.extract import Entity
from newsindex.extract.gazetteer import Lexicon, Place, fold, load_lexicon
from newsindex.extract.organisations import (
    CORPORATE_SUFFIXES,
    ORG_HEADS,
    ORG_SUFFIXES,
    is_acronym,
)
from newsindex.extract.people import (
    NAME_PARTICLES,
    SPEECH_AFTER,
    SPEECH_BEFORE,
    PersonName,
    looks_like_name_word,
    resolve_people,
)
from newsindex.extract.places import LOCATIVE_BEFORE, choose_place, needs_context
from newsindex.extract.tokens import Chunk, Word, chunks

__all__ = ["EntityFinder", "Mention"]

# Words that may stand before a title and belong to the role ("Former President").
TITLE_MODIFIERS = frozenset(
    "Former Acting Deputy Vice Chief Senior Assistant Associate Executive Junior State Shadow "
    "Interim Outgoing Incoming Then Late Foreign Finance Defence Defense Trade Interior "
    "Economy Health Justice Education Energy Cabinet Federal Regional National".split()
)

Found = tuple[tuple[Entity, ...], tuple[Entity, ...], tuple[Entity, ...]]

_NAME_LINKS = NAME_PARTICLES - {"y", "e", "af", "av"}
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&.\-]{1,9})\s*\)")
_FOLLOWED_BY_PLACE = re.compile(r",\s*([A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2})")


@dataclass(frozen=True)
class Mention:
    """One entity mention with character offsets into the article text.

    ``kind`` is ``person``, ``place`` or ``organisation``; ``name`` the
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
class _Seg:
    kind: str  # title, place, org, demonym, word, particle
    words: list[Word]
    places: tuple[Place, ...] = ()
    name: str = ""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def single(self) -> str:
        return self.words[0].bare if len(self.words) == 1 else ""


@dataclass
class _Run:
    """A classified piece of a chunk."""

    kind: str  # person, place, org, demonym, unknown
    words: list[Word]
    places: tuple[Place, ...] = ()
    name: str = ""
    role: str = ""
    strong: bool = False  # a title or speech says this is a person
    chunk: Chunk | None = None

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end

    @property
    def surface(self) -> str:
        return " ".join(
            w.bare if i == len(self.words) - 1 else w.text for i, w in enumerate(self.words)
        )


@dataclass
class _Doc:
    text: str
    runs: list[_Run] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)


def _shouting(title: str) -> bool:
    words = [w for w in title.split() if w[:1].isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.7


class EntityFinder:
    """Finds people, places and organisations; build it once with :meth:`load`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        known: dict[str, tuple[str, tuple[Place, ...], str]] = {}
        for key in lexicon.titles:
            known[key] = ("title", (), key)
        for key, country in lexicon.demonyms.items():
            known[key] = ("demonym", (), country)
        for key, places in lexicon.places.items():
            known[key] = ("place", places, "")
        for key, name in lexicon.organisations.items():
            known[key] = ("org", (), name)
        self._known = known
        self._by_code: dict[str, Place] = {}
        for place in lexicon.countries.values():
            current = self._by_code.get(place.country_code)
            if current is None or place.population > current.population:
                self._by_code[place.country_code] = place

    @classmethod
    def load(cls) -> EntityFinder:
        """Read the shipped gazetteer and name lists (well under a second)."""
        return cls(load_lexicon())

    # ----------------------------------------------------------------- matching

    def _lookup(self, key: str) -> tuple[str, tuple[Place, ...], str] | None:
        hit = self._known.get(key)
        if hit is None and key.isupper() and len(key) > 3:
            proper = " ".join(w[:1] + w[1:].lower() if len(w) > 1 else w for w in key.split(" "))
            proper = proper.replace(" Of ", " of ").replace(" And ", " and ")
            hit = self._known.get(proper)
            if hit is not None and hit[0] == "place" and needs_context(proper, hit[1]):
                return None
        return hit

    def _match(self, words: tuple[Word, ...], i: int) -> tuple[int, str, tuple[Place, ...], str]:
        longest = min(self.lexicon.max_words, len(words) - i)
        for length in range(longest, 0, -1):
            inner = words[i : i + length - 1]
            if any(w.possessive for w in inner) or words[i + length - 1].particle:
                continue
            last = words[i + length - 1]
            prefix = "".join(w.text + " " for w in inner)
            hit = self._lookup(prefix + last.text)
            if hit is None and last.possessive:
                hit = self._lookup(prefix + last.bare)
            if hit is None and last.text.endswith("."):
                hit = self._lookup(prefix + last.text[:-1])
            if hit is not None:
                return length, hit[0], hit[1], hit[2]
        return 0, "", (), ""

    def _segments(self, words: tuple[Word, ...]) -> list[_Seg]:
        segs: list[_Seg] = []
        i = 0
        while i < len(words):
            word = words[i]
            if word.particle:
                segs.append(_Seg("particle", [word]))
                i += 1
                continue
            length, kind, places, name = self._match(words, i)
            if length:
                segs.append(_Seg(kind, list(words[i : i + length]), places, name))
                i += length
            else:
                segs.append(_Seg("word", [word]))
                i += 1
        return segs

    # ----------------------------------------------------------------- chunk rules

    def _is_name_word(self, word: str) -> bool:
        lex = self.lexicon
        return word in lex.first_names or word in lex.surnames

    def _runs(self, chunk: Chunk, doc: _Doc, strict: bool) -> list[_Run]:
        segs = self._segments(chunk.words)
        runs: list[_Run] = []
        role: list[Word] = []
        current: list[Word] = []
        lex = self.lexicon

        def flush() -> None:
            nonlocal current, role
            if current:
                runs.append(
                    _Run("unknown", current, role=" ".join(w.text for w in role), chunk=chunk)
                )
            current = []
            role = []

        j = 0
        while j < len(segs):
            seg = segs[j]
            nxt = segs[j + 1] if j + 1 < len(segs) else None
            word = seg.words[-1]
            # Organisation opened by a head word: "Reserve Bank of India".
            if (
                seg.kind == "word"
                and seg.single in ORG_HEADS
                and nxt is not None
                and nxt.kind == "particle"
                and nxt.words[0].text in {"of", "for"}
                and j + 2 < len(segs)
            ):
                end = j + 2
                while end < len(segs) and not segs[end - 1].words[-1].possessive:
                    end += 1
                org_words = self._absorb(runs, current, seg) + [
                    w for s in segs[j:end] for w in s.words
                ]
                current, role = [], []
                runs.append(_Run("org", org_words, chunk=chunk))
                j = end
                continue
            # Organisation closed by a suffix word: "Kenya Commercial Bank", "Texaco Inc".
            if seg.kind == "word" and seg.single in ORG_SUFFIXES and (current or runs):
                back = self._absorb(runs, current, seg)
                if back:
                    current, role = [], []
                    runs.append(_Run("org", back + seg.words, chunk=chunk))
                    j += 1
                    continue
            if seg.kind == "word" and seg.single in CORPORATE_SUFFIXES and runs and not current:
                if runs[-1].kind == "org" and not runs[-1].words[-1].possessive:
                    runs[-1].words.extend(seg.words)
                    j += 1
                    continue
            if seg.kind == "particle":
                if current and word.text in _NAME_LINKS:
                    current.append(word)
                else:
                    flush()
                j += 1
                continue
            if seg.kind == "title" and (
                not current or all(w.bare in TITLE_MODIFIERS for w in current)
            ):
                # "Prime Minister", "Former President", "Deputy Foreign Minister".
                role.extend(current + seg.words)
                current = []
                j += 1
                continue
            single = seg.single
            if (
                seg.kind == "place"
                and single
                and nxt is not None
                and nxt.kind == "particle"
                and nxt.words[0].text in _NAME_LINKS
            ):
                # "Van der Berg", "Santa de la Cruz": a name that starts like a place.
                current.extend(seg.words)
                j += 1
                continue
            name_like = bool(single) and self._is_name_word(single)
            if seg.kind in {"place", "org", "title"} and name_like and not strict:
                # "President Ford", "Michael Jordan", "John Major": a name, not a place.
                after_name = bool(current) and (
                    current[-1].bare in lex.first_names
                    or re.fullmatch(r"[A-Z]\.", current[-1].text)
                )
                follows_title = bool(role) and not current
                if after_name or follows_title:
                    current.extend(seg.words)
                    if word.possessive:
                        flush()
                    j += 1
                    continue
                if (
                    seg.kind == "place"
                    and single in lex.first_names
                    and nxt is not None
                    and nxt.kind == "word"
                    and not current
                    and nxt.words[0].text[:1].isupper()
                    and nxt.single not in ORG_SUFFIXES
                ):
                    current.extend(seg.words)
                    j += 1
                    continue
            if seg.kind == "word":
                current.append(word)
                if word.possessive:
                    flush()
                j += 1
                continue
            if seg.kind == "place" and self._name_tail(seg, current, runs):
                # "G20 Summit", "Space Shuttle Endeavour": the tail of a longer name.
                current.extend(seg.words if current else ())
                j += 1
                continue
            flush()
            if seg.kind == "place":
                runs.append(_Run("place", seg.words, places=seg.places, chunk=chunk))
            elif seg.kind == "org":
                runs.append(_Run("org", seg.words, name=seg.name, chunk=chunk))
            elif seg.kind == "demonym":
                runs.append(_Run("demonym", seg.words, name=seg.name, chunk=chunk))
            elif seg.kind == "title":
                role = list(seg.words)
            j += 1
        flush()
        return runs

    @staticmethod
    def _name_tail(seg: _Seg, current: list[Word], runs: list[_Run]) -> bool:
        """A one-word city right after other capitalised words of the same chunk."""
        if len(seg.words) != 1 or seg.places[0].kind != "city":
            return False
        if current:
            return True
        return bool(runs) and runs[-1].kind == "org" and not runs[-1].words[-1].possessive

    @staticmethod
    def _absorb(runs: list[_Run], current: list[Word], seg: _Seg) -> list[Word]:
        """The capitalised words just before an organisation's head or suffix word."""
        back = list(current)
        start = back[0].start if back else seg.words[0].start
        while (
            runs
            and runs[-1].kind in {"place", "org", "demonym", "unknown"}
            and not runs[-1].role
            and not runs[-1].words[-1].possessive
            and 0 < start - runs[-1].end <= 2
        ):
            back = runs.pop().words + back
            start = back[0].start
        return back

    # ----------------------------------------------------------------- article

    def mentions(self, title: str, body: str) -> list[Mention]:
        """Every mention in the article, in text order, with canonical names."""
        text = f"{title}\n\n{body}" if title else body
        title_end = len(title) if title else 0
        shouting = bool(title) and _shouting(title)
        doc = _Doc(text)
        for chunk in chunks(text):
            in_title = chunk.words[0].start < title_end
            strict = (in_title and shouting) or all(
                w.text.isupper() or w.particle for w in chunk.words
            )
            for run in self._runs(chunk, doc, strict):
                run.strong = strict  # reused below as "strict" marker for unknown runs
                doc.runs.append(run)
        return self._resolve(doc)

    def _drop_leading_stopwords(self, run: _Run) -> list[Word]:
        words = run.words
        while words and (words[0].bare.lower() in self.lexicon.stopwords or words[0].particle):
            words = words[1:]
        return words

    def _resolve(self, doc: _Doc) -> list[Mention]:
        lex = self.lexicon
        text = doc.text
        full: list[tuple[str, int, str, str]] = []
        singles: list[tuple[_Run, bool]] = []
        orgs: list[Mention] = []
        for run in doc.runs:
            strict = run.strong
            if run.kind == "unknown":
                words = self._drop_leading_stopwords(run)
                if not words:
                    continue
                if words is not run.words:
                    run = _Run("unknown", words, role=run.role, chunk=run.chunk)
                names = [w.bare for w in words]
                if strict or not all(looks_like_name_word(n) for n in names):
                    singles.append((run, False))
                    continue
                speech = bool(SPEECH_AFTER.match(text, run.end)) or bool(
                    SPEECH_BEFORE.search(text, max(0, run.start - 40), run.start)
                )
                strong = bool(run.role) or speech
                if len(words) >= 2:
                    first_known = names[0] in lex.first_names or bool(_INITIALS.fullmatch(names[0]))
                    if strong or first_known:
                        full.append((" ".join(names), run.start, run.surface, run.role))
                        continue
                singles.append((run, strong))
            elif run.kind == "org":
                name = run.name or self._org_name(run)
                if name:
                    orgs.append(Mention("organisation", run.start, run.end, run.surface, name))
                    match = _PAREN_ACRONYM.match(text, run.end)
                    if match:
                        doc.acronyms[match.group(1)] = name
        people, index = resolve_people(full, lex.first_names)
        canonical: dict[str, str] = {}
        for person in people:
            for surface in person.mentions:
                canonical[surface] = person.name
        result: list[Mention] = []
        for name, offset, surface, role in full:
            person_name = canonical.get(surface, name)
            result.append(
                Mention("person", offset, offset + len(surface), surface, person_name, role)
            )
        for run, strong in singles:
            self._single(run, strong, index, doc, result)
        result.extend(orgs)
        result.extend(self._places(doc, index))
        result.sort(key=lambda m: (m.start, m.end))
        return result

    def _org_name(self, run: _Run) -> str:
        words = [w.text for w in run.words]
        while words and words[0].lower() == "the":
            words = words[1:]
        if words and run.words[-1].possessive:
            words[-1] = run.words[-1].bare
        return " ".join(words)

    def _single(
        self,
        run: _Run,
        strong: bool,
        index: dict[str, PersonName],
        doc: _Doc,
        result: list[Mention],
    ) -> None:
        words = run.words
        if len(words) != 1:
            # A multi-word run that no rule claimed: its last word may still be a surname.
            if len(words) >= 2 and words[-1].bare in index and not run.strong:
                word = words[-1]
                named = index[word.bare].name
                result.append(Mention("person", word.start, word.end, word.bare, named))
            return
        word = words[0]
        found = index.get(word.bare)
        if found is not None:
            result.append(Mention("person", word.start, word.end, word.bare, found.name, run.role))
            return
        if word.bare in doc.acronyms:
            name = doc.acronyms[word.bare]
            result.append(Mention("organisation", word.start, word.end, word.bare, name))
            return
        if (
            strong
            and not run.strong
            and looks_like_name_word(word.bare)
            and not is_acronym(word.bare)
        ):
            result.append(Mention("person", word.start, word.end, word.bare, word.bare, run.role))

    def _places(self, doc: _Doc, index: dict[str, PersonName]) -> list[Mention]:
        text = doc.text
        lex = self.lexicon
        context: set[str] = set()
        for run in doc.runs:
            if run.kind == "place" and len(run.places) == 1 and run.places[0].country_code:
                context.add(run.places[0].country_code)
            elif run.kind == "demonym":
                country = lex.countries.get(run.name)
                if country is not None:
                    context.add(country.country_code)
        found: list[Mention] = []
        for run in doc.runs:
            if run.kind != "place":
                continue
            alias = fold(" ".join(w.bare if w is run.words[-1] else w.text for w in run.words))
            before = text[max(0, run.start - 30) : run.start]
            locative = bool(LOCATIVE_BEFORE.search(before))
            if len(run.words) == 1 and alias in index and not locative:
                person = index[alias]
                found.append(Mention("person", run.start, run.end, alias, person.name))
                continue
            if needs_context(alias, run.places) and not locative:
                after = _FOLLOWED_BY_PLACE.match(text, run.end)
                supported = any(p.country_code in context for p in run.places if p.kind != "city")
                if not supported and not (after and fold(after.group(1)) in lex.places):
                    continue
            if (
                run.chunk is not None
                and run.chunk.sentence_start
                and run.start == run.chunk.words[0].start
                and alias.lower() in lex.stopwords
            ):
                continue
            place = choose_place(run.places, context)
            found.append(Mention("place", run.start, run.end, run.surface, place.name, place=place))
        for run in doc.runs:
            if run.kind == "demonym":
                country = lex.countries.get(run.name)
                if country is not None:
                    found.append(
                        Mention(
                            "demonym", run.start, run.end, run.surface, country.name, place=country
                        )
                    )
        return found

    # ----------------------------------------------------------------- entities

    def country_of(self, code: str) -> Place | None:
        """The country gazetteer entry for an ISO alpha-2 code."""
        return self._by_code.get(code)

    def find(self, title: str, body: str) -> Found:
        """People, places and organisations of one article, each in order of first mention."""
        people: dict[str, Entity] = {}
        places: dict[str, Entity] = {}
        orgs: dict[str, Entity] = {}
        implied: dict[str, Place] = {}
        for mention in self.mentions(title, body):
            if mention.kind == "person":
                _add(people, mention.name, mention.text, role=mention.role)
            elif mention.kind == "organisation":
                _add(orgs, mention.name, mention.text)
            elif mention.kind == "place" and mention.place is not None:
                place = mention.place
                _add(
                    places,
                    place.name,
                    mention.text,
                    kind=place.kind,
                    country_code=place.country_code,
                    coordinates=place.coordinates,
                )
                if place.kind in {"city", "admin"}:
                    country = self._by_code.get(place.country_code)
                    if country is not None:
                        implied.setdefault(country.name, country)
            elif mention.kind == "demonym" and mention.place is not None:
                implied.setdefault(mention.place.name, mention.place)
        for name, country in implied.items():
            if name not in places:
                places[name] = Entity(
                    name,
                    (),
                    kind="country",
                    country_code=country.country_code,
                    coordinates=country.coordinates,
                    inferred=True,
                )
        return tuple(people.values()), tuple(places.values()), tuple(orgs.values())


def _add(
    table: dict[str, Entity],
    name: str,
    surface: str,
    role: str = "",
    kind: str = "",
    country_code: str = "",
    coordinates: tuple[float, float] | None = None,
) -> None:
    entity = table.get(name)
    if entity is None:
        table[name] = Entity(
            name,
            (surface,),
            role=role,
            kind=kind,
            country_code=country_code,
            coordinates=coordinates,
        )
        return
    mentions = entity.mentions if surface in entity.mentions else (*entity.mentions, surface)
    table[name] = Entity(
        name,
        mentions,
        role=entity.role or role,
        kind=entity.kind,
        country_code=entity.country_code,
        coordinates=entity.coordinates,
    )
