"""Build and query speed of newsindex against bare Whoosh, SQLite FTS5 and Tantivy.

One command prints, for each corpus size, a table with every engine's build
rate, index size, peak RSS and query latency (p50/p95 over a fixed seeded mix
of ~200 queries), with each peer's ratio to newsindex.  Every build runs in its
own subprocess and its peak RSS is that child's ``ru_maxrss``; queries use one
warm searcher.  Figures are medians of ``--repeats`` runs.  Corpora at 10k and
above are re-assembled from real sentences (``benchmarks.synth``): repeated
text flatters index size and speed.

    .venv/bin/python -m benchmarks.bench_search --sizes 10000,100000 --repeats 3
    .venv/bin/python -m benchmarks.bench_search --sizes 10000,100000,1000000 --repeats 3,1,1
    .venv/bin/python -m benchmarks.bench_search --sizes 10000 --real   # 10k real articles
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks import synth

REPO = synth.REPO
PYTHON = sys.executable
Query = tuple[str, tuple[str, ...]]

STOPWORDS = frozenset(
    "about after also been before being could from have into more most other over said "
    "says should some than that their them then there these they this those through under "
    "were what when where which while will with would year years your mln dlrs".split()
)
_ALPHA = re.compile(r"[A-Za-z]{4,}")


# ---------------------------------------------------------------- query mix


def _candidate_words(text: str) -> list[str]:
    return [w.lower() for w in _ALPHA.findall(text) if w.lower() not in STOPWORDS]


def _adjacent_pairs(text: str) -> list[tuple[str, str]]:
    tokens = re.findall(r"[A-Za-z]+|[^A-Za-z\s]", text)
    pairs = []
    for a, b in zip(tokens, tokens[1:], strict=False):
        la, lb = a.lower(), b.lower()
        if len(a) >= 4 and len(b) >= 4 and la not in STOPWORDS and lb not in STOPWORDS:
            pairs.append((la, lb))
    return pairs


def _date_window(rng: random.Random) -> tuple[str, str]:
    span_days = (synth.END - synth.START).days
    length = rng.choice((7, 30, 90, 365))
    start = synth.START + synth.dt.timedelta(days=rng.randrange(span_days - length))
    end = start + synth.dt.timedelta(days=length)
    return start.date().isoformat(), end.date().isoformat()


def query_mix(corpus: Path, seed: int = 7, sample: int = 2000) -> list[Query]:
    """A fixed mix of ~200 queries drawn with a seeded RNG from the first articles of ``corpus``.

    60 single terms, 50 two-term ANDs, 40 two-word phrases and 50 term + date
    range queries; words come from the articles themselves, so every query can match.
    """
    rng = random.Random(seed)
    articles = []
    for article in synth.read_jsonl(corpus):
        articles.append(article)
        if len(articles) >= sample:
            break
    queries: list[Query] = []

    def words_of() -> list[str]:
        while True:
            a = rng.choice(articles)
            found = _candidate_words(f"{a['title']} {a['body']}")
            if len(found) >= 2:
                return found

    for _ in range(60):
        queries.append(("term", (rng.choice(words_of()),)))
    for _ in range(50):
        found = words_of()
        queries.append(("and", tuple(rng.sample(found, 2))))
    while sum(kind == "phrase" for kind, _ in queries) < 40:
        pairs = _adjacent_pairs(rng.choice(articles)["body"])
        if pairs:
            queries.append(("phrase", rng.choice(pairs)))
    for _ in range(50):
        queries.append(("date", (rng.choice(words_of()), *_date_window(rng))))
    return queries


# ---------------------------------------------------------------- measuring


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def time_queries(
    run: Callable[[str, tuple[str, ...]], object], queries: list[Query], passes: int = 3
) -> dict[str, dict[str, float]]:
    """Per-kind and overall p50/p95 in ms: one warm-up pass, then the median of ``passes``.

    ``p50``/``p95`` are wall time; ``cpu_p50``/``cpu_p95`` the thread's CPU time,
    which other work on a shared machine disturbs less.
    """
    for kind, args in queries:
        run(kind, args)
    walls: list[list[float]] = [[] for _ in queries]
    cpus: list[list[float]] = [[] for _ in queries]
    for _ in range(passes):
        for i, (kind, args) in enumerate(queries):
            start, start_cpu = time.perf_counter(), time.thread_time()
            run(kind, args)
            walls[i].append((time.perf_counter() - start) * 1000)
            cpus[i].append((time.thread_time() - start_cpu) * 1000)
    wall = [statistics.median(times) for times in walls]
    cpu = [statistics.median(times) for times in cpus]
    kinds: dict[str, list[tuple[float, float]]] = {"all": list(zip(wall, cpu, strict=True))}
    for (kind, _), pair in zip(queries, kinds["all"], strict=True):
        kinds.setdefault(kind, []).append(pair)
    summary = {}
    for kind, pairs in kinds.items():
        ms, cpu_ms = [w for w, _ in pairs], [c for _, c in pairs]
        summary[kind] = {
            "p50": percentile(ms, 50),
            "p95": percentile(ms, 95),
            "cpu_p50": percentile(cpu_ms, 50),
            "cpu_p95": percentile(cpu_ms, 95),
            "n": len(ms),
        }
    return summary


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    """Peak RSS in MB of this process and of any child it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def run_child(module: str, args: list[str], timeout: float = 7200) -> dict[str, Any]:
    """Run ``python -m module args`` and return the JSON object it prints last on stdout.

    The child's own ``ru_maxrss`` (from ``wait4``) is added as ``child_rss_mb``.
    """
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [PYTHON, "-m", module, *args], cwd=REPO, stdout=out, stderr=subprocess.PIPE
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{err.decode()[-3000:]}")
    result: dict[str, Any] = json.loads(text.strip().splitlines()[-1])
    result["child_rss_mb"] = usage.ru_maxrss / 1024
    return result


