"""GUM news documents (Wikinews) with their named person, place and organisation mentions.

The CoNLL-U files are joined back into running text (one paragraph per
``# newpar``).  An entity mention of type person, place or organization is
kept when it is *named*: its syntactic head is a proper noun, or it carries a
Wikipedia identity and contains a proper noun (so "he" or "an artist" that
corefer with Andy Warhol are not names); plural heads ("Muslims", "Afghans")
name groups, not entities, and are left out.  Offsets index the reconstructed
``text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from benchmarks.corpora import corpus_path

__all__ = ["GumDoc", "GumMention", "gum_path", "load", "splits"]

KEPT_TYPES = frozenset({"person", "place", "organization"})
_OPEN = re.compile(r"\((\d+)-([^()]*)(\)?)|(\d+)\)")


@dataclass(frozen=True)
class GumMention:
    """A gold named mention: ``type`` is person, place or organization.

    ``head`` is the last word of the mention's proper-noun run ("Capote" in "author
    Truman Capote", "Obama" in "President Barack Obama"), the word a predicted name
    must cover to match.
    """

    type: str
    start: int
    end: int
    text: str
    entity: str
    identity: str
    head: str
    head_start: int
    head_end: int


@dataclass(frozen=True)
class GumDoc:
    """One GUM news document."""

    doc_id: str
    title: str
    date_created: str
    split: str
    text: str
    mentions: tuple[GumMention, ...]


@dataclass
class _Token:
    index: int
    form: str
    upos: str
    head: int
    plural: bool
    start: int
    end: int


@dataclass
class _Open:
    entity: str
    type: str
    identity: str
    first: int


def gum_path() -> Path:
    """The GUM news folder under the shared corpora."""
    return corpus_path("gum-wikinews")


def splits(folder: Path | None = None) -> dict[str, str]:
    """Document id → split name (train, dev, test, test2) from ``splits.md``."""
    result: dict[str, str] = {}
    current = ""
    path = (folder or gum_path()) / "splits.md"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.strip().startswith("* ") and current:
            result[line.strip()[2:].strip()] = current
    return result


def _fields(misc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in misc.split("|"):
        key, sep, value = item.partition("=")
        if sep:
            out[key] = value
    return out


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[GumMention] = []
        self.open: list[_Open] = []
        self.sentence: list[_Token] = []
        self.pending: list[tuple[_Open, int]] = []

    def add_text(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)

    def close(self, item: _Open, last: int) -> None:
        self.pending.append((item, last))

    def flush_sentence(self) -> None:
        tokens = {t.index: t for t in self.sentence}
        text = self.text()
        for item, last in self.pending:
            span = [t for t in self.sentence if item.first <= t.index <= last]
            if not span:
                continue
            inside = {t.index for t in span}
            head = next((t for t in span if t.head not in inside), span[0])
            has_proper = any(t.upos == "PROPN" for t in span)
            if head.plural and item.type == "person":
                continue  # "Muslims", "Afghans": a group, not a named entity
            named = head.upos == "PROPN" or (
                bool(item.identity) and has_proper and head.upos != "PRON"
            )
            if item.type not in KEPT_TYPES or not named:
                continue
            start, end = tokens[item.first].start, tokens[last].end
            # The name's head is the last word of the proper-noun run holding the
            # syntactic head ("President Barack Obama" -> Obama), or of the first such
            # run when the head is a common noun ("author Truman Capote" -> Capote).
            by_index = {t.index: t for t in span}
            named_by = item.identity.split()[-1] if item.identity else ""
            if item.type == "person" and any(t.form == named_by for t in span):
                # A person's identity ends in their surname ("Facebook creator Mark
                # Zuckerberg" -> Zuckerberg); place identities are often longer titles.
                head = next(t for t in span if t.form == named_by)
            elif head.upos != "PROPN":
                head = next(t for t in span if t.upos == "PROPN")
            while head.index + 1 in by_index and by_index[head.index + 1].upos == "PROPN":
                head = by_index[head.index + 1]
            self.mentions.append(
                GumMention(
                    type=item.type,
                    start=start,
                    end=end,
                    text=text[start:end],
                    entity=item.entity,
                    identity=item.identity,
                    head=head.form,
                    head_start=head.start,
                    head_end=head.end,
                )
            )
        self.pending = []
        self.sentence = []


def _parse(path: Path, split: str) -> GumDoc:
    meta: dict[str, str] = {}
    build = _Builder()
    skip_until = 0
    space_after = True
    surface_start = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# meta::"):
            key, _, value = line[8:].partition(" = ")
            meta[key.strip()] = value.strip()
            continue
        if line.startswith("# newpar") and not line.startswith("# newpar_"):
            if build.length:
                build.add_text("\n\n")
                space_after = True
            continue
        if not line.strip():
            build.flush_sentence()
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 10 or "." in cols[0]:
            continue
        misc = _fields(cols[9])
        if "-" in cols[0]:
            low, high = (int(x) for x in cols[0].split("-"))
            if build.length and not build.text().endswith(("\n", " ")) and space_after:
                build.add_text(" ")
            surface_start = build.length
            build.add_text(cols[1])
            skip_until = high
            space_after = misc.get("SpaceAfter") != "No"
            del low
            continue
        index = int(cols[0])
        if index <= skip_until and skip_until:
            start, end = surface_start, build.length
        else:
            skip_until = 0
            if build.length and not build.text().endswith(("\n", " ")) and space_after:
                build.add_text(" ")
            start = build.length
            build.add_text(cols[1])
            end = build.length
            space_after = misc.get("SpaceAfter") != "No"
        head = int(cols[6]) if cols[6].isdigit() else 0
        plural = "Number=Plur" in cols[5]
        build.sentence.append(_Token(index, cols[1], cols[3], head, plural, start, end))
        for match in _OPEN.finditer(misc.get("Entity", "")):
            if match.group(1):
                parts = match.group(2).split("-", 6)
                identity = unquote(parts[6]).replace("_", " ") if len(parts) > 6 else ""
                item = _Open(match.group(1), parts[0], identity, index)
                if match.group(3):
                    build.close(item, index)
                else:
                    build.open.append(item)
            else:
                number = match.group(4)
                for pos in range(len(build.open) - 1, -1, -1):
                    if build.open[pos].entity == number:
                        build.close(build.open.pop(pos), index)
                        break
    build.flush_sentence()
    return GumDoc(
        doc_id=path.stem,
        title=meta.get("title", ""),
        date_created=meta.get("dateCreated", ""),
        split=split,
        text=build.text(),
        mentions=tuple(build.mentions),
    )


def load(folder: Path | None = None, only: tuple[str, ...] = ()) -> Iterator[GumDoc]:
    """Every news document (or only those whose split is in ``only``)."""
    root = folder or gum_path()
    split_of = splits(root)
    for path in sorted((root / "conllu").glob("GUM_news_*.conllu")):
        split = split_of.get(path.stem, "")
        if only and split not in only:
            continue
        yield _parse(path, split)
