"""Quality gates for themes and dates, on the evaluation halves of the shared corpora.

Floors sit slightly below the figures measured by ``python -m benchmarks.eval_themes``
and ``python -m benchmarks.eval_dates`` (docs/evaluation.md): a change that makes
tagging or dating worse fails here.  Each test skips when its corpus is absent.
"""

from __future__ import annotations

import pytest

from benchmarks import eval_dates, eval_themes
from newsindex.extract.themes import ThemeTagger
from tests.corpora import require

# Measured on the test halves (BBC odd files, AG odd rows, ModApte test); floors a little below.
FLOORS = {
    "bbc_macro_f1": 0.92,  # measured 0.934
    "bbc_accuracy": 0.92,  # measured 0.934
    "ag_macro_f1": 0.80,  # measured 0.823
    "reuters_macro_f1": 0.73,  # measured 0.750
    "reuters_dateline_day_month": 0.96,  # measured 0.9715
    "reuters_dateline_within_a_day": 0.99,  # measured 0.9977
}


def _need(folder: str) -> None:
    require(folder)


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger.load()


def test_extract_themes_quality_bbc(tagger: ThemeTagger) -> None:
    _need("bbc-news")
    accuracy, macro = eval_themes.evaluate_bbc(tagger, "test")
    assert macro >= FLOORS["bbc_macro_f1"]
    assert accuracy >= FLOORS["bbc_accuracy"]


def test_extract_themes_quality_ag_news(tagger: ThemeTagger) -> None:
    _need("ag-news")
    _, macro = eval_themes.evaluate_ag(tagger, "test")
    assert macro >= FLOORS["ag_macro_f1"]


def test_extract_themes_quality_reuters(tagger: ThemeTagger) -> None:
    _need("reuters21578")
    macro, _ = eval_themes.evaluate_reuters(tagger, "test")
    assert macro >= FLOORS["reuters_macro_f1"]


def test_extract_themes_quality_reuters_datelines() -> None:
    _need("reuters21578")
    scores = eval_dates.evaluate_reuters()
    assert scores["day_month"] >= FLOORS["reuters_dateline_day_month"]
    assert scores["within_a_day"] >= FLOORS["reuters_dateline_within_a_day"]
