"""Companies the article names without a legal form: "shares in Yukos", "a Lycos spokesman".

A capitalised name with no first name or title that the article writes the way it writes
a company's ("X's chief executive", "analyst at X", "X said in a statement") is an
organisation, whether the person rules claimed it or no rule did.
"""

from __future__ import annotations

from newsindex.extract.gazetteer import Lexicon
from newsindex.extract.names import Run
from newsindex.extract.organisations import company_context
from newsindex.extract.people import INITIALS, NON_NAME_WORDS, looks_like_name_word
from newsindex.extract.personhood import ArticleText, Mention, mention, written

__all__ = ["companies"]


def companies(result: list[Mention], doc: ArticleText, lexicon: Lexicon) -> list[Mention]:
    """People the article writes as companies ("shares in Yukos", "Fiat chief
    executive") become organisations, unless a first name or title says person."""
    first_names = lexicon.first_names
    by_name: dict[str, list[Mention]] = {}
    for item in result:
        if item.kind == "person":
            by_name.setdefault(item.name, []).append(item)
    named: set[str] = set()
    for name, found in by_name.items():
        if name in doc.companies:
            named.add(name)  # "Lycos said" where the article also has "Lycos Inc."
            continue
        words = name.split()
        if words[0] in first_names or any(INITIALS.fullmatch(w) for w in words):
            continue  # "Bernie Ebbers's shares"; not "Corriere della Sera" ("Sera")
        if any(m.role for m in found):
            continue
        spans = [(m.start, m.end) for m in found]
        surfaces = {m.text for m in found}
        spans.extend((r.start, r.end) for r in doc.leftovers if r.surface in surfaces)
        if company_context(doc.text, spans, one_word=" " not in name):
            named.add(name)
    if named:
        result = [
            m._replace(kind="organisation", role="", name=doc.companies.get(m.name, m.name))
            if m.name in named
            else m
            for m in result
        ]
        result = _outside_firms(result)
    return _bodies_named_once(result + _unnamed(doc, lexicon))


GENERIC_HEADS = frozenset("Bank Ministry Department Company Corporation Bureau Office".split())
"""Head words that name no body on their own: "the Bank" is whichever bank the story is
about (unlike "Congress" or "the Army", which name one)."""


def _bodies_named_once(result: list[Mention]) -> list[Mention]:
    """A lone head word ("the Bank said") is the one body of the article it heads ("Bank of
    Japan"); with none or several, it names no organisation."""
    named = [m.name for m in result if m.kind == "organisation" and " " in m.name]
    kept: list[Mention] = []
    for item in result:
        if item.kind == "organisation" and item.name in GENERIC_HEADS:
            bodies = {n for n in named if n.split()[0] == item.name}
            if len(bodies) != 1:
                continue
            item = item._replace(name=bodies.pop())
        kept.append(item)
    return kept


def _outside_firms(result: list[Mention]) -> list[Mention]:
    """Without organisation mentions inside a longer one ("Harris Upham" in "Smith Barney,
    Harris Upham and Co")."""
    spans = [(m.start, m.end) for m in result if m.kind == "organisation"]
    return [
        m
        for m in result
        if m.kind != "organisation"
        or not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in spans)
    ]


def _unnamed(doc: ArticleText, lexicon: Lexicon) -> list[Mention]:
    """Capitalised runs no rule claimed that the article writes as a company's name
    ("Shares in Kastrovo fell"); they leave ``doc.leftovers``."""
    lex = lexicon
    text = doc.text
    cued = {
        written(text, r)
        for r in doc.leftovers
        if not r.strict and company_context(text, ((r.start, r.end),), len(r.words) == 1)
    }
    if not cued:
        return []
    by_surface: dict[str, list[Run]] = {}
    for run in doc.leftovers:
        if run.strict or written(text, run) not in cued:
            continue
        words = [w.bare for w in run.words if not w.particle]
        if run.strict or len(words) > 4 or not all(looks_like_name_word(w) for w in words):
            continue
        if any(w in NON_NAME_WORDS or w.lower() in lex.stopwords for w in words):
            continue
        by_surface.setdefault(written(doc.text, run), []).append(run)
    found: list[Mention] = []
    for surface, runs in by_surface.items():
        named = [w.bare for w in runs[0].words if not w.particle]
        if any(w.lower() in doc.lowercase_words() for w in named):
            continue  # "Analysts", "Shares": words the article also writes in lower case
        opening = all(r.chunk.sentence_start and r.start == r.chunk.words[0].start for r in runs)
        if opening and " " not in surface:
            continue  # "Retail sales rose": capitalised only because it opens a sentence
        found.extend(mention(doc.text, "organisation", r, surface) for r in runs)
        # By identity: a run equal to one of ``runs`` has its surface, so is among them.
        taken = {id(r) for r in runs}
        doc.leftovers = [r for r in doc.leftovers if id(r) not in taken]
    return found
