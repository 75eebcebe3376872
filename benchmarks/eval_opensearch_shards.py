"""Ranking across shards: top-10 overlap with Whoosh, with and without dfs_query_then_fetch.

The same articles go into a Whoosh index and an OpenSearch index of ``--shards`` shards
(no replicas); each query's top 10 on OpenSearch is compared with Whoosh's, once with
``dfs_query_then_fetch`` (every shard scores with the whole index's term statistics,
newsindex's choice) and once with ``query_then_fetch`` (each shard its own).  Corpora: the
TIME collection (423 articles, its 83 queries) and the first 2,000 Reuters-21578 stories
(the ranked queries of tests/test_opensearch_parity.py); extractor ``none``, so only the
text ranks.

    NEWSINDEX_OPENSEARCH_URL=http://127.0.0.1:9200 \\
        .venv/bin/python -m benchmarks.eval_opensearch_shards
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from newsindex import BuildOptions, NewsIndex
from newsindex.documents import Article
from newsindex.options import SearchOptions
from newsindex.query import ParsedQuery
from newsindex.query.parser import parse


def time_corpus() -> tuple[list[Article], list[str]]:
    from benchmarks.corpora import time_ir

    docs = [Article(id=d.id, title="", body=d.text, date=d.date) for d in time_ir.load()]
    return docs, list(time_ir.queries().values())


def reuters_corpus() -> tuple[list[Article], list[str]]:
    from tests.test_opensearch_parity import RANKED, reuters_articles

    return reuters_articles(2_000), list(RANKED)


def top_ten(index: NewsIndex, query: str, search_type: str | None = None) -> list[str]:
    if search_type is None:
        return [hit.id for hit in index.search(query, limit=10)]
    from newsindex.engine.opensearch.search import OpenSearchSearcher

    searcher = OpenSearchSearcher(index._engine.store, search_type)  # type: ignore[attr-defined]
    parsed = ParsedQuery(query, parse(query, "or"), "or")
    return [hit.id for hit in searcher.search(parsed, SearchOptions(limit=10)).hits]


def measure(name: str, articles: list[Article], queries: list[str], base: str, shards: int):
    none = BuildOptions(extractor="none")
    url = f"{base}/ni-test-shards-{name}"
    with tempfile.TemporaryDirectory() as scratch:
        local = NewsIndex.create(Path(scratch) / "w", engine="whoosh", extractor="none")
        cluster = NewsIndex.create(url, extractor="none", shards=shards, replicas=0)
        try:
            local.add_articles(articles, none)
            cluster.add_articles(articles, none)
            result = {}
            for search_type in ("dfs_query_then_fetch", "query_then_fetch"):
                scores, seconds = [], []
                for query in queries:
                    expected = top_ten(local, query)
                    if not expected:
                        continue
                    started = time.perf_counter()
                    found = top_ten(cluster, query, search_type)
                    seconds.append(time.perf_counter() - started)
                    scores.append(len(set(expected) & set(found)) / len(expected))
                result[search_type] = {
                    "mean_overlap": statistics.mean(scores),
                    "min_overlap": min(scores),
                    "queries": len(scores),
                    "median_ms": statistics.median(seconds) * 1000,
                }
            return result
        finally:
            local.close()
            cluster.close()
            request = urllib.request.Request(f"{url}*?expand_wildcards=all", method="DELETE")
            urllib.request.urlopen(request, timeout=60).close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--url", default=os.environ.get("NEWSINDEX_OPENSEARCH_URL", ""))
    args = parser.parse_args()
    base = args.url.rstrip("/")
    results = {
        "time": measure("time", *time_corpus(), base, args.shards),
        "reuters": measure("reuters", *reuters_corpus(), base, args.shards),
        "shards": args.shards,
        "load": os.getloadavg(),
    }
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
