"""AG's News test split: 7,600 (class, title, description) rows, read into frozen records.

The CSV has no header; ``\\`` stands for a line break and HTML-style escapes
such as ``#36;`` (``$``) appear in the text.  ``split`` halves the rows so
tuning never sees the evaluation half: even row numbers are ``"train"``, odd
``"test"``.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import corpus_path

__all__ = ["CLASSES", "AgDoc", "agnews_path", "load"]

CLASSES = ("World", "Sports", "Business", "Sci/Tech")
_ESCAPE = re.compile(r"#(\d+);")


@dataclass(frozen=True)
class AgDoc:
    """One AG News row: ``label`` is one of :data:`CLASSES`; ``row`` counts from 0."""

    row: int
    label: str
    title: str
    body: str
    split: str


def agnews_path() -> Path:
    """The AG News folder under the shared corpora."""
    return corpus_path("ag-news")


def _clean(text: str) -> str:
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1))), text.replace("\\", "\n"))
    return html.unescape(text).strip()


def load(split: str | None = None, folder: Path | None = None) -> Iterator[AgDoc]:
    """Every row (or only the ``"train"`` or ``"test"`` half) in file order."""
    path = (folder or agnews_path()) / "test.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.reader(handle)):
            if len(record) < 3:
                continue
            half = "train" if row % 2 == 0 else "test"
            if split is not None and half != split:
                continue
            label = CLASSES[int(record[0]) - 1]
            yield AgDoc(row, label, _clean(record[1]), _clean(record[2]), half)
