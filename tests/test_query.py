"""The query language: what parses to what, what is rejected and where, and fuzzing."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query

from newsindex import NewsIndex
from newsindex.documents import Article
from newsindex.engine.whoosh.names import NameQuery
from newsindex.engine.whoosh.query import MAX_EXPANSIONS, entity_filter, parse_query
from newsindex.engine.whoosh.schema import build_schema
from newsindex.errors import QuerySyntaxError
from newsindex.options import BuildOptions

SCHEMA = build_schema()


def _leaves(node: Any) -> list[Any]:
    if node.is_leaf():
        return [node]
    return [leaf for child in node.children() for leaf in _leaves(child)]


def _fields(node: Any) -> set[str]:
    """Fields the clauses name (a name clause by its entity field, not the values' field)."""
    return {
        getattr(leaf, "entity", leaf.fieldname)
        for leaf in _leaves(node)
        if hasattr(leaf, "fieldname")
    }


# -- what parses to what ------------------------------------------------------------------


def test_query_plain_words_search_title_body_and_entities() -> None:
    parsed = parse_query("semiconductors", SCHEMA)
    assert _fields(parsed) == {"title", "body", "entities"}


def test_query_plain_words_are_or_ed_by_default() -> None:
    parsed = parse_query("japan india", SCHEMA)
    assert isinstance(parsed, query.Or)
    assert isinstance(parse_query("japan india", SCHEMA, "and"), query.And)


def test_query_common_words_do_not_search_entity_names() -> None:
    parsed = parse_query("the bank of england", SCHEMA)
    texts = {(leaf.fieldname, leaf.text) for leaf in _leaves(parsed)}
    assert ("entities", "the") not in texts
    assert ("entities", "of") not in texts
    assert ("entities", "bank") in texts


def test_query_phrases_search_the_text_not_the_names() -> None:
    parsed = parse_query('"bank of england"', SCHEMA)
    phrases = [leaf for leaf in _leaves(parsed) if isinstance(leaf, query.Phrase)]
    assert {p.fieldname for p in phrases} == {"title", "body"}
    assert all(p.words == ["bank", "england"] for p in phrases)


def test_query_proximity_sets_the_slop() -> None:
    parsed = parse_query('"japan india"~5', SCHEMA)
    phrases = [leaf for leaf in _leaves(parsed) if isinstance(leaf, query.Phrase)]
    assert phrases and all(p.slop == 5 for p in phrases)
    plain = [leaf for leaf in _leaves(parse_query('"japan india"', SCHEMA))]
    assert all(p.slop == 1 for p in plain)


def test_query_not_excludes_even_with_or_default() -> None:
    parsed = parse_query("japan AND (india OR china) NOT pakistan", SCHEMA)
    assert isinstance(parsed, query.AndNot)
    assert "pakistan" in {leaf.text for leaf in _leaves(parsed.b)}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("title:modi", "title"),
        ("headline:modi", "title"),
        ("body:talks", "body"),
        ("people:modi", "people"),
        ("person:modi", "people"),
        ('places:"south africa"', "places"),
        ("organisations:nato", "organisations"),
        ("org:nato", "organisations"),
        ("organizations:nato", "organisations"),
        ("themes:diplomacy", "themes"),
        ("source:reuters", "source"),
        ('url:"https://example.com/a"', "url"),
        ("url:https://example.com/a", "url"),
        ("id:abc123", "id"),
        ("date:2025-11", "date"),
    ],
)
def test_query_field_prefixes(text: str, field: str) -> None:
    assert _fields(parse_query(text, SCHEMA)) == {field}


