"""The theme taxonomy: IPTC Media Topics top levels plus newsindex's finer themes.

Two data files ship in ``newsindex/data/themes/``: ``iptc-mediatopics.json``
(IPTC Media Topics levels 1-3 and the deeper topics our themes point at,
CC BY 4.0) and ``keywords.themes``, newsindex's own phrase lists in the
*themes file* format that users also write (see :func:`parse_themes_file`).

This module reads and checks those files; matching text is
:mod:`newsindex.extract.themes`' job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsindex.errors import ConfigurationError

__all__ = [
    "PhraseSpec",
    "ThemeInfo",
    "ThemeSpec",
    "iptc_topics",
    "load_theme_specs",
    "parse_themes_file",
    "taxonomy",
]

_DATA = "data/themes"
IPTC_PREFIX = "medtop:"
LOCAL_PREFIX = "newsindex:"


@dataclass(frozen=True)
class ThemeInfo:
    """One theme as listed by ``newsindex themes``.

    ``parent`` is the parent theme's name (``""`` for an IPTC top level),
    ``level`` is 1 for top levels, 2 for their finer themes and so on.
    """

    name: str
    code: str
    parent: str
    level: int
    description: str


@dataclass(frozen=True)
class PhraseSpec:
    """A phrase that signals a theme: ``exact`` phrases match their capitalisation only."""

    text: str
    weight: float = 1.0
    exact: bool = False


@dataclass
class ThemeSpec:
    """A theme and its phrases, as read from a themes file."""

    name: str
    parent: str = ""
    code: str = ""
    description: str = ""
    phrases: list[PhraseSpec] = field(default_factory=list)


@dataclass(frozen=True)
class IptcTopic:
    """One IPTC Media Topic: ``code`` is the bare number, ``parent`` a code or ``""``."""

    code: str
    level: int
    name: str
    parent: str
    definition: str


@lru_cache(maxsize=1)
def iptc_topics() -> dict[str, IptcTopic]:
    """The shipped IPTC Media Topics, by code."""
    raw = resources.files("newsindex").joinpath(f"{_DATA}/iptc-mediatopics.json").read_text("utf-8")
    topics: dict[str, IptcTopic] = {}
    for item in json.loads(raw):
        topic = IptcTopic(
            code=str(item["code"]),
            level=int(item["level"]),
            name=str(item["name"]),
            parent=str(item["parent"] or ""),
            definition=str(item["definition"]),
        )
        topics[topic.code] = topic
    return topics


_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]$")
_WEIGHT = re.compile(r"^(?P<phrase>.*?)\s*\|\s*(?P<weight>[0-9]*\.?[0-9]+)$")
_ATTRIBUTES = ("parent", "iptc", "code", "description")


def parse_themes_file(text: str, source: str = "<themes>") -> list[ThemeSpec]:
    """Parse a themes file into theme specs; ``source`` names it in error messages.

    The format, line by line: ``# comment``; ``[theme name]`` opens a theme;
    ``@parent NAME``, ``@iptc CODE``, ``@code CODE`` and ``@description TEXT``
    set its attributes; any other line is a phrase, optionally ``phrase | weight``,
    prefixed with ``=`` to match its exact capitalisation.
    """
    specs: list[ThemeSpec] = []
    current: ThemeSpec | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        section = _SECTION.match(line)
        if section:
            name = " ".join(section["name"].split()).lower()
            if not name:
                raise ConfigurationError(f"{where}: empty theme name in '[]'")
            current = ThemeSpec(name=name)
            specs.append(current)
            continue
        if current is None:
            raise ConfigurationError(
                f"{where}: {line!r} comes before any '[theme name]' line; start a theme first"
            )
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            value = value.strip()
            if key not in _ATTRIBUTES or not value:
                known = ", ".join(f"@{a}" for a in _ATTRIBUTES)
                raise ConfigurationError(f"{where}: bad attribute {line!r}; known: {known} VALUE")
            if key == "parent":
                current.parent = " ".join(value.split()).lower()
            elif key == "iptc":
                current.code = IPTC_PREFIX + value.removeprefix(IPTC_PREFIX)
            elif key == "code":
                current.code = value
            else:
                current.description = value
            continue
        current.phrases.append(_parse_phrase(line, where))
    return specs


def _parse_phrase(line: str, where: str) -> PhraseSpec:
    weight = 1.0
    found = _WEIGHT.match(line)
    if found:
        line, weight = found["phrase"], float(found["weight"])
    elif "|" in line:
        raise ConfigurationError(f"{where}: bad weight in {line!r}; write 'phrase | 2.5'")
    exact = line.startswith("=")
    phrase = " ".join(line.removeprefix("=").split())
    if not phrase:
        raise ConfigurationError(f"{where}: empty phrase")
    if weight <= 0:
        raise ConfigurationError(f"{where}: weight must be positive in {line!r}")
    return PhraseSpec(phrase if exact else phrase.lower(), weight, exact)


def _read_user_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"themes file {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"themes file {path} is not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise ConfigurationError(f"themes file {path} cannot be read: {exc.strerror}") from exc


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@lru_cache(maxsize=1)
def _shipped_specs() -> tuple[ThemeSpec, ...]:
    text = resources.files("newsindex").joinpath(f"{_DATA}/keywords.themes").read_text("utf-8")
    return tuple(parse_themes_file(text, "newsindex/data/themes/keywords.themes"))


def load_theme_specs(extra: Path | None = None) -> list[ThemeSpec]:
    """All themes, top levels first: IPTC top levels, shipped themes, then ``extra``'s.

    A section whose name is an existing theme adds phrases to it; a new
    theme needs a ``@parent`` that exists (or none, to stand alone as a top level).
    """
    merged: dict[str, ThemeSpec] = {}
    for topic in iptc_topics().values():
        if topic.level == 1:
            merged[topic.name] = ThemeSpec(
                name=topic.name, code=IPTC_PREFIX + topic.code, description=topic.definition
            )
    sources: list[tuple[str, list[ThemeSpec]]] = [("shipped", list(_shipped_specs()))]
    if extra is not None:
        sources.append((str(extra), parse_themes_file(_read_user_file(extra), str(extra))))
    for source, specs in sources:
        for spec in specs:
            known = merged.get(spec.name)
            if known is not None:
                known.phrases = [*known.phrases, *spec.phrases]
                known.description = spec.description or known.description
                continue
            if spec.parent and spec.parent not in merged:
                raise ConfigurationError(
                    f"{source}: theme {spec.name!r} has unknown parent {spec.parent!r}",
                    remedy="themes",
                )
            merged[spec.name] = ThemeSpec(
                name=spec.name,
                parent=spec.parent,
                code=spec.code or LOCAL_PREFIX + _slug(spec.name),
                description=spec.description,
                phrases=list(spec.phrases),
            )
    return list(merged.values())


def _level(spec: ThemeSpec, by_name: dict[str, ThemeSpec]) -> int:
    level, parent = 1, spec.parent
    while parent and level < 10:
        level += 1
        parent = by_name[parent].parent
    return level


def taxonomy(extra: Path | None = None) -> tuple[ThemeInfo, ...]:
    """Every theme newsindex can assign (plus ``extra``'s), top levels first, then by name."""
    specs = load_theme_specs(extra)
    by_name = {spec.name: spec for spec in specs}
    infos = [
        ThemeInfo(
            name=spec.name,
            code=spec.code,
            parent=spec.parent,
            level=_level(spec, by_name),
            description=spec.description,
        )
        for spec in specs
    ]
    return tuple(sorted(infos, key=lambda info: (info.level, info.name)))
