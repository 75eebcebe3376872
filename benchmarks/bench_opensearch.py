"""newsindex on OpenSearch: bulk rate against opensearch-py's ``helpers.bulk``, query latency,
and what the test cluster holds in memory.

The same pre-extracted records (each article prepared once, as a build prepares it, with
the ``none`` extractor) are indexed twice in the same run into two indexes with the same
mappings and layout: through newsindex's writer (byte-sized bulk requests with retries, the
write lock, a refresh and the manifest at the commit) and through ``helpers.bulk`` (its
defaults, then one refresh).  The rounds alternate, so load on a shared machine hits both.
Then the query mix of ``benchmarks.bench_search`` (p50/p95 over ~200 queries, one warm-up
pass) runs against the newsindex-built index.  The corpus is ``benchmarks.synth``'s
articles re-assembled from real sentences: repeated text flatters size and speed.

    NEWSINDEX_OPENSEARCH_URL=http://127.0.0.1:9200 \\
        .venv/bin/python -m benchmarks.bench_opensearch --n 100000 --rounds 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import synth
from benchmarks.bench_search import query_mix, time_queries
from benchmarks.peers import NewsIndexPeer

PREFIX = "ni-test-bench"
"""Index names start with ni-test- so the test cluster's users know they are scratch."""


def _http(url: str, method: str = "GET") -> Any:
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def records(corpus: Path, n: int) -> tuple[list[dict[str, Any]], float]:
    """The first ``n`` articles of ``corpus`` as the documents newsindex sends, and the seconds."""
    from newsindex.build import _prepare  # the build's own preparation, not a copy of it
    from newsindex.documents import Article
    from newsindex.extract import get_extractor

    extractor = get_extractor("none")
    started = time.perf_counter()
    prepared = []
    for number, raw in enumerate(synth.read_jsonl(corpus)):
        if number == n:
            break
        day = dt.date.fromisoformat(raw["date"][:10])
        article = Article(id=raw["id"], title=raw["title"], body=raw["body"], date=day)
        prepared.append(dict(_prepare(extractor, "opensearch", article).document))
    return prepared, time.perf_counter() - started


def _create(url: str, shards: int) -> Any:
    from newsindex import NewsIndex

    return NewsIndex.create(url, extractor="none", shards=shards, replicas=0)


def through_newsindex(url: str, docs: list[dict[str, Any]], shards: int) -> float:
    """Seconds for newsindex's writer to send ``docs`` and commit."""
    index = _create(url, shards)
    engine = index._engine  # the engine's writer: what a build drives
    started = time.perf_counter()
    with engine.writer() as writer:
        writer.lock()
        for doc in docs:
            writer.add(doc, path="", replace=False)
        writer.commit(built="bench")
    seconds = time.perf_counter() - started
    assert engine.count() == len(docs)
    index.close()
    return seconds


def through_helper(url: str, docs: list[dict[str, Any]], shards: int) -> float:
    """Seconds for ``opensearchpy.helpers.bulk`` to send the same ``docs``, then refresh."""
    from opensearchpy import OpenSearch, helpers

    index = _create(url, shards)
    physical = index._engine.store.physical
    client = OpenSearch(hosts=[url.rsplit("/", 1)[0]], timeout=120)
    actions = ({"_index": physical, "_id": d["id"], "_source": d} for d in docs)
    started = time.perf_counter()
    helpers.bulk(client, actions)
    client.indices.refresh(index=physical)
    seconds = time.perf_counter() - started
    assert client.count(index=physical)["count"] == len(docs)
    client.close()
    index.close()
    return seconds


def cluster_memory(base: str) -> dict[str, float]:
    """Heap in use (all nodes) and the resident memory of the test cluster's one JVM."""
    stats = _http(f"{base}/_nodes/stats/jvm")
    heap = sum(n["jvm"]["mem"]["heap_used_in_bytes"] for n in stats["nodes"].values())
    pid_file = Path(os.environ.get("NEWSINDEX_OPENSEARCH_WORK", "/tmp/newsindex-opensearch-9200"))
    rss = 0.0
    if (pid_file / "pid").exists():
        pid = (pid_file / "pid").read_text().strip()
        found = subprocess.run(["ps", "-o", "rss=", "-p", pid], capture_output=True, text=True)
        rss = float(found.stdout.strip() or 0) / 1024
    return {"heap_used_mb": heap / 2**20, "jvm_rss_mb": rss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--url", default=os.environ.get("NEWSINDEX_OPENSEARCH_URL", ""))
    args = parser.parse_args(argv)
    base = args.url.rstrip("/")
    if not base:
        parser.error("no cluster: set NEWSINDEX_OPENSEARCH_URL or pass --url")
    corpus = synth.corpus_file(args.n)
    docs, prepare_s = records(corpus, args.n)
    megabytes = sum(len(json.dumps(d)) for d in docs) / 2**20
    result: dict[str, Any] = {"n": len(docs), "mb": megabytes, "prepare_s": prepare_s}
    result["memory_before"] = cluster_memory(base)
    runs: dict[str, list[float]] = {"newsindex": [], "helper": []}
    last = ""
    for number in range(args.rounds):
        order: list[tuple[str, Callable[..., float]]] = [
            ("newsindex", through_newsindex),
            ("helper", through_helper),
        ]
        for name, run in order if number % 2 == 0 else order[::-1]:
            url = f"{base}/{PREFIX}-{name}-{number}"
            runs[name].append(run(url, docs, args.shards))
            if name == "newsindex" and number == args.rounds - 1:
                last = url
            else:
                _http(f"{url}*?expand_wildcards=all", "DELETE")
    for name, seconds in runs.items():
        result[name] = {"seconds": seconds, "docs_per_s": len(docs) / statistics.median(seconds)}
    result["ratio"] = result["newsindex"]["docs_per_s"] / result["helper"]["docs_per_s"]
    stats = _http(f"{last}/_stats/store,docs")["_all"]["primaries"]
    result["store_mb"] = stats["store"]["size_in_bytes"] / 2**20
    result["memory_after_build"] = cluster_memory(base)
    peer = NewsIndexPeer(last)  # type: ignore[arg-type]
    try:
        result["queries"] = time_queries(peer.search, query_mix(corpus), passes=1)
    finally:
        peer.ix.close()
        _http(f"{last}*?expand_wildcards=all", "DELETE")
    result["memory_after_queries"] = cluster_memory(base)
    result["load"] = os.getloadavg()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