def mb(n_bytes: float) -> float:
    """Bytes to MB."""
    return n_bytes / 1e6


def iter_corpus(path: Path) -> Iterator[dict[str, Any]]:
    """Articles of a JSONL corpus (the read cost is part of every peer's build)."""
    return synth.read_jsonl(path)


def fresh_dir(root: Path, name: str) -> Path:
    """An empty folder ``root/name``."""
    path = root / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# ---------------------------------------------------------------- one engine, in a child

ENGINES = ("newsindex", "newsindex-tantivy", "whoosh", "fts5", "tantivy")
EXTRACT_ONLY, FROM_FILES = "extract-only", "newsindex-tantivy-files"
NEWSINDEX = ("newsindex", "newsindex-tantivy", FROM_FILES)
"""newsindex on Whoosh and on Tantivy: built from files, with extraction, filters and facets."""
FACET_FIELDS = ("people", "places", "themes")


def filter_queries(peer: Any, queries: list[Query], seed: int = 11) -> list[Query]:
    """Term + people/places/themes filters: the value is one the term's hits really carry."""
    rng = random.Random(seed)
    found: list[Query] = []
    terms = [args[0] for kind, args in queries if kind == "term"]
    for term in terms:
        field = FACET_FIELDS[len(found) % len(FACET_FIELDS)]
        counts = peer.facets(term, by=(field,), top=5)[field].counts
        if counts:
            found.append(("filter", (term, field, rng.choice(counts).value)))
        if len(found) >= 40:
            break
    return found


def one_article_files(corpus: Path) -> Path:
    """A folder holding each article of ``corpus`` as a JSON file of its own (made once)."""
    folder = corpus.with_suffix(".files")
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        for number, article in enumerate(synth.read_jsonl(corpus)):
            shelf = folder / f"{number // 10_000:03d}"
            shelf.mkdir(parents=True, exist_ok=True)
            (shelf / f"{article['id']}.json").write_text(json.dumps(article), encoding="utf-8")
        done.touch()
    return folder


