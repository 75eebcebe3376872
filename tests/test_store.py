"""The index directory: what ``open`` refuses, what writers recover, how readers refresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import (
    Article,
    BuildOptions,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    NewsIndex,
)
from newsindex.cli import main
from newsindex.engine.whoosh import WhooshEngine
from newsindex.engine.whoosh.schema import SCHEMA_VERSION
from newsindex.engine.whoosh.store import MANIFEST_NAME, IndexStore, replace_directory

NONE = BuildOptions(extractor="none", workers=0)


def articles(prefix: str, count: int) -> list[Article]:
    return [
        Article(id=f"{prefix}{n}", title=f"{prefix} title {n}", body=f"{prefix} body text {n}")
        for n in range(count)
    ]


def small_index(path: Path, count: int = 3) -> Path:
    with NewsIndex.create(path, extractor="none") as index:
        index.add_articles(articles("a", count), NONE)
    return path


def manifest(path: Path) -> dict:
    return json.loads((path / MANIFEST_NAME).read_text(encoding="utf-8"))


def write_manifest(path: Path, data: dict) -> None:
    (path / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")


def old_format_index(path: Path) -> Path:
    """An index whose manifest says it was written by an older newsindex (format 0)."""
    small_index(path)
    data = manifest(path)
    data["schema_version"] = SCHEMA_VERSION - 1
    write_manifest(path, data)
    return path


# -- what open refuses (Whoosh unpickles what it opens) ------------------------------


def test_store_open_refuses_a_whoosh_index_without_our_manifest(tmp_path: Path) -> None:
    index = small_index(tmp_path / "ix")
    (index / MANIFEST_NAME).unlink()
    with pytest.raises(IndexCorruptError, match="did not write .*can run code"):
        NewsIndex.open(index)


def test_store_open_refuses_a_tampered_table_of_contents(tmp_path: Path) -> None:
    index = small_index(tmp_path / "ix")
    toc = next(index.glob("_MAIN_*.toc"))
    data = bytearray(toc.read_bytes())
    data[-3] ^= 0xFF
    toc.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="do not match its manifest.*can run code"):
        NewsIndex.open(index)


def test_store_open_refuses_a_substituted_table_of_contents(tmp_path: Path) -> None:
    index = small_index(tmp_path / "ix")
    other = small_index(tmp_path / "other", count=5)
    for toc in index.glob("_MAIN_*.toc"):
        toc.unlink()
    source = next(other.glob("_MAIN_*.toc"))
    (index / source.name).write_bytes(source.read_bytes())
    with pytest.raises(IndexCorruptError, match="do not match its manifest"):
        NewsIndex.open(index)


def test_store_open_refuses_a_manifest_of_another_format(tmp_path: Path) -> None:
    index = small_index(tmp_path / "ix")
    write_manifest(index, {"format": "something-else"})
    with pytest.raises(IndexCorruptError, match="not a newsindex manifest"):
        NewsIndex.open(index)
    (index / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="unreadable"):
        NewsIndex.open(index)


def test_store_open_missing_or_plain_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="build one first"):
        NewsIndex.open(tmp_path / "nothing")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(IndexNotFoundError):
        NewsIndex.open(tmp_path / "plain")


# -- upgrades -------------------------------------------------------------------------


def test_store_older_format_is_detected_with_the_fix(tmp_path: Path) -> None:
    index = old_format_index(tmp_path / "ix")
    with pytest.raises(IndexVersionError) as caught:
        NewsIndex.open(index)
    message = str(caught.value)
    assert f"index format {SCHEMA_VERSION - 1}" in message
    assert "BuildOptions(rebuild=True)" in message


def test_store_older_format_can_be_rebuilt_through_a_lock_only_store(
    tmp_path: Path, seed_copy: Path
) -> None:
    index = old_format_index(tmp_path / "ix")
    store = IndexStore.open(index, for_rebuild=True)
    with pytest.raises(IndexVersionError):
        _ = store.ix  # nothing but locking and replacing works on it
    with NewsIndex(WhooshEngine(store)) as opened:
        report = opened.build([seed_copy], BuildOptions(rebuild=True, extractor="none"))
        assert report.added == len(opened) > 0
    assert manifest(index)["schema_version"] == SCHEMA_VERSION
    with NewsIndex.open(index) as reopened:
        assert "a0" not in reopened.ids()


def test_store_cli_rebuild_replaces_an_older_format_index(
    tmp_path: Path, seed_copy: Path, runner: CliRunner
) -> None:
    index = old_format_index(tmp_path / "ix")
    result = runner.invoke(main, ["build", str(seed_copy), "--index", str(index), "--rebuild"])
    assert result.exit_code == 0, result.stderr
    with NewsIndex.open(index) as opened:
        assert len(opened) > 0


def test_store_cli_older_format_is_one_line_exit_3(tmp_path: Path, runner: CliRunner) -> None:
    index = old_format_index(tmp_path / "ix")
    result = runner.invoke(main, ["search", "anything", "--index", str(index)])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "newsindex build --rebuild" in result.stderr


# -- creating never mixes an index into someone's files --------------------------------


def test_store_create_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(IndexWriteError, match="not empty and holds no index"):
        NewsIndex.create(folder)
    assert os.listdir(folder) == ["thesis.txt"]


def test_store_replace_directory_refuses_to_swap_away_a_non_index(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    fresh = small_index(tmp_path / "fresh")
    with pytest.raises(IndexWriteError, match="not an index"):
        replace_directory(fresh, folder)
    assert (folder / "thesis.txt").exists()


def test_store_interrupted_creation_is_redone(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    index.mkdir()
    write_manifest(
        index, {"format": "newsindex", "schema_version": SCHEMA_VERSION, "state": "creating"}
    )
    with pytest.raises(IndexNotFoundError, match="interrupted"):
        NewsIndex.open(index)
    with NewsIndex.open_or_create(index) as created:
        assert len(created) == 0
    assert "state" not in manifest(index)


# -- recovery after a writer died ---------------------------------------------------------


def test_store_writer_finishes_a_dead_writers_record_and_sweeps_leftovers(
    tmp_path: Path,
) -> None:
    index = small_index(tmp_path / "ix")
    data = manifest(index)
    # What a writer killed mid-commit leaves: a commit it announced and made but did
    # not record, its temporary table of contents, its writer folder, a dead rebuild.
    generation = data["generation"]
    data["pending_generation"] = generation
    data["articles"] = 0
    write_manifest(index, data)
    (index / f"_MAIN_{generation + 1}.toc.1732512345.5").write_bytes(b"half")
    (index / "MAIN.tmp").mkdir()
    (index / "MAIN_deadbeef00000000.trm").write_bytes(b"orphan")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    staging = tmp_path / f".ix.building-{int(dead.stdout)}"
    staging.mkdir()
    live = tmp_path / f".ix.building-{os.getpid()}"
    live.mkdir()
    with NewsIndex.open(index) as opened:  # readers neither need nor touch any of it
        assert len(opened) == 3
    store = IndexStore.open(index)
    with store.write_lock():
        pass
    assert sorted(Path(p).name for p in store.recovered) == sorted(
        [
            f"_MAIN_{generation + 1}.toc.1732512345.5",
            "MAIN.tmp",
            "MAIN_deadbeef00000000.trm",
            staging.name,
        ]
    )
    store.close()
    assert live.exists()  # its process is alive: never removed
    after = manifest(index)
    assert "pending_generation" not in after and after["articles"] == 3


def test_store_leftovers_of_a_live_writer_are_not_touched(tmp_path: Path) -> None:
    index = small_index(tmp_path / "ix")
    holder = IndexStore.open(index)
    other = IndexStore.open(index)
    try:
        with holder.writer() as writer:
            writer.add({"id": "live", "title": "live", "body": "being written"}, replace=False)
            in_progress = sorted(os.listdir(index))
            with pytest.raises(IndexLockedError):
                with other.write_lock():
                    pass
            assert sorted(os.listdir(index)) == in_progress
            writer.commit()
    finally:
        holder.close()
        other.close()
    with NewsIndex.open(index) as opened:
        assert len(opened) == 4


# -- readers --------------------------------------------------------------------------


def test_store_long_lived_searcher_sees_exact_counts_across_merges_and_deletes(
    tmp_path: Path,
) -> None:
    index = tmp_path / "ix"
    with NewsIndex.create(index, extractor="none") as reader, NewsIndex.open(index) as writer:
        assert len(reader) == 0  # a searcher opened on the empty index
        for batch in range(6):
            writer.add_articles(articles(f"b{batch}-", 10), NONE)
            assert len(reader) == 10 * (batch + 1)
        writer.remove([f"b0-{n}" for n in range(10)], NONE)
        assert len(reader) == 50
        assert reader.search('"b0 title"').total == 0
        writer.add_articles(articles("b1-", 10), NONE)  # replaces, same ids
        assert len(reader) == 50
        assert len(set(reader.ids())) == len(reader.ids()) == 50


def test_store_old_searcher_keeps_working_after_its_segments_are_deleted(
    tmp_path: Path,
) -> None:
    index = tmp_path / "ix"
    with NewsIndex.create(index, extractor="none") as opened:
        for batch in range(3):
            opened.add_articles(articles(f"s{batch}-", 5), NONE)
    store = IndexStore.open(index)
    old = store.ix.searcher()
    before = set(os.listdir(index))
    with store.writer() as writer:
        writer.add({"id": "late", "title": "late", "body": "late"}, replace=False)
        writer.commit(optimize=True)  # merges every segment: Whoosh deletes the old files
    assert before - set(os.listdir(index)), "the commit deleted no old segment files"
    assert len(list(old.documents())) == 15  # open files stay readable after unlinking
    old.close()
    store.close()


def test_store_read_only_index_opens_and_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = small_index(tmp_path / "ix")
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, **kw: False if mode == os.W_OK else real_access(path, mode, **kw),
    )
    monkeypatch.chdir(tmp_path)  # a relative path, as `--index ix` gives
    with NewsIndex.open(Path(index.name)) as opened:
        assert opened.search("body").total == 3
        assert opened.stats().articles == 3
        assert (index / "files.db").exists()
        assert opened._engine.indexed_files() == []  # the file table opens read-only


def test_store_rebuild_that_died_between_its_renames_gets_the_old_index_back(
    tmp_path: Path,
) -> None:
    index = small_index(tmp_path / "ix")
    os.rename(index, tmp_path / ".ix.old")  # the first rename of the swap, then a kill
    with NewsIndex.open(index) as opened:
        assert len(opened) == 3
    assert not (tmp_path / ".ix.old").exists()


@pytest.mark.parametrize("rebuild", [[], ["--rebuild"]], ids=["build", "rebuild"])
def test_store_cli_refuses_to_build_into_a_folder_of_other_files(
    tmp_path: Path, seed_copy: Path, runner: CliRunner, rebuild: list[str]
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = runner.invoke(main, ["build", str(seed_copy), "--index", str(folder), *rebuild])
    assert result.exit_code == 3
    assert "is not empty and holds no index" in result.stderr
    assert result.stderr.count("\n") == 1
    assert os.listdir(folder) == ["thesis.txt"]
