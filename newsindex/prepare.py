"""Preparing articles for the index writer: extraction, duplicate keys and the engine's
own form of each article, in this process or in worker processes.

Workers are fed one ordered stream: the articles of every input file in turn,
with the build's own markers (where a file starts and ends) among them.  Only
articles go to the workers, in chunks that cross file boundaries; markers stay
in this process and come back out in their place, so the writer does each
file's bookkeeping exactly when it reaches that file's end.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from newsindex.dedup import exact_key, signature
from newsindex.documents import Article
from newsindex.engine import engine_class
from newsindex.extract import Extraction, enrich, get_extractor
from newsindex.records import index_document

__all__ = [
    "MAX_CHUNK_ITEMS",
    "WORKER_CHUNK",
    "WORKER_WINDOW",
    "Prepared",
    "bounded_map",
    "init_worker",
    "prepare",
    "safe_extract",
]

T = TypeVar("T")


def safe_extract(extractor: Callable[[Article], Extraction], article: Article) -> Extraction:
    """What ``extractor`` finds in ``article``; nothing (and a warning on it) if it fails."""
    try:
        return extractor(article)
    except Exception as exc:  # one article must never stop a build
        article.extra.setdefault("warnings", []).append(f"extraction failed: {exc!r}")
        return Extraction()


_WORKER_EXTRACTOR: Callable[[Article], Extraction] | None = None
_WORKER_ENGINE = "whoosh"
_WORKER_ERROR: Exception | None = None


def init_worker(name: str, themes: Path | None, entities: Path | None, engine: str) -> None:
    """Load the extractor in a worker process (the pool's initializer)."""
    # An initializer that raises makes the pool start workers forever: keep the
    # error and raise it with the first chunk, where the build sees it.
    global _WORKER_EXTRACTOR, _WORKER_ENGINE, _WORKER_ERROR
    _WORKER_ENGINE = engine
    try:
        _WORKER_EXTRACTOR = get_extractor(name, themes=themes, entities=entities)
    except Exception as exc:
        _WORKER_ERROR = exc


@dataclass(frozen=True)
class Prepared:
    """An article made ready for the writer without touching the index."""

    article: Article
    """The article enriched with what extraction found."""
    dupkey: str
    document: Any
    """The engine's form of the article (its ``prepare``: Whoosh analyses the text here)."""


def prepare(extractor: Callable[[Article], Extraction], engine: str, article: Article) -> Prepared:
    """Extraction, duplicate key, SimHash and the engine's preparation: the parallel part."""
    extraction = safe_extract(extractor, article)
    enriched = enrich(article, extraction)
    key = exact_key(enriched.title, enriched.body)
    document = index_document(enriched, extraction, dupkey=key, simhash=signature(enriched.body))
    return Prepared(enriched, key, engine_class(engine).prepare(document))


def prepare_chunk_in_worker(articles: list[Article]) -> list[Prepared]:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER_EXTRACTOR is not None
    return [prepare(_WORKER_EXTRACTOR, _WORKER_ENGINE, article) for article in articles]


WORKER_CHUNK = 64
"""Articles sent to the extraction worker at a time."""
WORKER_WINDOW = 48
"""Chunks in flight at once: the reader never runs more than 3,072 articles ahead of
the writer, so memory stays bounded however large the input (Pool.imap would
queue the whole input, and every result, in memory).  The window is wide enough
for the worker to keep preparing articles while the writer commits a batch
(seconds): with 8 chunks, a 1M build kept the two processes only 57% and 70%
busy."""


MAX_CHUNK_ITEMS = 4 * WORKER_CHUNK
"""Markers and articles in one chunk at most, so a run of unchanged files still flows."""


def next_chunk(source: Iterator[Article | T]) -> list[Article | T]:
    """Items from ``source`` up to WORKER_CHUNK articles (or MAX_CHUNK_ITEMS items)."""
    chunk: list[Article | T] = []
    articles = 0
    for item in source:
        chunk.append(item)
        articles += isinstance(item, Article)
        if articles == WORKER_CHUNK or len(chunk) >= MAX_CHUNK_ITEMS:
            break
    return chunk


def bounded_map(pool: Any, items: Iterable[Article | T]) -> Iterator[Prepared | T]:
    """Extract the articles among ``items`` in ``pool``, in order, markers passed through.

    Chunks mix the articles of many files, so one-article files stream through
    the worker like the records of one big file.  At most WORKER_WINDOW chunks
    are pending, so the reader runs a bounded distance ahead of the writer.
    """
    source = iter(items)
    pending: collections.deque[tuple[list[Article | T], Any]] = collections.deque()

    def submit() -> bool:
        chunk = next_chunk(source)
        articles = [item for item in chunk if isinstance(item, Article)]
        if chunk:
            result = pool.apply_async(prepare_chunk_in_worker, (articles,)) if articles else None
            pending.append((chunk, result))
        return bool(chunk)

    while len(pending) < WORKER_WINDOW and submit():
        pass
    while pending:
        chunk, result = pending.popleft()
        done = iter(result.get() if result is not None else ())
        submit()
        for item in chunk:
            yield next(done) if isinstance(item, Article) else item
