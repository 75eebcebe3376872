"""``newsindex doctor`` for an index on a cluster: the cluster, the index, its articles,
its file table and its write lock, each one check with the fix.

An unreachable cluster is one failed check, in one line, and nothing else is tried.
"""

from __future__ import annotations

from typing import Any

from newsindex.engine.opensearch.connection import Location, parse_location, with_retries
from newsindex.engine.opensearch.search import OpenSearchSearcher
from newsindex.engine.opensearch.store import READ_DELAYS, OpenSearchStore
from newsindex.engine.protocol import FAIL, OK, REBUILD, WARN, HealthCheck
from newsindex.errors import IndexNotFoundError, NewsIndexError

__all__ = ["health"]

BUILD = "newsindex build PATHS --index URL"


def health(url: str) -> list[HealthCheck]:
    """Every check of the index at ``url``, stopping at the first that makes the rest moot."""
    try:
        where = parse_location(url)
    except NewsIndexError as exc:
        return [HealthCheck("index", FAIL, str(exc), "pass --index http[s]://HOST:PORT/NAME")]
    cluster = _cluster(where)
    if not cluster.ok:
        return [cluster]
    try:
        store = OpenSearchStore.open(where)
    except IndexNotFoundError as exc:
        return [cluster, HealthCheck("index", FAIL, str(exc), BUILD)]
    except NewsIndexError as exc:
        return [cluster, HealthCheck("index", FAIL, str(exc), REBUILD)]
    try:
        return [cluster, _index(store), *_contents(store)]
    except NewsIndexError as exc:  # the cluster went away in the middle
        return [cluster, HealthCheck("index", FAIL, str(exc), "try again when the cluster is up")]
    finally:
        store.client.close()


def _cluster(where: Location) -> HealthCheck:
    client = where.client()
    try:
        found: dict[str, Any] = with_retries(
            where, lambda: client.cluster.health(), delays=READ_DELAYS
        )
    except NewsIndexError as exc:
        return HealthCheck("cluster", FAIL, str(exc), "start the cluster, or check the URL")
    finally:
        client.close()
    status, nodes = str(found.get("status")), int(found.get("number_of_nodes", 0))
    detail = f"{where.base}: {status}, {nodes} node{'' if nodes == 1 else 's'}"
    if status == "green":
        return HealthCheck("cluster", OK, detail)
    if status == "yellow":
        return HealthCheck(
            "cluster",
            WARN,
            f"{detail}; some replicas are not assigned, searches still answer in full",
            "bring the missing nodes back",
        )
    return HealthCheck(
        "cluster", FAIL, f"{detail}; some primary shards are missing", "bring the nodes back"
    )


def _index(store: OpenSearchStore) -> HealthCheck:
    manifest = store.manifest
    built = manifest.get("built") or manifest.get("created") or "unknown"
    layout = (
        f"{_count(manifest.get('shards'), 'shard')}, {_count(manifest.get('replicas'), 'replica')}"
    )
    return HealthCheck(
        "index", OK, f"{store.where.name} -> {store.physical} ({layout}), built {built}"
    )


def _contents(store: OpenSearchStore) -> list[HealthCheck]:
    count = OpenSearchSearcher(store).count()
    recorded = store.manifest.get("articles")
    if recorded is not None and int(recorded) != count:
        articles = HealthCheck(
            "articles",
            WARN,
            f"{count:,} articles, but the last commit recorded {int(recorded):,} "
            "(a build died before its commit)",
            "run the build again: it resends what it had not recorded",
        )
    elif count == 0:
        articles = HealthCheck("articles", WARN, "the index is empty", BUILD)
    else:
        articles = HealthCheck("articles", OK, _count(count, "article"))
    files = _count(len(store.indexed_files()), "input file")
    table = HealthCheck("file table", OK, f"{files} in {store.files}")
    if store.held_elsewhere():
        lock = HealthCheck(
            "write lock",
            WARN,
            "held: another process is writing the index now",
            "wait for it, or pass --wait SECONDS to build",
        )
    else:
        lock = HealthCheck("write lock", OK, "free")
    return [articles, table, lock]


def _count(number: object, noun: str) -> str:
    if not isinstance(number, int):
        return f"? {noun}s"
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
