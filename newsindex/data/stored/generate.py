"""Write the compression dictionary newsindex uses for what an index stores per article.

Run from the repository root::

    .venv/bin/python newsindex/data/stored/generate.py

Each article's stored record (title, body and what extraction found, as
compact JSON) is compressed on its own; a record of a few kilobytes
compresses far better against a preset dictionary of what such records
repeat: the JSON keys, theme names and codes, well-known places with their
coordinates, and news vocabulary.  Everything here comes from newsindex's own
data files (the shipped themes and gazetteer), never from a corpus.

The output, ``v1.zdict``, must never change once indexes use it: a changed
dictionary would need a new file name and version byte (see
``newsindex/engine/convert.py``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ZDICT_BYTES = 32 * 1024
"""Deflate looks back at most 32 KiB: a longer dictionary is cut from the front."""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _vocabulary() -> list[str]:
    text = (ROOT / "newsindex/data/themes/keywords.themes").read_text(encoding="utf-8")
    words: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "[", "@")):
            words.append(line.split("|")[0].strip().lstrip("="))
    return words


def _places(limit: int = 160) -> list[str]:
    rows = []
    with open(ROOT / "newsindex/data/entities/places.tsv", encoding="utf-8") as handle:
        for row in csv.reader((r for r in handle if not r.startswith("#")), delimiter="\t"):
            alias, name, kind, code, lat, lon, population = row[:7]
            if alias == name and kind in ("country", "city") and lat and lon:
                rows.append((int(population or 0), name, kind, code, float(lat), float(lon)))
    rows.sort(reverse=True)
    records = []
    for _, name, kind, code, latitude, longitude in rows[:limit]:
        record = {"name": name, "mentions": [name], "kind": kind, "country_code": code}
        records.append(_json({**record, "coordinates": [latitude, longitude]}))
    return records


def _themes() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from newsindex.extract.taxonomy import taxonomy

    records = []
    for info in taxonomy():
        record: dict[str, object] = {"name": info.name, "code": info.code, "score": 3.0}
        record["evidence"] = []
        if info.parent:
            record["parent"] = info.parent
        records.append(_json(record))
    return records


def dictionary() -> bytes:
    """The dictionary's bytes: the most repeated material last, nearest to the data."""
    skeleton = _json(
        {
            "title": "",
            "body": "",
            "date": "2025-01-01T00:00:00+00:00",
            "people": [{"name": "", "mentions": [""]}],
            "places": [{"name": "", "kind": "country", "country_code": "", "inferred": True}],
            "organisations": [{"name": "", "mentions": [""]}],
            "themes": [{"name": "", "code": "medtop:", "score": 1.0, "evidence": [""]}],
            "source": "",
            "url": "https://",
            "path": "",
            "authors": [],
            "dates_mentioned": [],
            "warnings": [],
            "extractor": "default",
            "simhash": 0,
        }
    )
    parts = [" ".join(_vocabulary()), "".join(_places()), "".join(_themes()), skeleton]
    data = "".join(parts).encode("utf-8")
    return data[-ZDICT_BYTES:]


if __name__ == "__main__":
    out = HERE / "v1.zdict"
    out.write_bytes(dictionary())
    sys.stdout.write(f"wrote {out} ({out.stat().st_size} bytes)\n")
