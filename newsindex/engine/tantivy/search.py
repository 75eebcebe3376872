"""Searching a Tantivy index: ranked hits, snippets, spelling, facets and similar articles."""

from __future__ import annotations

import functools
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import tantivy
from tantivy import Occur, Query

from newsindex.dates import day_of
from newsindex.engine.tantivy.compile import QueryCompiler
from newsindex.engine.tantivy.schema import ENTITY_FIELDS, facet_field, text_analyzer
from newsindex.engine.tantivy.store import TANTIVY_DIR, TantivyStore
from newsindex.engine.tantivy.terms import ALL_DAYS, FACET_WINDOW, SEGMENT_SIZE, top_terms
from newsindex.errors import IndexCorruptError, NewsIndexError, QuerySyntaxError
from newsindex.hits import (
    FOLD_OVERFETCH,
    HIGHLIGHTED_HITS,
    NEWEST_FIRST,
    OLDEST_FIRST,
    check_facet_request,
    date_facet,
    fold,
    highlight,
    lead,
    make_hit,
    top_counts,
)
from newsindex.options import Filters, SearchOptions
from newsindex.query import ParsedQuery, tree
from newsindex.query.words import WORD
from newsindex.records import stored_article, unpack_data
from newsindex.results import Facet, Hit, SearchResults, Snippet, StoredArticle

__all__ = ["TantivySearcher"]

MIN_SUGGEST_LENGTH, MAX_SUGGEST_LENGTH = 4, 30
SUGGEST_PREFIX = 2
"""Corrections keep a misspelt word's first two letters, so only those words are compared."""
SIMILAR_TERMS = 25
WHOLE_INDEX_FACETS = 64
"""Whole-index facet requests kept per searcher (a new commit clears them)."""


_STEMS: dict[str, str] = {}
"""Words already stemmed, for snippets (a plain dict: looked up for every word shown)."""


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str | None:
    found = text_analyzer().analyze(word)
    stem = found[0] if len(found) == 1 else None
    if stem is not None and len(_STEMS) < 200_000:
        _STEMS[word] = stem
    return stem


def _stem_prefix(stem: str) -> str:
    """What every word with this stem starts with (English stems: see ``_Marks._words``)."""
    if stem.endswith("ie") and len(stem) > 2:
        return stem[:-2]
    return stem[:-1] or stem


class _Hit:
    """One ranked hit: its score, SimHash and stored record (unpacked when first read:
    folding reads three pages of hits, and shows one)."""

    __slots__ = ("_data", "_doc", "id", "score", "simhash")

    def __init__(self, searcher: Any, score: float, address: Any) -> None:
        self._doc = searcher.doc(address)
        self._data: dict[str, Any] | None = None
        self.id = str(self._doc.get_first("id"))
        self.score = float(score)
        self.simhash = int(self._doc.get_first("simhash") or 0)

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = unpack_data(bytes(self._doc.get_first("data")))
        return self._data


