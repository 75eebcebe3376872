"""Generated articles for tests that need many of them quickly (built with ``extractor="none"``).

Dates fall on a fixed grid so counts per bucket are known; every tenth article is undated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from newsindex import Article, NewsIndex
from newsindex.options import BuildOptions

FIRST_DAY = dt.date(2024, 1, 1)
PEOPLE = tuple(f"Person {n:02d}" for n in range(12))
PLACES = ("Paris", "Lagos", "Lima")


def article(n: int) -> Article:
    """Article ``n``: dated ``n * 3`` days after FIRST_DAY (undated when n % 10 == 9)."""
    return Article(
        id=f"gen-{n:05d}",
        title=f"Generated story {n} about harbours",
        body=f"Story {n} tells of harbours and <tides> & trade number {n % 7}.",
        date=None if n % 10 == 9 else FIRST_DAY + dt.timedelta(days=(n * 3) % 730),
        people=(PEOPLE[n % len(PEOPLE)], PEOPLE[(n * 5 + 1) % len(PEOPLE)]),
        places=(PLACES[n % len(PLACES)],),
        source="Wire" if n % 2 else "Gazette",
    )


def articles(count: int) -> Iterator[Article]:
    """The first ``count`` generated articles."""
    return (article(n) for n in range(count))


def build(path: Path, count: int) -> Path:
    """An index at ``path`` of the first ``count`` generated articles."""
    with NewsIndex.create(path, extractor="none") as index:
        index.add_articles(articles(count), BuildOptions(extractor="none", workers=0))
    return path
