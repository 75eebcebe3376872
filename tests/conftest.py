"""Shared fixtures: the seed index and a CLI runner (the shared corpora: tests/corpora.py)."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from newsindex import NewsIndex

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_ID = "seeds/000_d6057e4f5df2a50a.txt"

# Fixtures of the OpenSearch test cluster: opensearch_url, opensearch_nodes.
pytest_plugins = ["tests.opensearch_support"]

settings.register_profile("newsindex", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("newsindex")


@pytest.fixture
def runner() -> CliRunner:
    """A Click runner; stdout and stderr are kept apart."""
    return CliRunner()


ENGINES = ("whoosh", "tantivy", "opensearch")
"""Every engine the shared suite of public behaviour runs on."""
SESSION = f"ni-test-{os.getpid()}"
"""Prefix of the OpenSearch indexes this test session creates."""
KEPT = "kept-"
"""Folders under a folder named ``kept-…`` hold indexes shared by several tests
(:func:`shared_folder`): on the cluster they stay until the session ends."""
_DELETE_EVERY = 24
"""Indexes of finished tests are deleted this many at a time (one cluster-state update)."""
_finished: list[str] = []


def _delete_indexes(url: str, pattern: str) -> None:
    request = urllib.request.Request(f"{url}/{pattern}?expand_wildcards=all", method="DELETE")
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=60).close()


def _delete_later(url: str, names: set[str]) -> None:
    """Queue the indexes of a finished test; delete the queue once it is long enough."""
    _finished.extend(f"{name}*" for name in sorted(names))
    if len(_finished) >= _DELETE_EVERY:
        _delete_indexes(url, ",".join(_finished))
        _finished.clear()


def _on_opensearch(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path], str]:
    """Make every index folder a test names an index on the test cluster (one per folder).

    Returns the mapping, for tests that hand an index to another process (as a user
    would, by URL).  New test indexes have 1 shard and no replica, as a user sets with
    ``NEWSINDEX_OPENSEARCH_REPLICAS=0``: the 3-node cluster need not copy each one.
    """
    import newsindex.index

    url: str = request.getfixturevalue("opensearch_url")
    real = newsindex.index.index_location
    created: set[str] = set()

    def cluster_url(folder: Path) -> str:
        digest = hashlib.sha1(str(folder.absolute()).encode()).hexdigest()[:12]
        kept = any(part.startswith(KEPT) for part in folder.absolute().parts)
        name = f"{SESSION}-{'k' if kept else 't'}-{digest}"
        if not kept:
            created.add(name)
        return f"{url}/{name}"

    def on_cluster(location: str | os.PathLike[str]) -> Path | str:
        found = real(location)
        return found if isinstance(found, str) else cluster_url(found)

    monkeypatch.setattr(newsindex.index, "index_location", on_cluster)
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_REPLICAS", "0")
    request.addfinalizer(lambda: _delete_later(url, created))
    return cluster_url


@pytest.fixture(scope="session", autouse=True)
def _opensearch_cleanup() -> Iterator[None]:
    """Delete every index the session left on the test cluster."""
    yield
    url = os.environ.get("NEWSINDEX_OPENSEARCH_URL", "").rstrip("/")
    if url:
        _delete_indexes(url, f"{SESSION}-*")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on each engine: new indexes (API and CLI) use it via NEWSINDEX_ENGINE.

    A module joins the shared suite with ``pytestmark = pytest.mark.usefixtures("engine")``.
    A test that holds for some engines only says which, and why, with
    ``@pytest.mark.engines("whoosh", reason=...)``.  On ``opensearch`` (the test
    cluster of ``NEWSINDEX_OPENSEARCH_URL``; skipped without it, failed under
    CI=true) every index folder the test names becomes an index on the cluster,
    one per folder, deleted after the test.
    """
    name: str = request.param
    marker = request.node.get_closest_marker("engines")
    if marker is not None and name not in marker.args:
        pytest.skip(f"not on {name}: {marker.kwargs['reason']}")
    if name == "tantivy" and importlib.util.find_spec("tantivy") is None:
        reason = 'the tantivy engine is not installed (pip install -e ".[test]")'
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    locate = _on_opensearch(request, monkeypatch) if name == "opensearch" else str
    request.node.stash[_LOCATE] = locate
    monkeypatch.setenv("NEWSINDEX_ENGINE", name)
    return name


_LOCATE = pytest.StashKey[Callable[[Path], str]]()


@pytest.fixture
def index_arg(request: pytest.FixtureRequest, engine: str) -> Callable[[Path], str]:
    """The ``--index`` a test gives another process for an index folder it names.

    The folder itself on a local engine; on ``opensearch`` the URL of the cluster index
    the folder stands for (another process cannot see this one's mapping).
    """
    return request.node.stash[_LOCATE]


def shared_folder(factory: pytest.TempPathFactory, name: str, engine: str) -> Path:
    """A new folder for an index that several tests share, one per engine.

    A module keeps such indexes in a module-scoped dict by engine, built by the first
    test that needs one: a module-scoped fixture cannot depend on the ``engine`` of
    the test, and would build every engine's index on the engine of the first test.
    """
    return factory.mktemp(f"{KEPT}{name}-{engine}")


@pytest.fixture(scope="session")
def _seed_indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {}


@pytest.fixture
def seed_index_path(
    request: pytest.FixtureRequest,
    _seed_indexes: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """An index of seeds/ with the default extractor, built once per session and engine."""
    name = request.getfixturevalue("engine") if "engine" in request.fixturenames else "whoosh"
    if name not in _seed_indexes:
        path = shared_folder(tmp_path_factory, "seed", name) / "index"
        with NewsIndex.create(path, engine=name) as index:
            index.build([SEEDS])
        _seed_indexes[name] = path
    return _seed_indexes[name]


@pytest.fixture
def seed_index(seed_index_path: Path) -> Iterator[NewsIndex]:
    """The seed index, opened for the test."""
    with NewsIndex.open(seed_index_path) as index:
        yield index


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
