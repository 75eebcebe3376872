"""A build killed with SIGKILL at any moment leaves the last completed commit, and the next
build completes it.

Real Reuters-21578 stories are written as JSON Lines files of :data:`PER_FILE`
articles and built with ``batch_size=PER_FILE``, so every commit ends on a file
boundary: after any kill, each file's articles must be all in the index or
none of them, the count must equal the manifest's, and every file ``files.db``
lists must be complete.  ``benchmarks/soak.py`` runs the same loop for longer.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsindex import NewsIndex
from newsindex.engine import open_index
from newsindex.errors import IndexNotFoundError
from newsindex.filetable import FILES_DB_NAME
from newsindex.manifest import MANIFEST_NAME

from .corpora import corpus

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine

ARTICLES = 2_000
PER_FILE = 20
KILLS = 22
DEFAULT_EXTRACTOR_KILLS = {4, 11, 18}
"""Kill numbers whose build runs the default extractor (slower to start); the rest use none."""

BUILD = """
import sys
from newsindex import BuildOptions, NewsIndex

index_path, folder, extractor, batch = sys.argv[1:5]
with NewsIndex.open_or_create(index_path) as index:
    index.build([folder], BuildOptions(extractor=extractor, batch_size=int(batch), workers=0))
"""


def write_reuters_jsonl(folder: Path, articles: int, per_file: int) -> dict[str, int]:
    """Write ``articles`` real Reuters stories as JSON Lines files; return ids per file."""
    corpus("reuters21578")
    from benchmarks.corpora import reuters

    folder.mkdir(parents=True, exist_ok=True)
    per_name: dict[str, int] = {}
    docs = (doc for doc in reuters.load() if doc.body.strip())
    for number in range(articles // per_file):
        name = f"part-{number:03d}"
        lines = []
        for _ in range(per_file):
            doc = next(docs)
            record = {
                "id": f"{name}/r{doc.newid}",
                "title": doc.title,
                # A unique last line keeps two identical wire stories from being de-duplicated.
                "body": f"{doc.body}\n\nreuters newid {doc.newid}",
                "date": doc.date.isoformat() if doc.date else None,
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        per_name[name] = per_file
    return per_name


def start_build(
    index: Path, folder: Path, extractor: str, batch: int, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """A build in its own process group, so a kill takes its workers too; stderr to ``log``."""
    with open(log or os.devnull, "wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-c", BUILD, str(index), str(folder), extractor, str(batch)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )


def kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the build's process group; return False if it had already finished."""
    finished = process.poll() is not None
    with_group = os.getpgid(process.pid) if not finished else None
    if with_group is not None:
        os.killpg(with_group, signal.SIGKILL)
    process.wait()
    return not finished


@dataclass
class Snapshot:
    """What a killed build left: article count, files recorded, leftovers seen."""

    count: int
    files_recorded: int
    pending: bool
    leftovers: list[str] = field(default_factory=list)


def leftovers(index: Path) -> list[str]:
    """Files only a writer that died mid-way leaves behind."""
    names = sorted(os.listdir(index)) if index.exists() else []
    tocs = [n for n in names if n.startswith("_MAIN_") and n.endswith(".toc")]
    found = [n for n in names if n == "MAIN.tmp" or ".toc." in n or n.startswith(".")]
    if len(tocs) > 1:
        found += tocs[:-1]
    siblings = [
        n for n in os.listdir(index.parent) if n.startswith(f".{index.name}.") and n != index.name
    ]
    return found + siblings


