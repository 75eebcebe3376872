"""Precision and recall of near-duplicate grouping on real news articles.

Near-duplicates are made from real articles the way republished wire copy
differs: a rewritten headline, a credit line added at the end, three words
changed, or the last paragraph cut.  Pairs are found as the index finds them
(``newsindex.dedup.near_duplicate_pairs``: shared band keys, then the
similarity threshold); a pair is correct when both texts come from the same
original.  Pairs of different originals count against precision, except those
whose originals already share half their word 3-grams: real corpora repeat
and update stories.

Run: ``python benchmarks/eval_dedup.py [--per-corpus N] [--text body|title+body]``
Reads ``../shared/corpora`` beside the repository.
"""

from __future__ import annotations

import argparse
import csv
import html
import itertools
import random
import re
import sys
import time
from collections.abc import Callable, Iterator

from benchmarks.corpora import SHARED_CORPORA
from newsindex.dedup import (
    NEAR_DUPLICATE_THRESHOLD,
    exact_key,
    near_duplicate_pairs,
    signature,
    signature_text,
)

CORPORA = SHARED_CORPORA
CREDITS = [
    "Reporting by Anna Weber; Editing by Mark Potter",
    "(Additional reporting by staff correspondents.)",
    "Copyright 2024 Example Wire. All rights reserved.",
    "This story has been corrected to fix a spelling mistake.",
]
AFFIXES = [
    "Opinion | {} - The Daily Planet",
    "{} | Example Wire",
    "{} (AP)",
    "{} - World News Tonight",
]
"""Outlet and section affixes, in the shapes Media Cloud users report (made-up outlets)."""
SUBSTITUTES = ["said", "new", "reported", "officials", "minister", "week", "the", "company"]


