"""Readers in other processes never fail or see half an article while a writer commits;
a second writer is turned away with exit code 4 or waits with ``--wait``."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import BuildOptions, NewsIndex
from newsindex.cli import main
from newsindex.engine import open_index

from .test_reliability_crash import write_reuters_jsonl

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine

READERS = 8
PER_FILE = 20
FILES = 10

READER = r"""
import json, os, sys, time, traceback
from newsindex import NewsIndex
from newsindex.errors import ConfigurationError, IndexNotFoundError

index_path, stop_flag, out = sys.argv[1:4]
errors, counts, searches, checked, vanished = [], [], 0, 0, 0
held = None
while True:
    stopping = os.path.exists(stop_flag)
    try:
        if held is None:
            held = NewsIndex.open(index_path)
        if searches % 4 == 0:
            with NewsIndex.open(index_path) as fresh:  # the open path, manifest checks included
                fresh.search("reuters", limit=3)
        count = len(held)
        results = held.search("reuters newid", limit=5)
        searches += 1
        counts.append(count)
        for hit in results:
            try:
                article = held.get(hit.id)
            except ConfigurationError:  # removed by a commit since the search: not an error
                if hit.id not in held.ids():
                    vanished += 1
                    continue
                raise
            newid = hit.id.split("/r")[1]
            if not article.title or not article.body.endswith(f"reuters newid {newid}"):
                errors.append(f"half an article: {hit.id}")
            checked += 1
    except IndexNotFoundError:
        pass
    except Exception:
        errors.append(traceback.format_exc())
    if stopping:
        break
    time.sleep(0.15)
if held is not None:
    held.close()
with open(out, "w") as handle:
    json.dump({"errors": errors, "counts": counts, "searches": searches, "checked": checked,
               "vanished": vanished}, handle)
"""


def start_readers(index: str, work: Path, readers: int) -> list[subprocess.Popen[bytes]]:
    """Start ``readers`` searching processes; they stop when ``work/stop`` appears."""
    return [
        subprocess.Popen(
            [sys.executable, "-c", READER, index, str(work / "stop"), str(work / f"r{n}")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(readers)
    ]


def stop_readers(work: Path, processes: list[subprocess.Popen[bytes]]) -> list[dict]:
    """Signal the readers to make one last search and collect what each saw."""
    (work / "stop").touch()
    for process in processes:
        process.wait(timeout=120)
    return [json.loads((work / f"r{n}").read_text(encoding="utf-8")) for n in range(len(processes))]


@pytest.mark.slow
def test_reliability_concurrency_readers_never_fail_while_a_writer_commits(
    tmp_path: Path, index_arg: Callable[[Path], str]
) -> None:
    folder = tmp_path / "jsonl"
    per_file = write_reuters_jsonl(folder, PER_FILE * FILES, PER_FILE)
    index = tmp_path / "index"
    NewsIndex.create(index, extractor="none").close()
    readers = start_readers(index_arg(index), tmp_path, READERS)
    options = BuildOptions(extractor="none", batch_size=PER_FILE, workers=0)
    started = time.monotonic()
    try:
        with NewsIndex.open(index) as writer:
            first = writer.build([folder], options)  # one commit per file, merges included
            # Change five files (same ids, new text) and remove one file's articles.
            for name in sorted(per_file)[:5]:
                path = folder / f"{name}.jsonl"
                records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
                for record in records:
                    record["body"] = "Corrected. " + record["body"]
                path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
            second = writer.build([folder], options)
            gone = [i for i in writer.ids() if i.startswith(sorted(per_file)[-1] + "/")]
            assert writer.remove(gone, options) == []
    finally:
        seconds = time.monotonic() - started
        reports = stop_readers(tmp_path, readers)
    assert first.added == PER_FILE * FILES
    assert second.files_read == 5
    final = PER_FILE * (FILES - 1)
    for report in reports:
        assert report["errors"] == [], report["errors"][0]
        assert report["searches"] > 0
        assert all(count % PER_FILE == 0 for count in report["counts"]), report["counts"]
        assert report["counts"][-1] == final  # the last search sees the last commit
    searches = sum(r["searches"] for r in reports)
    print(f"{READERS} readers x {seconds:.1f}s: {searches} searches, no errors")


LOCKED = (
    "Error: the index at {index} is being written by another process; "
    "try again when it finishes, or pass --wait SECONDS\n"
)


def _tiny_folder(tmp_path: Path, name: str, articles: int) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for n in range(articles):
        (folder / f"{name}-{n}.txt").write_text(
            f"{name} story {n}\n\nThe {name} desk filed story number {n} about harbour cranes.\n",
            encoding="utf-8",
        )
    return folder


def test_reliability_concurrency_second_writer_gets_exit_4_and_one_line(
    tmp_path: Path, runner: CliRunner, index_arg: Callable[[Path], str]
) -> None:
    index = tmp_path / "index"
    NewsIndex.create(index, extractor="none").close()
    folder = _tiny_folder(tmp_path, "desk", 2)
    store = open_index(index_arg(index))
    try:
        with store.write_lock():
            result = runner.invoke(main, ["build", str(folder), "--index", str(index)])
    finally:
        store.close()
    assert result.exit_code == 4
    assert result.stderr == LOCKED.format(index=index_arg(index))
    assert result.stdout == ""
    with NewsIndex.open(index) as opened:
        assert len(opened) == 0


def test_reliability_concurrency_second_writer_waits_with_wait(
    tmp_path: Path, runner: CliRunner, index_arg: Callable[[Path], str]
) -> None:
    index = tmp_path / "index"
    NewsIndex.create(index, extractor="none").close()
    folder = _tiny_folder(tmp_path, "desk", 2)
    store = open_index(index_arg(index))
    held = threading.Event()
    released = threading.Event()

    def hold() -> None:
        with store.write_lock():
            held.set()
            time.sleep(1.0)
        released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    result = runner.invoke(main, ["build", str(folder), "--index", str(index), "--wait", "30"])
    holder.join()
    store.close()
    assert released.is_set()
    assert result.exit_code == 0, result.stderr
    with NewsIndex.open(index) as opened:
        assert len(opened) == 2


def test_reliability_concurrency_two_waiting_writer_processes_both_land(
    tmp_path: Path, index_arg: Callable[[Path], str]
) -> None:
    index = tmp_path / "index"
    folders = [_tiny_folder(tmp_path, name, 15) for name in ("north", "south")]
    NewsIndex.create(index, extractor="none").close()
    command = [
        *(sys.executable, "-m", "newsindex", "build"),
        *("--index", index_arg(index), "--wait", "120"),
    ]
    processes = [
        subprocess.Popen([*command, str(folder), "-q"], stderr=subprocess.PIPE, text=True)
        for folder in folders
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in processes]
    for process in processes:
        if process.stderr:
            process.stderr.close()
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    with NewsIndex.open(index) as opened:
        assert len(opened) == 30
        assert opened.search("harbour cranes").total == 30