def check_consistent(index: Path, per_file: dict[str, int]) -> Snapshot:
    """Assert the index holds exactly whole committed files; return what it holds."""
    seen = leftovers(index)
    try:
        opened = NewsIndex.open(index)
    except IndexNotFoundError:
        # Killed before the very first commit of the index: nothing to hold yet.
        return Snapshot(0, 0, False, seen)
    with opened:
        ids = opened.ids()
        count = len(opened)
        assert count == len(ids) == len(set(ids)), "an article is stored twice"
        by_file = Counter(article_id.split("/")[0] for article_id in ids)
        for name, held in by_file.items():
            assert held == per_file[name], f"{name}: {held} of {per_file[name]} articles"
        if ids:
            probe = sorted(ids)[len(ids) // 2]
            newid = probe.split("/r")[1]
            hits = opened.search(f'"reuters newid {newid}"', limit=5)
            assert probe in [hit.id for hit in hits]
    manifest = json.loads((index / MANIFEST_NAME).read_text(encoding="utf-8"))
    pending = "pending_generation" in manifest
    if not pending:
        assert manifest["articles"] == count
    store = open_index(index)
    try:
        recorded = store.indexed_files() if (index / FILES_DB_NAME).exists() else []
    finally:
        store.close()
    for path in recorded:
        assert by_file[Path(path).stem] == per_file[Path(path).stem], f"{path} incomplete"
    return Snapshot(count, len(recorded), pending, seen)


@pytest.fixture(scope="module")
def reuters_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    folder = tmp_path_factory.mktemp("reuters") / "jsonl"
    yield folder, write_reuters_jsonl(folder, ARTICLES, PER_FILE)


def committed_articles(index: Path) -> int:
    """The article count of the last commit recorded in the manifest (0 if none yet)."""
    try:
        return int(json.loads((index / MANIFEST_NAME).read_text(encoding="utf-8"))["articles"])
    except (OSError, ValueError, KeyError):
        return 0


def kill_at_random_moment(
    process: subprocess.Popen[bytes],
    index: Path,
    rng: random.Random,
    start_count: int,
    per_file: int = PER_FILE,
) -> bool:
    """Let the build commit a random number of new files, wait a random moment more, kill it.

    Waiting on commits rather than on the clock keeps the kills spread over the
    whole build however loaded (or fast) the machine is: at most three files and
    0.3 s ahead, so about 50 kills fit in one build.  Returns False if it finished
    first.
    """
    target = start_count + rng.choice((0, 1, 2, 3)) * per_file
    while committed_articles(index) < target and process.poll() is None:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.3))
    return kill(process)


@pytest.mark.slow
@pytest.mark.engines(
    "whoosh",
    "tantivy",
    reason="it reads the manifest and files.db of an index folder, and expects each commit "
    "all or nothing after SIGKILL; an OpenSearch build that dies leaves the articles it sent "
    "(docs/scale-out.md)",
)
def test_reliability_crash_sigkill_at_random_moments_keeps_the_last_commit(
    reuters_folder: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    folder, per_file = reuters_folder
    index = tmp_path / "index"
    rng = random.Random(20251124)
    kills = 0
    counts: list[int] = []
    leftovers_seen = 0
    while kills < KILLS:
        extractor = "default" if kills in DEFAULT_EXTRACTOR_KILLS else "none"
        log = tmp_path / "build.log"
        process = start_build(index, folder, extractor, PER_FILE, log)
        if not kill_at_random_moment(process, index, rng, counts[-1] if counts else 0):
            # The build ended before the kill: it must have finished, not failed.
            assert process.returncode == 0, log.read_text("utf-8", "replace")
            break
        kills += 1
        snapshot = check_consistent(index, per_file)
        leftovers_seen += bool(snapshot.leftovers)
        assert not counts or snapshot.count >= counts[-1], "a kill lost committed articles"
        counts.append(snapshot.count)
    assert kills >= 20, f"only {kills} kills landed before the build finished: {counts}"
    assert len(set(counts)) >= 10, f"kills landed at too few moments: {counts}"
    assert min(counts) < ARTICLES  # kills landed while building (a fast engine may finish)

    # The next build completes the work and sweeps up what the dead writers left.
    done = subprocess.run(
        [sys.executable, "-m", "newsindex", "build", str(folder), "--index", str(index), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    final = check_consistent(index, per_file)
    assert final.count == ARTICLES
    assert final.files_recorded == len(per_file)
    assert final.leftovers == [], final.leftovers
    assert not final.pending
    print(f"kills {kills}, counts {counts}, leftovers seen after {leftovers_seen} kills")
