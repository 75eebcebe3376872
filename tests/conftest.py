"""Shared fixtures: the seed index, a CLI runner, and where the shared corpora live."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from newsindex import NewsIndex

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_ID = "seeds/000_d6057e4f5df2a50a.txt"
SHARED_CORPORA = Path(os.environ.get("NEWSINDEX_CORPORA") or REPO.parent / "shared" / "corpora")

settings.register_profile("newsindex", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("newsindex")


def corpus(name: str) -> Path:
    """The shared corpus folder ``name``; skip the test when it is absent (fail under CI=true)."""
    path = SHARED_CORPORA / name
    if not path.exists():
        reason = f"shared corpus {name!r} not found at {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide it")
        pytest.skip(reason)
    return path


@pytest.fixture
def runner() -> CliRunner:
    """A Click runner; stdout and stderr are kept apart."""
    return CliRunner()


@pytest.fixture(scope="session")
def seed_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of seeds/ built once per test session with the default extractor."""
    path = tmp_path_factory.mktemp("seed") / "index"
    with NewsIndex.create(path) as index:
        index.build([SEEDS])
    return path


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
