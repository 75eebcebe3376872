"""Tantivy facets: one pass with segment_size "all" (before) against the cheap first pass (after).

    .venv/bin/python -m benchmarks.bench_tantivy_facets INDEX CORPUS --rounds 2

INDEX is an existing newsindex-on-Tantivy index, opened only to read; CORPUS the
JSON Lines it was built from, whose first articles give the 50 term queries of
``bench_search`` (``query_mix``).  Each round times ``facets(word, by=(people,
places, themes), top=20)`` as ``bench_search`` does (a warm-up pass, then the
median of three), first with the first pass off, then on, and checks that both
give the same facets.  Figures are per-query CPU ms, p50 / p95.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from benchmarks.bench_search import FACET_FIELDS, query_mix, time_queries
from newsindex import NewsIndex
from newsindex.engine.tantivy import terms

MODES = {"before (segment_size all)": 10**12, "after (first pass)": terms.FIRST_PASS_HITS}


def _facets(index: NewsIndex, words: list[str], hits: int) -> list[Any]:
    terms.FIRST_PASS_HITS = hits
    return [index.facets(word, by=FACET_FIELDS, top=20) for word in words]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    mix = query_mix(args.corpus)
    words = [query for kind, query in mix if kind == "term"][: args.queries]
    with NewsIndex.open(args.index) as index:
        print(f"{len(index):,} articles, load {os.getloadavg()[0]:.1f}")
        answers = [_facets(index, [w[0] for w in words], hits) for hits in MODES.values()]
        assert answers[0] == answers[1], "the first pass changed a facet"
        print("| round | mode | CPU p50 / p95 ms | wall p50 / p95 ms |")
        print("|---|---|---|---|")
        for round_ in range(1, args.rounds + 1):
            for mode, hits in MODES.items():
                terms.FIRST_PASS_HITS = hits
                timed = time_queries(
                    lambda _kind, a: index.facets(a[0], by=FACET_FIELDS, top=20),
                    [("facets", w) for w in words],
                )["facets"]
                print(
                    f"| {round_} | {mode} | {timed['cpu_p50']:.2f} / {timed['cpu_p95']:.2f} "
                    f"| {timed['p50']:.2f} / {timed['p95']:.2f} |",
                    flush=True,
                )
        print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
