"""facets_over_time: one facet pass per bucket (before) against one pass in all (after).

    .venv/bin/python -m benchmarks.bench_facets_over_time benchmarks/out/index-100k

"Before" is :func:`newsindex.engine.fallbacks.facets_per_bucket`, the loop
``facets_over_time`` ran until the engine answered ``facets_by_bucket``; both
answers are checked to be equal.  Times are the median of ``--repeat`` runs
after one warm-up run of each (the warm-up reads the facet values once).
The word queries need the query parser (``newsindex/query/parser.py``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from newsindex import Filters, NewsIndex
from newsindex.engine.fallbacks import facets_per_bucket

CASES = [
    ("*", ("people",), "month", Filters()),
    ("*", ("people",), "week", Filters()),
    ("*", ("people", "places", "themes"), "month", Filters()),
    ("*", ("people",), "month", Filters(places=("United States",))),
    ("*", ("people",), "day", Filters(since="2024-01", until="2024-12")),
    ("oil", ("people",), "month", Filters()),
    ("oil", ("people",), "week", Filters()),
    ("bank AND rates", ("people", "places"), "month", Filters()),
]


def _median_ms(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = function()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with NewsIndex.open(args.index) as index:
        engine = index._engine
        print(f"{len(index):,} articles in {args.index}")
        print("| query | by | interval | filters | buckets | before ms | after ms | speed-up |")
        print("|---|---|---|---|---:|---:|---:|---:|")
        for text, by, interval, filters in CASES:
            request = (index._parse(text, "or"), filters, by)
            before = partial(facets_per_bucket, engine, *request, top=10, interval=interval)
            after = partial(engine.facets_by_bucket, *request, top=10, interval=interval)
            old_ms, old = _median_ms(before, args.repeat)
            new_ms, new = _median_ms(after, args.repeat)
            assert old == new, f"answers differ for {text!r} {by} {interval} {filters}"
            shown = ", ".join(
                f"{k}={v.isoformat() if hasattr(v, 'isoformat') else ','.join(v)}"
                for k, v in vars(filters).items()
                if v
            )
            print(
                f"| `{text}` | {', '.join(by)} | {interval} | {shown or '-'} | {len(new)} "
                f"| {old_ms:,.0f} | {new_ms:,.0f} | {old_ms / max(new_ms, 0.001):.1f}x |"
            )


if __name__ == "__main__":
    main()
