"""Research features on every engine: attention normalised by volume, batch search, facet
value matching and key terms, on a small index whose answers are known."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Article, BuildOptions, Filters, NewsIndex
from newsindex.attention import AttentionTimeline, moving_average
from newsindex.cli import main

pytestmark = pytest.mark.usefixtures("engine")

FILLER = (
    "river garden window lantern pencil harbor meadow violin canyon orchard "
    "bicycle compass blanket saddle thunder pebble quarry willow falcon marble "
    "ribbon carpet lizard walnut glacier tunnel parrot velvet anchor kettle"
).split()
COMMON = "market report"
"""Words in every article: they must never be key terms."""


def _body(rng: random.Random, extra: str = "") -> str:
    words = rng.sample(FILLER, 12)
    return f"{COMMON} {' '.join(words)} {extra}".strip() + "."


def corpus() -> list[Article]:
    """January 2024: 10 articles, 2 on tariffs; February: 2 articles, both on tariffs.

    Every tariffs article also says "zollwerk" and names Ada Planted: the key terms.
    """
    rng = random.Random(7)
    articles: list[Article] = []
    for n in range(12):
        tariffs = n in (0, 1, 10, 11)
        day = dt.date(2024, 1, 1 + n) if n < 10 else dt.date(2024, 2, n - 8)
        people = ("Ada Planted", "Zoë Blanco") if tariffs else ("Bob Common",)
        extra = "tariffs zollwerk duties" if tariffs else ""
        articles.append(
            Article(
                id=f"a{n:02d}",
                title=f"Story {n} {'tariffs' if tariffs else 'local'}",
                body=_body(rng, extra),
                date=day,
                people=(*people, "Zoe Other") if n == 0 else people,
                places=("Geneva",),
            )
        )
    return articles


@pytest.fixture
def research_index(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "index"
    with NewsIndex.create(path) as index:
        index.add_articles(corpus(), BuildOptions(extractor="none"))
    yield path


# -- attention normalised by volume -----------------------------------------------------


def test_research_timeline_normalize_divides_by_all_articles(research_index: Path) -> None:
    with NewsIndex.open(research_index) as index:
        plain = index.timeline(["tariffs"])
        result = index.timeline(["tariffs"], normalize=True)
    assert not isinstance(plain, AttentionTimeline)
    assert isinstance(result, AttentionTimeline)
    assert result.buckets == ("2024-01", "2024-02")
    assert result.series == {"tariffs": (2, 2)}
    assert result.totals == (10, 2)
    assert result.ratios == {"tariffs": (0.2, 1.0)}
    assert result.to_dict()["totals"] == [10, 2]


def test_research_timeline_totals_follow_the_filters(research_index: Path) -> None:
    with NewsIndex.open(research_index) as index:
        result = index.timeline(["tariffs"], normalize=True, filters=Filters(until="2024-01-05"))
    assert isinstance(result, AttentionTimeline)
    assert result.totals == (5,) and result.ratios["tariffs"] == (0.4,)


def test_research_moving_average_is_trailing() -> None:
    assert moving_average([1.0, 3.0, 5.0, 7.0], 2) == (1.0, 2.0, 4.0, 6.0)
    assert moving_average([3.0, 6.0, 9.0], 3) == (3.0, 4.5, 6.0)


def test_research_timeline_cli_normalize_csv(runner: CliRunner, research_index: Path) -> None:
    args = ["timeline", "tariffs", "local", "--normalize", "--smooth", "2", "--csv"]
    result = runner.invoke(main, [*args, "--index", str(research_index)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["bucket"] for r in rows] == ["2024-01", "2024-02"]
    assert rows[1]["total"] == "2" and rows[1]["tariffs"] == "2"
    assert float(rows[1]["tariffs ratio"]) == 1.0 and float(rows[0]["local ratio"]) == 0.8
    assert float(rows[1]["tariffs smoothed"]) == pytest.approx(0.6)


def test_research_timeline_cli_normalize_json_and_table(
    runner: CliRunner, research_index: Path
) -> None:
    index = ["--index", str(research_index)]
    data = json.loads(
        runner.invoke(main, ["timeline", "tariffs", "--normalize", "--json", *index]).stdout
    )
    assert data["series"] == {"tariffs": [2, 2]} and data["totals"] == [10, 2]
    table = runner.invoke(main, ["timeline", "tariffs", "--normalize", *index])
    assert table.exit_code == 0
    assert table.stdout.splitlines()[1].split() == ["2024-01", "10", "20.00%"]


# -- batch search -----------------------------------------------------------------------


NAMES = '# people to check\ntariffs\n\nlocal AND\npeople:"Bob Common"\n'


def test_research_batch_api_counts_dates_and_errors(research_index: Path) -> None:
    with NewsIndex.open(research_index) as index:
        report = index.batch(NAMES.splitlines(), per="month", top=2)
    assert [item.line for item in report.items] == [2, 4, 5]
    tariffs, broken, bob = report.items
    assert tariffs.total == 4 and len(tariffs.hits) == 2
    assert (tariffs.first_date, tariffs.last_date) == (dt.date(2024, 1, 1), dt.date(2024, 2, 3))
    assert tariffs.per == {"2024-01": 2, "2024-02": 2}
    assert broken.error and "position" in broken.error and report.failed == (broken,)
    assert bob.total == 8 and bob.per == {"2024-01": 8}


def test_research_batch_cli_reports_bad_lines_and_keeps_going(
    runner: CliRunner, research_index: Path, tmp_path: Path
) -> None:
    names = tmp_path / "names.txt"
    names.write_text(NAMES, encoding="utf-8")
    args = ["batch", str(names), "--per", "month", "--csv", "--index", str(research_index)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{names}:4: bad query at position")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["line"], r["total"], r["2024-02"]) for r in rows] == [
        ("2", "4", "2"),
        ("4", "0", "0"),
        ("5", "8", "0"),
    ]
    assert rows[0]["first_date"] == "2024-01-01" and rows[0]["top"].count("(a") == 3
    filtered = runner.invoke(main, [*args[:2], "--json", "--since", "2024-02", *args[-2:]])
    assert json.loads(filtered.stdout)["queries"][0]["total"] == 2


# -- search inside a facet's values -----------------------------------------------------


def test_research_facet_match_ignores_case_and_accents(research_index: Path) -> None:
    with NewsIndex.open(research_index) as index:
        found = index.facets("*", ("people",), match="ZOE")["people"]
        within = index.facets("local", ("people", "places"), match="o")
    assert [(c.value, c.count) for c in found.counts] == [("Zoë Blanco", 4), ("Zoe Other", 1)]
    assert found.total == 12
    assert [c.value for c in within["people"].counts] == ["Bob Common"]
    assert within["people"].total == 8 and within["places"].counts == ()


def test_research_facet_match_from_the_cli(runner: CliRunner, research_index: Path) -> None:
    index = ["--index", str(research_index)]
    result = runner.invoke(
        main, ["facets", "*", "--by", "people", "--match", "zoë", "--csv", *index]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["value"] for r in rows] == ["Zoë Blanco", "Zoe Other"]
    bad = runner.invoke(main, ["facets", "*", "--by", "date", "--match", "x", *index])
    assert bad.exit_code == 2 and "--match filters names, not dates" in bad.stderr


# -- key terms --------------------------------------------------------------------------


def test_research_g2_matches_dunnings_worked_figure() -> None:
    from newsindex.keyterms import g2

    # [[10, 90], [5, 895]]: expected 1.5, 98.5, 13.5, 886.5; 2 Σ O ln(O/E) = 28.847
    assert g2(10, 100, 5, 900) == pytest.approx(28.847, abs=0.001)
    assert g2(0, 10, 0, 10) == 0.0


def test_research_keyterms_planted_words_first_common_never(research_index: Path) -> None:
    with NewsIndex.open(research_index) as index:
        words = index.keyterms("tariffs", top=10)
        people = index.keyterms("tariffs", by="people")
        sampled = index.keyterms("tariffs", sample=3)
    assert {t.term for t in words.terms[:2]} == {"zollwerk", "duties"}
    assert (words.terms[0].matches, words.terms[0].others) == (4, 0)
    assert not {"market", "report", "tariffs"} & {t.term for t in words.terms}
    assert not words.sampled and (words.matching, words.others) == (4, 8)
    assert [t.term for t in people.terms][:2] == ["Ada Planted", "Zoë Blanco"]
    assert "Bob Common" not in {t.term for t in people.terms}
    assert sampled.sampled and (sampled.matching, sampled.others) == (3, 3)


def test_research_keyterms_cli_csv(runner: CliRunner, research_index: Path) -> None:
    args = ["keyterms", "tariffs", "--top", "2", "--csv", "--index", str(research_index)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["term"] for r in rows} == {"zollwerk", "duties"}
    assert rows[0]["matches"] == "4" and rows[0]["others"] == "0"


# -- one story, many titles -------------------------------------------------------------


def test_research_build_keeps_one_story_under_outlet_titles(tmp_path: Path) -> None:
    body = "Tariffs raise prices for shoppers and firms alike, economists said on Monday."
    titles = [
        "Tariffs bite shoppers | Reuters",
        "Opinion | Tariffs bite shoppers - The Planet",
        "Tariffs bite shoppers",
    ]
    articles = [Article(id=f"t{n}", title=t, body=body) for n, t in enumerate(titles)]
    with NewsIndex.create(tmp_path / "index") as index:
        report = index.add_articles(articles, BuildOptions(extractor="none"))
        assert len(index) == 1
    assert {d.id for d in report.duplicates} == {"t1", "t2"}


def test_research_moving_average_of_zeros_is_plain_zero() -> None:
    averages = moving_average([0.1, 0.2, 0.0, 0.0], 2)
    assert averages[-1] == 0.0 and str(averages[-1]) == "0.0"