def bbc(limit: int) -> Iterator[tuple[str, str, str]]:
    """(id, title, body) of BBC articles, spread over the five categories."""
    files = sorted((CORPORA / "bbc-news" / "bbc").glob("*/*.txt"))
    for path in files[:: max(1, len(files) // limit)][:limit]:
        title, _, body = path.read_bytes().decode("utf-8", "replace").partition("\n")
        yield f"bbc/{path.parent.name}/{path.name}", title.strip(), body.strip()


def ag_news(limit: int) -> Iterator[tuple[str, str, str]]:
    """(id, title, description) of AG News rows: short texts, the hard case."""
    with (CORPORA / "ag-news" / "test.csv").open(encoding="utf-8") as handle:
        for number, row in enumerate(itertools.islice(csv.reader(handle), limit), start=1):
            yield f"ag/{number}", row[1], row[2].replace("\\", " ")


_REUTERS = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\".*?</REUTERS>", re.S)


def reuters(limit: int) -> Iterator[tuple[str, str, str]]:
    """(id, title, body) of Reuters-21578 articles that have a body of 50 words or more."""
    count = 0
    for path in sorted((CORPORA / "reuters21578").glob("reut2-*.sgm")):
        text = path.read_bytes().decode("latin-1")
        for match in _REUTERS.finditer(text):
            block = match.group(0)
            title = re.search(r"<TITLE>(.*?)</TITLE>", block, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", block, re.S)
            if not title or not body or len(body.group(1).split()) < 50:
                continue
            yield (
                f"reuters/{match.group(1)}",
                html.unescape(title.group(1)),
                html.unescape(body.group(1)),
            )
            count += 1
            if count >= limit:
                return


def variants(title: str, body: str, rng: random.Random) -> dict[str, tuple[str, str]]:
    """Edited copies of one article, by kind of edit."""
    words = body.split()
    edited = list(words)
    for _ in range(3):
        edited[rng.randrange(len(edited))] = rng.choice(SUBSTITUTES)
    paragraphs = [p for p in re.split(r"\n\s*\n|\n {2,}", body) if p.strip()]
    cut = (
        "\n\n".join(paragraphs[:-1])
        if len(paragraphs) > 2
        else " ".join(words[: len(words) * 9 // 10])
    )
    new_title = "UPDATE 1-" + " ".join(reversed(title.split()))
    return {
        "headline": (new_title, body),
        "credit line": (title, f"{body}\n\n{rng.choice(CREDITS)}"),
        "3 words": (title, " ".join(edited)),
        "headline+credit": (new_title, f"{body}\n\n{rng.choice(CREDITS)}"),
        "last paragraph cut": (title, cut),
        "outlet affix on title": (rng.choice(AFFIXES).format(title), body),
    }


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def same_story(body_a: str, body_b: str) -> bool:
    """The oracle for corpus repeats: the bodies share half their word 3-grams."""
    a, b = _trigrams(body_a), _trigrams(body_b)
    return len(a & b) >= 0.5 * len(a | b)


def evaluate(
    name: str,
    articles: list[tuple[str, str, str]],
    text_of: Callable[[str, str], str],
    rng: random.Random,
) -> dict[str, float]:
    """Find near-duplicate pairs among originals and variants; print and return the figures.

    Truth: every pair of texts made from the same original (the original and
    its 6 variants: 21 pairs each).  A declared pair made from two different
    originals is false unless the originals are versions of one story already
    (:func:`same_story`): real corpora repeat and update stories.
    """
    signatures: list[tuple[str, int]] = []
    origin: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    bodies: dict[str, str] = {}
    started = time.perf_counter()
    same_key = 0  # outlet-affix copies whose exact-duplicate key equals the original's
    for article_id, title, body in articles:
        signatures.append((article_id, signature(text_of(title, body))))
        origin[article_id] = article_id
        bodies[article_id] = body
        for kind, (new_title, new_body) in variants(title, body, rng).items():
            if kind == "outlet affix on title":
                same_key += exact_key(new_title, new_body) == exact_key(title, body)
            variant_id = f"{article_id}~{kind}"
            signatures.append((variant_id, signature(text_of(new_title, new_body))))
            origin[variant_id] = article_id
            kind_of[variant_id] = kind
    signing = time.perf_counter() - started
    started = time.perf_counter()
    declared = list(near_duplicate_pairs(signatures))
    pairing = time.perf_counter() - started
    true = 0
    found_variant: set[str] = set()
    repeats: list[tuple[str, str, float]] = []
    wrong: list[tuple[str, str, float]] = []
    for a, b, score in declared:
        if origin[a] == origin[b]:
            true += 1
            for item in (a, b):
                if item in kind_of and origin[a] in (a, b):
                    found_variant.add(item)
        elif same_story(bodies[origin[a]], bodies[origin[b]]):
            repeats.append((a, b, score))
        else:
            wrong.append((a, b, score))
    copies = len(kind_of) // max(1, len(articles)) + 1  # the original and its variants
    expected = len(articles) * copies * (copies - 1) // 2
    recall = true / expected if expected else 0.0
    false_pairs = len(wrong)
    precision = (true + len(repeats)) / len(declared) if declared else 1.0
    print(f"\n{name}: {len(articles)} originals, {len(kind_of)} variants")
    kinds = sorted(set(kind_of.values()))
    for kind in kinds:
        total = sum(1 for k in kind_of.values() if k == kind)
        hits = sum(1 for v in found_variant if kind_of[v] == kind)
        print(f"  original ~ {kind:<20} recall {hits / total:.3f} ({hits}/{total})")
    print(f"  all pairs: recall {recall:.3f} ({true}/{expected}), precision {precision:.4f}")
    print(
        f"  pairs of different originals: {false_pairs} false, {len(repeats)} versions of one "
        "story in the corpus (word 3-gram Jaccard >= 0.5)"
    )
    for a, b, score in wrong[:4]:
        print(f"    {a} ~ {b}  similarity {score:.3f}")
    print(f"  outlet-affix copies with the original's exact key: {same_key}/{len(articles)}")
    per_second = len(signatures) / signing if signing else 0.0
    print(f"  {per_second:,.0f} signatures/s; pairing {pairing:.2f}s")
    return {"recall": recall, "precision": precision}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-corpus", type=int, default=1000)
    parser.add_argument("--text", choices=["body", "title+body"], default="body")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not CORPORA.exists():
        print(f"corpora not found at {CORPORA}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)

    def text_of(title: str, body: str) -> str:
        return body if args.text == "body" else signature_text(title, body)

    print(f"threshold {NEAR_DUPLICATE_THRESHOLD}, signature over {args.text}")
    for name, source in (("BBC", bbc), ("Reuters-21578", reuters), ("AG News", ag_news)):
        evaluate(name, list(source(args.per_corpus)), text_of, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
