"""Large news corpora re-assembled from real sentences, streamed as JSON Lines.

No corpus of 100k+ real news articles is available offline, so scale benchmarks
use articles built from real text: every sentence and every title comes from a
real article of the shared corpora (Reuters-21578 bodies, AG News descriptions,
BBC bodies, IE-ER, GUM news).  A synthetic article is one real title plus 3-12
real sentences drawn with a seeded RNG; no two synthetic articles share the
same title and sentences, ids are fresh and dates are spread uniformly over
2019-2025.  Repeated text flatters index size and speed: say so beside every
figure measured on these corpora.

``--real`` gives up to ~10k real articles (Reuters, AG News, BBC) unchanged
except for fresh ids and dates (most sources carry no usable date).

    .venv/bin/python -m benchmarks.synth --n 100000 --out benchmarks/out/synth-100k.jsonl
    .venv/bin/python -m benchmarks.synth --real --n 10000 --out benchmarks/out/real-10k.jsonl
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from benchmarks.corpora import SHARED_CORPORA

REPO = Path(__file__).resolve().parents[1]
CORPORA = SHARED_CORPORA
OUT = REPO / "benchmarks" / "out"

START = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
SPAN_SECONDS = int((END - START).total_seconds())

_REUTERS = re.compile(r"<REUTERS\b[^>]*>(.*?)</REUTERS>", re.S)
_IEER = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_NUMREF = re.compile(r"&?#(\d+);")
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[\"'(]?[A-Z0-9])")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class RealDoc:
    """A real article: its source name, title and body."""

    source: str
    title: str
    body: str


def _clean(raw: str) -> str:
    text = _NUMREF.sub(lambda m: chr(int(m.group(1))) if int(m.group(1)) > 31 else " ", raw)
    text = html.unescape(_TAG.sub(" ", text))
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def _element(block: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return match.group(1) if match else ""


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def reuters(root: Path = CORPORA) -> Iterator[RealDoc]:
    """Reuters-21578 stories that have a body (the trailing ``Reuter`` sign-off dropped)."""
    for path in sorted((root / "reuters21578").glob("reut2-*.sgm")):
        for match in _REUTERS.finditer(_read(path)):
            body = _clean(_element(match.group(1), "BODY"))
            body = re.sub(r"\s*Reuter\s*$", "", body)
            if body:
                yield RealDoc("reuters", _clean(_element(match.group(1), "TITLE")), body)


def ag_news(root: Path = CORPORA) -> Iterator[RealDoc]:
    """AG News test rows: title and description."""
    text = _read(root / "ag-news" / "test.csv")
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 3:
            title, body = (_clean(part.replace("\\", " ")) for part in row[1:3])
            if body:
                yield RealDoc("ag", title, body)


def bbc(root: Path = CORPORA) -> Iterator[RealDoc]:
    """BBC News articles: first line is the title."""
    for path in sorted((root / "bbc-news" / "bbc").glob("*/*.txt")):
        title, _, body = _read(path).strip().partition("\n")
        if body.strip():
            yield RealDoc("bbc", _clean(title), _clean(body))


def ieer(root: Path = CORPORA) -> Iterator[RealDoc]:
    """NIST IE-ER newswire documents with their entity mark-up removed."""
    for path in sorted((root / "nist-ieer").glob("[AN]*_*")):
        for match in _IEER.finditer(_read(path)):
            body = _clean(_element(match.group(1), "TEXT"))
            if body:
                yield RealDoc("ieer", _clean(_element(match.group(1), "HEADLINE")), body)


def gum(root: Path = CORPORA) -> Iterator[RealDoc]:
    """GUM news documents rebuilt from their ``# text =`` sentence comments."""
    for path in sorted((root / "gum-wikinews").rglob("*.conllu")):
        title, sentences = "", []
        for line in _read(path).splitlines():
            if line.startswith("# meta::title = "):
                title = line.split("=", 1)[1].strip()
            elif line.startswith("# text = "):
                sentences.append(line.split("=", 1)[1].strip())
        if sentences:
            yield RealDoc("gum", title, " ".join(sentences))


