"""Build speed by input form: a folder of one-article text files against one JSON Lines file.

The same stories are written twice, as a folder of seed-format text files
(``date YYYY-MM-DD``, the title, a blank line, the body) and as one JSON Lines
file (``id, title, body, date``), then built with ``NewsIndex.build`` and the
default extractor and worker choice, as a user's ``newsindex build`` would,
on each engine.  Bare Whoosh indexes the same stories in the same run: the
stemming analyzer, title and body stored, ``limitmb=256``, one commit, no
extraction.  Each build runs in its own subprocess, so no build inherits
another's memory or warm imports.  CPU seconds (user + system of the build and
of the workers it waited for) are printed beside wall time: on a shared machine
they are disturbed much less.

    python -m benchmarks.bench_build_inputs                    # 5,000 Reuters-21578 stories
    python -m benchmarks.bench_build_inputs --n 100000 --synthetic --engines whoosh
    python -m benchmarks.bench_build_inputs --baseline /tmp/main-copy   # before/after, one run

``--baseline`` names a copy of another revision (its ``newsindex`` and
``benchmarks`` folders): the Whoosh builds run once more there, in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks import bench_search, synth
from benchmarks.corpora import reuters
from benchmarks.peers import WhooshPeer


def reuters_stories(n: int) -> Iterator[dict[str, str]]:
    """The first ``n`` Reuters-21578 stories with a body, as ``id, title, body, date``."""
    produced = 0
    for doc in reuters.load():
        if not doc.body.strip() or produced >= n:
            continue
        produced += 1
        date = doc.date.date().isoformat() if doc.date else "1987-01-01"
        yield {"id": f"r{doc.newid}", "title": doc.title, "body": doc.body, "date": date}
    if produced < n:
        raise SystemExit(f"only {produced} Reuters stories have a body; asked for {n}")


def write_inputs(stories: Iterator[dict[str, str]], root: Path) -> tuple[Path, Path, int]:
    """The stories as a folder of text files and as one JSON Lines file; and their count."""
    folder, jsonl = root / "stories", root / "stories.jsonl"
    folder.mkdir(parents=True)
    count = 0
    with jsonl.open("w", encoding="utf-8") as out:
        for story in stories:
            out.write(json.dumps(story, ensure_ascii=False) + "\n")
            text = f"date {story['date'][:10]}\n{story['title']}\n\n{story['body']}\n"
            (folder / f"{story['id']}.txt").write_text(text, encoding="utf-8")
            count += 1
    return folder, jsonl, count


class BareWhoosh(WhooshPeer):
    """Bare Whoosh as in the issue: stemming analyzer, title and body stored."""

    def text_field(self, name: str) -> Any:
        from whoosh import analysis, fields

        return fields.TEXT(stored=True, analyzer=analysis.StemmingAnalyzer())

    def build(self, articles: Any) -> None:
        writer = self.ix.writer(limitmb=256)
        for a in articles:
            writer.add_document(
                id=a["id"], title=a["title"], body=a["body"], date=self.date_value(a["date"])
            )
        writer.commit()


def child(kind: str, source: Path, target: Path) -> tuple[float, float]:
    """Build ``source`` into ``target`` one way; return wall and CPU seconds."""
    started, cpu = time.perf_counter(), bench_search.cpu_seconds()
    if kind == "bare-whoosh":
        BareWhoosh(target).build(synth.read_jsonl(source))
    else:
        from newsindex import NewsIndex

        with NewsIndex.create(target, engine=kind) as index:
            report = index.build([source])
        if report.skipped or report.duplicates:
            print(f"{len(report.skipped)} skipped, {len(report.duplicates)} dup", file=sys.stderr)
    return time.perf_counter() - started, bench_search.cpu_seconds() - cpu


def run_child(
    kind: str, source: Path, target: Path, code: Path | None = None
) -> tuple[float, float]:
    """:func:`child` in a fresh interpreter, importing newsindex from ``code`` if given."""
    command = [sys.executable, "-m", "benchmarks.bench_build_inputs", "--child", kind]
    done = subprocess.run(
        [*command, str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    )
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main(argv: list[str] | None = None) -> int:
    """Write the inputs, build each form on each engine, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--synthetic", action="store_true", help="stories from benchmarks.synth")
    parser.add_argument("--engines", default="whoosh,tantivy")
    parser.add_argument("--baseline", type=Path, help="a copy of another revision to compare")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, source, target = args.child
        print(*child(kind, Path(source), Path(target)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-inputs-"))
    try:
        stories = synth.synthetic(args.n) if args.synthetic else reuters_stories(args.n)
        folder, jsonl, count = write_inputs(stories, work)
        runs: list[tuple[str, str, Path, Path | None]] = [
            ("bare Whoosh (no extraction)", "bare-whoosh", jsonl, None)
        ]
        for engine in args.engines.split(","):
            runs += [
                (f"{engine}: folder of {count:,} text files", engine, folder, None),
                (f"{engine}: one JSON Lines file", engine, jsonl, None),
            ]
        if args.baseline:
            runs += [
                (
                    f"baseline whoosh: folder of {count:,} text files",
                    "whoosh",
                    folder,
                    args.baseline,
                ),
                ("baseline whoosh: one JSON Lines file", "whoosh", jsonl, args.baseline),
            ]
        print("| input | wall s | articles/s | CPU s | articles/CPU s |\n|---|---|---|---|---|")
        for number, (label, kind, source, code) in enumerate(runs):
            wall, cpu = run_child(kind, source, work / f"ix{number}", code)
            rates = f"{count / wall:,.0f} | {cpu:.1f} | {count / cpu:,.0f}"
            print(f"| {label} | {wall:.1f} | {rates} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
