"""Extraction: dates, people, places, organisations and themes from an article.

An *extractor* is a pure callable ``Article -> Extraction``.  Extractors are
registered by name; ``"default"`` is the offline gazetteer-and-rules extractor
that ships with newsindex.  :func:`enrich` copies an extraction onto an
article, merging with entity fields the source already supplied.

This package knows nothing of files or of the search engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsindex.documents import Article, DateValue

__all__ = [
    "Entity",
    "Extraction",
    "Extractor",
    "Theme",
    "available_extractors",
    "enrich",
    "get_extractor",
    "register_extractor",
]


@dataclass(frozen=True)
class Entity:
    """A person, place or organisation found in an article.

    ``name`` is the canonical form (titles stripped, surnames resolved);
    ``mentions`` the surface forms it was found as.  For places, ``kind`` is
    ``country``, ``admin`` (a state or province), ``city`` or ``region`` (a
    wider area such as the Indo-Pacific, or a sea, strait or landmark),
    ``country_code`` an ISO 3166-1 alpha-2 code and ``coordinates`` a
    (latitude, longitude) pair when the gazetteer has one.  ``inferred`` marks
    an entity that is implied rather than named (a city's country, a demonym's
    country): it is searchable but not claimed as mentioned.
    """

    name: str
    mentions: tuple[str, ...] = ()
    role: str = ""
    kind: str = ""
    country_code: str = ""
    coordinates: tuple[float, float] | None = None
    inferred: bool = False


@dataclass(frozen=True)
class Theme:
    """A theme assigned to an article, with the evidence that triggered it.

    ``code`` is the IPTC Media Topic code (``"medtop:20000002"``-style) or a
    newsindex code for finer themes; ``name`` the display name.
    """

    name: str
    code: str = ""
    score: float = 0.0
    evidence: tuple[str, ...] = ()
    parent: str = ""


@dataclass(frozen=True)
class Extraction:
    """Everything an extractor found in one article.

    ``credit`` is the agency a credit line names ("(Reuters)", "(AP) _", a closing
    "Reuter"): where the story comes from. Those words are not counted among
    ``organisations`` unless the story names the agency elsewhere.
    """

    date: DateValue | None = None
    dates_mentioned: tuple[DateValue, ...] = ()
    people: tuple[Entity, ...] = ()
    places: tuple[Entity, ...] = ()
    organisations: tuple[Entity, ...] = ()
    themes: tuple[Theme, ...] = ()
    extractor: str = ""
    notes: tuple[str, ...] = field(default=())
    credit: str = ""


Extractor = Callable[[Article], Extraction]

ExtractorFactory = Callable[..., Extractor]
"""Builds an extractor; it receives ``themes`` (a user themes file or None) and
``entities`` (a folder of user gazetteer entries or None) by keyword."""

_REGISTRY: dict[str, ExtractorFactory] = {}
_LOADED: dict[tuple[str, Path | None, Path | None], Extractor] = {}


def register_extractor(name: str) -> Callable[[ExtractorFactory], ExtractorFactory]:
    """Register a factory that builds the extractor called ``name``.

    The factory runs once per themes file, the first time the extractor is
    asked for, so gazetteers load lazily.
    """

    def decorate(factory: ExtractorFactory) -> ExtractorFactory:
        _REGISTRY[name] = factory
        for key in [k for k in _LOADED if k[0] == name]:
            del _LOADED[key]
        return factory

    return decorate


def available_extractors() -> tuple[str, ...]:
    """Names of the registered extractors."""
    _load_builtin()
    return tuple(sorted(_REGISTRY))


def get_extractor(
    name: str = "default", *, themes: Path | None = None, entities: Path | None = None
) -> Extractor:
    """Return the extractor registered as ``name`` (built on first use).

    ``themes`` is a file of extra themes (docs/themes.md) added to the shipped
    taxonomy, and ``entities`` a folder of your own people, places and
    organisations entries (docs/extraction.md), for extractors that use them.
    """
    from newsindex.errors import ConfigurationError

    _load_builtin()
    key = (name, themes, entities)
    if key not in _LOADED:
        try:
            factory = _REGISTRY[name]
        except KeyError:
            known = ", ".join(sorted(_REGISTRY)) or "none"
            raise ConfigurationError(f"unknown extractor {name!r}; known: {known}") from None
        _LOADED[key] = factory(themes=themes, entities=entities)
    return _LOADED[key]


def _merge(found: tuple[str, ...], given: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in (*given, *found):
        key = value.casefold().strip()
        if key and key not in seen:
            seen[key] = value.strip()
    return tuple(seen.values())


def enrich(article: Article, extraction: Extraction) -> Article:
    """Copy what ``extraction`` found onto ``article``.

    Fields the source already supplied are kept and merged with what was
    found; the source's date wins over a date found in the text, and its
    source over the agency of a credit line.
    """
    return article.with_fields(
        date=article.date if article.date is not None else extraction.date,
        source=article.source or extraction.credit,
        people=_merge(tuple(e.name for e in extraction.people), article.people),
        places=_merge(tuple(e.name for e in extraction.places if not e.inferred), article.places),
        organisations=_merge(
            tuple(e.name for e in extraction.organisations), article.organisations
        ),
        themes=_merge(tuple(t.name for t in extraction.themes), article.themes),
    )


def _load_builtin() -> None:
    # Importing the module registers the built-in extractors.
    from newsindex.extract import default  # noqa: F401
