"""The array path of search and facets gives the answers of Whoosh's own matchers.

Large indexes score whole posting lists with numpy (``newsindex.engine.whoosh.arrays``);
small ones use Whoosh's matchers.  Here one index of several segments, with
deleted and replaced articles, answers every kind of query both ways.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo

from newsindex import NewsIndex, SearchOptions
from newsindex.documents import Article
from newsindex.engine.whoosh import arrays
from newsindex.errors import NewsIndexError
from newsindex.options import BuildOptions, Filters

WORDS = (
    "copper harbour railway tariff election senate drought vaccine strike merger "
    "pipeline satellite budget inflation refinery wheat ceasefire protest court bank"
).split()
PEOPLE = ("Narendra Modi", "Angela Merkel", "Joe Biden", "Emmanuel Macron")
PLACES = ("Tokyo", "Nairobi", "Lima", "Oslo", "Mumbai")
START = dt.date(2023, 1, 1)


def _article(n: int, rng: random.Random) -> Article:
    words = rng.choices(WORDS, k=rng.randint(5, 40))
    person = rng.choice(PEOPLE)
    place = rng.choice(PLACES)
    body = (
        f"{person} spoke in {place} about {' '.join(words[:3])}. "
        + " ".join(words)
        + f". The {words[0]} {words[1]} report followed."
    )
    date = START + dt.timedelta(days=rng.randrange(700)) if n % 5 else None
    return Article(
        id=f"a{n}", title=" ".join(rng.choices(WORDS, k=3)).title(), body=body, date=date
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    rng = random.Random(5)
    ix = NewsIndex.create(tmp_path_factory.mktemp("arrays") / "ix")
    options = BuildOptions(workers=0)
    for start in (0, 120, 240):  # three commits: three segments
        ix.add_articles([_article(n, rng) for n in range(start, start + 120)], options)
    ix.add_articles([_article(n, rng) for n in range(0, 300, 7)], options)  # replacements
    ix.remove([f"a{n}" for n in range(3, 360, 11)])
    yield ix
    ix.close()


def _answer(ix: NewsIndex, text: str, use_arrays: bool, **options: object) -> object:
    arrays.MIN_DOCS = 0 if use_arrays else 10**12
    try:
        found = ix.search(text, options=SearchOptions(limit=15, **options))  # type: ignore[arg-type]
        hits = [(h.id, h.score, h.snippet.text) for h in found.hits]
        facets = {
            top: ix.facets(
                text,
                by=("people", "places", "themes", "date"),
                filters=options.get("filters"),  # type: ignore[arg-type]
                top=top,
                interval="month",
            )
            for top in (2, 50)  # 2: ties at the cut are broken by name
        }
        counts = {
            (top, k): (f.total, f.counts) for top, by in facets.items() for k, f in by.items()
        }
        return found.total, hits, counts
    except NewsIndexError as exc:
        return type(exc).__name__, str(exc)


@pytest.fixture(autouse=True)
def _restore_threshold() -> Iterator[None]:
    saved = arrays.MIN_DOCS
    yield
    arrays.MIN_DOCS = saved


QUERIES = [
    "copper",
    "copper harbour",
    "copper AND harbour",
    "copper OR drought",
    "copper NOT harbour",
    "copper -harbour",
    '"copper harbour"',
    '"harbour report"~3',
    "title:railway",
    "body:tariff^3 senate",
    "(copper OR wheat) AND (bank OR court)",
    "cop*",
    "vaccin?",
    "strik~",
    "people:modi",
    'people:"angela merkel" budget',
    "places:tokyo OR places:lima",
    "themes:*",
    "*",
    "zzzunknownword",
    "copper zzzunknownword",
]


@pytest.mark.parametrize("text", QUERIES)
def test_arrays_answer_like_whoosh(index: NewsIndex, text: str) -> None:
    assert _answer(index, text, True) == _answer(index, text, False)


@pytest.mark.parametrize(
    "options",
    [
        {"default_operator": "and"},
        {
            "filters": Filters(
                since=START + dt.timedelta(days=100), until=START + dt.timedelta(days=400)
            )
        },
        {"filters": Filters(until=START + dt.timedelta(days=50))},
        {"filters": Filters(people=("Joe Biden",))},
        {"filters": Filters(places=("Oslo",), since=START + dt.timedelta(days=200))},
        {"page": 2},
        {"fold_duplicates": False},
    ],
)
def test_arrays_answer_like_whoosh_with_options(
    index: NewsIndex, options: dict[str, object]
) -> None:
    for text in ("copper", "copper harbour", "*", '"copper harbour"'):
        assert _answer(index, text, True, **options) == _answer(index, text, False, **options)


def test_arrays_path_is_taken_for_large_indexes(
    index: NewsIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrays.MIN_DOCS = 0
    calls: list[object] = []
    original = arrays.ArrayScorer.top

    def counted(self: arrays.ArrayScorer, *args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(arrays.ArrayScorer, "top", counted)
    assert index.search("copper").total > 0
    assert calls
    arrays.MIN_DOCS = 10**12
    calls.clear()
    assert index.search("copper").total > 0
    assert not calls


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from([*WORDS[:8], "AND", "OR", "NOT", "(", ")", '"', "*", "people:", "^2", "~"]),
        min_size=1,
        max_size=6,
    )
)
def test_any_query_gets_the_same_answer_both_ways(index: NewsIndex, parts: list[str]) -> None:
    text = " ".join(parts)
    assert _answer(index, text, True) == _answer(index, text, False)


@pytest.mark.parametrize("use_arrays", [True, False])
def test_not_excludes_every_article_with_the_word(index: NewsIndex, use_arrays: bool) -> None:
    arrays.MIN_DOCS = 0 if use_arrays else 10**12
    found = index.search(
        "copper NOT harbour", options=SearchOptions(limit=500, fold_duplicates=False)
    )
    assert found.hits and found.total == len(found.hits)
    for hit in found.hits:
        article = index.get(hit.id)
        assert article is not None
        text = f"{article.title} {article.body}".lower()
        assert "copper" in text and "harbour" not in text


# -- block decoding: posting lists of several blocks, and inlined ones ----------------------

BLOCK = 128
"""Postings per block in Whoosh's posting files."""
INLINE_BELOW = 3
"""Whoosh 2.7.5 inlines a posting list shorter than its codec's ``inlinelimit``: 1 by
default, so never, and with a higher limit its writer fails (``W3TermInfo`` lacks the
``set_inline`` it calls).  Its reader still reads inlined lists, so the fixture below
supplies ``set_inline`` to write some, and the array path must read them as Whoosh does."""


