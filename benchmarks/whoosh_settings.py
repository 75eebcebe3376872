"""Which Whoosh writer settings and date field suit newsindex: one factor at a time.

Starting from bare Whoosh with default settings (``benchmarks.peers.WhooshPeer``),
each variant changes one thing: writer memory (``limitmb``), parallel writing
(``procs=2, multisegment``), committing in batches, ``NO_MERGE`` batches plus
one final optimize, and the date field (``DATETIME`` at second resolution, at
day resolution, or a 32-bit ``NUMERIC`` holding YYYYMMDD).  Each variant builds
in its own subprocess; the table gives build rate, peak RSS, index size,
segment count and query p50/p95 per kind (CPU time per query, which other
work on a shared machine disturbs less than wall time).  Date-range queries are timed three
ways: ``AND`` with the range, ``filter=`` with the range query, and ``filter=``
with a cached bitset (the repeat-range cost).

    .venv/bin/python -m benchmarks.whoosh_settings --n 100000
    .venv/bin/python -m benchmarks.whoosh_settings --n 25000 --jobs 2   # busy machine
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks import bench_search, synth
from benchmarks.peers import WhooshPeer, parse_date

VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "limitmb=256": {"writer": {"limitmb": 256}},
    "procs=2 + multisegment": {"writer": {"procs": 2, "multisegment": True}},
    "commit every 10k": {"batch": 10_000},
    "commit every 25k": {"batch": 25_000},
    "NO_MERGE per 10k + optimize": {"batch": 10_000, "no_merge": True, "optimize": True},
    "date DATETIME, day resolution": {"date": "day"},
    "date NUMERIC 32-bit YYYYMMDD": {"date": "int"},
    "date NUMERIC YYYYMMDD, sortable": {"date": "int", "sortable": True},
    "body spelling=True": {"spelling": True},
    "StemmingAnalyzer": {"stem": True},
}


class TunedWhoosh(WhooshPeer):
    """Bare Whoosh with one writer setting or date representation changed."""

    def __init__(self, path: Path, variant: dict[str, Any]) -> None:
        self.variant = variant
        self._filters: dict[tuple[str, str], Any] = {}
        super().__init__(path)

    def text_field(self, name: str) -> Any:
        from whoosh import analysis, fields

        options: dict[str, Any] = {"stored": name == "title"}
        if self.variant.get("stem"):
            options["analyzer"] = analysis.StemmingAnalyzer()
        if self.variant.get("spelling") and name == "body":
            options["spelling"] = True
        return fields.TEXT(**options)

    def date_field(self) -> Any:
        from whoosh import fields

        if self.variant.get("date") == "int":
            sortable = bool(self.variant.get("sortable"))
            return fields.NUMERIC(int, 32, stored=True, signed=False, sortable=sortable)
        return fields.DATETIME(stored=True)

    def date_value(self, value: str) -> Any:
        moment = parse_date(value)
        if self.variant.get("date") == "int":
            return moment.year * 10_000 + moment.month * 100 + moment.day
        if self.variant.get("date") == "day":
            return moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return moment

    def date_query(self, since: str, until: str) -> Any:
        from whoosh import query as wq

        if self.variant.get("date") == "int":
            low, high = (int(parse_date(v).strftime("%Y%m%d")) for v in (since, until))
            return wq.NumericRange("date", low, high, endexcl=True)
        return super().date_query(since, until)

    def build(self, articles: Any) -> None:
        from whoosh import writing

        options = self.variant.get("writer", {})
        batch = self.variant.get("batch")
        merge = {"mergetype": writing.NO_MERGE} if self.variant.get("no_merge") else {}
        writer = self.ix.writer(**options)
        count = 0
        for a in articles:
            writer.add_document(
                id=a["id"], title=a["title"], body=a["body"], date=self.date_value(a["date"])
            )
            count += 1
            if batch and count % batch == 0:
                writer.commit(**merge)
                writer = self.ix.writer(**options)
        writer.commit(**merge)
        if self.variant.get("optimize"):
            self.ix.optimize()

    def search_filtered(self, args: tuple[str, ...], cached: bool, k: int = 10) -> list[str]:
        """Term + date range with the range as ``filter=``, optionally as a cached bitset."""
        span = self.date_query(args[1], args[2])
        if cached:
            key = (args[1], args[2])
            if key not in self._filters:
                self._filters[key] = self.searcher._filter_to_comb(span)
            span = self._filters[key]
        hits = self.searcher.search(self._and.parse(args[0]), limit=k, filter=span)
        return [hit["id"] for hit in hits]


def child(name: str, corpus: Path, folder: Path) -> dict[str, Any]:
    """Build one variant, then time the query mix on a warm searcher."""
    peer = TunedWhoosh(bench_search.fresh_dir(folder, "ix"), VARIANTS[name])
    start, start_cpu = time.perf_counter(), bench_search.cpu_seconds()
    peer.build(bench_search.iter_corpus(corpus))
    seconds, cpu = time.perf_counter() - start, bench_search.cpu_seconds() - start_cpu
    rss = bench_search.peak_rss_mb()
    queries = bench_search.query_mix(corpus)
    latency = bench_search.time_queries(peer.search, queries)
    dated = [args for kind, args in queries if kind == "date"]
    for mode, cached in (("date filter=", False), ("date cached", True)):
        timed = bench_search.time_queries(
            lambda _kind, args, c=cached: peer.search_filtered(args, c),
            [("date", args) for args in dated],
        )
        latency[mode] = timed["date"]
    result = {
        "variant": name,
        "docs": peer.ix.doc_count(),
        "seconds": seconds,
        "rate": peer.ix.doc_count() / seconds,
        "cpu_rate": peer.ix.doc_count() / cpu,
        "rss_mb": rss,
        "size_mb": bench_search.mb(peer.size_bytes()),
        "segments": len(peer.ix._segments()),
        "latency": latency,
    }
    peer.close()
    return result


def table(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table: CPU-time latencies, wall and CPU build rates."""
    kinds = ("term", "and", "phrase", "date", "date filter=", "date cached")
    head = ["variant", "docs/s wall", "docs per CPU-s", "peak RSS MB", "size MB", "segs"] + [
        f"{k} p50/p95" for k in kinds
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            r["variant"],
            f"{r['rate']:,.0f}",
            f"{r['cpu_rate']:,.0f}",
            f"{r['rss_mb']:.0f}",
            f"{r['size_mb']:.1f}",
            str(r["segments"]),
        ] + [f"{r['latency'][k]['cpu_p50']:.1f} / {r['latency'][k]['cpu_p95']:.1f}" for k in kinds]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every variant (or ``--only`` some) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic corpus size")
    parser.add_argument("--only", help="comma-separated variant names")
    parser.add_argument("--jobs", type=int, default=1, help="variants built at the same time")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, default=synth.OUT / "whoosh-settings")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.dir)))
        return 0
    corpus = synth.corpus_file(args.n)
    names = args.only.split(",") if args.only else list(VARIANTS)

    def run(name: str) -> dict[str, Any]:
        row = bench_search.run_child(
            "benchmarks.whoosh_settings",
            ["--child", name, "--corpus", str(corpus), "--dir", str(args.dir / name)],
        )
        row["rss_mb"] = max(row["rss_mb"], row["child_rss_mb"])
        print(json.dumps(row), file=sys.stderr, flush=True)
        return row

    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(run, names))
    print(f"bare Whoosh, {args.n:,} articles re-assembled from real sentences ({corpus.name});")
    print("latencies are p50 / p95 of per-query CPU time in ms\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
