"""The OpenSearch test cluster, as pytest fixtures.

``opensearch_url`` is the URL of a running cluster, from ``NEWSINDEX_OPENSEARCH_URL``;
``opensearch_nodes`` stops and starts single nodes of it through the control directory in
``NEWSINDEX_OPENSEARCH_CONTROL``. ``tests/opensearch/cluster.sh`` starts the cluster and
prints both variables (``cluster.sh env``); .ci/run does this before the tests.

Without the variables the OpenSearch tests skip, so a plain ``pytest`` passes on a machine
with no Java. Under ``CI=true`` they fail instead: CI must never pass by skipping them.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HOW_TO = "set NEWSINDEX_OPENSEARCH_URL, see docs/scale-out.md"


def in_ci() -> bool:
    """True when running under CI (``CI=true``), where a missing cluster is a failure."""
    return os.environ.get("CI", "").lower() in ("true", "1")


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI, because the cluster cannot be used."""
    message = f"OpenSearch tests: {reason}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: the OpenSearch tests must run)", pytrace=False)
    pytest.skip(message)


def get_json(url: str, timeout: float = 10.0) -> Any:
    """GET ``url`` and decode its JSON body (the stdlib, so no client is needed to check)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def cluster_health(base_url: str, **params: str) -> dict[str, Any]:
    """``GET /_cluster/health`` with ``params`` (e.g. ``wait_for_nodes="2"``) as a dict."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    health: dict[str, Any] = get_json(f"{base_url}/_cluster/health?{query}", timeout=90.0)
    return health


@pytest.fixture(scope="session")
def opensearch_url() -> str:
    """The URL of the test cluster, checked to answer; skips (fails under CI) otherwise."""
    url = os.environ.get("NEWSINDEX_OPENSEARCH_URL", "").rstrip("/")
    if not url:
        unavailable(f"no cluster: {HOW_TO}")
    try:
        get_json(f"{url}/_cluster/health", timeout=10.0)
    except (OSError, ValueError) as exc:
        unavailable(f"no cluster answers at {url} ({exc}); start one: {HOW_TO}")
    return url


class ClusterNodes:
    """Stops and starts single nodes of the test cluster through its control directory.

    The protocol (tests/opensearch/.../TestCluster.java): a file ``stop-node-K`` or
    ``start-node-K`` appears in the directory; the cluster deletes it, acts, and writes
    ``stop-node-K.done`` holding ``ok`` or ``error: reason``. ``state`` lists
    ``node-K up|down PORT`` for each node.
    """

    def __init__(self, control: Path) -> None:
        self.control = control
        self.stopped: set[int] = set()

    def state(self) -> dict[int, tuple[bool, int]]:
        """Node number -> (up, HTTP port), as the cluster last wrote it."""
        nodes: dict[int, tuple[bool, int]] = {}
        for line in (self.control / "state").read_text(encoding="utf-8").splitlines():
            name, status, port = line.split()
            nodes[int(name.removeprefix("node-"))] = (status == "up", int(port))
        return nodes

    def live_url(self) -> str:
        """The URL of a node that is up (node 1's port goes away while node 1 is down)."""
        for up, port in self.state().values():
            if up:
                return f"http://127.0.0.1:{port}"
        raise RuntimeError(f"no node of the test cluster is up (state in {self.control})")

    def command(self, verb: str, node: int, timeout: float = 180.0) -> None:
        """Send ``verb``-node-``node`` and wait for the cluster's answer; raise if not ok."""
        name = f"{verb}-node-{node}"
        done = self.control / f"{name}.done"
        done.unlink(missing_ok=True)
        pending = self.control / f".{name}.tmp"  # not a command until renamed
        pending.write_text("", encoding="utf-8")
        pending.rename(self.control / name)
        deadline = time.monotonic() + timeout
        while not done.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the test cluster did not answer {name} within {timeout:.0f}s")
            time.sleep(0.1)
        answer = done.read_text(encoding="utf-8").strip()
        done.unlink(missing_ok=True)
        if not answer.startswith("ok"):
            raise RuntimeError(f"test cluster: {name}: {answer}")

    def up_count(self) -> int:
        return sum(1 for up, _ in self.state().values() if up)

    def stop(self, node: int) -> None:
        """Stop ``node`` and wait until the cluster counts one node fewer."""
        self.command("stop", node)
        self.stopped.add(node)
        health = cluster_health(self.live_url(), wait_for_nodes=str(self.up_count()), timeout="60s")
        if health["timed_out"]:
            raise TimeoutError(f"the cluster still counts node {node} after 60s: {health}")

    def start(self, node: int) -> None:
        """Start ``node`` again (same data directory) and wait until it has joined."""
        self.command("start", node)
        self.stopped.discard(node)
        health = cluster_health(self.live_url(), wait_for_nodes=str(self.up_count()), timeout="60s")
        if health["timed_out"]:
            raise TimeoutError(f"node {node} did not join within 60s: {health}")

    def restore(self) -> None:
        """Start every node this helper stopped, then wait for all nodes and green."""
        for node in sorted(self.stopped):
            self.start(node)
        health = cluster_health(
            self.live_url(),
            wait_for_nodes=str(len(self.state())),
            wait_for_status="green",
            timeout="120s",
        )
        if health["timed_out"]:
            raise TimeoutError(f"the test cluster is not green again after 120s: {health}")


@pytest.fixture
def opensearch_nodes(opensearch_url: str) -> Iterator[ClusterNodes]:
    """Stop and start nodes of the test cluster; every stopped node is started again after."""
    control = os.environ.get("NEWSINDEX_OPENSEARCH_CONTROL", "")
    if not control or not (Path(control) / "state").is_file():
        unavailable(
            "stopping nodes needs the control directory of tests/opensearch/cluster.sh in "
            f"NEWSINDEX_OPENSEARCH_CONTROL (got {control!r}); see docs/scale-out.md"
        )
    nodes = ClusterNodes(Path(control))
    try:
        yield nodes
    finally:
        nodes.restore()


__all__ = [
    "ClusterNodes",
    "cluster_health",
    "in_ci",
    "opensearch_nodes",
    "opensearch_url",
    "unavailable",
]
