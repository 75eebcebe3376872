"""How results show at the prompt and in a notebook: short text, small escaped HTML tables."""

from __future__ import annotations

import datetime as dt

from newsindex import Facet, FacetCount, Hit, SearchResults, Snippet, Timeline
from newsindex.results import FacetsOverTime


def hit(rank: int, title: str = "Story", day: dt.date | None = dt.date(2025, 11, 3)) -> Hit:
    return Hit(
        id=f"a{rank}",
        score=1.0,
        rank=rank,
        title=title,
        date=day,
        people=("Ada <Lovelace>",),
        places=("Paris",),
        organisations=(),
        themes=(),
        source="Wire",
        url="",
        path="",
        snippet=Snippet("text"),
    )


def results(count: int, total: int, title: str = "Story") -> SearchResults:
    hits = tuple(hit(n, f"{title} {n}") for n in range(1, count + 1))
    return SearchResults(query="tides", hits=hits, total=total, page_size=10)


def test_display_repr_shows_first_hits_then_how_many_more() -> None:
    text = repr(results(10, 1234))
    lines = text.splitlines()
    assert lines[0] == "<SearchResults 'tides': 1,234 matching, page 1 (10 hits)>"
    assert lines[1] == "    1. 2025-11-03  Story 1"
    assert len(lines) == 7
    assert lines[-1] == "  … 1,229 more"


def test_display_repr_of_a_short_result_has_no_more_line() -> None:
    lines = repr(results(2, 2)).splitlines()
    assert len(lines) == 3 and "more" not in lines[-1]


def test_display_repr_cuts_long_titles_and_marks_undated() -> None:
    long = SearchResults("q", (hit(1, "word " * 40, None),), 1)
    line = repr(long).splitlines()[1]
    assert "undated" in line and line.endswith("…") and len(line) < 110


def test_display_results_html_is_escaped() -> None:
    page = results(3, 50, title="<script>alert(1)</script>")
    html = page._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 1" in html
    assert "Ada &lt;Lovelace&gt;" in html
    assert html.count("<tr>") == 4  # the header row and three hits
    assert "… 47 more" in html


def test_display_facet_and_facets_over_time_html() -> None:
    facet = Facet("people", (FacetCount("A & B", 3), FacetCount("C", 1)), 4)
    html = facet._repr_html_()
    assert "<caption>people (4 matching articles)</caption>" in html
    assert "<td>A &amp; B</td><td>3</td>" in html
    over_time = FacetsOverTime({"2025-11": {"people": facet}}, "month")
    assert "<td>A &amp; B (3), C (1)</td>" in over_time._repr_html_()


def test_display_timeline_html_one_column_per_query() -> None:
    timeline = Timeline("month", ("2025-10", "2025-11"), {"<a>": (1, 0), "b": (2, 5)})
    html = timeline._repr_html_()
    assert "<th>month</th><th>&lt;a&gt;</th><th>b</th>" in html
    assert "<tr><td>2025-11</td><td>0</td><td>5</td></tr>" in html


def test_display_long_timeline_html_keeps_both_ends() -> None:
    labels = tuple(f"2025-01-{d:02d}" for d in range(1, 32)) + tuple(
        f"2025-02-{d:02d}" for d in range(1, 29)
    )
    timeline = Timeline("day", labels, {"q": tuple(range(len(labels)))})
    html = timeline._repr_html_()
    assert "2025-01-01" in html and "2025-02-28" in html and "2025-01-25" not in html
    assert "19 buckets in the middle left out" in html
