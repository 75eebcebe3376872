"""Ranking quality of newsindex next to SQLite FTS5 and Tantivy, on the same documents and queries.

TIME (Time magazine 1963: 423 articles, 83 queries, judgments ``TIME.REL.ALL``)
is the real test: MAP, P@10 and nDCG@10.  Reuters-21578 ModApte test (3,299
stories) with topic names as queries is a second, weaker check: a story
counts as relevant when it carries the topic label (pseudo-relevance).

Queries are used as people type them: lower-cased, plain words, no operators.
Every engine gets the same text and returns its top 1,000 ids.

    python -m benchmarks.eval_ranking                 # TIME and Reuters, default ranking
    python -m benchmarks.eval_ranking --variants      # also the tuning grid
    python -m benchmarks.eval_ranking --corpus time --peers fts5,tantivy,whoosh
    python -m benchmarks.eval_ranking --engines whoosh,tantivy   # newsindex on both engines
    python -m benchmarks.eval_ranking --public --engines whoosh,tantivy   # the public path

``--variants`` scores alternative rankings (idf, BM25 k1/b, field weights, the
default operator, coordination, an AND-then-OR fallback, a word-pair bonus, and
analyzer changes) on the same index, so the defaults in
``newsindex/engine/ranking.py`` are chosen by measurement.  Scores are computed
on the engine directly (no snippets for 1,000 hits); every query's top 10 is
checked to be exactly what ``NewsIndex.search`` returns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks import peers as peer_engines
from benchmarks.corpora import reuters, time_ir
from newsindex import NewsIndex
from newsindex.documents import Article
from newsindex.engine.whoosh import schema as engine_schema
from newsindex.engine.whoosh.query import parse_query
from newsindex.engine.whoosh.ranking import weighting
from newsindex.engine.whoosh.store import IndexStore
from newsindex.options import BuildOptions, SearchOptions
from newsindex.ranking import DEFAULT_RANKING, Ranking

DEPTH = 1000
"""How many hits each engine returns per query (MAP is computed over these)."""


# -- test collections ------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """Documents, queries and relevance judgments for one evaluation."""

    name: str
    articles: tuple[Article, ...]
    queries: dict[str, str]
    relevant: dict[str, frozenset[str]]
    note: str


def time_collection() -> Collection:
    """TIME: every article, every query, ``TIME.REL.ALL``."""
    articles = tuple(
        Article(id=doc.id, title="", body=doc.text, date=doc.date, source="time")
        for doc in time_ir.load()
    )
    questions = {k: v.lower() for k, v in time_ir.queries().items()}
    return Collection("TIME", articles, questions, time_ir.judgments(), "judged relevance")


_CODE = re.compile(r"^(.*?)\s*\(([A-Z0-9-]+)\)\s*[@*]*\s*$")


def topic_names(folder: Path | None = None) -> dict[str, str]:
    """Reuters topic code to its name in ``cat-descriptions_120396.txt`` (else the code)."""
    path = (folder or reuters.reuters_path()) / "cat-descriptions_120396.txt"
    names: dict[str, str] = {}
    in_topics = False
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("****"):
            in_topics = line.startswith("****Subject Codes")
            continue
        if not in_topics or not line.strip() or line.startswith("**"):
            continue
        match = _CODE.match(line.strip())
        if match:
            names[match.group(2).lower()] = match.group(1)
        elif re.fullmatch(r"[A-Z0-9-]+", line.strip()):
            names[line.strip().lower()] = line.strip().lower().replace("-", " ")
    return names


def reuters_collection() -> Collection:
    """Reuters-21578 ModApte test; query = topic name; relevant = stories with the topic."""
    docs = reuters.modapte_test()
    names = topic_names()
    articles = tuple(
        Article(
            id=str(doc.newid),
            title=doc.title,
            body=doc.body,
            date=doc.date.date() if doc.date else None,
            source="reuters",
        )
        for doc in docs
    )
    relevant: dict[str, set[str]] = {}
    for doc in docs:
        for topic in doc.topics:
            relevant.setdefault(topic, set()).add(str(doc.newid))
    questions = {t: names.get(t, t.replace("-", " ")).lower() for t in sorted(relevant)}
    return Collection(
        "Reuters ModApte test",
        articles,
        questions,
        {t: frozenset(ids) for t, ids in relevant.items()},
        "pseudo-relevance: topic label",
    )


# -- metrics -----------------------------------------------------------------------------


def average_precision(ranked: Sequence[str], relevant: frozenset[str]) -> float:
    """Mean of precision at each relevant hit, over all relevant documents."""
    hits = 0
    total = 0.0
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def precision_at(ranked: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    """Share of the first ``k`` places holding a relevant document."""
    return sum(1 for doc in ranked[:k] if doc in relevant) / k


def ndcg_at(ranked: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    """Binary-gain nDCG at ``k``."""
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


@dataclass(frozen=True)
class Scores:
    """Mean metrics over a collection's queries."""

    map: float
    p10: float
    ndcg10: float
    queries: int
    ms_per_query: float


