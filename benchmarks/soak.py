"""Longer crash and concurrency soaks than the test suite runs; figures go in docs/reliability.md.

    python -m benchmarks.soak --articles 5000 --kills 100 --readers 8 --minutes 5

Phase 1 builds real Reuters-21578 stories (JSON Lines files of ``--per-file``
articles, one commit per file) and SIGKILLs the build at random moments
``--kills`` times, checking after each kill that the index opens, searches and
holds whole committed files only; then ``newsindex build`` completes it.
Phase 2 runs ``--readers`` searching processes for ``--minutes`` while one
writer keeps adding, changing and removing files, and counts reader errors.
The checks are the test suite's own (tests/test_reliability_*.py).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from newsindex import BuildOptions, NewsIndex
from tests.test_reliability_concurrency import start_readers, stop_readers
from tests.test_reliability_crash import (
    check_consistent,
    kill_at_random_moment,
    start_build,
    write_reuters_jsonl,
)


def crash_soak(
    work: Path, articles: int, per_file: int, kills: int, seed: int, default_every: int
) -> dict:
    """Kill a build ``kills`` times; return what happened."""
    folder = work / "jsonl"
    per_name = write_reuters_jsonl(folder, articles, per_file)
    index = work / "crash-index"
    rng = random.Random(seed)
    landed, failures, counts, leftovers = 0, [], [], 0
    build_failure = None
    started = time.monotonic()
    while landed < kills:
        default = default_every and landed % default_every == default_every - 1
        log = work / "build.log"
        process = start_build(index, folder, "default" if default else "none", per_file, log)
        if not kill_at_random_moment(process, index, rng, counts[-1] if counts else 0, per_file):
            if process.returncode != 0:
                build_failure = log.read_text("utf-8", "replace")[-2000:]
            break
        landed += 1
        try:
            snapshot = check_consistent(index, per_name)
            counts.append(snapshot.count)
            leftovers += bool(snapshot.leftovers)
        except Exception:  # a soak reports every failure rather than stopping at one
            failures.append(traceback.format_exc())
    done = subprocess.run(
        [sys.executable, "-m", "newsindex", "build", str(folder), "--index", str(index), "-q"],
        capture_output=True,
        text=True,
    )
    final = check_consistent(index, per_name)
    return {
        "articles": articles,
        "kills_landed": landed,
        "kills_survived": landed - len(failures),
        "distinct_counts_after_kills": len(set(counts)),
        "kills_leaving_leftovers": leftovers,
        "completing_build_exit_code": done.returncode,
        "completing_build_stderr": done.stderr[-2000:],
        "final_count": final.count,
        "final_leftovers": final.leftovers,
        "failures": failures,
        "build_that_failed_on_its_own": build_failure,
        "seconds": round(time.monotonic() - started, 1),
    }


def reader_soak(work: Path, readers: int, minutes: float, per_file: int, seed: int) -> dict:
    """Search from ``readers`` processes for ``minutes`` while a writer keeps changing the index."""
    folder = work / "live"
    pool = work / "pool"
    per_name = write_reuters_jsonl(pool, 2_000, per_file)
    folder.mkdir()
    index = work / "live-index"
    NewsIndex.create(index, extractor="none").close()
    options = BuildOptions(extractor="none", batch_size=per_file, workers=0)
    rng = random.Random(seed)
    names = sorted(per_name)
    processes = start_readers(index, work, readers)
    commits = 0
    started = time.monotonic()
    try:
        with NewsIndex.open(index) as writer:
            while time.monotonic() - started < minutes * 60:
                name = rng.choice(names)
                target = folder / f"{name}.jsonl"
                if target.exists() and rng.random() < 0.3:
                    target.unlink()  # the next build removes its articles
                else:
                    target.write_bytes((pool / f"{name}.jsonl").read_bytes())
                writer.build([folder], options)
                commits += 1
    finally:
        seconds = time.monotonic() - started
        reports = stop_readers(work, processes)
    errors = [e for r in reports for e in r["errors"]]
    return {
        "readers": readers,
        "minutes": round(seconds / 60, 2),
        "writer_builds": commits,
        "searches": sum(r["searches"] for r in reports),
        "articles_checked": sum(r["checked"] for r in reports),
        "hits_removed_before_fetch": sum(r["vanished"] for r in reports),
        "reader_errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--per-file", type=int, default=20)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--default-every", type=int, default=5, help="every Nth build uses the default extractor"
    )
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--skip-readers", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsindex-soak-") as scratch:
        work = Path(scratch)
        results: dict[str, object] = {}
        if not args.skip_crash:
            results["crash"] = crash_soak(
                work, args.articles, args.per_file, args.kills, args.seed, args.default_every
            )
            print(json.dumps({"crash": results["crash"]}, indent=2), flush=True)
        if not args.skip_readers:
            results["readers"] = reader_soak(
                work, args.readers, args.minutes, args.per_file, args.seed
            )
            print(json.dumps({"readers": results["readers"]}, indent=2), flush=True)


if __name__ == "__main__":
    main()
