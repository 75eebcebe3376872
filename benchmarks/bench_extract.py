"""Speed of extraction: articles per CPU-second for the entity finder and the default extractor.

The figure docs/evaluation.md quotes: 2,000 Reuters-21578 ModApte test stories
(title, then dateline and body), one process, CPU time (``time.process_time``,
so a loaded machine slows it less than wall time), best of ``--passes`` passes
after a warm-up over the first 200.  Run it before and after a change in the same
session; on a shared machine the ratio is the reliable part:

    .venv/bin/python -m benchmarks.bench_extract [--articles 2000] [--passes 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from benchmarks.corpora import reuters
from benchmarks.eval_entities import reuters_text
from newsindex.documents import Article
from newsindex.extract import get_extractor
from newsindex.extract.entities import EntityFinder

T = TypeVar("T")


def best_rate(items: Sequence[T], run: Callable[[T], object], passes: int) -> float:
    """The best of ``passes`` rates, in items per CPU-second, of ``run`` over ``items``."""
    for item in items[:200]:
        run(item)  # warm up
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        for item in items:
            run(item)
        best = min(best, time.process_time() - start)
    return len(items) / best


def main(argv: Sequence[str] | None = None) -> None:
    """Print the two rates for the first ``--articles`` ModApte test stories."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args(argv)
    docs = reuters.modapte_test()[: args.articles]
    if not docs:
        raise SystemExit(f"no Reuters-21578 stories in {reuters.reuters_path()}")
    texts = [reuters_text(d) for d in docs]
    articles = [
        Article(id=str(d.newid), title=t, body=b) for d, (t, b) in zip(docs, texts, strict=True)
    ]
    finder = EntityFinder.load()
    extractor = get_extractor("default")
    entities = best_rate(texts, lambda text: finder.find(*text), args.passes)
    whole = best_rate(articles, extractor, args.passes)
    print(f"{len(texts)} Reuters ModApte test articles, best of {args.passes} passes, CPU time")
    print(f"entity finder: {entities:,.0f} articles per CPU-second")
    print(f"default extractor: {whole:,.0f} articles per CPU-second")


if __name__ == "__main__":
    main()
