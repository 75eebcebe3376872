"""Building, updating and searching an index through the public API."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from newsindex import (
    Article,
    ArticleNotFoundError,
    BuildOptions,
    IndexLockedError,
    IndexNotFoundError,
    NewsIndex,
    QuerySyntaxError,
)
from newsindex.engine import open_index

from .conftest import SEED_ID

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_index_seed_search_ranks_the_seed_first_with_all_fields(seed_index: NewsIndex) -> None:
    results = seed_index.search("semiconductors")
    assert results.total == 1
    hit = results[0]
    assert hit.id == SEED_ID
    assert hit.date == dt.date(2025, 11, 24)
    assert {"Narendra Modi", "Takaichi Sanae"} <= set(hit.people)
    assert {"Japan", "India", "Johannesburg", "South Africa", "Delhi"} <= set(hit.places)
    assert {"semiconductors", "artificial intelligence", "diplomacy"} <= set(hit.themes)
    assert any("defence" in theme for theme in hit.themes)
    assert hit.title.startswith("Japanese Prime Minister Takaichi Sanae")
    marked = hit.snippet.marked()
    assert "[semiconductors]" in marked


def test_index_entity_queries_match_words_and_whole_names(seed_index: NewsIndex) -> None:
    for query in (
        "people:modi",
        'people:"narendra modi"',
        'places:"south africa"',
        "themes:semiconductors",
        "date:[2025-11-01 to 2025-11-30]",
        "date:2025-11",
        "date:>2025-11-01",
        '"india japan"~5',
        "semi*",
        "japan AND NOT brazil",
    ):
        assert [hit.id for hit in seed_index.search(query)] == [SEED_ID], query


def test_index_filters_narrow_results(seed_index: NewsIndex) -> None:
    assert len(seed_index.search("japan", people=["Narendra Modi"])) == 1
    assert len(seed_index.search("japan", places=["Brazil"])) == 0
    assert len(seed_index.search("japan", since="2025-11-25")) == 0
    assert len(seed_index.search("japan", until="2025-11")) == 1
    assert len(seed_index.search("*", themes=["semiconductors"])) == 1


def test_index_no_hits_suggests_a_correction(seed_index: NewsIndex) -> None:
    results = seed_index.search("semicondutors")
    assert results.total == 0
    assert results.suggestion == "semiconductors"


def test_index_malformed_query_raises_query_syntax_error(seed_index: NewsIndex) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        seed_index.search('"unclosed phrase')
    assert info.value.position == 0
    with pytest.raises(QuerySyntaxError, match="unknown field 'author'"):
        seed_index.search("author:smith")
    with pytest.raises(QuerySyntaxError, match="not a real date"):
        seed_index.search("date:2025-02-30")


def test_index_open_missing_index_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="build one first"):
        NewsIndex.open(tmp_path / "nowhere")


def test_index_rebuild_of_unchanged_input_changes_nothing(tmp_path: Path, seed_copy: Path) -> None:
    with NewsIndex.create(tmp_path / "ix") as index:
        first = index.build([seed_copy])
        assert (first.added, first.updated, first.removed) == (1, 0, 0)
        again = index.build([seed_copy])
        assert not again.changed
        assert again.unchanged == 1 and again.files_read == 0


def test_index_update_adds_changes_and_removes(tmp_path: Path, seed_copy: Path) -> None:
    extra = write(seed_copy / "extra.txt", "date 2024-01-02 Chipmakers in Taiwan expand.\n")
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([seed_copy], BuildOptions(extractor="none"))
        assert len(index) == 2
        write(extra, "date 2024-01-03 Chipmakers in Taiwan expand further.\n")
        os.utime(extra, ns=(1, 1))
        report = index.build([seed_copy], BuildOptions(extractor="none"))
        assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 0, 1)
        assert index.search("further")[0].date == dt.date(2024, 1, 3)
        write(seed_copy / "new.txt", "A brand new article about tariffs.\n")
        extra.unlink()
        report = index.build([seed_copy], BuildOptions(extractor="none"))
        assert (report.added, report.removed) == (1, 1)
        assert len(index) == 2
        assert index.search("chipmakers").total == 0


def test_index_rebuild_option_starts_over(tmp_path: Path, seed_copy: Path) -> None:
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([seed_copy], BuildOptions(extractor="none"))
        report = index.build([seed_copy], BuildOptions(rebuild=True, extractor="none"))
        assert report.added == 1
        assert len(index) == 1
        assert index.search("semiconductors").total == 1


def test_index_second_writer_gets_locked_error(
    tmp_path: Path, seed_copy: Path, index_arg: Callable[[Path], str]
) -> None:
    with NewsIndex.create(tmp_path / "ix") as index:
        other = open_index(index_arg(tmp_path / "ix"))
        with other.writer() as writer:
            writer.lock()
            with pytest.raises(IndexLockedError, match="being written by another process"):
                index.build([seed_copy], BuildOptions(extractor="none"))
        other.close()
        assert index.build([seed_copy], BuildOptions(extractor="none")).added == 1


def test_index_bad_files_are_skipped_and_the_rest_indexed(tmp_path: Path, seed_copy: Path) -> None:
    (seed_copy / "empty.txt").write_bytes(b"")
    (seed_copy / "binary.bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    write(seed_copy / "bad-date.txt", "date 2025-02-30 This date does not exist.\n")
    with NewsIndex.create(tmp_path / "ix") as index:
        report = index.build([seed_copy, tmp_path / "missing.txt"], BuildOptions(extractor="none"))
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.bin.txt"]
    assert "2025-02-30" in reasons["bad-date.txt"]
    assert reasons["missing.txt"] == "no such file or folder"
    assert report.added == 1


def test_index_exact_duplicates_are_stored_once(tmp_path: Path, seed_copy: Path) -> None:
    text = (seed_copy / "000_d6057e4f5df2a50a.txt").read_text(encoding="utf-8")
    write(seed_copy / "copy.txt", text)
    with NewsIndex.create(tmp_path / "ix") as index:
        report = index.build([seed_copy], BuildOptions(extractor="none"))
        assert len(index) == 1
    assert len(report.duplicates) == 1
    assert report.articles_read == 2


def test_index_add_get_remove_articles(tmp_path: Path) -> None:
    article = Article(
        id="a-1",
        title="Tariffs on chips",
        body="Washington announced tariffs on imported chips.",
        date=dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.timezone.utc),
        source="Example Wire",
    )
    with NewsIndex.create(tmp_path / "ix") as index:
        assert index.add_articles([article]).added == 1
        stored = index.get("a-1")
        assert stored.date == article.date
        assert stored.source == "Example Wire"
        assert index.search("*", sources=["example wire"]).total == 1
        assert index.remove(["a-1", "nope"]) == ["nope"]
        assert len(index) == 0
        with pytest.raises(ArticleNotFoundError, match="no article with id"):
            index.get("a-1")


def test_index_sorts_by_date_both_ways_and_pages(tmp_path: Path) -> None:
    topics = ["steel quotas", "grain exports", "car tariffs", "oil prices", "chip controls"]
    articles = [
        Article(
            id=f"d{i}",
            title=f"Trade talks on {topic}",
            body=f"Trade negotiators met again over {topic}; round {i} ended without a deal.",
            date=dt.date(2024, 1, 1 + i),
        )
        for i, topic in enumerate(topics)
    ]
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles(articles, BuildOptions(extractor="none"))
        newest = [h.id for h in index.search("trade", sort="date", limit=5)]
        oldest = [h.id for h in index.search("trade", sort="date-asc", limit=5)]
        assert newest == ["d4", "d3", "d2", "d1", "d0"]
        assert oldest == newest[::-1]
        page2 = index.search("trade", sort="date", limit=2, page=2)
        assert [h.id for h in page2] == ["d2", "d1"] and page2.total == 5


def test_index_timeline_and_facets_count_matches(tmp_path: Path) -> None:
    articles = [
        Article(
            id=f"t{i}", title="Chips", body=f"semiconductors news {i}", date=dt.date(2024, m, 1)
        )
        for i, m in enumerate((1, 1, 3))
    ]
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles(articles, BuildOptions(extractor="none"))
        timeline = index.timeline(["semiconductors"], interval="month")
        assert timeline.buckets == ("2024-01", "2024-02", "2024-03")
        assert timeline.series["semiconductors"] == (2, 0, 1)
        facet = index.facets("semiconductors", ("date",), interval="year")["date"]
        assert [(c.value, c.count) for c in facet.counts] == [("2024", 3)]


def test_index_user_themes_file_adds_themes(tmp_path: Path, seed_copy: Path) -> None:
    themes = write(
        tmp_path / "mine.themes",
        "[quad partnership]\n@parent politics and government\n"
        "@description Talks between partners in the Indo-Pacific\nindo-pacific | 3\n",
    )
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([seed_copy], BuildOptions(themes=themes))
        hit = index.search('themes:"quad partnership"')[0]
    assert "quad partnership" in hit.themes


def test_index_ids_are_the_same_for_a_file_its_folder_or_a_glob(
    tmp_path: Path, seed_copy: Path
) -> None:
    (seed_copy / "sub").mkdir()
    write(seed_copy / "sub" / "b.txt", "A second article on grain exports.\n")
    expected = {"seeds/000_d6057e4f5df2a50a.txt", "seeds/sub/b.txt"}
    for number, given in enumerate(
        [
            [seed_copy],
            [seed_copy / "000_d6057e4f5df2a50a.txt", seed_copy / "sub" / "b.txt"],
            [f"{seed_copy}/**/*.txt"],
        ]
    ):
        with NewsIndex.create(tmp_path / f"ix{number}") as index:
            index.build(given, BuildOptions(extractor="none"))
            assert set(index.ids()) >= {"seeds/000_d6057e4f5df2a50a.txt"}, given
            if number != 1:
                assert set(index.ids()) == expected, given


def test_index_file_is_recorded_in_the_commit_that_completes_it(
    tmp_path: Path, seed_copy: Path
) -> None:
    for number in range(3):
        write(
            seed_copy / f"n{number}.txt", f"Article {number} on grain, rain and harvest {number}."
        )
    with NewsIndex.create(tmp_path / "ix") as index:
        store = index._engine
        recorded: list[list[str]] = []
        original = store.record_files

        def spy(states: list, removed: list[str]) -> None:  # type: ignore[type-arg]
            recorded.append([Path(s.path).name for s in states])
            original(states, removed)

        store.record_files = spy  # type: ignore[method-assign]
        index.build([seed_copy], BuildOptions(extractor="none", batch_size=1))
    # One article per file and per batch: each commit records the file it completed,
    # so a build killed after any commit never reads a completed file again.
    assert [names for names in recorded if names] == [
        ["000_d6057e4f5df2a50a.txt"],
        ["n0.txt"],
        ["n1.txt"],
        ["n2.txt"],
    ]


def test_index_text_file_too_large_for_an_article_is_skipped(tmp_path: Path) -> None:
    from newsindex.readers import text

    folder = tmp_path / "in"
    big = write(folder / "big.txt", "word " * (text.MAX_ARTICLE_BYTES // 5 + 10))
    with NewsIndex.create(tmp_path / "ix") as index:
        report = index.build([folder], BuildOptions(extractor="none"))
    assert [s.path for s in report.skipped] == [f"in/{big.name}"]
    assert "larger than" in report.skipped[0].reason


def test_index_user_entities_folder_adds_places(tmp_path: Path) -> None:
    mine = tmp_path / "my-entities"
    write(mine / "aliases.tsv", "Little Snoring\tLittle Snoring\tcity\tGB\t52.86\t0.91\t400\n")
    folder = tmp_path / "in"
    write(folder / "a.txt", "date 2024-02-01 The parish council met in Little Snoring on Monday.\n")
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([folder], BuildOptions(entities=mine))
        hit = index.search('places:"little snoring"')[0]
    assert "Little Snoring" in hit.places
