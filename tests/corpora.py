"""The one way tests find the shared corpora (``benchmarks.corpora.SHARED_CORPORA``).

A missing corpus skips the test, with the reason, for someone without the
corpora; with ``CI=true`` it fails the run, so a quality gate cannot pass by
skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.corpora import SHARED_CORPORA

__all__ = ["corpus", "require"]


def corpus(*parts: str) -> Path:
    """``SHARED_CORPORA/<parts>``; skip (fail under ``CI=true``) if it is absent."""
    path = SHARED_CORPORA.joinpath(*parts)
    if not path.exists():
        reason = (
            f"shared corpus {'/'.join(parts)!r} not found at {path}; put the corpora in "
            "../shared/corpora beside the repository or set NEWSINDEX_CORPORA"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: a quality gate must not be skipped)")
        pytest.skip(reason)
    return path


def require(*parts: str) -> None:
    """Skip (fail under ``CI=true``) unless ``SHARED_CORPORA/<parts>`` exists."""
    corpus(*parts)
