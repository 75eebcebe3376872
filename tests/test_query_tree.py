"""The query language parsed into the engine-neutral tree, and that tree compiled for Whoosh.

``tests/data/query_golden.jsonl`` holds what the Whoosh query parser newsindex used
before made of 577 queries (every example of docs/query-syntax.md and of the query
tests, and 500 random ones built from the grammar's pieces), in both default
operators: the compiled query's text, or the error's message and position. The
compiled query is compared after Whoosh's own ``normalize()`` (which only
flattens nested groups of one kind, as the old parser's output was), with days
as real dates: an exclusive end used to be stored as day 31 of November or day 0
of a month, now as the real day after or before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.support.charset import accent_map

from newsindex.engine.whoosh.query import parse_query
from newsindex.engine.whoosh.schema import WORD_PATTERN, build_schema
from newsindex.errors import QuerySyntaxError
from newsindex.query import words
from newsindex.query.parser import parse
from newsindex.query.tree import (
    All,
    And,
    AndNot,
    DateRange,
    Fuzzy,
    Not,
    Or,
    Phrase,
    Prefix,
    TermRange,
    Wildcard,
    Word,
)

SCHEMA = build_schema()
GOLDEN = Path(__file__).parent / "data" / "query_golden.jsonl"


# -- the copies of the analyzer's word lists --------------------------------------------------


def test_query_tree_stop_words_are_the_analyzers() -> None:
    assert words.STOP_WORDS == STOP_WORDS


def test_query_tree_folding_is_the_analyzers() -> None:
    assert {key: chr(value) for key, value in words._FOLD.items()} == accent_map
    assert words.WORD_PATTERN == WORD_PATTERN


# -- what parses to what ------------------------------------------------------------------------


def _w(text: str, field: str | None = None) -> Word:
    return Word(text, field)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("japan", _w("japan")),
        ("japan india", Or((_w("japan"), _w("india")), implicit=True)),
        ("japan OR india", Or((_w("japan"), _w("india")))),
        ("japan AND india", And((_w("japan"), _w("india")))),
        # AND binds tighter than OR; words side by side group first.
        ("a1 AND b1 OR c1", Or((And((_w("a1"), _w("b1"))), _w("c1")))),
        ("a1 OR b1 AND c1", Or((_w("a1"), And((_w("b1"), _w("c1")))))),
        # NOT excludes even among OR-ed words.
        ("japan india NOT china", AndNot(Or((_w("japan"), _w("india")), True), _w("china"))),
        ("japan NOT (pakistan OR china)", AndNot(_w("japan"), Or((_w("pakistan"), _w("china"))))),
        ("NOT china", Not(_w("china"))),
        ("japan ANDNOT china", AndNot(_w("japan"), _w("china"))),
        # Stop words search nothing; operators in lower case are words.
        ("the bank of england", Or((_w("bank"), _w("england")), implicit=True)),
        ("japan and india", Or((_w("japan"), _w("india")), implicit=True)),
        ('"economic security"', Phrase(("economic", "security"))),
        ('"india japan"~5', Phrase(("india", "japan"), slop=5)),
        ("semicond*", Prefix("semicond")),
        ("takaic?i", Wildcard("takaic?i")),
        ("semicondutor~", Fuzzy("semicondutor")),
        ("takaichy~2", Fuzzy("takaichy", max_edits=2)),
        ("johannson~2/3", Fuzzy("johannson", max_edits=2, prefix_length=3)),
        ("*:*", All()),
        ("body:[a TO c]", TermRange("body", "a", "c")),
        ("title:{a TO c]", TermRange("title", "a", "c", include_low=False)),
        # Field terms beside plain words narrow; aliases map to our names.
        ("semiconductors places:japan", And((_w("semiconductors"), _w("japan", "places")))),
        ("headline:takaichi", _w("takaichi", "title")),
        ('people:"narendra modi"', Phrase(("narendra", "modi"), "people")),
        ("title:(takaichi OR erdogan)", Or((_w("takaichi", "title"), _w("erdogan", "title")))),
        ("people:modi people:takaichi", And((_w("modi", "people"), _w("takaichi", "people")))),
        # Colons elsewhere are text.
        ('"10:30"', Phrase(("10:30",))),
        ("url:https://example.com/a", _w("https://example.com/a", "url")),
    ],
)
def test_query_tree_parses(text: str, tree: Any) -> None:
    assert parse(text) == tree


def test_query_tree_default_and_joins_side_by_side_words() -> None:
    assert parse("japan india", "and") == And((_w("japan"), _w("india")))


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("date:2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("date:2025-11", dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        ("date:2025-11-24", dt.date(2025, 11, 24), dt.date(2025, 11, 24)),
        ("date:>2025-11-30", dt.date(2025, 12, 1), None),
        ("date:>=2025-11", dt.date(2025, 11, 1), None),
        ("date:<2025-11-01", None, dt.date(2025, 10, 31)),
        ("date:<=2025-11", None, dt.date(2025, 11, 30)),
        ("date:[2025-11-01 to 2025-11-30]", dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        ("date:[2025-11-25 TO]", dt.date(2025, 11, 25), None),
        ("date:[TO 2025-11-30]", None, dt.date(2025, 11, 30)),
        ("date:{2025-11-24 TO 2025-12}", dt.date(2025, 11, 25), dt.date(2025, 11, 30)),
    ],
)
def test_query_tree_dates_are_inclusive_days(
    text: str, low: dt.date | None, high: dt.date | None
) -> None:
    assert parse(text) == DateRange(low, high)


def test_query_tree_date_beside_words_narrows() -> None:
    november = DateRange(dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert parse("modi date:2025-11") == And((_w("modi"), november))


# -- malformed queries: message and position ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("(japan OR india", "'(' is never closed with ')'", 0),
        ("japan)", "unmatched ')'", 5),
        ('"japan india', "unclosed quotation mark", 0),
        ("japan AND", "expected a word, phrase or group after 'AND'", 6),
        ("OR japan", "expected a word, phrase or group before 'OR'", 0),
        ("japan NOT", "expected a word, phrase or group after 'NOT'", 6),
        ("()", "expected a word, phrase or group inside '( )'", 1),
        ("title:", "expected a word, phrase or group after 'title:'", 6),
        ("date:>", "expected a value after 'date:>'", 6),
        ("date:2025-13", "bad date: '2025-13': month 13 must be 1-12", 5),
        ("x date:abc", "bad date: 'abc' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD", 7),
        ("date:[2025-12-01 to 2025-11-01]", "the date range ends before it starts", 0),
        (
            "the of and",
            "the query has no searchable words (only very common words or operators)",
            None,
        ),
        ("!!", "the query has no searchable words", None),
        ("   ", "the query is empty", None),
        (">abc", "cannot parse the query (list index out of range)", None),
        (
            "(" * 2000 + "x" + ")" * 2000,
            "cannot parse the query (maximum recursion depth exceeded)",
            None,
        ),
    ],
)
def test_query_tree_errors_say_what_and_where(
    text: str, message: str, position: int | None
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert (caught.value.message, caught.value.position) == (message, position)


def test_query_tree_unknown_field_lists_the_fields() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("colour:red")
    assert caught.value.position == 0
    assert caught.value.message.startswith("unknown field 'colour'; fields are body, date, id,")


# -- the Whoosh compilation equals the old parser's result ---------------------------------------


def _real_day(number: int | None, up: bool) -> int | None:
    """A YYYYMMDD number as the ordinal of the real day it stands for (31 Nov: 1 Dec)."""
    if number is None:
        return None
    year, month, day = number // 10000, number // 100 % 100, number % 100
    if day == 0 or month < 1:
        return dt.date(year, max(month, 1), 1).toordinal() - 1
    while True:
        try:
            return dt.date(year, month, day).toordinal()
        except ValueError:
            if not up:
                day -= 1
                continue
            year, month, day = (year + 1, 1, 1) if month == 12 else (year, month + 1, 1)


def _days(node: Any) -> Any:
    if isinstance(node, wq.NumericRange) and node.fieldname == "date":
        low, high = _real_day(node.start, True), _real_day(node.end, False)
        return wq.NumericRange("date", low, high, constantscore=True)
    return node


def _canonical(compiled: Any) -> str:
    text = repr(compiled.normalize().accept(_days))
    return text.replace("_SideBySide", "SideBySide")


def _golden() -> list[Any]:
    rows = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    return [pytest.param(row, id=f"{row['operator']}:{row['query'][:40]}") for row in rows]


def test_query_tree_golden_covers_docs_and_tests() -> None:
    queries = {param.values[0]["query"] for param in _golden()}
    assert len(queries) > 500
    doc = (Path(__file__).parents[1] / "docs" / "query-syntax.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([^`]+)` \|", doc, re.M))
    assert documented <= queries


@pytest.mark.parametrize("row", _golden())
def test_query_tree_compiles_as_before(row: dict[str, Any]) -> None:
    try:
        compiled = parse_query(row["query"], SCHEMA, row["operator"])
    except QuerySyntaxError as exc:
        assert [exc.message, exc.position] == row.get("error")
        return
    assert "error" not in row, f"expected the error {row['error']}"
    text = _canonical(compiled)
    if "query_repr" in row:
        assert text == row["query_repr"]
    else:
        assert hashlib.sha256(text.encode()).hexdigest()[:16] == row["query_sha256"], text


# -- any query from the grammar's pieces parses to a tree or a syntax error ------------------------

_PIECES = st.sampled_from(
    ["japan", "india", "the", "of", "José", "semiconductors", "foo,bar", "x.y", "2025", "-", "!!"]
    + ['"', "(", ")", " AND ", " OR ", " NOT ", " ANDNOT ", " ", "*", "?", "~", "~2", "*:*"]
    + ["title:", "people:", "date:", "colour:", "date:2025-11", "date:2025-13", "date:>2025-11"]
    + ["[a TO c]", "{2025-11-24 TO 2025-11-30]", "date:[2025-12-01 TO 2025-11-01]", ">", ":"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join), st.sampled_from(["or", "and"]))
def test_query_tree_any_pieces_give_a_tree_or_a_syntax_error(text: str, operator: str) -> None:
    try:
        node = parse(text, operator)
    except QuerySyntaxError as exc:
        assert exc.position is None or 0 <= exc.position <= len(text)
        return
    compiled = parse_query(text, SCHEMA, operator)
    assert isinstance(compiled, wq.Query)
    assert node == parse(text, operator)  # parsing is a pure function of the text