def real_docs(root: Path = CORPORA) -> Iterator[RealDoc]:
    """Every real article of the five corpora."""
    for source in (reuters, ag_news, bbc, ieer, gum):
        yield from source(root)


def split_sentences(body: str) -> list[str]:
    """Sentences of ``body`` that are long enough to read as prose (20-400 characters)."""
    return [s for s in _SENTENCE.split(body) if 20 <= len(s) <= 400]


@lru_cache(maxsize=1)
def pools(root: Path = CORPORA) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The pools of distinct real titles and distinct real sentences."""
    titles: dict[str, None] = {}
    sentences: dict[str, None] = {}
    for doc in real_docs(root):
        if doc.title:
            titles[doc.title] = None
        for sentence in split_sentences(doc.body):
            sentences[sentence] = None
    return tuple(titles), tuple(sentences)


def _date(rng: random.Random) -> str:
    moment = START + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def synthetic(n: int, seed: int = 1, root: Path = CORPORA) -> Iterator[dict[str, str]]:
    """``n`` re-assembled articles: a real title and 3-12 real sentences each, never repeated."""
    titles, sentences = pools(root)
    rng = random.Random(seed)
    seen: set[int] = set()
    produced = 0
    while produced < n:
        title = rng.randrange(len(titles))
        picks = [rng.randrange(len(sentences)) for _ in range(rng.randint(3, 12))]
        key = hash((title, *picks))
        if key in seen:
            continue
        seen.add(key)
        produced += 1
        yield {
            "id": f"syn{seed}-{produced:07d}",
            "title": titles[title],
            "body": " ".join(sentences[i] for i in picks),
            "date": _date(rng),
        }


def real(n: int = 10_000, seed: int = 1, root: Path = CORPORA) -> Iterator[dict[str, str]]:
    """Up to ``n`` real articles taken in turn from Reuters, AG News and BBC, with fresh dates."""
    rng = random.Random(seed)
    streams = [reuters(root), ag_news(root), bbc(root)]
    produced = 0
    while streams and produced < n:
        for stream in list(streams):
            doc = next(stream, None)
            if doc is None:
                streams.remove(stream)
                continue
            produced += 1
            yield {
                "id": f"real-{doc.source}-{produced:06d}",
                "title": doc.title,
                "body": doc.body,
                "date": _date(rng),
            }
            if produced >= n:
                break


def write_jsonl(articles: Iterator[dict[str, str]], out: Path) -> int:
    """Write ``articles`` to ``out`` (atomically) and return how many were written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".part")
    count = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article, ensure_ascii=False))
            handle.write("\n")
            count += 1
    tmp.replace(out)
    return count


def corpus_file(n: int, mode: str = "synthetic", seed: int = 1) -> Path:
    """The JSONL corpus of ``n`` articles under ``benchmarks/out/``, generated on first use."""
    out = OUT / f"{mode}-{n}-s{seed}.jsonl"
    if not out.exists():
        stream = real(n, seed) if mode == "real" else synthetic(n, seed)
        write_jsonl(stream, out)
    return out


def read_jsonl(path: Path) -> Iterator[dict[str, str]]:
    """Stream the articles of a JSONL corpus."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic (or ``--real``) JSONL corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--real", action="store_true", help="real articles (at most ~10k)")
    parser.add_argument("--out", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    stream = real(args.n, args.seed) if args.real else synthetic(args.n, args.seed)
    mode = "real articles (Reuters, AG News, BBC)" if args.real else "re-assembled real sentences"
    if args.out is None:
        count = 0
        for article in stream:
            sys.stdout.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    else:
        count = write_jsonl(stream, args.out)
    titles, sentences = pools() if not args.real else ((), ())
    pool = f" from {len(titles):,} titles and {len(sentences):,} sentences" if titles else ""
    print(f"{count:,} articles, mode: {mode}{pool}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
