"""People, places and organisations in one article: the default, offline entity finder.

:class:`EntityFinder` reads the shipped word lists once (:meth:`EntityFinder.load`).
Per article it splits the text into capitalised chunks
(:mod:`~newsindex.extract.tokens`), reads each chunk against the lexicon
(:mod:`~newsindex.extract.names`), then decides with the whole article in
view: which unknown runs are people, which short mentions are a person named
in full elsewhere, which gazetteer entry a place name means, and which
countries a city or demonym implies.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from newsindex.extract import Entity
from newsindex.extract.capitals import caps_people, in_capitals, is_word_acronym
from newsindex.extract.companies import companies
from newsindex.extract.credits import find_credit
from newsindex.extract.gazetteer import Lexicon, Place, fold, load_lexicon
from newsindex.extract.names import (
    ChunkReader,
    Run,
    defined_by_acronym,
    linked_names,
    names_a_body,
    proper_case,
    spells_out,
)
from newsindex.extract.organisations import (
    DIVISION_WORDS,
    PAREN_ACRONYM,
    acronym_of,
    firm_before,
    is_legal_form,
    without_corporate_suffix,
)
from newsindex.extract.people import (
    NON_NAME_WORDS,
    POST_NOMINALS,
    SPEECH_AFTER,
    PersonName,
    resolve_people,
)
from newsindex.extract.personhood import (
    ArticleText,
    Mention,
    before_headline_verb,
    caps_word,
    drop_leading_stopwords,
    is_person,
    mention,
    shouting,
    written,
)
from newsindex.extract.places import (
    LOCATIVE_BEFORE,
    NAMELIKE_COUNTRIES,
    SETTLEMENT_BEFORE,
    SMALL_CITY,
    SPORTS_WORDS,
    choose_place,
    needs_context,
    never_a_place,
)
from newsindex.extract.sports import club_mentions, ends_in_plural, team_mentions
from newsindex.extract.tokens import Chunk, chunks

__all__ = ["EntityFinder", "Found", "Mention"]

Found = tuple[tuple[Entity, ...], tuple[Entity, ...], tuple[Entity, ...]]

_FOLLOWED_BY_PLACE = re.compile(r",\s*([A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2})")
_SENTENCE_END = re.compile(r"[.!?]\s+\S")
_COMMA = re.compile(r"[ \t]*,[ \t]*")
_IT = re.compile(r"\s+(?:it|its)\b")
_AFTER_POSSESSIVE = re.compile(r"'s?\s$")  # "Heinl's Nursery Inc": "Nursery" is no name
# A modifier that names another body: "Hezbollah-backed", "Iranian-funded", "state-run".
_BACKED = re.compile(r"-(?:backed|led|funded|owned|run|based|controlled|linked|allied)$")


class EntityFinder:
    """Finds people, places and organisations; build it once with :meth:`load`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._reader = ChunkReader(lexicon)
        # Capitalised stop words as they open sentences ("The", "But"), skipped at once.
        self._skip = frozenset(w.capitalize() for w in lexicon.stopwords if len(w) > 0)
        self._by_code: dict[str, Place] = {}
        for place in lexicon.countries.values():
            current = self._by_code.get(place.country_code)
            if current is None or place.population > current.population:
                self._by_code[place.country_code] = place

    @classmethod
    def load(cls, extra: Path | None = None) -> EntityFinder:
        """Read the shipped gazetteer and name lists (well under a second).

        ``extra`` is an optional folder of your own entries, in the formats of
        ``newsindex/data/entities`` (see docs/extraction.md).
        """
        return cls(load_lexicon(extra))

    def credit(self, title: str, body: str) -> str:
        """The agency the article's credit line names ("Reuters", "Associated Press"),
        or "" when it has none."""
        text = f"{title}\n\n{body}" if title else body
        found = find_credit(text, len(title) + 2 if title else 0)
        if found is None:
            return ""
        agency = found.agency
        listed = self.lexicon.organisations
        return listed.get(agency) or listed.get(agency.capitalize()) or agency

    def country_of(self, code: str) -> Place | None:
        """The country gazetteer entry for an ISO alpha-2 code."""
        return self._by_code.get(code)

    # ----------------------------------------------------------------- mentions

    def mentions(self, title: str, body: str) -> list[Mention]:
        """Every mention in the article, in text order, with canonical names."""
        text = f"{title}\n\n{body}" if title else body
        title_end = len(title) if title else 0
        loud = bool(title) and shouting(title)
        doc = ArticleText(text, title_end, _head_end(text, title_end))
        stop = self.lexicon.stopwords
        any_caps = False
        previous: Chunk | None = None
        plurals: list[Chunk] = []  # chunks that may end in a team's or band's nickname
        for chunk in chunks(text, self._skip):
            if chunk.words[-1].text[-1] == "s" and ends_in_plural(chunk):
                plurals.append(chunk)
            if (
                previous is not None
                and spells_out(text, previous, chunk)
                and names_a_body(chunk.words, self.lexicon.first_names)
            ):
                # "LVMH (Louis Vuitton Moet Hennessy)": both name one organisation.
                self._spelled_out(doc, previous, chunk)
                previous = None
                continue
            previous = chunk
            first = chunk.words[0]
            upper = first.text.isupper() and all(
                w.text.isupper() or w.particle for w in chunk.words
            )
            caps = upper and in_capitals(text, chunk)
            lone = len(chunk.words) == 1 and first.bare.lower() in stop
            if lone and (caps or not caps_word(first.bare)):
                continue  # "The", "But", "He": the commonest chunk of all
            strict = upper or (first.start < title_end and loud)
            defined = None if upper else defined_by_acronym(text, chunk)
            if defined is not None:
                # "Sahabat Alam Malaysia (SAM)": initials in brackets make it an organisation.
                chunk, named = defined
                doc.runs.append(named)
                if not chunk.words:
                    continue
            runs = self._reader.runs(chunk, strict, caps)
            if caps:
                any_caps = True
                for run in runs:
                    run.caps = True
            doc.runs.extend(runs)
        if any_caps:
            doc.runs = self._drop_word_acronyms(doc.runs)
        doc.runs = linked_names(text, doc.runs)
        result = self._people_and_orgs(doc)
        credit = find_credit(text, title_end + 2 if title else 0)
        if credit is not None:
            # "(Reuters)", "(AP) _", a closing "Reuter": where the story comes from.
            result = [m for m in result if not _within(m, credit.spans)]
        result.extend(club_mentions(text, self._places(doc, result)))
        if plurals:
            result = team_mentions(doc, result, plurals, self.lexicon)
        result.sort(key=lambda m: (m.start, m.end))
        return result

    def _spelled_out(self, doc: ArticleText, short: Chunk, chunk: Chunk) -> None:
        """Initials and the words in brackets after them become one organisation."""
        doc.runs = [r for r in doc.runs if r.chunk is not short]
        name = " ".join(w.bare for w in chunk.words)
        initials = short.words[0].bare
        doc.acronyms[initials] = name
        doc.runs.append(Run("org", list(short.words), short, name=name))
        doc.runs.append(Run("org", list(chunk.words), chunk, name=name))

    def _drop_word_acronyms(self, runs: list[Run]) -> list[Run]:
        """Drop "WHO", "US" or "IT" in capitals unless the article names that entity otherwise."""
        stop = self.lexicon.stopwords
        doubtful = {
            id(r)
            for r in runs
            if r.caps
            and r.kind in {"org", "place"}
            and len(r.words) == 1
            and is_word_acronym(r.words[0].bare, stop)
        }
        if not doubtful:
            return runs
        named = {_entity_key(r) for r in runs if id(r) not in doubtful}
        return [r for r in runs if id(r) not in doubtful or _entity_key(r) in named]

    def _people_and_orgs(self, doc: ArticleText) -> list[Mention]:
        full: list[tuple[str, int, str, str]] = []
        ends: dict[int, int] = {}
        singles: list[tuple[Run, bool]] = []
        result: list[Mention] = []
        for raw in doc.runs:
            firm = raw.kind == "org" or (
                raw.kind == "unknown" and is_legal_form([w.bare for w in raw.words])
            )
            if not firm and raw.kind == "unknown" and not raw.strict:
                # "Barnes & Noble", "Procter & Gamble": an ampersand joins firms' names.
                firm = any(w.text == "&" for w in raw.words[1:-1])
                raw = drop_leading_stopwords(raw, self.lexicon) if firm else raw
            if firm:
                found = self._org(raw, doc)
                result.extend([found] if found is not None else [])
                continue
            if raw.kind != "unknown":
                continue
            run = drop_leading_stopwords(raw, self.lexicon)
            if not run.words:
                continue
            if run.strict:
                run = before_headline_verb(run, self.lexicon.first_names)
            verdict = is_person(run, doc, self.lexicon)
            if not verdict and run.caps:
                # Capitals: a title or a known first name and surname, nothing else.
                named = caps_people(run, self.lexicon)
                taken = {id(w) for p in named for w in p.words}
                candidates = [(p, True) for p in named]
                stop = self.lexicon.stopwords
                candidates.extend(
                    (Run("unknown", [w], run.chunk, strict=True, caps=True), False)
                    for w in run.words
                    if id(w) not in taken and not is_word_acronym(w.bare, stop)
                )
            else:
                candidates = [(run, bool(verdict))]
            for candidate, person in candidates:
                words = candidate.words
                if person and len(words) > 2 and words[-1].bare in POST_NOMINALS:
                    # "Guy Mansfield QC": the letters after a name are not part of it.
                    candidate = Run("unknown", words[:-1], run.chunk, role=candidate.role)
                if person and len(candidate.words) > 1:
                    names = " ".join(w.bare for w in candidate.words)
                    names = proper_case(names) if candidate.strict else names
                    surface = written(doc.text, candidate)
                    full.append((names, candidate.start, surface, candidate.role))
                    ends[candidate.start] = candidate.end
                else:
                    singles.append((candidate, person))
        people, index = resolve_people(full, self.lexicon.first_names)
        doc.surnames = index
        canonical = {surface: p.name for p in people for surface in p.mentions}
        for name, offset, surface, role in full:
            result.append(
                Mention("person", offset, ends[offset], surface, canonical.get(surface, name), role)
            )
        for run, strong in singles:
            single = self._single(run, strong, index, doc)
            if single is None:
                doc.leftovers.append(run)
            else:
                result.append(single)
        return companies(result, doc, self.lexicon)

    def _org(self, raw: Run, doc: ArticleText) -> Mention | None:
        """An organisation run as a mention; notes the acronyms it defines.  A legal form
        alone ("Co") is the firm named before it, or nothing."""
        text = doc.text
        if is_legal_form([w.bare for w in raw.words]):
            return _partners_firm(raw, doc)
        if len(raw.words) > 1 and (
            raw.words[0].text in {"The", "the", "THE"} or _BACKED.search(raw.words[0].text)
        ):
            # "the Labour Party", "Hezbollah-backed Lebanese Resistance Brigades"
            raw = Run("org", raw.words[1:], raw.chunk, name=raw.name, strict=raw.strict)
        if raw.name:
            # An acronym the article defines means what the article says it means.
            short = raw.words[0].bare if len(raw.words) == 1 else ""
            name = doc.acronyms.get(short, raw.name)
        else:
            full = _org_name(written(text, raw))
            name = self._org_canonical(full)
            if without_corporate_suffix(full) != full and not _AFTER_POSSESSIVE.search(
                text, max(0, raw.start - 3), raw.start
            ):
                # "Pfizer Inc." makes a later bare "Pfizer" the company too.
                doc.companies[without_corporate_suffix(full)] = name
        match = PAREN_ACRONYM.match(text, raw.end)
        if match and self._short_form(match.group(1), name):
            doc.acronyms[match.group(1)] = name
        elif " " in name:
            # "Kennedy Space Center ... KSC": its initials name it too, unless
            # another organisation of the article claimed them in brackets.
            doc.acronyms.setdefault(acronym_of(name), name)
        return mention(text, "organisation", raw, name)

    def _short_form(self, short: str, name: str) -> bool:
        """Whether initials in brackets after ``name`` stand for it: "European Community
        (EC)" yes, "NFL (AP)" no (a credit, or another listed body, that ``name`` does not
        spell)."""
        listed = self.lexicon.organisations.get(short)
        return listed in {None, name} or acronym_of(name) == short.replace(".", "")

    def _org_canonical(self, written_name: str) -> str:
        """The name an unlisted organisation is counted under: without its legal form
        ("Boeing Co" → "Boeing"), and a listed parent for its services ("BBC News" →
        "BBC")."""
        name = without_corporate_suffix(written_name)
        listed = self.lexicon.organisations
        if name in listed:
            return listed[name]
        words = name.split()
        for k in range(len(words) - 1, 0, -1):
            head = " ".join(words[:k])
            if head in listed and all(w in DIVISION_WORDS for w in words[k:]):
                return listed[head]
        return name

    def _single(
        self, run: Run, strong: bool, index: dict[str, PersonName], doc: ArticleText
    ) -> Mention | None:
        words = run.words
        last = words[-1]
        end = last.start + len(last.bare)
        if len(words) > 1:
            # A run no rule claimed may still hold a surname named in full elsewhere:
            # "the Obama administration", "the Warhol Polaroids".
            if run.strict:
                return None
            surface = written(doc.text, run)
            if surface in doc.companies:
                return mention(doc.text, "organisation", run, doc.companies[surface])
            for word in (words[-1], words[0]):
                person = index.get(word.bare)
                if person is not None:
                    stop = word.start + len(word.bare)
                    return Mention("person", word.start, stop, word.bare, person.name)
            return None
        bare = last.bare
        if run.strict and bare.isupper() and len(bare) > 1:
            bare = proper_case(bare)
        person = index.get(bare)
        if person is not None:
            return Mention("person", last.start, end, last.bare, person.name, run.role)
        if last.bare in doc.acronyms:
            return Mention("organisation", last.start, end, last.bare, doc.acronyms[last.bare])
        if last.bare in doc.companies:
            return Mention("organisation", last.start, end, last.bare, doc.companies[last.bare])
        if strong:
            return Mention("person", last.start, end, last.bare, bare, run.role)
        return None

    # ----------------------------------------------------------------- places

    def _context(self, doc: ArticleText) -> Counter[str]:
        """How often the article names each country without doubt (demonyms included)."""
        lex = self.lexicon
        context: Counter[str] = Counter()
        for run in doc.runs:
            if run.kind == "place" and len(run.places) == 1 and run.places[0].country_code:
                context[run.places[0].country_code] += 1
            elif run.kind == "demonym":
                country = lex.countries.get(run.name)
                if country is not None:
                    context[country.country_code] += 1
        return context

    def _places(self, doc: ArticleText, people: list[Mention]) -> list[Mention]:
        text = doc.text
        lex = self.lexicon
        context = self._context(doc)
        index = {word: person.name for word, person in doc.surnames.items()}
        index.update((m.text, m.name) for m in people if m.kind == "person")
        found: list[Mention] = []
        at: dict[int, Place] = {}
        for run in doc.runs:
            if run.kind == "feature" and sum(not w.particle for w in run.words) > 1:
                name = _org_name(written(text, run))
                feature = Place(name, "region", "", None, 0)
                found.append(mention(text, "place", run, name, place=feature))
            elif run.kind == "demonym":
                country = lex.countries.get(run.name)
                if country is not None:
                    found.append(mention(text, "demonym", run, country.name, place=country))
            elif run.kind == "place":
                placed = self._place(run, doc, context, index)
                if placed is not None:
                    found.append(placed)
                    if placed.place is not None:
                        at[run.start] = placed.place
        for run in doc.leftovers:
            unlisted = self._unlisted_place(run, text, at)
            if unlisted is not None:
                found.append(unlisted)
        return found

    def _place(
        self, run: Run, doc: ArticleText, context: Counter[str], people: dict[str, str]
    ) -> Mention | None:
        text = doc.text
        lex = self.lexicon
        alias = fold(run.surface)
        before = text[max(0, run.start - 30) : run.start]
        locative = bool(LOCATIVE_BEFORE.search(before))
        if len(run.words) == 1 and alias in people and not locative:
            # "Jordan" after "Michael Jordan" is the player, not the country.
            return Mention("person", run.start, run.end, alias, people[alias])
        if never_a_place(alias):
            return None
        # Support from the rest of the article, not from this mention itself.
        own = run.places[0].country_code if len(run.places) == 1 else ""
        supported = any(
            context[p.country_code] > (1 if p.country_code == own else 0)
            for p in run.places
            if p.kind != "city" and p.country_code
        )
        if len(run.words) == 1 and alias in NAMELIKE_COUNTRIES and not (locative or supported):
            speech = SPEECH_AFTER.match(text, run.end)
            if speech and _IT.match(text, speech.end()):
                speech = None  # "Jordan said it would reopen the border": the country
            if speech or SPORTS_WORDS.search(text):
                return Mention("person", run.start, run.end, alias, alias)  # "Jordan said"
        if needs_context(alias, run.places) and not locative:
            after = _FOLLOWED_BY_PLACE.match(text, run.end)
            if not supported and not (after and fold(after.group(1)) in lex.places):
                return None
        chunk = run.chunk
        opens = chunk.sentence_start and run.start == chunk.words[0].start
        if opens and alias.lower() in lex.stopwords and not caps_word(alias):
            return None
        best = run.places[0]
        one_city = len(run.words) == 1 and best.kind == "city"
        if one_city and not locative and alias in lex.first_names:
            # "Mary", "Florence", "Charlotte": a person's name unless the text says place.
            after = _FOLLOWED_BY_PLACE.match(text, run.end)
            named = context[best.country_code] > (1 if best.country_code == own else 0)
            if not named and not (after and fold(after.group(1)) in lex.places):
                if SPEECH_AFTER.match(text, run.end):
                    return Mention("person", run.start, run.end, alias, alias)  # "Mary said"
                return None
        if opens and not locative and one_city:
            if best.population < SMALL_CITY and not _FOLLOWED_BY_PLACE.match(text, run.end):
                return None  # "Federal funds rose", "Mobile phone makers"
        place = choose_place(run.places, context)
        elsewhere = self._country_after(text, run.end)
        if (
            elsewhere
            and place.kind == "city"
            and all(p.country_code != elsewhere for p in run.places)
        ):
            # "CANTON, Ohio": a town the gazetteer lacks, named like a bigger one abroad.
            name = written(text, run)
            name = proper_case(name) if name.isupper() else name
            place = Place(name, "city", elsewhere, None, 0)
        return mention(text, "place", run, place.name, place=place)

    def _country_after(self, text: str, end: int) -> str:
        """The country code of a state or country written right after a comma, if any."""
        after = _FOLLOWED_BY_PLACE.match(text, end)
        if after is None:
            return ""
        following = self.lexicon.places.get(fold(after.group(1)))
        if not following or following[0].kind not in {"admin", "country"}:
            return ""
        return following[0].country_code

    def _unlisted_place(self, run: Run, text: str, at: dict[int, Place]) -> Mention | None:
        """A place the gazetteer lacks: "the town of Knin", "KAPTAI, Bangladesh"."""
        if (
            not text.startswith(",", run.end)
            and "of" not in text[max(0, run.start - 4) : run.start]
        ):
            return None
        words = run.words
        if len(words) > 3 or not all(w.bare[:1].isupper() for w in words):
            return None
        if any(w.bare in NON_NAME_WORDS or w.bare.lower() in self.lexicon.stopwords for w in words):
            return None
        name = run.surface
        if name.isupper():
            name = proper_case(name)
        if SETTLEMENT_BEFORE.search(text, max(0, run.start - 20), run.start):
            return mention(text, "place", run, name, place=Place(name, "city", "", None, 0))
        comma = _COMMA.match(text, run.end)
        if comma is None:
            return None
        following = at.get(comma.end())
        if following is None or following.kind not in {"country", "admin"}:
            return None
        place = Place(name, "city", following.country_code, None, 0)
        return mention(text, "place", run, name, place=place)

    # ----------------------------------------------------------------- entities

    def find(self, title: str, body: str) -> Found:
        """People, places and organisations of one article, each in order of first mention."""
        people: dict[str, _Found] = {}
        places: dict[str, _Found] = {}
        orgs: dict[str, _Found] = {}
        implied: dict[str, Place] = {}
        by_code = self._by_code
        for found in self.mentions(title, body):
            kind = found.kind
            place = found.place
            if kind == "person":
                _note(people, found.name, found.text, found.role)
            elif kind == "organisation":
                _note(orgs, found.name, found.text)
            elif kind == "place" and place is not None:
                _note(places, place.name, found.text, place=place)
                if place.kind == "city" or place.kind == "admin":
                    country = by_code.get(place.country_code)
                    if country is not None:
                        implied.setdefault(country.name, country)
            elif kind == "demonym" and place is not None:
                implied.setdefault(place.name, place)
        found_places = [_entity(f.place, tuple(f.mentions)) for f in places.values() if f.place]
        for name, country in implied.items():
            if name not in places:
                found_places.append(_entity(country, (), inferred=True))
        return (
            tuple(Entity(name, tuple(f.mentions), role=f.role) for name, f in people.items()),
            tuple(found_places),
            tuple(Entity(name, tuple(f.mentions)) for name, f in orgs.items()),
        )


