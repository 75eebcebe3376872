"""The OpenSearch test cluster itself: three nodes, the analyzers, and the fault machinery.

These prove what the OpenSearch engine's tests rely on: a green 3-node cluster on
127.0.0.1, the standard analyzers of analysis-common, and a node that can be stopped in the
middle of a test (a 3-shard, 1-replica index goes yellow and still answers) and started
again (green, nothing lost). They need the cluster of tests/opensearch/cluster.sh; see
tests/opensearch_support.py for when they skip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.opensearch_support import ClusterNodes, get_json

opensearch = pytest.importorskip("opensearchpy", reason="pip install -e '.[test]' brings it")
helpers = pytest.importorskip("opensearchpy.helpers")

DOCS = 300


@pytest.fixture
def client(opensearch_url: str) -> Iterator[Any]:
    """An opensearch-py client that knows all three nodes, so it survives one going away."""
    ports = range(9200, 9203)
    if not opensearch_url.endswith(":9200"):
        port = int(opensearch_url.rsplit(":", 1)[1])
        ports = range(port, port + 3)
    hosts = [{"host": "127.0.0.1", "port": port} for port in ports]
    with opensearch.OpenSearch(hosts=hosts, timeout=60, max_retries=3, retry_on_timeout=True) as c:
        yield c


@pytest.fixture
def sharded_index(client: Any) -> Iterator[str]:
    """A fresh index of 3 shards and 1 replica holding DOCS documents, green; deleted after."""
    name = f"test-cluster-{uuid.uuid4().hex[:8]}"
    client.indices.create(
        index=name,
        body={
            "settings": {"number_of_shards": 3, "number_of_replicas": 1},
            "mappings": {"properties": {"body": {"type": "text"}, "n": {"type": "integer"}}},
        },
    )
    actions = (
        {
            "_index": name,
            "_id": str(n),
            "body": f"article {n} about {'tariffs' if n % 3 else 'chips'}",
        }
        for n in range(DOCS)
    )
    indexed, errors = helpers.bulk(client, actions, refresh="wait_for")
    assert (indexed, errors) == (DOCS, [])
    health(client, name, wait_for_status="green", timeout="60s")
    try:
        yield name
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


def test_opensearch_cluster_has_three_green_nodes_on_loopback(client: Any) -> None:
    status = health(client, wait_for_status="green", timeout="30s")
    assert (status["status"], status["number_of_nodes"], status["timed_out"]) == ("green", 3, False)
    nodes = client.nodes.info(metric="http,transport")["nodes"].values()
    assert sorted(node["name"] for node in nodes) == ["Node 1", "Node 2", "Node 3"]
    for node in nodes:
        for bound in node["http"]["bound_address"] + node["transport"]["bound_address"]:
            assert bound.startswith("127.0.0.1:"), f"{node['name']} listens on {bound}"


def test_opensearch_cluster_has_the_standard_analyzers(client: Any) -> None:
    # porter_stem, asciifolding and stop come from the analysis-common module.
    result = client.indices.analyze(
        body={
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "stop", "porter_stem"],
            "text": "The Cafés are Running",
        }
    )
    assert [token["token"] for token in result["tokens"]] == ["cafe", "run"]


def test_opensearch_cluster_index_survives_a_node_stopping_and_restarting(
    client: Any, sharded_index: str, opensearch_nodes: ClusterNodes
) -> None:
    chips = {str(n) for n in range(DOCS) if n % 3 == 0}

    opensearch_nodes.stop(2)

    assert opensearch_nodes.state()[2][0] is False
    status = health(client, sharded_index)
    # Two of the six shard copies were on node 2: every shard still has a copy, so yellow,
    # and the lost replicas wait (index.unassigned.node_left.delayed_timeout, 1 min).
    assert (status["status"], status["number_of_nodes"]) == ("yellow", 2)
    assert client.count(index=sharded_index)["count"] == DOCS
    hits = client.search(
        index=sharded_index, body={"query": {"match": {"body": "chips"}}, "size": DOCS}
    )
    assert {hit["_id"] for hit in hits["hits"]["hits"]} == chips
    assert hits["_shards"]["failed"] == 0
    # A write during the outage is accepted.
    client.index(
        index=sharded_index, id="during-outage", body={"body": "chips again"}, refresh="wait_for"
    )

    opensearch_nodes.start(2)

    status = health(
        client, sharded_index, wait_for_status="green", wait_for_nodes="3", timeout="120s"
    )
    assert (status["status"], status["number_of_nodes"], status["timed_out"]) == ("green", 3, False)
    assert opensearch_nodes.state()[2][0] is True
    assert client.count(index=sharded_index)["count"] == DOCS + 1
    # Every copy agrees: ask the primaries, then the replicas.
    for preference in ("_primary", "_replica"):
        found = client.search(
            index=sharded_index,
            body={"query": {"match": {"body": "chips"}}, "size": DOCS + 1},
            params={"preference": preference},
        )
        assert {hit["_id"] for hit in found["hits"]["hits"]} == chips | {"during-outage"}


def test_opensearch_cluster_node_one_can_stop_while_the_others_answer(
    client: Any, sharded_index: str, opensearch_nodes: ClusterNodes
) -> None:
    # Node 1 serves the URL in NEWSINDEX_OPENSEARCH_URL; with it down, ports 9201-9202 answer.
    node_one = f"http://127.0.0.1:{opensearch_nodes.state()[1][1]}"

    opensearch_nodes.stop(1)

    with pytest.raises(OSError):  # connection refused: node 1's port is gone
        get_json(node_one, timeout=5.0)
    assert client.count(index=sharded_index)["count"] == DOCS

    opensearch_nodes.start(1)

    assert health(client, wait_for_status="green", timeout="120s")["number_of_nodes"] == 3


def test_opensearch_cluster_control_rejects_an_unknown_node(opensearch_nodes: ClusterNodes) -> None:
    with pytest.raises(RuntimeError, match=r"start-node-9: error: no node 9 \(nodes are 1-3\)"):
        opensearch_nodes.command("start", 9)


def health(client: Any, index: str | None = None, **params: str) -> dict[str, Any]:
    """Cluster health; ``params`` go to the server (its ``timeout`` is how long it waits)."""
    result: dict[str, Any] = client.cluster.health(index=index, params=params, request_timeout=180)
    return result
