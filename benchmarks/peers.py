"""The engines newsindex is compared with, behind one small interface.

Every peer indexes the same ``id, title, body, date`` records and answers the
same query kinds, so timings, sizes and rankings can be set side by side:

* ``whoosh``: bare Whoosh, ``title/body/date`` schema, default analyzer and
  default writer settings, no extraction (the honest baseline);
* ``fts5``: SQLite FTS5 from the standard library, ``porter unicode61``
  tokenizer, ranked by ``bm25()``;
* ``tantivy``: tantivy-py, ``en_stem`` tokenizer, BM25.

Query kinds (``search(kind, args, k)``): ``term (word,)``, ``and (w1, w2)``,
``phrase (w1, w2)``, ``date (word, since, until)`` with ISO dates, ``since``
inclusive and ``until`` exclusive.  ``search_text(text, k)`` is plain words
OR-ed and ranked by BM25 (used by the ranking evaluation).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

PEERS = ("whoosh", "fts5", "tantivy")
_WORD = re.compile(r"\w+")


class Peer(Protocol):
    """What every engine under test offers."""

    def build(self, articles: Iterable[dict[str, Any]]) -> None:
        """Index ``articles`` (dicts with ``id, title, body, date``) and commit."""

    def search(self, kind: str, args: tuple[str, ...], k: int = 10) -> list[str]:
        """Ids of the top ``k`` hits of a query of ``kind``."""

    def search_text(self, text: str, k: int = 10) -> list[str]:
        """Ids of the top ``k`` hits for plain words, OR-ed, ranked by BM25."""

    def size_bytes(self) -> int:
        """Bytes the index occupies on disk."""

    def close(self) -> None:
        """Release searchers and files."""


def parse_date(value: str) -> dt.datetime:
    """An ISO date or datetime as a naive UTC datetime."""
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def words(text: str) -> list[str]:
    """The plain words of ``text``, lower-cased (query syntax characters dropped)."""
    return [w.lower() for w in _WORD.findall(text)]


def dir_size(path: Path) -> int:
    """Total size of the files under ``path``."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class WhooshPeer:
    """Bare Whoosh with a ``title/body/date`` schema and default writer settings."""

    def __init__(self, path: Path) -> None:
        from whoosh import fields, index, qparser

        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.schema = fields.Schema(
            id=fields.ID(stored=True, unique=True),
            title=self.text_field("title"),
            body=self.text_field("body"),
            date=self.date_field(),
        )
        if index.exists_in(str(path)):
            self.ix = index.open_dir(str(path))
        else:
            self.ix = index.create_in(str(path), self.schema)
        self._and = qparser.MultifieldParser(["title", "body"], self.ix.schema)
        self._or = qparser.MultifieldParser(
            ["title", "body"], self.ix.schema, group=qparser.OrGroup
        )
        self._searcher: Any = None

    def text_field(self, name: str) -> Any:
        """The field type of ``title`` (stored) and ``body``: Whoosh's default ``TEXT``."""
        from whoosh import fields

        return fields.TEXT(stored=name == "title")

    def date_field(self) -> Any:
        """The field type of ``date``: Whoosh's own ``DATETIME`` (microsecond resolution)."""
        from whoosh import fields

        return fields.DATETIME()  # not stored: the peer returns ids, and newsindex's
        # allow-list unpickler (engine/whoosh/unpickling.py) refuses stored datetimes

    def date_value(self, value: str) -> Any:
        """What is indexed in ``date`` for an ISO date string."""
        return parse_date(value)

    def date_query(self, since: str, until: str) -> Any:
        """Documents dated in ``[since, until)``."""
        from whoosh import query as wq

        return wq.DateRange("date", parse_date(since), parse_date(until), endexcl=True)

    def build(self, articles: Iterable[dict[str, Any]]) -> None:
        writer = self.ix.writer()
        for a in articles:
            writer.add_document(
                id=a["id"], title=a["title"], body=a["body"], date=self.date_value(a["date"])
            )
        writer.commit()

    @property
    def searcher(self) -> Any:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def _run(self, query: Any, k: int) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(query, limit=k)]

    def search(self, kind: str, args: tuple[str, ...], k: int = 10) -> list[str]:
        from whoosh import query as wq

        if kind == "term":
            return self._run(self._and.parse(args[0]), k)
        if kind == "and":
            return self._run(self._and.parse(f"{args[0]} {args[1]}"), k)
        if kind == "phrase":
            return self._run(self._and.parse(f'"{args[0]} {args[1]}"'), k)
        if kind == "date":
            span = self.date_query(args[1], args[2])
            return self._run(wq.And([self._and.parse(args[0]), span]), k)
        raise ValueError(f"unknown query kind {kind!r}")

    def search_text(self, text: str, k: int = 10) -> list[str]:
        return self._run(self._or.parse(" ".join(words(text))), k)

    def size_bytes(self) -> int:
        return dir_size(self.path)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self.ix.close()


