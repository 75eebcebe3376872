"""Incremental builds: what an update leaves equals what a full rebuild makes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex import BuildOptions, NewsIndex

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