def _day(value: int | None) -> dt.date | None:
    return None if value is None else dt.date(value // 10000, value // 100 % 100, value % 100)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("date:2025-11", dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        ("date:2025-11-24", dt.date(2025, 11, 24), dt.date(2025, 11, 24)),
        ("date:2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("date:>2025-11-01", dt.date(2025, 11, 2), None),
        ("date:>=2025-11-01", dt.date(2025, 11, 1), None),
        ("date:<2025-11-01", None, dt.date(2025, 10, 31)),
        ("date:[2025-11-01 to 2025-11-30]", dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        ("date:[2025-11-01 TO]", dt.date(2025, 11, 1), None),
        ("date:[TO 2025-11-30]", None, dt.date(2025, 11, 30)),
        ("date:[2025-10 to 2025-11]", dt.date(2025, 10, 1), dt.date(2025, 11, 30)),
    ],
)
def test_query_dates_with_open_ends(text: str, low: dt.date | None, high: dt.date | None) -> None:
    parsed = parse_query(text, SCHEMA)
    assert isinstance(parsed, query.NumericRange)
    start = _day(parsed.start)
    end = _day(parsed.end) if parsed.end is None or parsed.end % 100 else None
    if parsed.end is not None and parsed.end % 100 == 0:  # "before the 1st": day 0 of a month
        end = dt.date(parsed.end // 10000, parsed.end // 100 % 100, 1) - dt.timedelta(days=1)
    assert (start, end) == (low, high)


def test_query_entity_filter_matches_part_of_a_name() -> None:
    one = entity_filter("people", ("Modi",), SCHEMA)
    assert one == NameQuery("people", ("modi",))
    two = entity_filter("people", ("Narendra Modi", "Takaichi"), SCHEMA)
    assert isinstance(two, query.Or)
    assert NameQuery("people", ("narendra", "modi")) in two.subqueries


@pytest.mark.parametrize(
    ("text", "words", "mode"),
    [
        ("people:modi", ("modi",), "words"),
        ('people:"narendra modi"', ("narendra", "modi"), "words"),
        ("people:José", ("jose",), "words"),
        ("people:mod*", ("mod",), "prefix"),
        ("people:m?di", ("m?di",), "wildcard"),
        ("people:modi~1", ("modi",), "fuzzy"),
    ],
)
def test_query_entity_clauses_search_the_words_of_exact_names(
    text: str, words: tuple[str, ...], mode: str
) -> None:
    parsed = parse_query(text, SCHEMA)
    assert isinstance(parsed, NameQuery)
    assert (parsed.wanted, parsed.mode) == (words, mode)


# -- malformed queries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("(japan", 0, "never closed"),
        ("japan)", 5, "unmatched"),
        ('"japan india', 0, "unclosed quotation"),
        ("japan AND", 6, "after 'AND'"),
        ("AND japan", 0, "before 'AND'"),
        ("japan OR OR india", 9, "before 'OR'"),
        ("japan NOT", 6, "after 'NOT'"),
        ("(japan AND)", 7, "after 'AND'"),
        ("()", 1, "inside"),
        ("title:", 6, "after 'title:'"),
        ("title: modi", 6, "after 'title:'"),
        ("date:>", 6, "after 'date:>'"),
        ("colour:red", 0, "unknown field 'colour'"),
        ("date:2025-13", None, "month"),
        ("date:[2025-12-01 to 2025-11-01]", 0, "ends before it starts"),
    ],
)
def test_query_malformed_names_position_and_expectation(
    text: str, position: int | None, expected: str
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text, SCHEMA)
    assert expected in str(caught.value)
    if position is not None:
        assert caught.value.position == position
        assert f"at position {position + 1}" in str(caught.value)


@pytest.mark.parametrize("text", ["", "   ", "AND", "NOT", "the of and", "\x00\x01"])
def test_query_nothing_searchable_is_an_error(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(text, SCHEMA)


def test_query_too_long_is_an_error() -> None:
    with pytest.raises(QuerySyntaxError, match="limit"):
        parse_query("a " * 6000, SCHEMA)


def test_query_syntax_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_query("(", SCHEMA)


# -- against an index -----------------------------------------------------------------------


def _article(number: int, body: str, title: str = "", day: int = 1) -> Article:
    return Article(
        id=f"a{number}",
        title=title or f"Article {number}",
        body=body,
        date=dt.date(2025, 11, day),
    )


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = Path(tmp_path_factory.mktemp("query")) / "ix"
    index = NewsIndex.create(folder, extractor="none")
    # Filler words: 600 distinct words containing "a", none containing "zq".
    letters = "bcdefghijklmnopqrstuvwxy"
    filler = [f"{x}a{y}{z}" for x, y, z in itertools.product(letters, letters, "kl")][:600]
    articles = [
        _article(1, "Japan and India signed a semiconductor agreement.", day=3),
        _article(2, "Japan said that after long talks India would join.", day=10),
        _article(3, "India and Pakistan met; Japan was not there.", day=20),
        _article(4, "Semiconductor exports from Korea rose.", day=28),
        _article(5, " ".join(filler), title="Filler", day=15),
    ]
    index.add_articles(articles, BuildOptions(extractor="none"))
    yield index
    index.close()


def _ids(index: NewsIndex, text: str, **kwargs: Any) -> set[str]:
    return {hit.id for hit in index.search(text, limit=50, **kwargs)}


def test_query_proximity_slop_applies(small_index: NewsIndex) -> None:
    # Common words do not count: "Japan and India" is the phrase "japan india".
    assert _ids(small_index, '"japan india"') == {"a1"}
    # In a2 four other words stand between them: said, after, long, talks.
    assert _ids(small_index, '"japan india"~4') == {"a1"}
    assert _ids(small_index, '"japan india"~5') == {"a1", "a2"}


def test_query_boolean_and_grouping(small_index: NewsIndex) -> None:
    assert _ids(small_index, "japan AND india") == {"a1", "a2", "a3"}
    assert _ids(small_index, "japan AND india NOT pakistan") == {"a1", "a2"}
    assert _ids(small_index, "semiconductor AND (japan OR korea)") == {"a1", "a4"}
    assert _ids(small_index, "india -pakistan") >= {"a1", "a2"}


def test_query_fuzzy_finds_a_misspelling(small_index: NewsIndex) -> None:
    assert _ids(small_index, "semicondutor~") == {"a1", "a4"}


def test_query_dates_filter(small_index: NewsIndex) -> None:
    assert _ids(small_index, "japan date:>2025-11-05") == {"a2", "a3"}
    assert _ids(small_index, "japan AND date:[2025-11-01 to 2025-11-10]") == {"a1", "a2"}
    assert _ids(small_index, "date:2025-11") == {"a1", "a2", "a3", "a4", "a5"}


def test_query_wildcard_expansion_is_capped(small_index: NewsIndex) -> None:
    with pytest.raises(QuerySyntaxError, match=str(MAX_EXPANSIONS)):
        small_index.search("*a*")
    with pytest.raises(QuerySyntaxError, match=str(MAX_EXPANSIONS)):
        small_index.search("body:*a*")
    assert small_index.search("*zq*").total == 0
    assert _ids(small_index, "semicond*") == {"a1", "a4"}


# -- fuzzing ----------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("abcxyz ()[]{}\"~*?:^-+<>=!\\/,.'") + ["AND", "OR", "NOT", " TO ", "date:", "title:"]
)


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=40), st.lists(_ALPHABET, max_size=12).map("".join)))
def test_query_any_string_parses_or_raises_syntax_error(text: str) -> None:
    try:
        parsed = parse_query(text, SCHEMA)
    except QuerySyntaxError as exc:
        assert exc.position is None or 0 <= exc.position <= len(text)
    else:
        assert isinstance(parsed, query.Query)