class Fts5Peer:
    """SQLite FTS5 (stdlib ``sqlite3``), ``porter unicode61`` tokenizer, ``bm25()`` ranking."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles USING fts5("
            "id UNINDEXED, title, body, date UNINDEXED, tokenize='porter unicode61')"
        )

    def build(self, articles: Iterable[dict[str, Any]]) -> None:
        rows = (
            (a["id"], a["title"], a["body"], parse_date(a["date"]).isoformat()) for a in articles
        )
        with self.db:
            self.db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?)", rows)

    def _run(self, match: str, k: int, where: str = "", params: tuple[str, ...] = ()) -> list[str]:
        sql = (
            f"SELECT id FROM articles WHERE articles MATCH ?{where} ORDER BY bm25(articles) LIMIT ?"
        )
        return [row[0] for row in self.db.execute(sql, (match, *params, k))]

    def search(self, kind: str, args: tuple[str, ...], k: int = 10) -> list[str]:
        if kind == "term":
            return self._run(f'"{args[0]}"', k)
        if kind == "and":
            return self._run(f'"{args[0]}" AND "{args[1]}"', k)
        if kind == "phrase":
            return self._run(f'"{args[0]} {args[1]}"', k)
        if kind == "date":
            since, until = (parse_date(v).isoformat() for v in args[1:3])
            return self._run(f'"{args[0]}"', k, " AND date >= ? AND date < ?", (since, until))
        raise ValueError(f"unknown query kind {kind!r}")

    def search_text(self, text: str, k: int = 10) -> list[str]:
        terms = words(text)
        return self._run(" OR ".join(f'"{w}"' for w in terms), k) if terms else []

    def size_bytes(self) -> int:
        return dir_size(self.path)

    def close(self) -> None:
        self.db.close()


class TantivyPeer:
    """tantivy-py with the ``en_stem`` tokenizer; one indexing thread, BM25 ranking."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="en_stem")
        builder.add_text_field("body", tokenizer_name="en_stem")
        builder.add_date_field("date", indexed=True, fast=True)
        self.schema = builder.build()
        self.ix = tantivy.Index(self.schema, path=str(path))
        self._searcher: Any = None

    def build(self, articles: Iterable[dict[str, Any]]) -> None:
        import tantivy

        writer = self.ix.writer(heap_size=256_000_000, num_threads=1)
        for a in articles:
            writer.add_document(
                tantivy.Document(
                    id=a["id"], title=a["title"], body=a["body"], date=parse_date(a["date"])
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.ix.reload()

    @property
    def searcher(self) -> Any:
        if self._searcher is None:
            self.ix.reload()
            self._searcher = self.ix.searcher()
        return self._searcher

    def _run(self, text: str, k: int) -> list[str]:
        searcher = self.searcher
        query = self.ix.parse_query(text, ["title", "body"])
        return [searcher.doc(addr)["id"][0] for _, addr in searcher.search(query, k).hits]

    def search(self, kind: str, args: tuple[str, ...], k: int = 10) -> list[str]:
        if kind == "term":
            return self._run(args[0], k)
        if kind == "and":
            return self._run(f"+{args[0]} +{args[1]}", k)
        if kind == "phrase":
            return self._run(f'"{args[0]} {args[1]}"', k)
        if kind == "date":
            since, until = (parse_date(v).strftime("%Y-%m-%dT%H:%M:%SZ") for v in args[1:3])
            return self._run(f"+{args[0]} +date:[{since} TO {until}}}", k)
        raise ValueError(f"unknown query kind {kind!r}")

    def search_text(self, text: str, k: int = 10) -> list[str]:
        terms = words(text)
        return self._run(" ".join(terms), k) if terms else []

    def size_bytes(self) -> int:
        return dir_size(self.path)

    def close(self) -> None:
        self._searcher = None


class NewsIndexPeer:
    """newsindex itself, behind the same interface (extraction included in ``build``).

    Extra query kind: ``filter (word, field, value)`` with ``field`` one of
    ``people``, ``places``, ``organisations``, ``themes``.
    """

    def __init__(self, path: Path, engine: str = "whoosh") -> None:
        from newsindex import NewsIndex

        self.path = path
        self.ix = NewsIndex.open_or_create(path, engine=engine)

    def build_files(self, paths: list[Path]) -> Any:
        """Read, extract and index the files in ``paths``; return the build report."""
        return self.ix.build([str(p) for p in paths])

    def build(self, articles: Iterable[dict[str, Any]]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "articles.jsonl"
            with source.open("w", encoding="utf-8") as handle:
                for a in articles:
                    handle.write(json.dumps(a, ensure_ascii=False) + "\n")
            self.build_files([source])

    def _run(self, text: str, k: int, **filters: Any) -> list[str]:
        return [hit.id for hit in self.ix.search(text, limit=k, **filters)]

    def search(self, kind: str, args: tuple[str, ...], k: int = 10) -> list[str]:
        from newsindex import SearchOptions

        if kind == "term":
            return self._run(args[0], k)
        if kind == "and":
            options = SearchOptions(default_operator="and", limit=k)
            return [hit.id for hit in self.ix.search(f"{args[0]} {args[1]}", options=options)]
        if kind == "phrase":
            return self._run(f'"{args[0]} {args[1]}"', k)
        if kind == "date":
            last_day = parse_date(args[2]).date() - dt.timedelta(days=1)
            return self._run(args[0], k, since=parse_date(args[1]).date(), until=last_day)
        if kind == "filter":
            return self._run(args[0], k, **{args[1]: (args[2],)})
        raise ValueError(f"unknown query kind {kind!r}")

    def search_text(self, text: str, k: int = 10) -> list[str]:
        terms = [w for w in words(text) if w not in {"and", "or", "not"}]
        return self._run(" ".join(terms), k) if terms else []

    def facets(self, text: str, by: tuple[str, ...] = ("people",), top: int = 20) -> Any:
        """Facet counts over the hits of ``text``."""
        return self.ix.facets(text, by=by, top=top)

    def size_bytes(self) -> int:
        return dir_size(self.path)

    def close(self) -> None:
        self.ix.close()


FACTORIES: dict[str, Callable[[Path], Peer]] = {
    "newsindex": NewsIndexPeer,
    "newsindex-tantivy": lambda path: NewsIndexPeer(path, engine="tantivy"),
    "whoosh": WhooshPeer,
    "fts5": lambda path: Fts5Peer(path / "fts5.sqlite"),
    "tantivy": TantivyPeer,
}


def open_peer(name: str, path: Path) -> Peer:
    """The peer ``name`` with its index under the folder ``path``."""
    return FACTORIES[name](path)
