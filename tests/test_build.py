"""Incremental builds: what an update leaves equals what a full rebuild makes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex import BuildOptions, NewsIndex, SearchOptions

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine

WORDS = "trade chips tariffs election rain harvest bank rates oil summit talks court".split()
NONE = BuildOptions(extractor="none")


def _contents(index: NewsIndex) -> dict[str, tuple[str, str, str | None]]:
    result = {}
    for article_id in index.ids():
        stored = index.get(article_id)
        result[article_id] = (
            stored.title,
            stored.body,
            stored.date.isoformat() if stored.date else None,
        )
    return result


def _write_folder(folder: Path, files: dict[str, list[str]]) -> None:
    for name, bodies in files.items():
        path = folder / name
        if name.endswith(".jsonl"):
            lines = [
                json.dumps({"id": f"{name}-{i}", "title": f"T {i}", "body": body})
                for i, body in enumerate(bodies)
            ]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            path.write_text(f"date 2024-05-0{len(bodies) % 9 + 1} {bodies[0]}\n", encoding="utf-8")


bodies = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=8).map(" ".join),
    min_size=1,
    max_size=3,
)
folders = st.dictionaries(
    st.sampled_from(["a.txt", "b.txt", "c.jsonl", "d.jsonl", "e.txt"]), bodies, max_size=5
)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=folders, after=folders)
def test_build_incremental_update_equals_full_rebuild(
    tmp_path_factory: object, before: dict[str, list[str]], after: dict[str, list[str]]
) -> None:
    import tempfile

    root = Path(tempfile.mkdtemp())
    folder = root / "news"
    folder.mkdir()
    _write_folder(folder, before)
    with NewsIndex.create(root / "incremental") as incremental:
        incremental.build([folder], NONE)
        for name in before:
            if name not in after:
                (folder / name).unlink()
        _write_folder(folder, after)
        for name in after:  # make every rewritten file look changed
            os.utime(folder / name, ns=(1, 10**9 + len(after[name])))
        incremental.build([folder], NONE)
        with NewsIndex.create(root / "full") as full:
            full.build([folder], NONE)
            assert _contents(incremental) == _contents(full)
            assert len(incremental) == len(full)


def test_build_second_run_reads_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    _write_folder(folder, {"a.txt": ["trade talks"], "c.jsonl": ["oil", "bank rates"]})
    with NewsIndex.create(tmp_path / "ix") as index:
        first = index.build([folder], NONE)
        second = index.build([folder], NONE)
    assert first.added == 3
    assert (second.files_read, second.files_unchanged, second.unchanged) == (0, 2, 3)
    assert not second.changed


def test_build_touched_but_unchanged_file_is_not_reindexed(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    _write_folder(folder, {"c.jsonl": ["oil prices", "bank rates"]})
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([folder], NONE)
        os.utime(folder / "c.jsonl", ns=(5, 5))
        report = index.build([folder], NONE)
    assert report.files_read == 0 and report.unchanged == 2 and not report.changed


def test_build_worker_that_cannot_load_its_extractor_fails_the_build(
    tmp_path: Path, index_arg: Callable[[Path], str]
) -> None:
    # Run in a child process with a deadline: a pool whose workers fail to start
    # would otherwise wait forever.
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("date 2025-11-24\nTalks\nJapan and India held talks.\n")
    (tmp_path / "bad.themes").write_text("[a theme]\n@parent no such parent\nword\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from newsindex import BuildOptions, NewsIndex, NewsIndexError\n"
        "options = BuildOptions(workers=1, themes=Path(sys.argv[2]))\n"
        "try:\n"
        "    NewsIndex.create(sys.argv[3]).build([sys.argv[1] + '/a.txt'], options)\n"
        "except NewsIndexError as exc:\n"
        "    print('error:', exc)\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(tmp_path),
            str(tmp_path / "bad.themes"),
            index_arg(tmp_path / "ix"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert "error:" in done.stdout and "bad.themes" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("cores", "size", "expected"),
    [(1, 10 << 20, 0), (2, 1 << 20, 0), (2, 10 << 20, 2), (3, 10 << 20, 3), (16, 10 << 20, 4)],
)
def test_build_starts_a_worker_per_core_for_large_inputs(
    monkeypatch: pytest.MonkeyPatch, cores: int, size: int, expected: int
) -> None:
    from newsindex import build

    monkeypatch.setattr(build.os, "cpu_count", lambda: cores)
    assert build._choose_workers(BuildOptions(), size) == expected
    assert build._choose_workers(BuildOptions(workers=1), size) == 1
    assert build._choose_workers(BuildOptions(extractor="none"), size) == 0


def test_build_credit_line_agency_becomes_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "date 1987-03-02\nGrain exports rise\n\nCHICAGO, March 2 (Reuters) - Grain exports "
        "rose sharply in February, traders said on Monday.\n",
        encoding="utf-8",
    )
    (folder / "b.jsonl").write_text(
        '{"id": "b", "source": "Desk", "body": "LONDON (Reuters) - Shares fell on Monday."}\n',
        encoding="utf-8",
    )
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([folder])
        credited = index.get("wire/a.txt")
        assert credited.source == "Reuters"
        assert "Reuters" not in [o.name for o in credited.organisations]
        assert index.get("b").source == "Desk"  # a source given in the input wins
        assert index.search("grain", sources=["reuters"]).total == 1


# -- titles a reader derives are shown, not indexed as titles -------------------------------

LEAD = "Zebras escaped from the city zoo on Tuesday morning."
REST = "Keepers said the animals were calm. Traffic stopped on the ring road for an hour."


def test_build_derived_title_is_shown_but_not_indexed_as_a_title(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    record = {"id": "jsonl", "body": f"{LEAD} {REST} One."}
    (tmp_path / "in" / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (tmp_path / "in" / "b.csv").write_text(f'id,body\ncsv,"{LEAD} {REST} Two."\n', encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_text(f"date 2025-01-02\n{LEAD} {REST} Three.\n")
    (tmp_path / "in" / "bbc.txt").write_text(f"Zebras loose\n\n{LEAD} {REST} Four.\n")
    with NewsIndex.create(tmp_path / "ix") as index:
        index.build([tmp_path / "in"], BuildOptions(extractor="none"))
        assert len(index) == 4
        assert index.get("jsonl").title == "Zebras escaped from the city zoo on Tuesday morning"
        assert index.get("csv").title == index.get("jsonl").title
        unfolded = SearchOptions(fold_duplicates=False)  # the four texts are near-duplicates
        titled = [hit.id for hit in index.search("title:zebras", options=unfolded)]
        assert [Path(i).name for i in titled] == ["bbc.txt"]  # the BBC layout keeps its title
        assert index.search("zebras", options=unfolded).total == 4  # the body still matches


# -- folder builds stream articles across files into the extraction worker -----------------


class _InlinePool:
    """A stand-in for the worker pool that runs each chunk at once, in this process,
    and records how many articles each chunk held."""

    chunks: list[int] = []

    def __init__(self, workers: int, initializer: Any, initargs: tuple[Any, ...]) -> None:
        initializer(*initargs)

    def apply_async(self, function: Any, args: tuple[Any, ...]) -> Any:
        _InlinePool.chunks.append(len(args[0]))
        done = function(*args)
        return type("Done", (), {"get": lambda self: done})()

    def terminate(self) -> None:
        pass


def _one_article_files(folder: Path, count: int) -> None:
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:03d}.txt").write_text(
            f"date 2025-11-{number % 28 + 1:02d}\nStory {number}\n\n"
            f"Report number {number} on harbour cranes and tariff talks, item {number * 7}.\n",
            encoding="utf-8",
        )


def test_build_folder_streams_many_files_per_worker_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from newsindex import prepare

    for name in ("_WORKER_EXTRACTOR", "_WORKER_ENGINE", "_WORKER_ERROR"):  # set by the pool
        monkeypatch.setattr(prepare, name, getattr(prepare, name))
    context = type("Context", (), {"Pool": _InlinePool})()
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    monkeypatch.setattr(_InlinePool, "chunks", [])
    _one_article_files(tmp_path / "in", 30)
    seen: list[tuple[int, int]] = []
    options = BuildOptions(extractor="none", workers=1, batch_size=7)
    with NewsIndex.create(tmp_path / "ix") as index:
        report = index.build(
            [tmp_path / "in"], options, progress=lambda p: seen.append((p.files_done, p.articles))
        )
        assert (report.added, report.files_read, len(index)) == (30, 30, 30)
        assert _InlinePool.chunks == [30]  # not one chunk per file
        assert seen == [(n, n) for n in range(1, 31)]
        (tmp_path / "in" / "004.txt").write_text("date 2025-11-05\nNew\n\nA changed story.\n")
        (tmp_path / "in" / "009.txt").unlink()
        again = index.build([tmp_path / "in"], options)
        assert (again.updated, again.removed, again.files_read, again.unchanged) == (1, 1, 1, 28)
        assert index.build([tmp_path / "in"], options).files_read == 0