def score(
    collection: Collection,
    run: Callable[[str], list[str]],
    per_query: dict[str, float] | None = None,
) -> Scores:
    """Run every query of ``collection`` through ``run`` and average the metrics."""
    aps, p10s, ndcgs = [], [], []
    started = time.perf_counter()
    for number, text in collection.queries.items():
        relevant = collection.relevant.get(number, frozenset())
        if not relevant:
            continue
        ranked = run(text)
        aps.append(average_precision(ranked, relevant))
        p10s.append(precision_at(ranked, relevant))
        ndcgs.append(ndcg_at(ranked, relevant))
        if per_query is not None:
            per_query[number] = ndcgs[-1]
    elapsed = (time.perf_counter() - started) * 1000 / max(1, len(aps))
    return Scores(
        statistics.fmean(aps),
        statistics.fmean(p10s),
        statistics.fmean(ndcgs),
        len(aps),
        elapsed,
    )


# -- newsindex ---------------------------------------------------------------------------


def build_newsindex(
    folder: Path, articles: Iterable[Article], extractor: str, engine: str = "whoosh"
) -> NewsIndex:
    """A fresh newsindex index of ``articles`` at ``folder`` on ``engine``."""
    index = NewsIndex.create(folder, extractor=extractor, engine=engine)
    index.add_articles(articles, BuildOptions(extractor=extractor))
    return index


def public_run(index: NewsIndex, depth: int = DEPTH) -> Callable[[str], list[str]]:
    """Ranked ids through ``NewsIndex.search``, ``depth`` deep, near-duplicates not folded."""
    options = SearchOptions(limit=depth, fold_duplicates=False)
    return lambda text: [hit.id for hit in index.search(text, options=options).hits]


def engine_rows(
    collection: Collection, folder: Path, engines: Sequence[str], extractor: str
) -> list[str]:
    """Rows for newsindex on each engine in ``engines`` other than Whoosh, through the
    public API at full depth: build, then every query through ``NewsIndex.search``."""
    lines = []
    for engine in engines:
        if engine == "whoosh":
            continue
        started = time.perf_counter()
        index = build_newsindex(
            folder / f"newsindex-{engine}", collection.articles, extractor, engine
        )
        built = time.perf_counter() - started
        scores = score(collection, public_run(index))
        lines.append(row(f"newsindex on {engine.title()}, through NewsIndex.search", scores))
        index.close()
        print(f"newsindex on {engine}: built in {built:.1f} s", file=sys.stderr)
    return lines


def public_top10(
    collection: Collection, index: NewsIndex, run: Callable[[str], list[str]]
) -> tuple[Scores, int]:
    """P@10 and nDCG@10 through ``NewsIndex.search``, and how many queries' top 10 differ
    from ``run`` (the engine path the other figures use).

    Near-duplicate folding is off: it hides repeated copies of a story from
    readers, while the judgments (and the peers) count every copy.
    """
    options = SearchOptions(limit=10, fold_duplicates=False)
    differ = 0
    ranked: dict[str, list[str]] = {}
    for text in collection.queries.values():
        ranked[text] = [hit.id for hit in index.search(text, options=options)]
        differ += ranked[text] != run(text)[:10]
    scores = score(collection, lambda text: ranked[text])
    return replace(scores, map=float("nan"), ms_per_query=float("nan")), differ


