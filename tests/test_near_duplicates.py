"""Near-duplicates: the same story syndicated with small edits is shown once, with a count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Article, BuildOptions, NewsIndex
from newsindex.cli import main

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine

STORY = (
    "Chipmakers in Taiwan said on Monday they would expand production of advanced "
    "semiconductors next year, as demand for processors used in artificial intelligence "
    "systems keeps rising. The companies plan new factories in Kaohsiung and Tainan, and "
    "expect the first lines to open in the second half of the year, officials said. "
    "Analysts said the investment would strengthen the island's position in the supply chain."
)
OTHER = (
    "The central bank left interest rates unchanged on Thursday, citing slowing inflation "
    "and a cooling labour market. Its governor said further cuts were possible if prices "
    "kept easing through the spring, but warned that energy costs remained uncertain."
)


def _articles() -> list[Article]:
    return [
        Article(id="wire-1", title="Taiwan chipmakers to expand", body=STORY),
        Article(
            id="wire-2",
            title="Chip firms in Taiwan plan expansion",
            body=STORY + " Reporting by a staff correspondent.",
        ),
        Article(
            id="wire-3", title="Taiwan semiconductors", body=STORY.replace("Monday", "Tuesday")
        ),
        Article(
            id="bank", title="Rates on hold", body=OTHER + " Semiconductors were not discussed."
        ),
    ]


def test_near_duplicates_fold_under_the_best_hit(tmp_path: Path) -> None:
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles(_articles(), BuildOptions(extractor="none"))
        results = index.search("semiconductors")
        assert results.total == 4
        assert len(results) == 2
        top = results[0]
        assert top.similar == 2
        assert set(top.similar_ids) | {top.id} == {"wire-1", "wire-2", "wire-3"}
        assert results[1].id == "bank" and results[1].similar == 0


def test_near_duplicates_all_option_shows_every_copy(tmp_path: Path, runner: CliRunner) -> None:
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles(_articles(), BuildOptions(extractor="none"))
    folded = runner.invoke(
        main, ["search", "semiconductors", "--json", "--index", str(tmp_path / "ix")]
    )
    everything = runner.invoke(
        main, ["search", "semiconductors", "--all", "--json", "--index", str(tmp_path / "ix")]
    )
    assert len(json.loads(folded.stdout)["hits"]) == 2
    assert len(json.loads(everything.stdout)["hits"]) == 4
