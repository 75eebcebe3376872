"""The word lists behind entity extraction, read once from ``newsindex/data/entities``.

Everything here is plain data: places (GeoNames cities and countries, ISO
subdivisions, hand-written regions and aliases), demonyms, organisations,
titles, first names and surnames (US Census 1990) and stop words.  See that
folder's README for the provenance and licence of each file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from newsindex.errors import ConfigurationError

__all__ = ["DATA_DIR", "Lexicon", "Place", "fold", "load_lexicon"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "entities"

KIND_RANK = {"country": 0, "region": 1, "admin": 3, "city": 4}
# A city this large outranks a province or state of the same name ("Delhi", "Washington").
BIG_CITY = 500_000


def _rank(place: Place) -> tuple[int, int]:
    kind = 2 if place.kind == "city" and place.population >= BIG_CITY else KIND_RANK[place.kind]
    return kind, -place.population


class Place(NamedTuple):
    """One gazetteer entry."""

    name: str
    kind: str
    country_code: str
    coordinates: tuple[float, float] | None
    population: int


@dataclass(frozen=True)
class Lexicon:
    """All lookup tables, keyed by the surface form as written."""

    places: dict[str, tuple[Place, ...]]
    countries: dict[str, Place]
    demonyms: dict[str, str]
    organisations: dict[str, str]
    titles: frozenset[str]
    first_names: frozenset[str]
    surnames: frozenset[str]
    stopwords: frozenset[str]
    max_words: int


def fold(text: str) -> str:
    """Fold curly apostrophes and case so lookups match however a name was typed."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _read(name: str, extra: Path | None = None) -> list[str]:
    """Lines of a data file (comments dropped), then those of ``extra/name`` if it exists."""
    paths = [DATA_DIR / name]
    if extra is not None and (extra / name).is_file():
        paths.append(extra / name)
    lines: list[str] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"entity data file {path} cannot be read: {exc}") from exc
        lines.extend(line for line in text.split("\n") if line and line[0] != "#")
    return lines


def _lines(name: str, extra: Path | None = None) -> list[list[str]]:
    return [line.rstrip("\r").split("\t") for line in _read(name, extra) if line.strip()]


def _coordinates(lat: str, lon: str) -> tuple[float, float] | None:
    if not lat or not lon:
        return None
    return (float(lat), float(lon))


def _place(row: list[str], source: str) -> Place:
    """A place from ``alias, name, kind, country_code, lat, lon, population``."""
    alias, name, kind, code, lat, lon, pop = (row + [""] * 7)[:7]
    if kind not in KIND_RANK:
        known = ", ".join(KIND_RANK)
        raise ConfigurationError(f"{source}: {alias!r} has kind {kind!r}; use one of {known}")
    try:
        return Place(name, kind, code, _coordinates(lat, lon), int(pop or 0))
    except ValueError as exc:
        raise ConfigurationError(f"{source}: {alias!r} has a bad number: {exc}") from exc


def _add(table: dict[str, list[Place]], alias: str, place: Place) -> None:
    entries = table.get(alias)
    if entries is None:
        table[alias] = [place]
    elif place not in entries:
        entries.append(place)


def _places(extra: Path | None) -> tuple[dict[str, tuple[Place, ...]], dict[str, Place]]:
    table: dict[str, list[Place]] = {}
    by_name: dict[str, Place] = {}
    pinned: set[str] = set()
    for line in _read("places.tsv"):
        alias, name, kind, code, lat, lon, pop = line.split("\t")
        place = Place(name, kind, code, (float(lat), float(lon)) if lat else None, int(pop))
        entries = table.get(alias)
        if entries is None:
            table[alias] = [place]
        else:
            entries.append(place)
        if name not in by_name:
            by_name[name] = place
    for row in _lines("regions.tsv", extra):
        name, aliases, lat, lon = (row + [""] * 4)[:4]
        place = _place([name, name, "region", "", lat, lon, "0"], "regions.tsv")
        by_name[name] = place
        for alias in [name, *aliases.split(";")]:
            if alias.strip():
                _add(table, alias.strip(), place)
    for row in _lines("aliases.tsv", extra):
        if len(row) > 2:
            place = _place(row, "aliases.tsv")
            by_name.setdefault(place.name, place)
            _add(table, row[0], place)
            continue
        if len(row) < 2:
            raise ConfigurationError(f"aliases.tsv: {row[0]!r} needs a tab and a place name")
        alias, name = row[0], row[1]
        target = by_name.get(name)
        if target is None:
            raise ConfigurationError(f"aliases.tsv: {alias!r} names unknown place {name!r}")
        # An alias names the default meaning of a spelling; other entries stay as
        # candidates ("Canton" is Guangzhou unless the article is in Ohio).
        key = fold(alias)
        table[key] = [target] + [p for p in table.get(key, []) if p != target]
        pinned.add(key)
    ranked = {
        key: (
            tuple(values) if len(values) == 1 or key in pinned else tuple(sorted(values, key=_rank))
        )
        for key, values in table.items()
    }
    countries = {p.name: p for p in by_name.values() if p.kind == "country"}
    return ranked, countries


def _organisations(extra: Path | None) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in _lines("organisations.tsv", extra):
        name = row[0].strip()
        aliases = row[1].split(";") if len(row) > 1 else []
        for alias in [name, *aliases]:
            if alias.strip():
                table[fold(alias.strip())] = name
    return table


def _words(name: str, extra: Path | None = None) -> frozenset[str]:
    return frozenset(line.strip() for line in _read(name, extra))


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """Read every data file; raises ``ConfigurationError`` if one is missing or broken.

    ``extra`` names a folder of your own entries in the same formats
    (``aliases.tsv``, ``regions.tsv``, ``demonyms.tsv``, ``organisations.tsv``,
    ``titles.txt``, ``first_names.txt``, ``surnames.txt``, ``stopwords.txt``),
    read after the shipped files.
    """
    places, countries = _places(extra)
    demonyms: dict[str, str] = {}
    for row in _lines("demonyms.tsv", extra):
        if len(row) < 2 or row[1] not in countries:
            raise ConfigurationError(f"demonyms.tsv: {row[0]!r} names no known country")
        demonyms[row[0]] = row[1]
    organisations = _organisations(extra)
    titles = _words("titles.txt", extra)
    longest = 1 + max(key.count(" ") for key in (*places, *organisations, *titles))
    return Lexicon(
        places=places,
        countries=countries,
        demonyms=demonyms,
        organisations=organisations,
        titles=titles,
        first_names=_words("first_names.txt", extra) | _words("first_names_world.txt"),
        surnames=_words("surnames.txt", extra) | _words("surnames_world.txt"),
        stopwords=frozenset(w.lower() for w in _words("stopwords.txt", extra)),
        max_words=min(longest, 8),
    )
