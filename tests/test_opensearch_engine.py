"""What only the OpenSearch engine does: URLs and credentials, owned mappings, the alias
swap of a rebuild, bulk retries, and a node stopped in the middle of a bulk build.

Every test runs on the real test cluster (``tests/opensearch/cluster.sh``); without
``NEWSINDEX_OPENSEARCH_URL`` they skip, and under CI=true they fail.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import NewsIndex
from newsindex.cli import main
from newsindex.errors import NewsIndexError, StoreError
from newsindex.options import BuildOptions
from tests.conftest import SEEDS, SESSION
from tests.opensearch_support import ClusterNodes, get_json

pytest.importorskip("opensearchpy")

from newsindex.engine.opensearch import store as os_store  # noqa: E402
from newsindex.engine.opensearch.connection import parse_location, redact  # noqa: E402


def _request(url: str, method: str, body: object | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


@pytest.fixture
def index_url(opensearch_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh index name on the cluster, deleted (with what newsindex made of it) after."""
    name = f"{SESSION}-e-{request.node.name.lower().replace('_', '-')[:40]}"
    yield f"{opensearch_url}/{name}"
    request = urllib.request.Request(
        f"{opensearch_url}/{name}*?expand_wildcards=all", method="DELETE"
    )
    try:
        urllib.request.urlopen(request, timeout=60).close()
    except OSError:
        pass


def _articles(folder: Path, count: int) -> Path:
    """``count`` small JSON-lines articles in one file under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(
            {
                "id": f"a{n:05d}",
                "title": f"Article {n} on trade talks",
                "body": f"Ministers met in Delhi on day {n} to discuss tariffs and shipping. "
                + "Words of filler for the analyzer to chew on. " * 20,
                "date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
            }
        )
        for n in range(count)
    ]
    path = folder / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_opensearch_url_credentials_never_shown() -> None:
    where = parse_location("http://alice:s3cret@127.0.0.1:1/news")
    assert where.password == "s3cret"
    assert "s3cret" not in where.shown and "s3cret" not in repr(where)
    assert redact("failed at http://alice:s3cret@host/x (s3cret)", where) == (
        "failed at http://***@host/x (***)"
    )


def test_opensearch_refused_connection_is_one_line_without_credentials(
    runner: CliRunner,
) -> None:
    url = "http://alice:s3cret@127.0.0.1:9/news"  # nothing listens on port 9
    result = runner.invoke(main, ["search", "tariffs", "--index", url])
    assert result.exit_code == 3  # EXIT_ERROR
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: the OpenSearch cluster at http://127.0.0.1:9 ")
    assert "s3cret" not in result.stderr and "alice" not in result.stderr


def test_opensearch_wrong_url_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "x", "--index", "http://127.0.0.1:9200/"])
    assert result.exit_code == 3  # EXIT_ERROR
    assert result.stderr.startswith("Error: http://127.0.0.1:9200/ is not an OpenSearch index URL")
    bad = runner.invoke(main, ["search", "x", "--index", "http://127.0.0.1:9200/Bad_Name"])
    assert bad.exit_code == 3 and "is not an OpenSearch index name" in bad.stderr


def test_opensearch_credentials_env_used_and_not_shown(
    index_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test cluster has no security plugin, so any credentials pass: we check they are
    read from the environment and never shown (wrong credentials need a secured cluster)."""
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_USER", "bob")
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_PASSWORD", "hunter2")
    where = parse_location(index_url)
    assert (where.user, where.password) == ("bob", "hunter2")
    with pytest.raises(NewsIndexError) as caught:
        NewsIndex.open(index_url)
    assert "hunter2" not in str(caught.value)


def test_opensearch_missing_index_and_mapping_conflict(
    index_url: str, runner: CliRunner, tmp_path: Path
) -> None:
    missing = runner.invoke(main, ["search", "x", "--index", index_url])
    assert missing.exit_code == 3
    assert missing.stderr == f"Error: no index at {index_url}; run `newsindex build` first\n"
    _request(index_url, "PUT", {"mappings": {"properties": {"title": {"type": "keyword"}}}})
    before = _request(f"{index_url}/_mapping", "GET")
    result = runner.invoke(main, ["build", str(_articles(tmp_path, 3)), "--index", index_url])
    assert result.exit_code == 3  # EXIT_ERROR
    assert "was not created by newsindex (its mappings differ)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert _request(f"{index_url}/_mapping", "GET") == before  # nothing written


