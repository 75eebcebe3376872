"""Tests for the theme tagger and the shipped taxonomy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.errors import ConfigurationError
from newsindex.extract import Theme
from newsindex.extract.taxonomy import parse_themes_file
from newsindex.extract.themes import ThemeTagger, taxonomy
from newsindex.readers import read_file

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "000_d6057e4f5df2a50a.txt"


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger.load()


def _names(themes: tuple[Theme, ...]) -> set[str]:
    return {theme.name for theme in themes}


def _seed_path() -> Path:
    for folder in (ROOT / "seeds", ROOT.parent / "shared" / "seeds"):
        if (folder / SEED_NAME).is_file():
            return folder / SEED_NAME
    pytest.skip(f"seed article {SEED_NAME} not found in seeds/ or ../shared/seeds/")


def test_extract_themes_seed_article_gets_required_themes(tagger: ThemeTagger) -> None:
    path = _seed_path()
    article = next(iter(read_file(path, path.parent)))
    assert not isinstance(article, str)
    names = _names(tagger.tag(article.title, article.body))  # type: ignore[union-attr]
    required = {"semiconductors", "artificial intelligence", "defence", "diplomacy"}
    assert required <= names
    assert "economic security" in names
    assert "politics and government" in names


def test_extract_themes_taxonomy_has_iptc_top_levels_and_fine_themes() -> None:
    infos = taxonomy()
    tops = [info for info in infos if info.level == 1]
    assert len(tops) == 17
    assert all(info.code.startswith("medtop:") and info.description for info in tops)
    fine = [info for info in infos if info.level == 2]
    assert 60 <= len(fine) <= 140
    top_names = {info.name for info in tops}
    assert all(info.parent in top_names for info in fine)
    names = {info.name for info in infos}
    for wanted in ("semiconductors", "climate change", "football", "inflation", "terrorism"):
        assert wanted in names
    assert len(names) == len(infos)


def test_extract_themes_fine_theme_brings_its_top_level(tagger: ThemeTagger) -> None:
    themes = tagger.tag(
        "Chipmaker profits soar on semiconductor demand",
        "The semiconductor maker said chip sales rose as demand for processors grew.",
    )
    by_name = {theme.name: theme for theme in themes}
    assert by_name["semiconductors"].parent == "science and technology"
    assert by_name["semiconductors"].code == "medtop:20000230"
    assert "semiconductor" in by_name["semiconductors"].evidence
    assert "science and technology" in by_name
    scores = [theme.score for theme in themes]
    assert scores == sorted(scores, reverse=True)


def test_extract_themes_passing_mention_does_not_tag(tagger: ThemeTagger) -> None:
    body = (
        "The striker scored twice as the champions won the league match 3-1. "
        "The coach praised the squad's defence after the game at the stadium, "
        "where fans sang throughout the second half of the season's final fixture."
    )
    names = _names(tagger.tag("Champions win league match", body))
    assert "sport" in names
    assert "defence" not in names


def test_extract_themes_matches_on_word_boundaries_and_plurals(tagger: ThemeTagger) -> None:
    assert "oil" not in _names(tagger.tag("Toilets and soil", "Boiling toil in the soil."))
    plural = tagger.tag("Tariffs", "New tariffs and more tariffs on imports, tariffs again.")
    assert "tariffs" in _names(plural)


def test_extract_themes_exact_case_phrases(tagger: ThemeTagger) -> None:
    assert "artificial intelligence" not in _names(tagger.tag("", "ai ai ai ai ai ai"))
    assert "artificial intelligence" in _names(tagger.tag("AI boom", "AI models and AI chips."))


def test_extract_themes_empty_text(tagger: ThemeTagger) -> None:
    assert tagger.tag("", "") == ()


def test_extract_themes_user_file_adds_theme(tmp_path: Path) -> None:
    path = tmp_path / "mine.themes"
    path.write_text(
        "# local themes\n[quantum computing]\n@parent science and technology\n"
        "@description Quantum computers.\nqubit | 3\nquantum computer | 3\n"
        "[football]\n=Arsenal FC | 3\n",
        encoding="utf-8",
    )
    tagger = ThemeTagger.load(extra=path)
    themes = {t.name: t for t in tagger.tag("A new qubit record", "Qubits were kept stable.")}
    assert themes["quantum computing"].code == "newsindex:quantum-computing"
    assert themes["quantum computing"].parent == "science and technology"
    assert "football" in _names(tagger.tag("Arsenal FC", "Arsenal FC signed a player."))
    assert any(info.name == "quantum computing" for info in taxonomy(path))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("qubit\n", "before any '[theme name]'"),
        ("[x]\n@colour red\n", "bad attribute"),
        ("[x]\nqubit | heavy\n", "bad weight"),
        ("[x]\n@parent no such theme\nqubit\n", "unknown parent"),
        ("[x]\nqubit | 0\n", "weight must be positive"),
    ],
)
def test_extract_themes_bad_user_file_raises(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.themes"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        ThemeTagger.load(extra=path)


def test_extract_themes_missing_user_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        ThemeTagger.load(extra=tmp_path / "absent.themes")


def test_extract_themes_error_names_file_and_line() -> None:
    with pytest.raises(ConfigurationError, match=r"mine\.themes:3: "):
        parse_themes_file("[x]\nok\n@bad\n", "mine.themes")


@settings(derandomize=True, deadline=None, max_examples=150)
@given(title=st.text(max_size=80), body=st.text(max_size=600))
def test_extract_themes_never_raises(tagger: ThemeTagger, title: str, body: str) -> None:
    themes = tagger.tag(title, body)
    assert all(theme.evidence and theme.score > 0 for theme in themes)


def test_extract_themes_title_counts_more_than_body(tagger: ThemeTagger) -> None:
    filler = "The report was published on a quiet day. " * 3
    in_title = {t.name: t.score for t in tagger.tag("Inflation rises", filler)}
    in_body = {t.name: t.score for t in tagger.tag("A report", filler + "Inflation rises.")}
    assert in_title["inflation"] > in_body["inflation"]


def test_extract_themes_each_phrase_counts_once_per_branch(tagger: ThemeTagger) -> None:
    # "Yahoo" is listed under the top level and under "internet": it must not count twice.
    themes = {t.name: t for t in tagger.tag("", "Yahoo said Yahoo users grew.")}
    top = themes.get("science and technology")
    assert top is not None
    assert [p.lower() for p in top.evidence].count("yahoo") == 1


@settings(derandomize=True, deadline=None, max_examples=150)
@given(
    text=st.text(alphabet=st.sampled_from("[]@|=#ab \n0.5-"), max_size=80) | st.text(max_size=80)
)
def test_extract_themes_user_file_parse_raises_only_configuration_error(text: str) -> None:
    try:
        specs = parse_themes_file(text, "fuzz.themes")
    except ConfigurationError as exc:
        assert str(exc).startswith("fuzz.themes:")
    else:
        assert all(
            spec.name and all(p.text and p.weight > 0 for p in spec.phrases) for spec in specs
        )