def extract_only(corpus: Path) -> int:
    """Read and prepare every article as a Tantivy build does, with its worker count, and
    index nothing: the throughput the build is measured against."""
    import multiprocessing

    from newsindex import build
    from newsindex.options import BuildOptions
    from newsindex.readers import read_file

    options = BuildOptions()
    workers = build._choose_workers(options, corpus.stat().st_size)
    articles = (a for a in read_file(corpus, corpus.parent) if not hasattr(a, "reason"))
    count = 0
    if workers:
        context = multiprocessing.get_context("spawn")
        setup = (options.extractor, None, None, "tantivy")
        with context.Pool(workers, initializer=build._init_worker, initargs=setup) as pool:
            for _ in build._bounded_map(pool, articles):
                count += 1
    else:
        from newsindex.extract import get_extractor

        extractor = get_extractor(options.extractor)
        for article in articles:
            build._prepare(extractor, "tantivy", article)  # type: ignore[arg-type]
            count += 1
    return count


def child(
    engine: str, corpus: Path, folder: Path, passes: int, facet_queries: int = 50
) -> dict[str, Any]:
    """Build ``engine``'s index of ``corpus`` and time the query mix on a warm searcher."""
    from benchmarks.peers import open_peer

    if engine == EXTRACT_ONLY:
        start, start_cpu = time.perf_counter(), cpu_seconds()
        docs = extract_only(corpus)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
        return {"engine": engine, "docs": docs, "seconds": seconds, "rate": docs / seconds,
                "cpu_seconds": cpu, "cpu_rate": docs / cpu, "rss_mb": peak_rss_mb(),
                "latency": {}}  # fmt: skip
    source = one_article_files(corpus) if engine == FROM_FILES else corpus
    peer = open_peer(engine.removesuffix("-files"), fresh_dir(folder, engine))
    start, start_cpu = time.perf_counter(), cpu_seconds()
    if engine in NEWSINDEX:
        peer.build_files([source])  # type: ignore[attr-defined]
    else:
        peer.build(iter_corpus(corpus))
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    rss = peak_rss_mb()
    docs = sum(1 for _ in iter_corpus(corpus))
    queries = query_mix(corpus)
    latency = time_queries(lambda kind, args: peer.search(kind, args), queries, passes)
    if engine in NEWSINDEX:
        extra = filter_queries(peer, queries)
        if extra:
            latency["filter"] = time_queries(peer.search, extra, passes)["filter"]
        words = [("facets", args) for kind, args in queries if kind == "term"][:facet_queries]
        latency["facets"] = time_queries(
            lambda _kind, args: peer.facets(args[0], by=FACET_FIELDS, top=20),  # type: ignore[attr-defined]
            words,
            passes,
        )["facets"]
    size = peer.size_bytes()
    peer.close()
    return {
        "engine": engine,
        "docs": docs,
        "seconds": seconds,
        "rate": docs / seconds,
        "cpu_seconds": cpu,
        "cpu_rate": docs / cpu,
        "rss_mb": rss,
        "size_mb": mb(size),
        "latency": latency,
    }


# ---------------------------------------------------------------- CLI start-up