def _set_inline(info: object, ids: list[int], weights: list[float], values: list[bytes]) -> None:
    info._inlined = (tuple(ids), tuple(weights), tuple(values))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def one_big_segment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    """One segment of 450 articles: common words span several blocks; rare words are inlined."""
    rng = random.Random(11)
    batch = [_article(n, rng) for n in range(450)]
    for n in range(0, 450, 50):
        old = batch[n]
        batch[n] = Article(
            id=old.id, title=old.title, body=f"{old.body} rareword{n}", date=old.date
        )
    ix = NewsIndex.create(tmp_path_factory.mktemp("blocks") / "ix", extractor="none")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(W3Codec.__init__, "__defaults__", (BLOCK, 3, INLINE_BELOW))
        patch.setattr(W3TermInfo, "set_inline", _set_inline, raising=False)
        ix.add_articles(batch, BuildOptions(extractor="none", workers=0))  # one commit
    yield ix
    ix.close()


def test_arrays_decode_blocks_and_inlined_lists_like_whoosh(
    one_big_segment: NewsIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[tuple[bool, int]] = []
    original = arrays.ArrayScorer._postings

    def checked(self: arrays.ArrayScorer, reader: object, field: str, text: bytes, *rest: object):  # type: ignore[no-untyped-def]
        ids, weights = original(self, reader, field, text, *rest)  # type: ignore[arg-type]
        matcher = reader.postings(field, text)  # type: ignore[attr-defined]
        expected: list[tuple[int, float]] = []
        while matcher.is_active():
            expected.append((matcher.id(), matcher.weight()))
            matcher.next()
        assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
        inlined = reader._terms.term_info(field, text).is_inlined()  # type: ignore[attr-defined]
        decoded.append((inlined, len(expected)))
        return ids, weights

    monkeypatch.setattr(arrays.ArrayScorer, "_postings", checked)
    for text in (
        "copper",
        "copper harbour",
        '"copper harbour"',
        "rareword50",
        "rareword50 OR copper",
    ):
        assert _answer(one_big_segment, text, True) == _answer(one_big_segment, text, False)
    assert any(not inlined and count > 2 * BLOCK for inlined, count in decoded)
    assert any(inlined for inlined, _ in decoded)
