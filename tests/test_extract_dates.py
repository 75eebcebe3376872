"""Tests for publication dates and mentioned dates found in text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.extract.dates import find_dateline, find_dates_mentioned, find_publication_date

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON, March 3, 1987 - The Treasury said", dt.date(1987, 3, 3)),
        ("November 23, 2025. Leaders met in Johannesburg.", dt.date(2025, 11, 23)),
        ("Published 23 November 2025 by our correspondent.", dt.date(2025, 11, 23)),
        ("Updated: 2025-11-23\nLeaders met.", dt.date(2025, 11, 23)),
        ("Sun 23rd Nov. 2025 - text", dt.date(2025, 11, 23)),
        (
            "2025-11-23T09:30:00+01:00 Leaders met.",
            dt.datetime(2025, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        ("2025-11-23 09:30Z Leaders met.", dt.datetime(2025, 11, 23, 9, 30, tzinfo=UTC)),
        (
            "November 23, 2025, 10:30 a.m. EST - Leaders met.",
            dt.datetime(2025, 11, 23, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ),
        (
            "23 November 2025 at 14:05 (UTC+5:30) Leaders met.",
            dt.datetime(2025, 11, 23, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        ),
        ("Nov. 23, 2025 14:05 GMT: Leaders met.", dt.datetime(2025, 11, 23, 14, 5, tzinfo=UTC)),
        ("November 23, 2025 at 10:30 a.m. the leaders met.", dt.date(2025, 11, 23)),
        ("NAIROBI, Kenya (AP) _ Thousands of laborers protested.", None),
        ("The meeting is planned. No date here at all.", None),
        ("February 30, 2024 was no day at all.", None),
    ],
)
def test_extract_dates_publication_date(text: str, expected: object) -> None:
    assert find_publication_date(text) == expected


def test_extract_dates_dateline_year_from_reference() -> None:
    text = "LONDON, Dec 30 - Sterling rose."
    assert find_publication_date(text, dt.date(2026, 1, 2)) == dt.date(2025, 12, 30)
    assert find_publication_date(text, dt.datetime(2025, 12, 31, tzinfo=UTC)) == dt.date(
        2025, 12, 30
    )


def test_extract_dates_dateline_without_year_or_reference_gives_none() -> None:
    assert find_publication_date("NEW YORK, Feb 26 - Net profit rose in 1986.") is None
    text = "NEW YORK, Feb 26 - Notes due February 26, 1999 were sold."
    assert find_publication_date(text) is None


def test_extract_dates_later_full_dates_are_not_publication_dates() -> None:
    text = "Kansai Electric is issuing a bond\ndue April 30, 1994, at 101."
    assert find_publication_date(text) is None


def test_extract_dates_find_dateline() -> None:
    line = find_dateline("  SANTA CRUZ, Calif., Feb 26 - Plantronics said")
    assert line is not None
    assert (line.place, line.month, line.day, line.year) == ("SANTA CRUZ, Calif.", 2, 26, None)
    assert find_dateline("LONDON, March 3 (Reuters) - Shares fell") is not None
    assert find_dateline("Prices may 3 - fall") is None
    wire = find_dateline("****SADDLE BROOK, N.J., march 11 - Michigan General said")
    assert wire is not None and (wire.month, wire.day) == (3, 11)
    typo = find_dateline("ALBANY, N.Y., Marc 3 - KeyCorp said")
    assert typo is not None and (typo.month, typo.day) == (3, 3)


def test_extract_dates_mentioned_with_reference() -> None:
    text = (
        "Leaders held talks on Sunday, November 23, after arriving yesterday. "
        "They meet again on 2 December and met on March 4, 2024. Feb 30, 2025 is ignored."
    )
    found = find_dates_mentioned(text, dt.date(2025, 11, 24))
    assert found == (
        dt.date(2024, 3, 4),
        dt.date(2025, 11, 23),
        dt.date(2025, 12, 2),
    )


def test_extract_dates_mentioned_without_reference_keeps_only_full_dates() -> None:
    text = "On Sunday, November 23, and on 4 March 2024, and yesterday."
    assert find_dates_mentioned(text, None) == (dt.date(2024, 3, 4),)


def test_extract_dates_lower_case_month_words_are_not_dates() -> None:
    text = "Prices may 3 times rise; they march 4 miles."
    assert find_dates_mentioned(text, dt.date(2025, 1, 1)) == ()


@settings(derandomize=True, deadline=None, max_examples=200)
@given(
    text=st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            [
                "March",
                "Feb",
                "30",
                "31,",
                "2025",
                "-",
                "2025-02-30",
                "Sunday",
                "yesterday",
                "WASHINGTON,",
                "(AP)",
                "_",
                "1st",
                "T25:00",
                "+99:99",
                "Z",
                " ",
                "\n",
                "9999",
            ]
        ),
        max_size=20,
    ).map(" ".join),
    reference=st.none() | st.dates() | st.datetimes(timezones=st.just(UTC)),
)
def test_extract_dates_never_raise(text: str, reference: dt.date | None) -> None:
    found = find_publication_date(text, reference)
    assert found is None or isinstance(found, dt.date)
    assert all(isinstance(day, dt.date) for day in find_dates_mentioned(text, reference))
