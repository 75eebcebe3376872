"""The name table: short mentions resolved to the full names a collection holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.errors import ConfigurationError
from newsindex.extract.resolution import NameTable, read_aliases

D = dt.date


@pytest.fixture(scope="module")
def table() -> NameTable:
    return NameTable.build(
        [
            ("Tony Blair", D(2005, 1, 3)),
            ("Tony Blair", D(2005, 2, 1)),
            ("George W Bush", D(2005, 1, 10)),
            ("George Bush", D(1989, 6, 1)),
            ("Lord Falconer", D(2005, 1, 5)),  # a title and one name: not a full name
            ("Charles Falconer", D(2005, 1, 5)),
            ("Blair", D(2005, 1, 4)),
        ]
    )


def test_extract_resolution_unique_surname_and_titles(table: NameTable) -> None:
    for mention in ("Blair", "Mr Blair", "Prime Minister Blair"):
        found = table.resolve(mention)
        assert (found.name, found.how) == ("Tony Blair", "unique")
    assert table.resolve("Lord Falconer").name == "Charles Falconer"
    assert table.resolve("Tony Blair").how == "full"


def test_extract_resolution_ambiguous_unless_the_period_decides(table: NameTable) -> None:
    found = table.resolve("President Bush")
    assert found.how == "ambiguous"
    assert found.name == "President Bush"
    assert set(found.candidates) == {"George W Bush", "George Bush"}
    assert table.resolve("Bush", D(2005, 3, 1)).name == "George W Bush"
    assert table.resolve("Bush", D(1989, 9, 1)).name == "George Bush"
    assert table.resolve("Bush", D(1997, 1, 1)).how == "ambiguous"


def test_extract_resolution_prefers_the_name_seen_far_more_often() -> None:
    seen = [("Ronald Reagan", D(1987, 3, day)) for day in range(1, 9)]
    seen += [("Nancy Reagan", D(1987, 3, 2)), ("Secretary James Baker", D(1987, 3, 3))]
    seen += [("James Baker", D(1987, 3, 4)), ("Reagan Said", D(1987, 3, 5))]
    table = NameTable.build(seen)
    found = table.resolve("President Reagan", D(1987, 3, 10))
    assert (found.name, found.how) == ("Ronald Reagan", "period")
    assert table.resolve("Reagan").how == "frequent"
    assert table.resolve("Baker").name == "James Baker"  # the longer form adds a word only


def test_extract_resolution_unknown_and_aliases(table: NameTable, tmp_path: Path) -> None:
    assert table.resolve("Reagan").how == "unknown"
    path = tmp_path / "aliases.tsv"
    path.write_text("# my names\nBush\tGeorge W Bush\nGipper\tRonald Reagan\n", encoding="utf-8")
    aliased = NameTable.build([("George Bush", D(1989, 1, 1))], aliases=read_aliases(path))
    assert aliased.resolve("Mr Bush").name == "George W Bush"
    assert aliased.resolve("Gipper").how == "alias"
    assert aliased.full_names() == ("George Bush",)


def test_extract_resolution_bad_alias_file(tmp_path: Path) -> None:
    path = tmp_path / "aliases.tsv"
    path.write_text("Bush George W Bush\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="aliases.tsv:1"):
        read_aliases(path)


_NAMES = st.sampled_from(["Tony Blair", "Cherie Blair", "George W Bush", "Gordon Brown"])


@settings(derandomize=True, deadline=None, max_examples=100)
@given(st.lists(_NAMES, min_size=1, max_size=6), st.sampled_from(["Blair", "Bush", "Brown"]))
def test_extract_resolution_never_merges_into_a_name_not_holding_it(
    names: list[str], mention: str
) -> None:
    table = NameTable.build((n, None) for n in names)
    found = table.resolve(mention)
    if found.resolved:
        assert mention in found.name.split()
        assert found.name in names
    holders = {n for n in names if mention in n.split()}
    if len(holders) == 1:
        assert found.resolved
    counts = sorted((names.count(n) for n in holders), reverse=True)
    if len(counts) > 1 and counts[0] < 4 * counts[1]:
        assert not found.resolved  # no name is seen far more often: ambiguous


def test_extract_resolution_initials_must_fit_and_suffixes_do_not_count() -> None:
    table = NameTable.build(
        [("Anil Aggarwal", None), ("Mervyn King", None), ("John Johnstone Jr", None)]
    )
    assert table.resolve("B. D. Aggarwal").how == "unknown"
    assert table.resolve("D.F. King").how == "unknown"
    assert table.resolve("M. King").name == "Mervyn King"
    assert table.resolve("Mr Johnstone").name == "John Johnstone Jr"


def test_extract_resolution_counts_observations_in_bulk() -> None:
    bulk = NameTable()
    bulk.add("Nancy Reagan", D(1987, 7, 1), count=2)
    bulk.add("Ronald Reagan", D(1987, 7, 1), count=9)
    assert bulk.seen("Ronald Reagan") == 9
    assert bulk.resolve("Reagan", D(1987, 3, 1)).name == "Ronald Reagan"
