"""Speed of ``NewsIndex.batch``: many queries (a list of names) against one open index.

The queries are names and words a journalist might check: people, places and
organisations taken from the index's own facets, plus single words drawn with
a seeded RNG from the titles of 2,000 of the index's articles, so
some match many articles, some few, some none.  One process, one open index;
the figure is wall time for the whole batch after one warm-up query, and the
per-query mean.  Run on an index you built, e.g. from ``benchmarks.synth``:

    .venv/bin/python -m benchmarks.synth --n 100000 --out benchmarks/out/synth-100k.jsonl
    .venv/bin/newsindex build benchmarks/out/synth-100k.jsonl --engine tantivy --index /tmp/s100k
    .venv/bin/python -m benchmarks.bench_batch --index /tmp/s100k --queries 1000 [--per month]
"""

from __future__ import annotations

import argparse
import random
import re
import time

from newsindex import NewsIndex

_ALPHA = re.compile(r"[A-Za-z]{5,}")


def queries(index: NewsIndex, n: int, seed: int = 1) -> list[str]:
    """``n`` queries: quoted entity names from the index's facets, then title words."""
    rng = random.Random(seed)
    facets = index.facets("*", ("people", "places", "organisations"), top=200)
    names = [f'"{c.value}"' for facet in facets.values() for c in facet.counts]
    ids = index.ids()
    titles = [index.get(i).title for i in rng.sample(ids, min(len(ids), 2000))]
    words = sorted({w.lower() for t in titles for w in _ALPHA.findall(t)})
    chosen = rng.sample(names, min(len(names), n // 2))
    chosen += rng.sample(words, n - len(chosen))
    rng.shuffle(chosen)
    return chosen


def main() -> int:
    """Time one batch of ``--queries`` queries and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--per", default=None, choices=["day", "week", "month", "year"])
    args = parser.parse_args()
    with NewsIndex.open(args.index) as index:
        lines = queries(index, args.queries)
        index.batch(lines[:1])  # warm the searcher
        started = time.perf_counter()
        report = index.batch(lines, per=args.per)
        elapsed = time.perf_counter() - started
        hits = sum(item.total for item in report.items)
        print(
            f"{len(index):,} articles on {index.engine}: {len(lines):,} queries "
            f"(per={args.per}) in {elapsed:.1f} s, {1000 * elapsed / len(lines):.1f} ms each; "
            f"{sum(1 for i in report.items if i.total):,} matched, {hits:,} hits in all, "
            f"{len(report.failed)} failed"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
