"""BBC News (2004-2005): 2,225 articles in five categories, read into frozen records.

Each file is ``bbc/<category>/NNN.txt``: a title line, a blank line, then the
body.  ``split`` halves the corpus by file number so tuning never sees the
evaluation half: even numbers are ``"train"``, odd numbers ``"test"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import corpus_path
from newsindex.readers.encoding import decode_bytes

__all__ = ["CATEGORIES", "BbcDoc", "bbc_path", "load"]

CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")


@dataclass(frozen=True)
class BbcDoc:
    """One BBC article: ``id`` is ``<category>/<NNN>``, ``split`` is train or test."""

    id: str
    category: str
    title: str
    body: str
    split: str


def bbc_path() -> Path:
    """The BBC News folder under the shared corpora."""
    return corpus_path("bbc-news") / "bbc"


def load(split: str | None = None, folder: Path | None = None) -> Iterator[BbcDoc]:
    """Every article (or only the ``"train"`` or ``"test"`` half), category by category."""
    root = folder or bbc_path()
    for category in CATEGORIES:
        for path in sorted((root / category).glob("*.txt")):
            half = "train" if int(path.stem) % 2 == 0 else "test"
            if split is not None and half != split:
                continue
            text = decode_bytes(path.read_bytes()).text.replace("\r\n", "\n")
            title, _, body = text.strip().partition("\n")
            yield BbcDoc(f"{category}/{path.stem}", category, title.strip(), body.strip(), half)
