"""Where a newsindex build spends its time: the Whoosh engine or our own code.

Profiles ``NewsIndex.build`` of a 10k JSONL corpus with cProfile, timing CPU
rather than wall time (extraction in-process, ``workers=0``), and splits the
time by package.  Self time of the
standard library and builtins (``re``, ``json``, ``str`` methods ...) is
charged to whoever called it, in proportion to each caller's share.

    .venv/bin/python -m benchmarks.profile_build            # 10k re-assembled articles
    .venv/bin/python -m benchmarks.profile_build --real     # 10k real articles
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import synth

Key = tuple[str, int, str]

GROUPS = (
    ("engine: whoosh", ("/whoosh/",)),
    ("ours: read (newsindex.readers)", ("newsindex/readers/",)),
    ("ours: extract (newsindex.extract, dates)", ("newsindex/extract/", "newsindex/dates.py")),
    ("ours: engine glue (newsindex.engine)", ("newsindex/engine/",)),
    ("ours: build, dedup, other", ("newsindex/",)),
)
OTHER = "unattributed (interpreter, top level)"


def group_of(filename: str) -> str | None:
    """The group a source file belongs to, or None for the stdlib and builtins."""
    path = filename.replace("\\", "/")
    for name, needles in GROUPS:
        if any(needle in path for needle in needles):
            return name
    return None


def split_time(stats: dict[Key, Any]) -> dict[str, float]:
    """Seconds of self time per group, stdlib/builtin time charged to the callers."""
    shares: dict[Key, dict[str, float]] = {}
    busy: set[Key] = set()

    def share(key: Key) -> dict[str, float]:
        if key in shares:
            return shares[key]
        own = group_of(key[0])
        if own is not None:
            return {own: 1.0}
        callers = stats[key][4] if key in stats else {}
        total = sum(entry[3] for entry in callers.values())
        if key in busy or not callers or total <= 0:
            return {OTHER: 1.0}
        busy.add(key)
        mix: dict[str, float] = {}
        for caller, entry in callers.items():
            for name, part in share(caller).items():
                mix[name] = mix.get(name, 0.0) + part * entry[3] / total
        busy.discard(key)
        shares[key] = mix
        return mix

    seconds: dict[str, float] = {}
    for key, (_, _, self_time, _, _) in stats.items():
        for name, part in share(key).items():
            seconds[name] = seconds.get(name, 0.0) + self_time * part
    return seconds


def top_functions(stats: dict[Key, Any], limit: int = 12) -> list[tuple[str, float]]:
    """Our own functions with the most cumulative time."""
    ours = [
        (f"{Path(key[0]).name}:{key[1]} {key[2]}", entry[3])
        for key, entry in stats.items()
        if "newsindex/" in key[0]
    ]
    return sorted(ours, key=lambda item: -item[1])[:limit]


def main(argv: list[str] | None = None) -> int:
    """Profile one build and print the split as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--real", action="store_true", help="real articles instead")
    parser.add_argument("--corpus", type=Path, help="profile this JSONL file instead")
    parser.add_argument("--save", type=Path, help="also write the raw profile here")
    args = parser.parse_args(argv)
    from newsindex import BuildOptions, NewsIndex

    corpus = args.corpus or synth.corpus_file(args.n, "real" if args.real else "synthetic")
    with tempfile.TemporaryDirectory() as tmp:
        index = NewsIndex.create(Path(tmp) / "ix")
        profiler = cProfile.Profile(time.process_time)
        start = time.perf_counter()
        profiler.enable()
        report = index.build([str(corpus)], BuildOptions(workers=0))
        profiler.disable()
        wall = time.perf_counter() - start
        index.close()
    if args.save:
        profiler.dump_stats(str(args.save))
    stats: dict[Key, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    seconds = split_time(stats)
    total = sum(seconds.values())
    print(f"newsindex build of {report.added:,} articles from {corpus.name}: {wall:.1f} s wall")
    print("CPU seconds under cProfile (which slows Python code: read the shares)\n")
    print("| where | seconds | share |\n|---|---|---|")
    engine = seconds.get(GROUPS[0][0], 0.0)
    for name, _ in (*GROUPS, (OTHER, ())):
        if name in seconds:
            print(f"| {name} | {seconds[name]:.1f} | {seconds[name] / total:.0%} |")
    print(f"| **engine vs ours** | {engine:.1f} vs {total - engine:.1f} | "
          f"{engine / total:.0%} vs {(total - engine) / total:.0%} |")  # fmt: skip
    print("\nOur functions by cumulative time:\n")
    print("| function | cumulative s |\n|---|---|")
    for name, cumulative in top_functions(stats):
        print(f"| `{name}` | {cumulative:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