class _Found:
    """What one article says about one entity, gathered before the Entity is built."""

    __slots__ = ("mentions", "place", "role")

    def __init__(self, role: str, place: Place | None) -> None:
        self.mentions: dict[str, None] = {}
        self.role = role
        self.place = place


def _note(
    table: dict[str, _Found], name: str, surface: str, role: str = "", place: Place | None = None
) -> None:
    found = table.get(name)
    if found is None:
        found = table[name] = _Found(role, place)
    elif role and not found.role:
        found.role = role
    found.mentions[surface] = None


def _within(found: Mention, spans: tuple[tuple[int, int], ...]) -> bool:
    return found.kind == "organisation" and any(
        start <= found.start and found.end <= end for start, end in spans
    )


def _head_end(text: str, title_end: int) -> int:
    """Where the headline ends: the title, or a short first line when there is no title."""
    if title_end:
        return title_end
    line_end = text.find("\n")
    line_end = len(text) if line_end < 0 else line_end
    if line_end > 120 or _SENTENCE_END.search(text, 0, line_end):
        return 0  # a sentence of the article, not a headline
    return line_end


def _entity_key(run: Run) -> str:
    """The entity an organisation or place run names."""
    return run.name if run.kind == "org" or not run.places else run.places[0].name


def _org_name(written: str) -> str:
    """A canonical name for an unlisted organisation or feature: without a leading "the"."""
    head, _, rest = written.partition(" ")
    return rest if rest and head.lower() == "the" else written


def _entity(place: Place, mentions: tuple[str, ...], inferred: bool = False) -> Entity:
    return Entity(
        place.name,
        mentions,
        kind=place.kind,
        country_code=place.country_code,
        coordinates=place.coordinates,
        inferred=inferred,
    )


def _partners_firm(raw: Run, doc: ArticleText) -> Mention | None:
    """ "Smith Barney, Harris Upham and Co": the firm, counted under its first partner's
    name; the partners' names elsewhere in the article are the firm too."""
    found = firm_before(doc.text, raw.start)
    if found is None:
        return None
    start, partners = found
    for partner in partners:
        doc.companies.setdefault(partner, partners[0])
    surface = doc.text[start : raw.end]
    return Mention("organisation", start, raw.end, surface, partners[0])