def test_opensearch_layout_defaults_come_from_the_environment(
    index_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_SHARDS", "2")
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_REPLICAS", "0")
    with NewsIndex.create(index_url) as index:
        physical = index._engine.store.physical  # type: ignore[attr-defined]
    settings = get_json(f"{index_url}/_settings")[physical]["settings"]["index"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("2", "0")
    assert settings["refresh_interval"] == "-1"  # newsindex refreshes at each commit
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_REPLICAS", "some")
    with pytest.raises(NewsIndexError, match="NEWSINDEX_OPENSEARCH_REPLICAS='some' is not"):
        NewsIndex.create(index_url.replace("-e-", "-e2-"))


def test_opensearch_doctor_checks_the_cluster_and_the_index(
    index_url: str, runner: CliRunner, tmp_path: Path
) -> None:
    missing = runner.invoke(main, ["doctor", "--no-env", "--json", "--index", index_url])
    assert missing.exit_code == 3
    checks = {c["name"]: c for c in json.loads(missing.stdout)["checks"]}
    assert checks["cluster"]["status"] == "ok" and checks["index"]["status"] == "fail"
    assert checks["index"]["detail"] == (
        f"no index at {index_url}; build one first (NewsIndex.create, then build)"
    )
    built = runner.invoke(main, ["build", str(_articles(tmp_path, 4)), "--index", index_url])
    assert built.exit_code == 0, built.stderr
    result = runner.invoke(main, ["doctor", "--no-env", "--json", "--index", index_url])
    assert result.exit_code == 0, result.stdout
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert list(checks) == ["engine", "cluster", "index", "articles", "file table", "write lock"]
    assert checks["articles"]["detail"] == "4 articles"
    assert checks["file table"]["detail"].startswith("1 input file in ")
    assert all(c["status"] in ("ok", "warn") for c in checks.values())  # yellow is a warning


def test_opensearch_doctor_unreachable_cluster_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["doctor", "--no-env", "--index", "http://u:pw@127.0.0.1:9/x"])
    assert result.exit_code == 3
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert failed == [
        "FAIL  cluster  the OpenSearch cluster at http://127.0.0.1:9 is unavailable (no "
        "connection); check the URL, or try again when the cluster is up"
    ]
    assert "pw" not in result.output and "Traceback" not in result.output


def test_opensearch_shards_option_only_for_urls(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["build", str(SEEDS), "--index", str(tmp_path / "ix"), "--shards", "3"]
    )
    assert result.exit_code == 2
    assert "--shards and --replicas apply only to an OpenSearch index URL" in result.stderr


def test_opensearch_rebuild_swaps_the_alias(index_url: str, tmp_path: Path) -> None:
    source = _articles(tmp_path / "in", 20)
    with NewsIndex.create(index_url, shards=2, replicas=0) as index:
        index.build([source])
    first = get_json(f"{index_url}/_alias")
    with NewsIndex.open(index_url) as index:
        report = index.build([source], BuildOptions(rebuild=True))
        assert report.added == 20
        assert len(index) == 20
        assert index.ids() == sorted(f"a{n:05d}" for n in range(20))
    second = get_json(f"{index_url}/_alias")
    assert list(first) != list(second) and len(second) == 1
    physical = next(iter(second))
    assert (
        get_json(f"{index_url.rsplit('/', 1)[0]}/{physical}/_settings")[physical]["settings"][
            "index"
        ]["number_of_shards"]
        == "2"
    )
    old = next(iter(first))
    with pytest.raises(OSError):
        get_json(f"{index_url.rsplit('/', 1)[0]}/{old}")  # deleted after the swap


def test_opensearch_second_writer_is_locked_out(index_url: str, tmp_path: Path) -> None:
    with NewsIndex.create(index_url, replicas=0) as index:
        index.build([_articles(tmp_path / "in", 2)])
    with NewsIndex.open(index_url) as first, NewsIndex.open(index_url) as second:
        with first._engine.write_lock():
            with pytest.raises(StoreError, match="being written by another process"):
                second.build([tmp_path / "in"])
        second.remove(["a00000"])
        assert len(second) == 1


def test_opensearch_bulk_retries_refused_items(
    index_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk answer refusing items with 429 is retried for those items only."""
    with NewsIndex.create(index_url, replicas=0) as index:
        real = os_store.OpenSearchStore.bulk
        calls: list[int] = []

        def flaky(self: os_store.OpenSearchStore, lines: list[bytes], **kw: object) -> None:
            client = self.client
            original = client.bulk

            def answer(**params: object) -> dict[str, object]:
                result = original(**params)
                if not calls and kw.get("index") is None:
                    result["errors"] = True
                    result["items"][0] = {"index": {"status": 429, "_id": "x"}}
                calls.append(1)
                return dict(result)

            monkeypatch.setattr(client, "bulk", answer)
            try:
                real(self, lines, **kw)  # type: ignore[arg-type]
            finally:
                monkeypatch.setattr(client, "bulk", original)

        monkeypatch.setattr(os_store.OpenSearchStore, "bulk", flaky)
        index.build([_articles(tmp_path / "in", 30)])
        assert len(index) == 30
    assert len(calls) >= 2


def test_opensearch_node_stopped_during_bulk_build(
    index_url: str, tmp_path: Path, opensearch_nodes: ClusterNodes
) -> None:
    """3 shards and 1 replica; node 3 stops in the middle of the build. The build completes
    and every article is there exactly once; a search during the outage answers."""
    count = 6000
    source = _articles(tmp_path / "in", count)
    monkey = pytest.MonkeyPatch()
    monkey.setattr(os_store, "BULK_BYTES", 200_000)  # many small requests: the stop lands mid-build
    stopped = threading.Event()
    outage: dict[str, object] = {}

    def stop_node() -> None:
        time.sleep(3)
        opensearch_nodes.stop(3)
        stopped.set()
        try:
            with NewsIndex.open(index_url) as reader:
                outage["total"] = reader.search("tariffs").total
        except NewsIndexError as exc:
            outage["error"] = str(exc)

    started = time.monotonic()
    try:
        with NewsIndex.create(index_url, shards=3, replicas=1) as index:
            stopper = threading.Thread(target=stop_node)
            stopper.start()
            report = index.build([source], BuildOptions(batch_size=1000))
            stopper.join()
            assert stopped.is_set()
            assert report.added == count
    finally:
        monkey.undo()
    elapsed = time.monotonic() - started
    with NewsIndex.open(index_url) as index:
        assert len(index) == count
        assert index.ids() == sorted(f"a{n:05d}" for n in range(count))
    if "error" in outage:
        assert "\n" not in str(outage["error"])
    else:
        assert isinstance(outage["total"], int)
    print(f"fault test: {count} articles, node 3 stopped mid-build, {elapsed:.1f}s, {outage}")
    assert os.environ.get("NEWSINDEX_OPENSEARCH_URL")
