"""Query and facet latency of newsindex on an existing index, per query kind.

Uses the project benchmark's query mix (``bench_search.query_mix`` and
``filter_queries``) on one warm searcher: one warm-up pass, then the median of
``--passes`` passes per query; prints p50/p95 wall and thread-CPU ms per kind.
``--dump FILE`` instead writes every query's full answer (hits, scores,
snippets, totals, facets) as JSON lines, to compare two versions of the code.

    .venv/bin/python -m benchmarks.bench_queries --index /tmp/h100k \\
        --corpus benchmarks/out/synthetic-100000-s1.jsonl
    .venv/bin/python -m benchmarks.bench_queries --index ... --corpus ... --dump before.jsonl
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
from pathlib import Path
from typing import Any

from benchmarks.bench_search import Query, filter_queries, query_mix, time_queries
from benchmarks.peers import NewsIndexPeer

FACETS = ("people", "places", "organisations", "themes", "source", "date")


def queries_for(peer: NewsIndexPeer, corpus: Path) -> list[Query]:
    """The benchmark's query mix plus its term + entity filter queries."""
    queries = query_mix(corpus)
    return queries + filter_queries(peer, queries)


def facet_words(queries: list[Query], count: int = 50) -> list[Query]:
    """Facet queries: the mix's single terms."""
    return [("facets", args) for kind, args in queries if kind == "term"][:count]


def run_facets(peer: NewsIndexPeer, args: tuple[str, ...]) -> Any:
    """Facet counts of every facet field over the hits of ``args[0]``."""
    return peer.ix.facets(args[0], by=FACETS, top=20)


def extra_searches(queries: list[Query]) -> list[tuple[str, dict[str, Any]]]:
    """Searches beyond the mix that the comparison also covers: sorting, pages,
    date-only queries, no folding, open date ranges."""
    from newsindex import SearchOptions
    from newsindex.index import make_filters

    terms = [args[0] for kind, args in queries if kind == "term"][:15]
    dated = [args for kind, args in queries if kind == "date"][:15]
    found: list[tuple[str, dict[str, Any]]] = []
    for term in terms:
        found.append((term, {"options": SearchOptions(sort="newest", limit=10)}))
        found.append((term, {"options": SearchOptions(sort="oldest", limit=10, page=2)}))
        found.append((term, {"options": SearchOptions(fold_duplicates=False, limit=20)}))
        found.append((term, {"options": SearchOptions(page=3)}))
    for _, since, until in dated:
        filters = make_filters(since=since[:10], until=until[:10])
        found.append(("*", {"options": SearchOptions(filters=filters)}))
        found.append(("*", {"options": SearchOptions(filters=filters, sort="newest")}))
        only_since = make_filters(since=since[:10])
        found.append(("*", {"options": SearchOptions(filters=only_since, sort="oldest")}))
        only_until = make_filters(until=until[:10])
        found.append((dated[0][0], {"options": SearchOptions(filters=only_until)}))
    found.append(("*", {}))
    found.append(("*", {"options": SearchOptions(sort="newest")}))
    found.append(("zzqqxx", {}))
    return found


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "elapsed_ms"}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def dump(peer: NewsIndexPeer, corpus: Path, out: Path) -> None:
    """Write every answer of the mix, the extra searches and the facets as JSON lines."""
    from newsindex import Filters

    queries = queries_for(peer, corpus)
    with out.open("w", encoding="utf-8") as handle:

        def write(label: Any, answer: Any) -> None:
            handle.write(json.dumps({"q": _plain(label), "a": _plain(answer)}) + "\n")

        for kind, args in queries:
            write([kind, args], _search(peer, kind, args))
        for text, kwargs in extra_searches(queries):
            write([text, repr(kwargs)], peer.ix.search(text, **kwargs))
        for kind, args in facet_words(queries):
            write([kind, args], run_facets(peer, args))
        for _, args in [q for q in queries if q[0] == "date"][:10]:
            filters = Filters(since=dt.date.fromisoformat(args[1][:10]))
            write(["facets-dated", args], peer.ix.facets(args[0], by=FACETS, filters=filters))
            write(["facets-*-dated", args], peer.ix.facets("*", by=FACETS, filters=filters))
        write(["facets-*"], peer.ix.facets("*", by=FACETS, top=20, interval="day"))
        write(["stats"], peer.ix.stats())


def _search(peer: NewsIndexPeer, kind: str, args: tuple[str, ...]) -> Any:
    """The full results of one mix query, run the way the benchmark's adapter runs it."""
    from newsindex import SearchOptions
    from newsindex.index import make_filters

    if kind == "term":
        return peer.ix.search(args[0])
    if kind == "and":
        return peer.ix.search(f"{args[0]} {args[1]}", options=SearchOptions(default_operator="and"))
    if kind == "phrase":
        return peer.ix.search(f'"{args[0]} {args[1]}"')
    if kind == "date":
        until = dt.date.fromisoformat(args[2][:10]) - dt.timedelta(days=1)
        options = SearchOptions(filters=make_filters(since=args[1][:10], until=until))
        return peer.ix.search(args[0], options=options)
    if kind == "filter":
        return peer.ix.search(
            args[0], options=SearchOptions(filters=make_filters(**{args[1]: (args[2],)}))
        )
    raise ValueError(kind)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write every answer as JSON lines instead")
    parser.add_argument("--profile", choices=("search", "facets"), help="profile one pass")
    args = parser.parse_args()
    peer = NewsIndexPeer(args.index)
    if args.dump:
        dump(peer, args.corpus, args.dump)
        return
    queries = queries_for(peer, args.corpus)
    if args.profile:
        work = queries if args.profile == "search" else facet_words(queries)
        for kind, qargs in work:  # warm
            run_facets(peer, qargs) if kind == "facets" else peer.search(kind, qargs)
        profiler = cProfile.Profile()
        profiler.enable()
        for kind, qargs in work:
            run_facets(peer, qargs) if kind == "facets" else peer.search(kind, qargs)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    rows = time_queries(peer.search, queries, args.passes)
    rows["facets"] = time_queries(
        lambda _kind, qargs: run_facets(peer, qargs), facet_words(queries), args.passes
    )["facets"]
    print(f"{'kind':8} {'n':>4} {'p50':>8} {'p95':>8} {'cpu p50':>8} {'cpu p95':>8}")
    for kind, row in rows.items():
        print(
            f"{kind:8} {row['n']:>4} {row['p50']:>8.1f} {row['p95']:>8.1f}"
            f" {row['cpu_p50']:>8.1f} {row['cpu_p95']:>8.1f}"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
