"""Measure the name table: short mentions resolved to full names across a collection.

Run ``.venv/bin/python -m benchmarks.eval_resolution``.  The table is built
from the people the default finder extracts (full names, with each story's
date), then every person a story names by one word only ("Volcker", after
in-story resolution failed) is resolved against it:

- **Reuters-21578**: the table holds every story's full names; a story's
  surname-only person is judged against its PEOPLE labels (a label whose last
  word is that surname).  A merge is right when the full name holds every word
  of the label.  *Eligible* mentions are those whose label's full name is in
  the table.
- **GUM** news (24 documents): the table holds the full names of every
  document; a surname-only person mention is judged against the gold
  coreference chain it lies in: right when one of the chain's mentions holds
  every word of the resolved name.

Reported: precision of merges (right / merged) and the share of eligible
mentions resolved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.corpora import gum, reuters
from benchmarks.eval_entities import fold, reuters_text
from newsindex.extract.entities import EntityFinder
from newsindex.extract.resolution import NameTable


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


def eval_reuters(finder: EntityFinder) -> Merges:
    """Merges of surname-only people in Reuters-21578, judged by PEOPLE labels."""
    stories = []
    for doc in reuters.load():
        title, body = reuters_text(doc)
        people, _, _ = finder.find(title, body)
        when = doc.date.date() if doc.date else None
        stories.append((doc, people, when))
    table = NameTable.build(
        (p.name, when) for _, people, when in stories for p in people if " " in p.name
    )
    in_table = [_words(n) for n in table.full_names()]
    score = Merges()
    for doc, people, when in stories:
        for person in people:
            if " " in person.name or not doc.people:
                continue
            labels = [_words(label) for label in doc.people]
            label = next((w for w in labels if fold(person.name) in w), None)
            if label is None:
                continue
            found = table.resolve(person.name, when)
            eligible = any(label <= names for names in in_table)
            score.eligible += eligible
            if found.resolved:
                score.merged += 1
                score.right += label <= _words(found.name)
                score.eligible_resolved += eligible
    return score


def eval_gum(finder: EntityFinder) -> Merges:
    """Merges of surname-only person mentions in GUM, judged by coreference chains."""
    docs = list(gum.load())
    found_by_doc = [finder.mentions("", d.text) for d in docs]
    table = NameTable.build(
        (m.name, None)
        for found in found_by_doc
        for m in found
        if m.kind == "person" and " " in m.name
    )
    in_table = [_words(n) for n in table.full_names()]
    score = Merges()
    for doc, found in zip(docs, found_by_doc, strict=True):
        for mention in found:
            if mention.kind != "person" or " " in mention.name:
                continue
            gold = next(
                (
                    g
                    for g in doc.mentions
                    if g.type == "person" and g.start <= mention.start < g.end
                ),
                None,
            )
            if gold is None:
                continue
            chain = [_words(g.text) for g in doc.mentions if g.entity == gold.entity]
            eligible = any(
                names <= words for names in in_table for words in chain if len(names) > 1
            )
            resolved = table.resolve(mention.name)
            score.eligible += eligible
            if resolved.resolved:
                score.merged += 1
                score.right += any(_words(resolved.name) <= words for words in chain)
                score.eligible_resolved += eligible
    return score


def main(argv: Sequence[str] | None = None) -> int:
    """Print the merge figures for Reuters-21578 and GUM."""
    del argv
    finder = EntityFinder.load()
    start = dt.datetime.now()
    print("Reuters-21578, PEOPLE labels:", eval_reuters(finder).row())
    print("GUM news, coreference chains:", eval_gum(finder).row())
    print(f"({(dt.datetime.now() - start).total_seconds():.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
