"""Opening or searching an index never runs code from its files.

Each test plants a pickle that would create a file when unpickled in one kind
of file the Whoosh engine reads, keeps the manifest checksum valid, and checks
that newsindex refuses with one line and that the file was never created.
"""

from __future__ import annotations

import gc
import json
import pickle
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.filedb.structfile import StructFile

from newsindex import Article, BuildOptions, IndexCorruptError, NewsIndex
from newsindex.engine.whoosh.manifest import latest_toc, sha256_of
from newsindex.engine.whoosh.unpickling import ALLOWED_GLOBALS, UnsafeIndexDataError, loads

NONE = BuildOptions(extractor="none", workers=0)
ARTICLES = [
    Article(
        id="a1",
        title="Harbour report",
        body="The harbour reopened after zanzibar talks. "
        + " ".join(f"clause{n} of the agreement" for n in range(60)),
    ),
    Article(id="a2", title="Harbour traffic", body="Harbour traffic doubled this spring."),
    Article(id="a3", title="Harbour fees", body="New harbour fees were announced today."),
]


class _Payload:
    """Unpickling this creates ``marker``: what an attacker's pickle would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


@pytest.fixture
def marker(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "code from the index ran"


def _build(path: Path) -> Path:
    with NewsIndex.create(path, extractor="none") as index:
        index.add_articles(ARTICLES, NONE)
    return path


def _refused(path: Path, use: Callable[[NewsIndex], Any]) -> str:
    with pytest.raises(IndexCorruptError) as caught:
        with NewsIndex.open(path) as index:
            use(index)
    with warnings.catch_warnings():  # Whoosh leaves the refused file for the collector
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message and "io.open" in message
    return message


def _touch_all_hits(index: NewsIndex, query: str) -> None:
    for hit in index.search(query):
        assert hit.title


def test_unpickling_allows_what_real_indexes_hold(tmp_path: Path) -> None:
    # The seed-sized index opens and answers through the allow-list.
    with NewsIndex.open(_build(tmp_path / "index")) as index:
        assert {h.id for h in index.search("harbour")} == {"a1", "a2", "a3"}
        assert index.get("a1").title == "Harbour report"
        assert [h.id for h in index.search("zanzibar")] == ["a1"]


def test_unpickling_refuses_a_global_outside_the_allow_list(marker: Path) -> None:
    assert ("io", "open") not in ALLOWED_GLOBALS
    with pytest.raises(UnsafeIndexDataError, match="io.open"):
        loads(pickle.dumps(_Payload(marker)))


def test_unpickling_table_of_contents(tmp_path: Path, marker: Path) -> None:
    path = _build(tmp_path / "index")
    toc = latest_toc(path)
    assert toc is not None
    with open(toc, "rb") as raw:
        stream = StructFile(raw)
        for _ in range(3):
            stream.read_varint()  # int, long and float sizes
        stream.read_int(), stream.read_int()  # byte-order check, version
        stream.read_varint(), stream.read_varint(), stream.read_varint()  # release
        stream.read_string()  # the schema, never loaded: ours is used
        stream.read_int(), stream.read_int()  # generation, unused
        segments_at = stream.tell()
    data = toc.read_bytes()[:segments_at] + pickle.dumps(_Payload(marker))
    toc.write_bytes(data)
    manifest = json.loads((path / "newsindex.json").read_text())
    manifest["toc_sha256"] = sha256_of(toc)  # past the manifest check
    (path / "newsindex.json").write_text(json.dumps(manifest))
    _refused(path, lambda index: index.search("harbour"))


def test_unpickling_segment_directory_record(tmp_path: Path, marker: Path) -> None:
    path = _build(tmp_path / "index")
    (segment,) = path.glob("*.seg")
    with open(segment, "r+b") as raw:
        stream = StructFile(raw)
        directory_at = stream.read_long()
        stream.seek(directory_at)
        stream.truncate()
        stream.write(pickle.dumps(_Payload(marker)))
        stream.write(pickle.dumps({}))
    _refused(path, lambda index: index.search("harbour"))


def _evil(marker: Path) -> Callable[..., bytes]:
    def dumps(*_: Any, **__: Any) -> bytes:
        return pickle.dumps(_Payload(marker))

    return dumps


def test_unpickling_stored_fields(
    tmp_path: Path, marker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _build(tmp_path / "index")
    records: list[bytes] = []
    with monkeypatch.context() as patch:  # record the stored fields' pickles as read
        patch.setattr(columns, "loads", lambda data: records.append(data) or loads(data))
        with NewsIndex.open(path) as index:
            index.get("a1")
    (segment,) = path.glob("*.seg")
    data = segment.read_bytes()
    # Whoosh deflates each record at level 3; inflating ignores bytes after the stream.
    stored = [zlib.compress(r, 3) for r in records]
    (record,) = [r for r in stored if data.count(r) == 1]
    evil = zlib.compress(pickle.dumps(_Payload(marker), pickle.HIGHEST_PROTOCOL), 3)
    assert len(evil) <= len(record), "the article must store more than the payload"
    segment.write_bytes(data.replace(record, evil.ljust(len(record), b"\0")))
    _refused(path, lambda index: index.get("a1"))


def test_unpickling_posting_blocks(
    tmp_path: Path, marker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:  # every posting block written is the payload
        patch.setattr(whoosh3, "dumps", _evil(marker))
        path = _build(tmp_path / "index")
    _refused(path, lambda index: _touch_all_hits(index, "harbour"))
