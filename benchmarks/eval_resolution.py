"""Measure the name table through the public path: short names resolved across an index.

Run ``.venv/bin/python -m benchmarks.eval_resolution``.  Each collection is
written as seed-format text files (``date YYYY-MM-DD`` when known, the title,
a blank line, the body), built with ``NewsIndex.build`` and the default
extractor, and read back with ``NewsIndex.get``, ``NewsIndex.names`` and
``NewsIndex.facets``, as a user's program would.  Every person an article
names by one word only ("Volcker": in-story resolution found no full name)
is resolved with ``index.names().resolve(name, article.date)``:

- **Reuters-21578** (all 21,578 stories): judged against the story's PEOPLE
  labels (a label whose words hold the surname).  A merge is right when the
  resolved name holds every word of the label.  *Eligible* mentions are those
  whose label's full name is among the index's people.
- **GUM** news (24 documents, undated): judged against the gold coreference
  chains of the document: right when a chain holds both a mention with the
  surname and a mention with every word of the resolved name.

Reported: precision of merges (right / merged), the share of eligible mentions
resolved, and the people facet of Reuters' top 20 with and without the table.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import gum, reuters
from benchmarks.eval_entities import fold, reuters_text
from newsindex import NewsIndex


@dataclass
class Merges:
    """Counts behind merge precision and the share resolved."""

    merged: int = 0
    right: int = 0
    eligible: int = 0
    eligible_resolved: int = 0

    def row(self) -> str:
        precision = self.right / self.merged if self.merged else 0.0
        share = self.eligible_resolved / self.eligible if self.eligible else 0.0
        return (
            f"merges {self.merged}, right {self.right} (precision {precision:.3f}); "
            f"eligible {self.eligible}, resolved {self.eligible_resolved} (share {share:.3f})"
        )


def _words(name: str) -> set[str]:
    return {w for w in fold(name).replace(".", " ").split() if len(w) > 1}


def _write(folder: Path, stories: Iterable[tuple[str, str, str, str]]) -> None:
    """``(name, date, title, body)`` stories as seed-format files in ``folder``."""
    folder.mkdir(parents=True)
    for name, date, title, body in stories:
        head = f"date {date}\n" if date else ""
        (folder / f"{name}.txt").write_text(f"{head}{title}\n\n{body}\n", encoding="utf-8")


def _build(work: Path, name: str, stories: Iterable[tuple[str, str, str, str]]) -> NewsIndex:
    folder = work / name
    _write(folder, stories)
    started = time.perf_counter()
    index = NewsIndex.create(work / f"{name}-index")
    report = index.build([folder])
    print(f"{name}: built {report.added:,} articles in {time.perf_counter() - started:.0f} s")
    return index


def _full_names(index: NewsIndex) -> list[set[str]]:
    facet = index.facets("*", ("people",), top=50_000)["people"]
    return [_words(c.value) for c in facet.counts if " " in c.value]


def eval_reuters(work: Path) -> tuple[Merges, NewsIndex]:
    """Merges of surname-only people in Reuters-21578, judged by PEOPLE labels."""
    docs = {f"r{doc.newid:05d}": doc for doc in reuters.load()}
    stories = (
        (key, doc.date.date().isoformat() if doc.date else "", *reuters_text(doc))
        for key, doc in docs.items()
    )
    index = _build(work, "reuters", stories)
    names, in_index = index.names(), _full_names(index)
    score = Merges()
    for article_id in index.ids():
        doc = docs[Path(article_id).stem]
        article = index.get(article_id)
        for person in article.people:
            if " " in person.name or not doc.people:
                continue
            label = next((w for w in map(_words, doc.people) if fold(person.name) in w), None)
            if label is None:
                continue
            found = names.resolve(person.name, article.date)
            eligible = any(label <= full for full in in_index)
            score.eligible += eligible
            if found.resolved:
                score.merged += 1
                score.right += label <= _words(found.name)
                score.eligible_resolved += eligible
    return score, index


def eval_gum(work: Path) -> Merges:
    """Merges of surname-only people in GUM, judged by the gold coreference chains."""
    docs = {doc.doc_id: doc for doc in gum.load()}
    index = _build(work, "gum", ((k, "", d.title, d.text) for k, d in docs.items()))
    names, in_index = index.names(), _full_names(index)
    score = Merges()
    for article_id in index.ids():
        doc = docs[Path(article_id).stem]
        chains: dict[str, list[set[str]]] = {}
        for mention in doc.mentions:
            if mention.type == "person":
                chains.setdefault(mention.entity, []).append(_words(mention.text))
        for person in index.get(article_id).people:
            if " " in person.name:
                continue
            surname = fold(person.name)
            held = [c for c in chains.values() if any(surname in words for words in c)]
            if not held:
                continue
            found = names.resolve(person.name)
            eligible = any(
                full <= words for c in held for words in c for full in in_index if len(full) > 1
            )
            score.eligible += eligible
            if found.resolved:
                score.merged += 1
                score.right += any(_words(found.name) <= words for c in held for words in c)
                score.eligible_resolved += eligible
    index.close()
    return score


def _facet_rows(index: NewsIndex) -> None:
    """The top 20 of the people facet, as the index counts them (short names merged)."""
    started = time.perf_counter()
    merged = index.facets("*", ("people",), top=20)["people"]
    took = (time.perf_counter() - started) * 1000
    print(f"\nReuters people facet, top 20 ({took:.0f} ms with the name table):")
    for count in merged.counts:
        print(f"  {count.count:5d}  {count.value}")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the merge figures for Reuters-21578 and GUM."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="where the files and indexes go (a temp dir)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="eval-resolution-"))
    started = time.perf_counter()
    reuters_score, reuters_index = eval_reuters(work)
    print("Reuters-21578, PEOPLE labels:", reuters_score.row())
    print("GUM news, coreference chains:", eval_gum(work).row())
    _facet_rows(reuters_index)
    reuters_index.close()
    print(f"({time.perf_counter() - started:.0f} s; files and indexes in {work})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
