"""Tantivy's facets stay exact when the first pass keeps only a few values per segment.

The index is built in three commits, each favouring other places, and has
several segments (Tantivy merges at eight), so a value can lead in one segment
and be cut from the short lists of the others; overall counts are close
together.  A single terms aggregation with a small ``segment_size`` gets such
counts wrong (checked first, so the data keeps testing something); ``facets``
must still give the counts found by counting the articles themselves, through
each of its three passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsindex import Article, BuildOptions, Filters, NewsIndex
from newsindex.hits import top_counts

pytest.importorskip("tantivy", reason='the tantivy engine needs pip install -e ".[test]"')

from newsindex.engine.tantivy import terms  # noqa: E402  (needs tantivy, skipped above)

COMMITS, PER_COMMIT = 3, 200
PLACES = tuple(f"Place {n:03d}" for n in range(300))
PEOPLE = tuple(f"Person {n:02d}" for n in range(25))
QUERIES = ("*", "tides", "harbours")  # "tides" is in every other article
LONG_TAILED = frozenset({"facet_places", "facet_people"})
"""Places take the short first pass here (by default only names do)."""


def _article(n: int) -> Article:
    """Article ``n`` of commit ``n // PER_COMMIT``: its places lean to that commit's tenth."""
    segment, k = divmod(n, PER_COMMIT)
    own = PLACES[segment * 10 + k % 10]
    spread = PLACES[(k * 7 + segment * 3) % len(PLACES)]
    body = "Harbours and tides." if n % 2 else "Harbours."
    return Article(
        id=f"exact-{n:04d}",
        title=f"Story {n}",
        body=body,
        places=tuple(dict.fromkeys((own, spread))),
        people=(PEOPLE[(n * n) % len(PEOPLE)], PEOPLE[(k * 3 + segment) % len(PEOPLE)]),
        source=f"Wire {n % 3}",
    )


ARTICLES = [_article(n) for n in range(COMMITS * PER_COMMIT)]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    path: Path = tmp_path_factory.mktemp("facets-exact") / "index"
    options = BuildOptions(extractor="none", workers=0)
    with NewsIndex.create(path, extractor="none", engine="tantivy") as built:
        for start in range(0, len(ARTICLES), PER_COMMIT):
            built.add_articles(iter(ARTICLES[start : start + PER_COMMIT]), options)
    with NewsIndex.open(path) as opened:
        assert opened._engine.searcher.searcher().num_segments >= COMMITS
        yield opened


def _truth(field: str, query: str, top: int) -> list[tuple[str, int]]:
    """The ``top`` values of ``field`` over the articles ``query`` matches, counted here."""
    matched = [a for a in ARTICLES if query in ("*", "harbours") or "tides" in a.body]
    return _truth_of(matched, field, top)


def _truth_of(articles: list[Article], field: str, top: int) -> list[tuple[str, int]]:
    counts = Counter(value for a in articles for value in set(getattr(a, field)))
    return [(c.value, c.count) for c in top_counts(counts.items(), top)]


def test_engine_facets_exact_data_defeats_a_short_segment_list(index: NewsIndex) -> None:
    import tantivy

    searcher = index._engine.searcher.searcher()
    request = {"terms": {"field": "facet_places", "size": 5, "segment_size": 5}}
    answer = searcher.aggregate(tantivy.Query.all_query(), {"places": request})["places"]
    found = [(b["key"], b["doc_count"]) for b in answer["buckets"]]
    truth = [(value.lower(), count) for value, count in _truth("places", "*", 5)]
    assert answer["doc_count_error_upper_bound"] > 0
    assert found != truth


@pytest.mark.parametrize("first_pass", [2, 60, 200, terms.SEGMENT_SIZE])
@pytest.mark.parametrize("top", [1, 3, 10, 40])
def test_engine_facets_exact_counts_match_the_articles(
    index: NewsIndex, monkeypatch: pytest.MonkeyPatch, first_pass: int, top: int
) -> None:
    monkeypatch.setattr(terms, "FIRST_PASS", first_pass)
    monkeypatch.setattr(terms, "FIRST_PASS_HITS", 0)
    monkeypatch.setattr(terms, "LONG_TAILED", LONG_TAILED)
    for query in QUERIES:
        found = index.facets(query, ("places", "people"), top=top)
        for field, facet in found.items():
            assert [(c.value, c.count) for c in facet.counts] == _truth(field, query, top), (
                field,
                query,
            )


def test_engine_facets_exact_takes_each_pass(
    index: NewsIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small first passes end in the recount or in the full pass; both stay exact."""
    seen: Counter[str] = Counter()
    recount, aggregate = terms._recount, terms._aggregate

    def spy_recount(*args: object) -> dict[str, terms.Buckets]:
        settled = recount(*args)  # type: ignore[arg-type]
        seen["recounted"] += len(settled)
        return settled

    def spy_aggregate(*args: object, whole: bool = False) -> dict[str, object]:
        seen["whole" if whole else "first"] += 1
        return aggregate(*args, whole=whole)  # type: ignore[arg-type]

    monkeypatch.setattr(terms, "_recount", spy_recount)
    monkeypatch.setattr(terms, "_aggregate", spy_aggregate)
    monkeypatch.setattr(terms, "FIRST_PASS_HITS", 0)
    monkeypatch.setattr(terms, "LONG_TAILED", LONG_TAILED)
    for first_pass in (2, 60, 200):
        monkeypatch.setattr(terms, "FIRST_PASS", first_pass)
        for top in (1, 10, 40):
            facet = index.facets("*", ("places",), top=top, filters=Filters())["places"]
            assert [(c.value, c.count) for c in facet.counts] == _truth("places", "*", top)
    assert seen["recounted"] and seen["whole"], seen


def test_engine_facets_exact_whole_index_kept_until_a_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facets of ``*`` without filters are counted once per commit, then kept."""
    from newsindex.engine.tantivy import search

    counted: list[object] = []
    top_terms = search.top_terms

    def counting(*args: Any) -> dict[str, terms.Buckets]:
        if "places" in args[2]:
            counted.append(args)
        return top_terms(*args)

    monkeypatch.setattr(search, "top_terms", counting)
    options = BuildOptions(extractor="none", workers=0)
    with NewsIndex.create(tmp_path / "index", extractor="none", engine="tantivy") as index:
        index.add_articles(iter(ARTICLES[:50]), options)
        first = index.facets("*", ("places",), top=3)
        assert index.facets("*", ("places",), top=3) == first
        assert len(counted) == 1
        assert index.facets("harbours", ("places",), top=3) == first
        assert index.facets("*", ("places",), top=3, since="2020-01-01")["places"].total == 0
        assert len(counted) == 2  # "harbours" was counted; the filtered request matched nothing
        index.add_articles(iter(ARTICLES[50:120]), options)
        again = index.facets("*", ("places",), top=3)
        assert again["places"].total == 120
        assert [(c.value, c.count) for c in again["places"].counts] == [
            (value, count) for value, count in _truth_of(ARTICLES[:120], "places", 3)
        ]
