"""The fast search paths: exact totals from one scoring pass, date ranges from a cached
day-ordered set, facets from posting-list sets.  Every count is checked by brute force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsindex import NewsIndex, SearchOptions
from newsindex.documents import Article
from newsindex.options import BuildOptions, Filters

START = dt.date(2024, 1, 1)
WORDS = ("harbour", "copper", "railway")


def _articles() -> list[Article]:
    """90 articles: two in three dated (one per day from START), the rest undated."""
    found = []
    for n in range(90):
        words = [w for i, w in enumerate(WORDS) if n % (i + 2) == 0]
        body = f"Report {n} on {' and '.join(words) or 'nothing much'} in the region. " * (
            1 + n % 3
        )
        date = START + dt.timedelta(days=n) if n % 3 else None
        found.append(Article(id=f"a{n}", title=f"Story {n}", body=body, date=date))
    return found


@pytest.fixture
def index(tmp_path: Path) -> Iterator[NewsIndex]:
    ix = NewsIndex.create(tmp_path / "ix")
    ix.add_articles(_articles(), BuildOptions(workers=0))
    yield ix
    ix.close()


def _expected(
    articles: list[Article], word: str | None, since: dt.date | None, until: dt.date | None
) -> set[str]:
    found = set()
    for a in articles:
        if word and word not in a.body:
            continue
        if since or until:
            if a.date is None:
                continue
            if since and a.date < since or until and a.date > until:
                continue
        found.add(a.id)
    return found


def _all_ids(ix: NewsIndex, text: str, filters: Filters, **kwargs: object) -> tuple[int, list[str]]:
    ids: list[str] = []
    page = 1
    while True:
        options = SearchOptions(
            filters=filters, limit=4, page=page, fold_duplicates=False, **kwargs
        )  # type: ignore[arg-type]
        found = ix.search(text, options=options)
        ids += [hit.id for hit in found.hits]
        if not found.hits:
            return found.total, ids
        page += 1


@pytest.mark.parametrize("word", [*WORDS, None])
@pytest.mark.parametrize(
    ("since", "until"),
    [
        (None, None),
        (START, START + dt.timedelta(days=6)),
        (START + dt.timedelta(days=30), None),
        (None, START + dt.timedelta(days=40)),
        (START + dt.timedelta(days=10), START + dt.timedelta(days=70)),
    ],
)
def test_totals_and_hits_match_brute_force(
    index: NewsIndex, word: str | None, since: dt.date | None, until: dt.date | None
) -> None:
    articles = _articles()
    expected = _expected(articles, word, since, until)
    filters = Filters(since=since, until=until)
    for sort in ("relevance", "newest", "oldest"):
        total, ids = _all_ids(index, word or "*", filters, sort=sort)
        assert total == len(expected)
        assert sorted(ids) == sorted(expected)  # every page together: each match once
    if word:
        hits = index.search(word, options=SearchOptions(filters=filters, limit=50)).hits
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)


def test_undated_articles_never_match_a_date_range(index: NewsIndex) -> None:
    wide = Filters(since=dt.date(1900, 1, 1), until=dt.date(2100, 1, 1))
    found = index.search("*", options=SearchOptions(filters=wide, limit=100, fold_duplicates=False))
    dated = {a.id for a in _articles() if a.date is not None}
    assert found.total == len(dated) == 60
    assert {hit.id for hit in found.hits} == dated
    assert index.facets("*", ("date",), filters=wide)["date"].total == 60


def test_a_range_with_no_articles_finds_nothing(index: NewsIndex) -> None:
    empty = Filters(since=dt.date(2030, 1, 1))
    assert index.search("harbour", options=SearchOptions(filters=empty)).total == 0
    assert index.search("*", options=SearchOptions(filters=empty)).hits == ()
    assert index.facets("harbour", ("people",), filters=empty)["people"].total == 0


def test_deleted_articles_are_not_counted(index: NewsIndex) -> None:
    gone = [f"a{n}" for n in range(0, 90, 4)]
    assert index.remove(gone, BuildOptions(workers=0)) == []
    articles = [a for a in _articles() if a.id not in gone]
    since, until = START + dt.timedelta(days=5), START + dt.timedelta(days=60)
    for word in (*WORDS, None):
        expected = _expected(articles, word, since, until)
        total, ids = _all_ids(index, word or "*", Filters(since=since, until=until))
        assert total == len(expected) and sorted(ids) == sorted(expected)
        facets = index.facets(
            word or "*", ("date", "source"), filters=Filters(since=since, until=until)
        )
        assert facets["date"].total == len(expected)
        assert sum(c.count for c in facets["date"].counts) == len(expected)
        assert index.facets(word or "*", ("date",))["date"].total == len(
            _expected(articles, word, None, None)
        )


def test_total_counts_every_match_when_near_duplicates_fold(tmp_path: Path) -> None:
    body = "The harbour authority approved the copper terminal expansion after a long review. " * 3
    copies = [
        Article(id=f"d{n}", title="Harbour terminal", body=f"{body} Edition {n}.", date=START)
        for n in range(12)
    ]
    others = [
        Article(id=f"o{n}", title=f"Other {n}", body=f"Harbour news item {n} about fishing boats.")
        for n in range(30)
    ]
    with NewsIndex.create(tmp_path / "ix") as ix:
        ix.add_articles([*copies, *others], BuildOptions(workers=0))
        folded = ix.search("harbour", options=SearchOptions(limit=5))
        unfolded = ix.search("harbour", options=SearchOptions(limit=5, fold_duplicates=False))
        assert folded.total == unfolded.total == 42
        assert any(hit.similar for hit in folded.hits)
        dated = ix.search("harbour", options=SearchOptions(limit=5, filters=Filters(since=START)))
        assert dated.total == 12


def test_facets_of_word_combinations_match_brute_force(index: NewsIndex) -> None:
    articles = _articles()

    def has(a: Article, w: str) -> bool:
        return w in a.body

    cases = {
        "harbour copper": lambda a: has(a, "harbour") or has(a, "copper"),
        "harbour AND copper": lambda a: has(a, "harbour") and has(a, "copper"),
        "harbour NOT railway": lambda a: has(a, "harbour") and not has(a, "railway"),
        '"harbour and copper"': lambda a: "harbour and copper" in a.body,
        "harb*": lambda a: has(a, "harbour"),
    }
    for text, test in cases.items():
        expected = sum(1 for a in articles if test(a))
        assert index.facets(text, ("source",))["source"].total == expected, text
        assert index.search(text).total == expected, text
