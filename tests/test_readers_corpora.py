"""Readers on real news: AG News CSV, BBC text files, Reuters-21578 and IE-ER as JSON Lines.

The corpora are read from ``shared/corpora`` beside the repository and never
copied into it; Reuters and IE-ER SGML are turned into JSON Lines inside each
test's temporary folder, raw bytes and all.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

from newsindex.documents import Article
from newsindex.readers import ReadOptions, Record, Skipped, discover_files, read_file

from .corpora import corpus


def split(records: list[Record]) -> tuple[list[Article], list[Skipped]]:
    good = [r for r in records if isinstance(r, Article)]
    bad = [r for r in records if isinstance(r, Skipped)]
    return good, bad


def test_readers_corpora_ag_news_headerless_csv() -> None:
    path = corpus("ag-news", "test.csv")
    good, bad = split(list(read_file(path, path.parent)))
    assert (len(good), bad) == (7600, [])
    first = good[0]
    assert (first.id, first.title) == ("test.csv#1", "Fears for T N pension after talks")
    assert first.body.startswith("Unions representing workers at Turner Newall say")
    space = good[1]
    assert "$10 million Ansari X Prize" in space.body
    assert "\\" not in space.body and "#36;" not in space.body
    assert not any("#39;" in a.body or " quot;" in a.body for a in good)
    explicit = ReadOptions(mapping={"title": "2", "body": "3", "themes": "1"})
    mapped, _ = split(list(read_file(path, path.parent, explicit)))
    assert mapped[0].themes == ("3",)
    assert [a.title for a in mapped] == [a.title for a in good]


def test_readers_corpora_bbc_folder_reads_every_file() -> None:
    folder = corpus("bbc-news", "bbc", "sport")
    records = [r for path, root in discover_files([folder]) for r in read_file(path, root)]
    good, bad = split(records)
    assert bad == []
    assert len(good) == 511
    mutu = next(a for a in good if a.id == "199.txt")
    assert mutu.title == "Chelsea sack Mutu"
    assert "a £15.8m signing" in mutu.body
    assert "not valid UTF-8 at byte 257" in mutu.extra["warnings"][0]


_REUTERS = re.compile(rb"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)


def _tag(block: bytes, name: bytes) -> bytes:
    found = re.search(rb"<" + name + rb">(.*?)</" + name + rb">", block, re.S)
    return found.group(1) if found else b""


def _reuters_jsonl(sgm: Path, out: Path) -> int:
    """Write Reuters documents as JSON Lines keeping raw bytes (an 0xFC stays invalid UTF-8)."""
    count = 0
    with out.open("wb") as handle:
        for newid, block in _REUTERS.findall(sgm.read_bytes()):
            record = {
                "id": f"reuters-{int(newid)}",
                "title": html.unescape(_tag(block, b"TITLE").decode("latin-1")),
                "body": html.unescape(_tag(block, b"BODY").decode("latin-1")),
                "date": _tag(block, b"DATE").decode("latin-1").strip(),
                "places": [
                    d.decode() for d in re.findall(rb"<D>(.*?)</D>", _tag(block, b"PLACES"))
                ],
            }
            line = json.dumps(record, ensure_ascii=False).encode("latin-1")
            handle.write(line + b"\n")
            count += 1
    return count


def test_readers_corpora_reuters_as_json_lines(tmp_path: Path) -> None:
    sgm = corpus("reuters21578", "reut2-017.sgm")
    path = tmp_path / "reuters.jsonl"
    assert _reuters_jsonl(sgm, path) == 1000
    good, bad = split(list(read_file(path, tmp_path)))
    assert len(good) + len(bad) == 1000
    reasons = sorted(s.reason for s in bad)
    assert reasons[:1] == [
        "field 'date' has impossible date '31-MAR-1987 605:12:19.12': "
        "not a date (hour must be in 0..23)"
    ]
    assert reasons[1:] == ["no title or body field with text"] * 4
    first = good[0]
    assert (first.id, first.title) == (
        "reuters-17001",
        "IBC COFFEE AUCTIONS TO START SOON - DAUSTER",
    )
    assert first.date == dt.datetime(1987, 4, 21, 11, 35, 1, 500000, tzinfo=dt.timezone.utc)
    assert first.places == ("uk", "brazil")
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f]", a.body) for a in good)
    warned = [a for a in good if a.extra.get("warnings")]
    assert len(warned) == 1
    assert "growth.ü" in warned[0].body


_IEER_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_IEER_MARKUP = re.compile(r"<[be]_[a-z]+(?: type=\"[A-Z_]+\")?>")


def test_readers_corpora_ieer_documents_as_json_lines(tmp_path: Path) -> None:
    folder = corpus("nist-ieer")
    path = tmp_path / "ieer.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for source in sorted(folder.glob("[AN]*_1998*")):
            for doc in _IEER_DOC.findall(source.read_text(encoding="utf-8")):
                fields = {
                    name: _IEER_MARKUP.sub("", found.group(1)).strip()
                    for name in ("DOCNO", "DATE_TIME", "HEADLINE", "TEXT")
                    if (found := re.search(rf"<{name}>(.*?)</{name}>", doc, re.S))
                }
                handle.write(json.dumps(fields) + "\n")
    mapping = {"id": "DOCNO", "date": "DATE_TIME", "title": "HEADLINE", "body": "TEXT"}
    good, bad = split(list(read_file(path, tmp_path, ReadOptions(mapping=mapping))))
    assert (len(good), bad) == (94, [])
    kenya = good[0]
    assert (kenya.id, kenya.title) == ("APW19980314.0391", "Kenyans protest tax hikes")
    assert kenya.date == dt.datetime(1998, 3, 14, 10, 36, tzinfo=dt.timezone.utc)
    assert kenya.body.startswith("NAIROBI, Kenya (AP) _ Thousands of laborers")
    assert all(a.date is not None and a.date.year == 1998 for a in good)
