"""Loaders for the shared news corpora that benchmarks and quality gates read.

The corpora live outside the repository, in the ``shared/corpora`` folder
beside it; set ``NEWSINDEX_CORPORA`` to read them from somewhere else.  No
corpus text is ever copied into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["SHARED_CORPORA", "corpus_path"]

SHARED_CORPORA = Path(
    os.environ.get("NEWSINDEX_CORPORA")  # unset or empty: beside the repository
    or Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
)
"""Where the shared corpora are: the one rule tests and benchmarks use."""


def corpus_path(name: str) -> Path:
    """The folder of the shared corpus ``name`` (it may not exist)."""
    return SHARED_CORPORA / name