class EngineRun:
    """Search one newsindex index directly with a given :class:`Ranking` (for variants)."""

    def __init__(self, folder: Path) -> None:
        self.store = IndexStore.open(folder)
        self.searchers: dict[tuple[float, float, float, str], Any] = {}

    def run(self, ranking: Ranking, fallback: bool = False) -> Callable[[str], list[str]]:
        """A search function ranking by ``ranking``; ``fallback``: AND hits first, then OR."""
        key = (ranking.k1, ranking.b, ranking.title_b, ranking.idf)
        searcher = self.searchers.get(key)
        if searcher is None:
            searcher = self.store.ix.searcher(weighting=weighting(ranking))
            self.searchers[key] = searcher
        schema = self.store.ix.schema

        def ids(text: str, operator: str) -> list[str]:
            q = parse_query(text, schema, operator, ranking)
            return [hit["id"] for hit in searcher.search(q, limit=DEPTH)]

        def run(text: str) -> list[str]:
            if not fallback:
                return ids(text, ranking.operator)
            first = ids(text, "and")
            seen = set(first)
            return first + [doc for doc in ids(text, "or") if doc not in seen]

        return run

    def close(self) -> None:
        """Release searchers and the index."""
        for searcher in self.searchers.values():
            searcher.close()
        self.store.close()


def _analyzer_variant(name: str) -> Callable[[], Any]:
    from whoosh.analysis import (
        CharsetFilter,
        LowercaseFilter,
        RegexTokenizer,
        StemFilter,
        StopFilter,
    )
    from whoosh.support.charset import accent_map

    tokenizer = RegexTokenizer(r"\w+(?:[.'’-]\w+)*")
    chains = {
        "no stemming": lambda: (
            tokenizer | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=1)
        ),
        "no stop words": lambda: (
            tokenizer
            | LowercaseFilter()
            | CharsetFilter(accent_map)
            | StemFilter(lang="en", cachesize=50000)
        ),
    }
    return chains[name]


def analyzer_variant_index(
    folder: Path, articles: Sequence[Article], name: str, extractor: str
) -> NewsIndex:
    """An index whose title and body use the analyzer variant ``name``."""
    original = engine_schema.text_analyzer
    engine_schema.text_analyzer = _analyzer_variant(name)  # type: ignore[assignment]
    try:
        return build_newsindex(folder, articles, extractor)
    finally:
        engine_schema.text_analyzer = original  # type: ignore[assignment]


# -- peers -------------------------------------------------------------------------------