class TantivySearcher:
    """Answers queries over one Tantivy index."""

    def __init__(self, store: TantivyStore) -> None:
        self.store = store
        self.schema = store.index.schema
        self._searcher: Any = None
        self._seen: tuple[int, int, int] | None = None
        self._whole_index: dict[tuple[tuple[str, ...], int, str], dict[str, Facet]] = {}
        """Facets of every article (``*``, no filters), for the searcher of ``_seen``."""

    def searcher(self) -> Any:
        """A searcher over the latest commit, reopened only when a commit replaced
        Tantivy's ``meta.json`` (one ``stat`` a call, instead of a reload)."""
        try:
            meta = os.stat(self.store.path / TANTIVY_DIR / "meta.json")
            seen = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
        except OSError:
            seen = None
        if self._searcher is None or seen is None or seen != self._seen:
            index = self.store.index
            index.reload()
            self._searcher, self._seen = index.searcher(), seen
            self._whole_index = {}
        return self._searcher

    def _run(self, function: Callable[[], Any]) -> Any:
        try:
            return function()
        except NewsIndexError:
            raise
        except (OSError, ValueError) as exc:
            path = self.store.path
            raise IndexCorruptError(
                str(path), f"the index at {path} could not be read: {exc}"
            ) from exc

    # -- counting and single articles -----------------------------------------------------

    def count_matching(self, parsed: ParsedQuery, filters: Filters) -> int:
        """How many articles match ``parsed`` within ``filters``."""
        searcher = self.searcher()
        compiler = QueryCompiler(self.schema, searcher, operator=parsed.default_operator)
        query = compiler.request(parsed.tree, filters)
        return int(self._run(lambda: searcher.search(query, 1).count))

    def count(self) -> int:
        return int(self.searcher().num_docs)

    def _matches(self, searcher: Any, query: Query, limit: int | None = None) -> list[_Hit]:
        total = searcher.search(query, 1).count
        if not total:
            return []
        found = searcher.search(query, min(total, limit or total)).hits
        return [_Hit(searcher, score, address) for score, address in found]

    def lookup(self, field: str, value: str) -> set[str]:
        searcher = self.searcher()
        query = Query.term_query(self.schema, field, value)
        found = searcher.search(query, 1).count
        if not found:
            return set()
        hits = searcher.search(query, found).hits
        return {str(searcher.doc(address).get_first("id")) for _, address in hits}

    def ids(self) -> list[str]:
        searcher = self.searcher()
        return sorted(hit.id for hit in self._matches(searcher, Query.all_query()))

    def get(self, article_id: str) -> StoredArticle | None:
        searcher = self.searcher()
        found = self._matches(searcher, Query.term_query(self.schema, "id", article_id), 1)
        return stored_article(article_id, found[0].data) if found else None

    # -- search ------------------------------------------------------------------------------

    def search(self, parsed: ParsedQuery, options: SearchOptions) -> SearchResults:
        """Rank the articles matching ``parsed`` and ``options.filters``."""
        started = time.perf_counter()
        searcher = self.searcher()
        compiler = QueryCompiler(self.schema, searcher, operator=parsed.default_operator)
        query = compiler.request(parsed.tree, options.filters)
        first = (options.page - 1) * options.limit
        wanted = first + options.limit
        fetch = wanted * FOLD_OVERFETCH if options.fold_duplicates else wanted
        found, total = self._run(lambda: self._collect(searcher, query, fetch, options.sort))
        groups = fold(
            found,
            lambda hit: hit.simhash,
            lambda hit: hit.id,
            options.fold_duplicates,
        )
        marks = _Marks(parsed.tree, compiler)
        hits = []
        for rank, (hit, folded) in enumerate(groups[first:wanted], start=first + 1):
            body = hit.data.get("body", "")
            shown = rank - first <= HIGHLIGHTED_HITS
            snippet = marks.snippet(body) if shown else Snippet(lead(body))
            hits.append(make_hit(hit.id, hit.score, hit.data, rank, snippet, folded))
        suggestion = None
        if total < options.suggest_below and parsed.text.strip() not in ("", "*"):
            suggestion = self._suggest(searcher, parsed, options)
        return SearchResults(
            query=parsed.text,
            hits=tuple(hits),
            total=total,
            page=options.page,
            page_size=options.limit,
            suggestion=suggestion,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _collect(
        self, searcher: Any, query: Query, fetch: int, sort: str
    ) -> tuple[list[_Hit], int]:
        if sort in NEWEST_FIRST or sort in OLDEST_FIRST:
            order = tantivy.Order.Desc if sort in NEWEST_FIRST else tantivy.Order.Asc
            result = searcher.search(query, max(fetch, 1), order_by_field="day", order=order)
            return [_Hit(searcher, 0.0, address) for _, address in result.hits], result.count
        result = searcher.search(query, max(fetch, 1))
        return [_Hit(searcher, score, address) for score, address in result.hits], result.count

    # -- spelling --------------------------------------------------------------------------------

    def _suggest(self, searcher: Any, parsed: ParsedQuery, options: SearchOptions) -> str | None:
        """A corrected query drawn from the index's words, if one finds anything."""
        replacements: dict[str, str] = {}
        for word in tree.text_words(parsed.tree):
            if not (MIN_SUGGEST_LENGTH <= len(word) <= MAX_SUGGEST_LENGTH and word.isalpha()):
                continue
            stem = _stem(word.lower())
            if stem is None or searcher.doc_freq("body", stem):
                continue
            better = self._closest(searcher, stem)
            surface = self._surface_form(searcher, better) if better else None
            if surface and surface.casefold() != word.casefold():
                replacements[word] = surface
        if not replacements:
            return None
        suggested = parsed.text
        for original, surface in replacements.items():
            suggested = suggested.replace(original, surface)
        from newsindex.query.parser import parse

        try:
            fixed = ParsedQuery(suggested, parse(suggested, parsed.default_operator))
        except QuerySyntaxError:
            return None
        compiler = QueryCompiler(self.schema, searcher, operator=fixed.default_operator)
        query = compiler.request(fixed.tree, options.filters)
        return suggested if searcher.search(query, 1).count else None

    @staticmethod
    def _closest(searcher: Any, stem: str) -> str | None:
        best: tuple[int, int, str] | None = None
        for term, frequency in searcher.terms_with_prefix("body", stem[:SUGGEST_PREFIX]):
            if abs(len(term) - len(stem)) > 2:
                continue
            distance = _edit_distance(stem, term, 2)
            if distance <= 2 and (best is None or (distance, -frequency) < best[:2]):
                best = (distance, -frequency, term)
        return best[2] if best else None

    def _surface_form(self, searcher: Any, stem: str) -> str | None:
        """A word some article used that the analyzer turns into ``stem``."""
        found = self._matches(searcher, Query.term_query(self.schema, "body", stem), 1)
        if not found:
            return None
        for match in WORD.finditer(found[0].data.get("body", "")):
            if _stem(match.group().lower()) == stem:
                return match.group().lower()
        return None

    # -- similar articles ------------------------------------------------------------------

    def similar(self, article_id: str, limit: int) -> list[Hit]:
        searcher = self.searcher()
        found = self._matches(searcher, Query.term_query(self.schema, "id", article_id), 1)
        if not found:
            return []
        data = found[0].data
        like = Query.more_like_this_document_fields_query(
            self.schema,
            {"title": [data.get("title", "")], "body": [data.get("body", "")]},
            min_doc_frequency=1,
            min_term_frequency=1,
            max_query_terms=SIMILAR_TERMS,
        )
        query = Query.boolean_query(
            [(Occur.Must, like), (Occur.MustNot, Query.term_query(self.schema, "id", article_id))]
        )
        hits = searcher.search(query, limit).hits
        return [
            make_hit(h.id, h.score, h.data, rank, Snippet(lead(h.data.get("body", ""))))
            for rank, h in enumerate((_Hit(searcher, s, a) for s, a in hits), start=1)
        ]

    # -- facets ----------------------------------------------------------------------------------

    def facets(
        self, parsed: ParsedQuery, filters: Filters, by: tuple[str, ...], *, top: int, interval: str
    ) -> dict[str, Facet]:
        """Counts of each field in ``by`` over the articles matching ``parsed`` and ``filters``."""
        check_facet_request(by, interval)
        searcher = self.searcher()
        whole = isinstance(parsed.tree, tree.All) and filters == Filters()
        key = (by, top, interval)
        if whole and key in self._whole_index:
            return dict(self._whole_index[key])
        compiler = QueryCompiler(self.schema, searcher, operator=parsed.default_operator)
        query = compiler.request(parsed.tree, filters)
        found = self._run(lambda: self._facets(searcher, query, by, top, interval))
        if whole and len(self._whole_index) < WHOLE_INDEX_FACETS:
            self._whole_index[key] = found
        return dict(found)

    def _facets(
        self, searcher: Any, query: Query, by: tuple[str, ...], top: int, interval: str
    ) -> dict[str, Facet]:
        total = int(searcher.search(query, 1).count)
        fields = {field: _facet_column(field) for field in by}
        size = {field: ALL_DAYS if field == "date" else top + FACET_WINDOW for field in by}
        wanted = {field: ALL_DAYS if field == "date" else top for field in by}
        answer = top_terms(searcher, query, fields, size, wanted, total) if total and by else {}
        facets: dict[str, Facet] = {}
        for field in by:
            buckets = answer.get(field, [])
            if field == "date":
                days = ((day_of(int(b["key"])), int(b["doc_count"])) for b in buckets)
                facets[field] = date_facet(field, days, interval, total)
                continue
            buckets = _whole_ties(searcher, query, field, buckets, top + FACET_WINDOW, top)
            keys = [str(bucket["key"]) for bucket in buckets]
            display = self.store.display_names_of(field, keys) if keys else {}
            counter: Counter[str] = Counter()
            for bucket in buckets:
                value = str(bucket["key"])
                counter[display.get(value, value)] += int(bucket["doc_count"])
            facets[field] = Facet(field, top_counts(counter.items(), top), total)
        return facets


def _facet_column(field: str) -> str:
    """The Tantivy fast field counted for newsindex facet ``field``."""
    if field == "date":
        return "day"
    return facet_field(field) if field in ENTITY_FIELDS else "source"


def _whole_ties(
    searcher: Any, query: Query, field: str, buckets: list[dict[str, Any]], size: int, top: int
) -> list[dict[str, Any]]:
    """``buckets`` again with a wider window while values tied with the ``top``-th may be cut.

    Tantivy keeps the values with the highest counts, in no set order among
    equals; newsindex orders equals by name, so every value tied at the cut
    must be there to choose from.
    """
    name = _facet_column(field)
    while len(buckets) >= size and size < SEGMENT_SIZE:
        counts = sorted((int(b["doc_count"]) for b in buckets), reverse=True)
        if int(buckets[-1]["doc_count"]) < counts[min(top, len(counts)) - 1]:
            break
        size *= 8
        wider = {"terms": {"field": name, "size": size, "segment_size": SEGMENT_SIZE}}
        buckets = searcher.aggregate(query, {field: wider}).get(field, {}).get("buckets", [])
    return buckets


class _Marks:
    """Which words of a body a query matched, for its snippet."""

    def __init__(self, node: tree.Node, compiler: QueryCompiler) -> None:
        self.stems: set[str] = set()
        self.patterns: list[Callable[[str], Any]] = []
        self._starts: re.Pattern[str] | None = None
        self._collect(node)

    def _collect(self, node: tree.Node) -> None:
        if isinstance(node, (tree.Word, tree.Phrase)) and node.field in (None, "title", "body"):
            words = node.words if isinstance(node, tree.Phrase) else (node.text,)
            for word in words:
                self.stems.update(text_analyzer().analyze(word))
        elif isinstance(node, tree.Prefix) and node.field in (None, "body"):
            self.patterns.append(re.compile(re.escape(node.text.lower()) + ".*").fullmatch)
        elif isinstance(node, tree.Wildcard) and node.field in (None, "body"):
            from newsindex.engine.tantivy.compile import _pattern

            self.patterns.append(re.compile(_pattern(node.pattern.lower())).fullmatch)
        for child in getattr(node, "clauses", ()):
            self._collect(child)
        if isinstance(node, tree.AndNot):
            self._collect(node.positive)

    def snippet(self, body: str) -> Snippet:
        if not (self.stems or self.patterns) or not body:
            return Snippet(lead(body))
        return highlight(body, self.spans(body))

    def spans(self, body: str) -> list[tuple[int, int]]:
        """Where the words of ``body`` that the query matched are."""
        found = []
        for match in self._words(body):
            word = match.group().lower()
            stem = _STEMS.get(word) or _stem(word)
            if (stem is not None and stem in self.stems) or any(p(word) for p in self.patterns):
                found.append(match.span())
        return found

    def _words(self, body: str) -> Iterator[re.Match[str]]:
        """The words of ``body`` that may stem to a query word (every word, for patterns
        or accented text): English stems keep all but the last letter of the word (but
        *dying*, *lying* and *tying*), so only words starting so need stemming."""
        if self.patterns or not body.isascii():
            yield from WORD.finditer(body)
            return
        if self._starts is None:
            prefixes = sorted({_stem_prefix(stem) for stem in self.stems}, key=len)
            alternatives = "|".join(re.escape(p) for p in reversed(prefixes))
            self._starts = re.compile(rf"(?<!\w)(?<!\w[.'’-])(?i:{alternatives})")
        position = 0
        while (start := self._starts.search(body, position)) is not None:
            word = WORD.match(body, start.start())
            assert word is not None
            yield word
            position = word.end()


def _edit_distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, stopping early past ``limit``."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
