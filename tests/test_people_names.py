"""The index's name table on every engine: short names of people counted under the full
name they mean, in facets, filters, related entities and ``show``, built from files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import BuildOptions, ConfigurationError, NewsIndex, SearchOptions
from newsindex.cli import main

pytestmark = pytest.mark.usefixtures("engine")

ARTICLES = {
    "blair-1.txt": (
        "2004-05-03",
        "Blair sets out school plans",
        "Prime Minister Tony Blair said on Monday that every school in England would get "
        "more money next year. Tony Blair told MPs the plan was fair.",
    ),
    "blair-2.txt": (
        "2004-06-07",
        "Schools row grows",
        "Teachers criticised the plan on Tuesday. Mr Blair said the money would reach every "
        "classroom by the autumn.",
    ),
    "bush-1988-1.txt": (
        "1988-03-01",
        "Bush wins primary",
        "Vice President George Bush won the primary in New Hampshire on Tuesday, his "
        "campaign said.",
    ),
    "bush-1988-2.txt": (
        "1988-04-05",
        "Campaign moves south",
        "Mr Bush told supporters in Texas that taxes would not rise.",
    ),
    "bush-2004-1.txt": (
        "2004-03-02",
        "President speaks on economy",
        "President George W Bush said on Tuesday the economy was growing.",
    ),
    "bush-2004-2.txt": (
        "2004-04-06",
        "White House defends plan",
        "Mr Bush told reporters in Washington that the plan would create jobs.",
    ),
    "smith-1.txt": (
        "2004-02-02",
        "Home Office changes",
        "John Smith, a Home Office minister, said the rules would change.",
    ),
    "smith-2.txt": (
        "2004-02-09",
        "New minister named",
        "Jacqui Smith was named schools minister on Monday.",
    ),
    "smith-3.txt": (
        "2004-02-16",
        "Minister visits Leeds",
        "Ms Smith visited a school in Leeds on Friday, officials said.",
    ),
}


def write(folder: Path, names: list[str]) -> Path:
    """The articles ``names`` as seed-format files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        date, title, body = ARTICLES[name]
        (folder / name).write_text(f"date {date}\n{title}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return write(tmp_path / "news", list(ARTICLES))


@pytest.fixture
def index(tmp_path: Path, news: Path) -> Iterator[NewsIndex]:
    with NewsIndex.create(tmp_path / "index") as opened:
        opened.build([news])
        yield opened


def people(index: NewsIndex, query: str = "*", **keywords: object) -> dict[str, int]:
    facet = index.facets(query, ("people",), top=20, **keywords)["people"]  # type: ignore[arg-type]
    return {c.value: c.count for c in facet.counts}


def found(index: NewsIndex, query: str = "*", **keywords: object) -> set[str]:
    results = index.search(query, limit=50, **keywords)  # type: ignore[arg-type]
    return {Path(h.id).name for h in results}


def test_people_names_table_resolves_by_uniqueness_and_period(index: NewsIndex) -> None:
    names = index.names()
    blair = names.resolve("Blair")
    assert (blair.name, blair.how) == ("Tony Blair", "unique")
    assert names.resolve("Mr Blair").name == "Tony Blair"
    assert names.canonical("Bush", _day("1988-04-05")) == "George Bush"
    assert names.canonical("President Bush", _day("2004-04-06")) == "George W Bush"
    undated = names.resolve("Bush")
    assert undated.how == "ambiguous"
    assert set(undated.candidates) == {"George Bush", "George W Bush"}
    smith = names.resolve("Smith", _day("2004-02-16"))
    assert smith.how == "ambiguous" and not smith.resolved
    assert names.resolve("Tony Blair").how == "full"
    assert {r.mention for r in names.mentions_of("Tony Blair")} == {"Blair"}


def test_people_names_facets_count_short_names_under_full_names(index: NewsIndex) -> None:
    assert people(index) == {
        "Tony Blair": 2,
        "George Bush": 2,
        "George W Bush": 2,
        "John Smith": 1,
        "Jacqui Smith": 1,
        "Smith": 1,
    }
    assert people(index, "plan") == {"Tony Blair": 2, "George W Bush": 1}
    few = index.facets("*", ("people", "date"), top=1, interval="year")
    assert [(c.value, c.count) for c in few["people"].counts] == [("George Bush", 2)]
    assert [c.value for c in few["date"].counts] == ["1988", "2004"]
    assert people(index, since="2004-01-01") == {
        "Tony Blair": 2,
        "George W Bush": 2,
        "John Smith": 1,
        "Jacqui Smith": 1,
        "Smith": 1,
    }


def test_people_names_filters_and_queries_find_the_short_names(index: NewsIndex) -> None:
    assert found(index, people=["Tony Blair"]) == {"blair-1.txt", "blair-2.txt"}
    assert found(index, people=["George W Bush"]) == {"bush-2004-1.txt", "bush-2004-2.txt"}
    assert found(index, 'people:"george bush"') == {"bush-1988-1.txt", "bush-1988-2.txt"}
    assert found(index, 'people:"tony blair" AND money') == {"blair-1.txt", "blair-2.txt"}
    assert found(index, people=["Smith"]) == {"smith-1.txt", "smith-2.txt", "smith-3.txt"}
    timeline = index.timeline(['people:"george w bush"'], interval="year")
    series = timeline.series['people:"george w bush"']
    assert dict(zip(timeline.buckets, series, strict=True)) == {"2004": 2}


def test_people_names_filters_do_not_change_the_ranking(index: NewsIndex) -> None:
    everything = [Path(h.id).name for h in index.search("plan", limit=50)]
    narrowed = [Path(h.id).name for h in index.search("plan", people=["Tony Blair"], limit=50)]
    assert narrowed == [name for name in everything if name.startswith("blair")]


def test_people_names_related_entities_and_buckets(index: NewsIndex) -> None:
    related = index.related_entities("places", "Texas", by=("people",))
    assert [c.value for c in related["people"].counts] == ["George Bush"]
    by_year = index.facets_over_time("*", ("people",), interval="year")
    assert {c.value: c.count for c in by_year["1988"]["people"].counts} == {"George Bush": 2}
    assert "Bush" not in {c.value for c in by_year["2004"]["people"].counts}


def test_people_names_a_later_build_resolves_earlier_articles(tmp_path: Path) -> None:
    news = write(tmp_path / "news", ["blair-2.txt"])
    with NewsIndex.create(tmp_path / "index") as index:
        index.build([news])
        assert people(index) == {"Blair": 1}
        assert index.names().resolve("Blair").how == "unknown"
        write(news, ["blair-1.txt"])
        index.build([news])
        assert people(index) == {"Tony Blair": 2}
        (news / "blair-1.txt").unlink()
        index.build([news])
        assert people(index) == {"Blair": 1}


def test_people_names_aliases_override_and_survive_a_rebuild(
    index: NewsIndex, news: Path, tmp_path: Path
) -> None:
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("# mine\nSmith\tJacqui Smith\n", encoding="utf-8")
    table = index.set_aliases(aliases)
    assert table.resolve("Smith").how == "alias"
    assert people(index)["Jacqui Smith"] == 2 and "Smith" not in people(index)
    index.build([news], BuildOptions(rebuild=True))
    assert people(index)["Jacqui Smith"] == 2
    index.set_aliases(None)
    assert people(index)["Smith"] == 1
    bad = tmp_path / "bad.tsv"
    bad.write_text("Smith has no tab\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="bad.tsv:1"):
        index.set_aliases(bad)


def test_people_names_cli_names_and_show(
    runner: CliRunner, index: NewsIndex, index_arg: Callable[[Path], str], tmp_path: Path
) -> None:
    where = index_arg(tmp_path / "index")
    index.close()
    listed = runner.invoke(main, ["names", "--index", where])
    assert listed.exit_code == 0, listed.output
    assert "Blair → Tony Blair  (unique)" in listed.output
    assert "Bush → George Bush  (period in 1988)" in listed.output
    asked = runner.invoke(main, ["names", "Mr Blair", "Smith", "--json", "--index", where])
    rows = json.loads(asked.output)
    assert [(r["mention"], r["name"], r["how"]) for r in rows] == [
        ("Mr Blair", "Tony Blair", "unique"),
        ("Smith", "Smith", "ambiguous"),
    ]
    with NewsIndex.open(where) as reopened:
        article = next(i for i in reopened.ids() if i.endswith("blair-2.txt"))
    shown = runner.invoke(main, ["show", article, "--index", where])
    assert "counted as Tony Blair: unique" in shown.output
    missing = runner.invoke(main, ["names", "--aliases", str(tmp_path / "nope.tsv")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_people_names_unknown_table_format_reads_as_empty() -> None:
    from newsindex.people_names import PeopleNames

    assert not PeopleNames.from_dict({"format": 99, "rules": [{"mention": "x"}]}, None)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_people_names_count_matching_agrees_with_search(index: NewsIndex) -> None:
    from newsindex import Filters
    from newsindex.query import ParsedQuery
    from newsindex.query.tree import All

    engine = index._engine
    for text, filters in [
        ("*", Filters()),
        ("plan", Filters()),
        ("plan", Filters(since=dt.date(2004, 5, 1))),
        ("*", Filters(places=("Texas",))),
    ]:
        parsed = ParsedQuery(text, All()) if text == "*" else index._parse(text, "or")
        expected = index.search(text, options=SearchOptions(filters=filters, limit=50)).total
        assert engine.count_matching(parsed, filters) == expected


def test_people_names_a_table_that_cannot_be_made_does_not_fail_the_build(
    tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsindex import IndexCorruptError, people_names

    def refuse(*args: object, **kwargs: object) -> None:
        raise IndexCorruptError("index", "too many buckets")

    monkeypatch.setattr(people_names, "compute_names", refuse)
    with NewsIndex.create(tmp_path / "index") as index:
        report = index.build([news])
        assert report.added == len(ARTICLES)
        assert any("name table was not updated" in w for w in report.warnings)
        assert people(index)["Blair"] == 1  # counted as written, without a table