def peer_records(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """Articles as the ``id, title, body, date`` records the peers index."""
    return [
        {
            "id": a.id,
            "title": a.title,
            "body": a.body,
            "date": (a.date or dt.date(1970, 1, 1)).isoformat(),
        }
        for a in articles
    ]


def peer_run(peer: Any) -> Callable[[str], list[str]]:
    """Plain words OR-ed and ranked by the peer's BM25."""
    return lambda text: list(peer.search_text(text, DEPTH))


# -- the public path: files -> readers -> NewsIndex.build -> NewsIndex.search --------------

PUBLIC_DEPTH = 100
"""Hits asked of ``NewsIndex.search`` per query, as a user would (MAP is MAP@100)."""


def write_jsonl(collection: Collection, folder: Path, *, titled: bool) -> list[Path]:
    """The collection as one JSON Lines file: ``id`` and ``body``, and ``title`` if ``titled``."""
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for a in collection.articles:
            record = {"id": a.id, "body": a.body}
            if titled and a.title:
                record["title"] = a.title
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return [path]


def write_text_files(collection: Collection, folder: Path, *, titled: bool) -> list[Path]:
    """One seed-format text file per article (``date`` header; a title line if ``titled``)."""
    for a in collection.articles:
        head = f"date {a.date.isoformat()}\n" if a.date else ""
        title = f"{a.title}\n\n" if titled and a.title else ""
        (folder / f"{a.id}.txt").write_text(f"{head}{title}{a.body}\n", encoding="utf-8")
    return [folder]


PublicForm = tuple[str, Callable[[Collection, Path], list[Path]], bool]


def public_forms(collection: Collection) -> list[PublicForm]:
    """(label, writer, whether titles are given) for each input form of ``collection``."""
    titled = any(a.title for a in collection.articles)
    forms: list[PublicForm] = [
        ("JSON Lines, body only", lambda c, f: write_jsonl(c, f, titled=False), False),
        ("text files (seed format)", lambda c, f: write_text_files(c, f, titled=titled), titled),
    ]
    if titled:
        forms.append(
            ("JSON Lines, title and body", lambda c, f: write_jsonl(c, f, titled=True), True)
        )
    return forms


def _collection_id(hit_id: str) -> str:
    """The collection's id for a hit: text files are named ``<id>.txt``."""
    return Path(hit_id).stem if hit_id.endswith(".txt") else hit_id


def public_scores(
    collection: Collection, inputs: list[Path], folder: Path, engine: str, extractor: str
) -> tuple[Scores, float]:
    """Build ``inputs`` with ``NewsIndex.build`` on ``engine``; score ``NewsIndex.search``."""
    started = time.perf_counter()
    with NewsIndex.create(folder, engine=engine, extractor=extractor) as index:
        index.build(inputs, BuildOptions(extractor=extractor))
        built = time.perf_counter() - started

        def run(text: str) -> list[str]:
            hits = index.search(text, limit=PUBLIC_DEPTH)
            return [_collection_id(hit.id) for hit in hits]

        return score(collection, run), built


def evaluate_public(
    collection: Collection, work: Path, engines: Sequence[str], extractor: str
) -> list[str]:
    """Markdown rows: each input form through the readers and the public API, beside FTS5."""
    lines = [f"### {collection.name}: the public path", "", PUBLIC_HEADER]
    for label, write, titled in public_forms(collection):
        folder = work / re.sub(r"\W+", "-", f"{collection.name}-{label}".lower())
        source = folder / "input"
        source.mkdir(parents=True)
        inputs = write(collection, source)
        for engine in engines:
            scores, built = public_scores(collection, inputs, folder / engine, engine, extractor)
            lines.append(public_row(label, f"newsindex {engine}", scores, built))
        records = peer_records(a if titled else replace(a, title="") for a in collection.articles)
        peer = peer_engines.open_peer("fts5", folder / "fts5")
        peer.build(records)
        fts5 = score(collection, _depth(peer_run(peer), PUBLIC_DEPTH))
        peer.close()
        lines.append(public_row(label, _PEER_LABELS["fts5"], fts5, float("nan")))
    return lines


PUBLIC_HEADER = "| input | engine | MAP@100 | nDCG@10 | P@10 | build s |\n|---|---|---|---|---|---|"


def _depth(run: Callable[[str], list[str]], depth: int) -> Callable[[str], list[str]]:
    return lambda text: run(text)[:depth]


def public_row(form: str, engine: str, s: Scores, built: float) -> str:
    """One row of the public-path table."""
    seconds = f"{built:.1f}" if built == built else "—"
    return f"| {form} | {engine} | {s.map:.4f} | {s.ndcg10:.4f} | {s.p10:.4f} | {seconds} |"


# -- the report --------------------------------------------------------------------------


def variants() -> list[tuple[str, Ranking, bool]]:
    """The tuning grid: one change from the default at a time."""
    d = DEFAULT_RANKING
    grid: list[tuple[str, Ranking, bool]] = [
        ("default", d, False),
        ("operator and", replace(d, operator="and"), False),
        ("and, then or (fallback)", d, True),
        ("all-words bonus 0 (plain ranked OR)", replace(d, all_words=0.0), False),
        ("all-words bonus 0.25", replace(d, all_words=0.25), False),
        ("all-words bonus 1", replace(d, all_words=1.0), False),
        ("all-words bonus 4", replace(d, all_words=4.0), False),
        ("coordination 0.9", replace(d, coordination=0.9), False),
    ]
    for idf in ("whoosh", "probabilistic", "robertson"):
        if idf != d.idf:
            grid.append((f"idf {idf}", replace(d, idf=idf), False))
    for k1 in (0.9, 1.5, 2.0):
        grid.append((f"k1 {k1}", replace(d, k1=k1), False))
    for b in (0.5, 0.9):
        grid.append((f"b {b}", replace(d, b=b), False))
    for title in (1.0, 2.5, 4.0):
        grid.append(
            (f"title weight {title}", replace(d, fields={**d.fields, "title": title}), False)
        )
    for entities in (0.0, 0.75, 1.5):
        fields = {**d.fields, "entities": entities}
        if not entities:
            fields.pop("entities")
        grid.append((f"entities weight {entities}", replace(d, fields=fields), False))
    for pairs, slop in ((0.1, 1), (0.25, 1), (0.25, 3)):
        grid.append(
            (f"word pairs {pairs}, slop {slop}", replace(d, pairs=pairs, pair_slop=slop), False)
        )
    return grid


def row(name: str, s: Scores) -> str:
    """One markdown table row."""
    cells = [f"{v:.4f}" if v == v else "—" for v in (s.map, s.p10, s.ndcg10)]
    ms = f"{s.ms_per_query:.1f}" if s.ms_per_query == s.ms_per_query else "—"
    return f"| {name} | {' | '.join(cells)} | {ms} |"


HEADER = "| engine | MAP | P@10 | nDCG@10 | ms/query |\n|---|---|---|---|---|"


def evaluate(
    collection: Collection,
    work: Path,
    peer_names: Sequence[str],
    extractor: str,
    tune: bool,
    engines: Sequence[str] = ("whoosh", "tantivy"),
) -> list[str]:
    """Markdown lines with the scores of newsindex and the peers on ``collection``."""
    lines = [
        f"### {collection.name} ({len(collection.articles)} docs, "
        f"{sum(1 for q in collection.queries if collection.relevant.get(q))} queries, "
        f"{collection.note})",
        "",
        HEADER,
    ]
    folder = work / re.sub(r"\W+", "-", collection.name.lower())
    started = time.perf_counter()
    index = build_newsindex(folder / "newsindex", collection.articles, extractor)
    built = time.perf_counter() - started
    engine = EngineRun(folder / "newsindex")
    default = score(collection, engine.run(DEFAULT_RANKING))
    public, differ = public_top10(collection, index, engine.run(DEFAULT_RANKING))
    lines.append(row(f"newsindex (default, extractor {extractor})", default))
    lines.append(row("newsindex through NewsIndex.search, top 10", public))
    lines.append(
        row("newsindex on Whoosh, through NewsIndex.search", score(collection, public_run(index)))
    )
    lines.extend(engine_rows(collection, folder, engines, extractor))
    for name in peer_names:
        peer = peer_engines.open_peer(name, folder / name)
        peer.build(peer_records(collection.articles))
        lines.append(row(_PEER_LABELS.get(name, name), score(collection, peer_run(peer))))
        peer.close()
    lines.append("")
    lines.append(
        f"newsindex build: {built:.1f} s. NewsIndex.search's top 10 differs from the engine "
        f"path's for {differ} of {len(collection.queries)} queries."
    )
    if tune:
        lines.extend(["", "Variants (newsindex, same index, one change at a time):", "", HEADER])
        for label, ranking, fallback in variants()[1:]:
            lines.append(row(label, score(collection, engine.run(ranking, fallback))))
        for name in ("no stemming", "no stop words"):
            folder_name = folder / name.replace(" ", "-")
            analyzer_variant_index(folder_name, collection.articles, name, extractor).close()
            variant = EngineRun(folder_name)
            lines.append(row(name, score(collection, variant.run(DEFAULT_RANKING))))
            variant.close()
    engine.close()
    index.close()
    return lines


_PEER_LABELS = {
    "fts5": "SQLite FTS5 bm25() (porter unicode61)",
    "tantivy": "Tantivy BM25 (en_stem)",
    "whoosh": "bare Whoosh BM25F (default analyzer)",
}


def available_extractor(name: str) -> str:
    """``name`` if it can be loaded here, else ``none`` (said on stderr)."""
    from newsindex.errors import NewsIndexError
    from newsindex.extract import get_extractor

    try:
        get_extractor(name)
    except (ImportError, NewsIndexError) as exc:
        print(f"extractor {name!r} unavailable ({exc}); using 'none'", file=sys.stderr)
        return "none"
    return name


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("time", "reuters", "all"), default="all")
    parser.add_argument("--peers", default="fts5,tantivy", help="comma-separated peer names")
    parser.add_argument("--extractor", default="default")
    parser.add_argument("--variants", action="store_true", help="also score the tuning grid")
    parser.add_argument(
        "--public", action="store_true", help="score files built and searched by the public API"
    )
    parser.add_argument(
        "--engines", default="whoosh,tantivy", help="newsindex engines, through the public API"
    )
    args = parser.parse_args(argv)
    extractor = available_extractor(args.extractor)
    peer_names = [p for p in args.peers.split(",") if p]
    collections: list[Callable[[], Collection]] = []
    if args.corpus in ("time", "all"):
        collections.append(time_collection)
    if args.corpus in ("reuters", "all"):
        collections.append(reuters_collection)
    work = Path(tempfile.mkdtemp(prefix="eval-ranking-"))
    try:
        for load in collections:
            collection = load()
            engines = [e for e in args.engines.split(",") if e]
            if args.public:
                lines = evaluate_public(collection, work, engines, extractor)
            else:
                lines = evaluate(collection, work, peer_names, extractor, args.variants, engines)
            print("\n".join(lines), flush=True)
            print(flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