@settings(max_examples=60)
@given(st.lists(_ALPHABET, max_size=10).map("".join))
def test_query_any_string_searches_or_raises_syntax_error(
    small_index: NewsIndex, text: str
) -> None:
    try:
        small_index.search(text, limit=3)
    except QuerySyntaxError:
        pass


# -- the examples in docs/query-syntax.md, run against the seed index ------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "query-syntax.md"
_ROW = re.compile(r"^\| `(?P<query>[^`]+)` \| (?P<expect>[^|]+?) \|")

KNOWN_BROKEN: dict[str, str] = {}


def _doc_rows() -> list[Any]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        text, expect = match.group("query"), match.group("expect").strip().strip("`")
        marks = []
        if text in KNOWN_BROKEN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BROKEN[text]))
        rows.append(pytest.param(text, expect, id=text, marks=marks))
    return rows


def test_query_doc_has_examples() -> None:
    assert len(_doc_rows()) > 50


@pytest.mark.parametrize(("text", "expect"), _doc_rows())
def test_query_doc_example(seed_index: NewsIndex, text: str, expect: str) -> None:
    if expect in ("yes", "no"):
        found = seed_index.search(text).total
        assert found == (1 if expect == "yes" else 0)
    elif expect == "error":
        with pytest.raises(QuerySyntaxError):
            seed_index.search(text)
    else:
        with pytest.raises(QuerySyntaxError) as caught:
            seed_index.search(text)
        assert expect in str(caught.value)


def test_query_doc_code_blocks_run(tmp_path: Path) -> None:
    from tests.docs_support import run_page

    ran = run_page(DOC, tmp_path)
    assert any("japan AND" in command for command in ran)


@pytest.fixture(scope="module")
def names_index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = Path(tmp_path_factory.mktemp("names")) / "ix"
    index = NewsIndex.create(folder)
    articles = [
        Article(
            id="n1",
            title="Talks",
            body="Narendra Modi said on Monday that the talks went well. "
            "Later, José María Aznar arrived in Mumbai.",
        ),
        Article(id="n2", title="Visit", body="Prime Minister Modi spoke in Tokyo on Monday."),
        Article(id="n3", title="Bank", body="Angela Merkel spoke to the Bank of England."),
    ]
    index.add_articles(articles, BuildOptions())
    yield index
    index.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("people:modi", {"n1", "n2"}),
        ('people:"narendra modi"', {"n1", "n2"}),  # n2's "Modi" is him (the name table)
        ('people:"modi narendra"', set()),
        ("people:jose", {"n1"}),
        ("people:José", {"n1"}),
        ("people:merk*", {"n3"}),
        ("people:m?rkel", {"n3"}),
        ("people:merkle~1", {"n3"}),
        ("places:mumbai", {"n1"}),
        ("places:india", {"n1"}),  # implied by Mumbai
        ("places:tokyo OR places:mumbai", {"n1", "n2"}),
        ("spoke NOT people:merkel", {"n2"}),
    ],
)
def test_query_name_clauses_match_words_of_exact_names(
    names_index: NewsIndex, text: str, expected: set[str]
) -> None:
    assert _ids(names_index, text) == expected


def test_query_name_filters_and_facets_agree(names_index: NewsIndex) -> None:
    assert _ids(names_index, "*", people=["modi"]) == {"n1", "n2"}
    assert _ids(names_index, "*", places=["India"]) == {"n1"}
    facets = names_index.facets("*", by=("places",))
    # Implied places are found by places: but not counted as named.
    assert "India" not in {count.value for count in facets["places"].counts}