def cli_times(runs: int = 10, engine: str = "whoosh") -> dict[str, float]:
    """Median wall time (ms) of ``newsindex --help`` and of a search on an index of ``seeds/``
    built on ``engine``."""
    exe = Path(PYTHON).with_name("newsindex")
    base = [str(exe)] if exe.exists() else [PYTHON, "-m", "newsindex"]
    with tempfile.TemporaryDirectory() as tmp:
        index = str(Path(tmp) / "seed-index")
        subprocess.run(
            [*base, "build", "--index", index, "--engine", engine, str(REPO / "seeds")],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        commands = {
            "newsindex --help": [*base, "--help"],
            'newsindex search "semiconductors"': [
                *base,
                "search",
                "--index",
                index,
                "semiconductors",
            ],  # fmt: skip
        }
        timings = {}
        for name, command in commands.items():
            walls = []
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run(command, cwd=REPO, check=True, capture_output=True)
                walls.append((time.perf_counter() - start) * 1000)
            timings[name] = statistics.median(walls)
    return timings


# ---------------------------------------------------------------- the table


def _median(rows: list[dict[str, Any]], *keys: str) -> float | None:
    values = []
    for row in rows:
        value: Any = row
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            values.append(value)
    return statistics.median(values) if values else None


def _cell(value: float | None, ref: float | None, digits: int) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if ref:
        text += f" ({value / ref:.2f}×)"
    return text


def _pair(rows: list[dict[str, Any]], kind: str, prefix: str = "") -> str:
    p50 = _median(rows, "latency", kind, f"{prefix}p50")
    p95 = _median(rows, "latency", kind, f"{prefix}p95")
    return "–" if p50 is None or p95 is None else f"{p50:.2f} / {p95:.2f}"


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    """Medians per engine as Markdown, each peer's ratio to newsindex in brackets."""
    ref = results.get("newsindex", [])
    head = [
        "engine", "build docs/s", "docs per CPU-s", "index MB", "peak RSS MB",
        "query p50 ms", "query p95 ms", "CPU p50 / p95", "term", "AND", "phrase",
        "term+date", "term+filter", "facets",
    ]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for engine, rows in results.items():
        base = engine != "newsindex" and ref
        cells = [engine]
        for keys, digits in (
            (("rate",), 0),
            (("cpu_rate",), 0),
            (("size_mb",), 1),
            (("rss_mb",), 0),
            (("latency", "all", "p50"), 2),
            (("latency", "all", "p95"), 2),
        ):
            cells.append(_cell(_median(rows, *keys), _median(ref, *keys) if base else None, digits))
        cells.append(_pair(rows, "all", "cpu_"))
        cells += [_pair(rows, k) for k in ("term", "and", "phrase", "date", "filter", "facets")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every engine at every size, ``--repeats`` times, and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument(
        "--repeats", default="3", help="builds per engine: one number, or one per size (3,1)"
    )
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the query mix")
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help=f"also {EXTRACT_ONLY} (read and extract, no index) and {FROM_FILES} "
        "(newsindex on Tantivy from a folder of one-article files)",
    )
    parser.add_argument("--facet-queries", type=int, default=50, help="queries timed for facets")
    parser.add_argument("--real", action="store_true", help="real articles (sizes <= ~10k)")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI start-up timings")
    parser.add_argument("--dir", type=Path, default=synth.OUT / "bench-search")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child(args.child, args.corpus, args.dir, args.passes, args.facet_queries)
        print(json.dumps(result))
        return 0
    engines = args.engines.split(",")
    mode = "real" if args.real else "synthetic"
    sizes = [int(s) for s in args.sizes.split(",")]
    counts = [int(r) for r in args.repeats.split(",")]
    for i, size in enumerate(sizes):
        repeats = counts[min(i, len(counts) - 1)]
        corpus = synth.corpus_file(size, mode)
        results: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
        for repeat in range(repeats):
            for engine in engines:
                row = run_child(
                    "benchmarks.bench_search",
                    ["--child", engine, "--corpus", str(corpus), "--dir", str(args.dir),
                     "--passes", str(args.passes), "--facet-queries", str(args.facet_queries)],
                )  # fmt: skip
                row["rss_mb"] = max(row["rss_mb"], row["child_rss_mb"])
                results[engine].append(row)
                print(f"{size} #{repeat + 1} {engine}: {json.dumps(row)}", file=sys.stderr)
        (synth.OUT / f"bench-search-{mode}-{size}.json").write_text(json.dumps(results, indent=1))
        what = (
            "real articles (Reuters, AG News, BBC)"
            if args.real
            else "articles re-assembled from real sentences (repeated text flatters size and speed)"
        )
        docs = int(_median(next(iter(results.values())), "docs") or 0)
        print(f"\n{docs:,} {what}; median of {repeats} builds, p50/p95 in ms\n")
        print(table(results))
    if not args.no_cli:
        print("\nCLI wall time, median of 10 runs:\n")
        for engine in ("whoosh", "tantivy"):
            for name, ms in cli_times(engine=engine).items():
                print(f"- `{name}` ({engine} index): {ms:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
