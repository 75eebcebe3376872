"""Searching an open index: ranked hits, snippets, spelling, facets and related articles."""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from whoosh import analysis, collectors, highlight, query
from whoosh.support.charset import accent_map

from newsindex.dates import day_number, day_of
from newsindex.engine.whoosh import arrays
from newsindex.engine.whoosh.facets import FacetCache, label_day, labeller
from newsindex.engine.whoosh.query import compile_parsed, entity_filter
from newsindex.engine.whoosh.ranking import weighting
from newsindex.engine.whoosh.schema import (
    WORD,
    analysis_steps,
    facet_field,
)
from newsindex.engine.whoosh.store import IndexStore, wrap_engine_error
from newsindex.engine.whoosh.unpickling import UnsafeIndexDataError, altered
from newsindex.errors import NewsIndexError, QuerySyntaxError
from newsindex.hits import (
    DATE_SORTS,
    END_MARK,
    FOLD_OVERFETCH,
    HIGHLIGHTED_HITS,
    NEWEST_FIRST,
    OLDEST_FIRST,
    SNIPPET_CHARS,
    START_MARK,
    check_facet_request,
    date_facet,
    fold,
    lead,
    make_hit,
    snippet_from_marked,
    top_counts,
)
from newsindex.options import Filters, SearchOptions
from newsindex.query import ParsedQuery, tree
from newsindex.query.parser import parse
from newsindex.records import stored_article, unpack_data
from newsindex.results import Facet, Hit, SearchResults, Snippet, StoredArticle

MIN_SUGGEST_LENGTH, MAX_SUGGEST_LENGTH = 4, 30
"""Only words of this many letters are corrected: shorter ones have too many
neighbours to guess, and correcting very long ones costs seconds."""
SUGGEST_PREFIX = 1
"""Corrections keep a misspelt word's first letter: most misspellings do, and
scanning only the words with that letter made a suggestion at 100,000 articles
take milliseconds instead of seconds."""
MAX_CACHED_STEMS = 200_000
"""Words whose analysis the snippet maker remembers (each word of a body is one lookup)."""


class _MarkerFormatter(highlight.Formatter):  # type: ignore[misc]
    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{START_MARK}{highlight.get_text(text, token, replace)}{END_MARK}"


class _CountingTopCollector(collectors.TopCollector):  # type: ignore[misc]
    """The top hits by score, from scoring every match, so the count is exact in one pass.

    The engine's own top-hits collector skips blocks it judges unable to reach
    the top and then recounts every match in a second pass; its judgement is
    not exact for our scoring (it missed better hits), and the recount cost as
    much as the search.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit, usequality=False, replace=0)

    def computes_count(self) -> bool:
        return True


class _StoredHit:
    """One hit of the array path, read like a Whoosh hit: ``hit["field"]`` and ``hit.score``."""

    __slots__ = ("_fields", "docnum", "score", "searcher")

    def __init__(self, searcher: Any, docnum: int, score: float) -> None:
        self.searcher = searcher
        self.docnum = docnum
        self.score = score
        self._fields: dict[str, Any] | None = None

    def __getitem__(self, name: str) -> Any:
        if self._fields is None:
            self._fields = self.searcher.stored_fields(self.docnum)
        return self._fields[name]


class IndexSearcher:
    """Answers queries over one index, reusing a warm Whoosh searcher between calls."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self._searcher: Any = None
        self._weighting = weighting()
        self._facet_cache: FacetCache | None = None
        self._arrays: arrays.ArrayScorer | None = None
        self._steps: tuple[frozenset[str], Callable[[str], str] | None] | None = None
        self._stems: dict[str, str | None] = {}

    # -- the warm searcher --------------------------------------------------------

    @property
    def searcher(self) -> Any:
        """A searcher over the latest commit (refreshed only when the index changed)."""
        if self._searcher is None:
            self._searcher = self.store.ix.searcher(weighting=self._weighting)
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    @property
    def facet_cache(self) -> FacetCache:
        """Facet values and date filters of the current searcher (rebuilt after a commit)."""
        return self._facet_cache_of(self.searcher)

    def _facet_cache_of(self, searcher: Any) -> FacetCache:
        if self._facet_cache is None or self._facet_cache.searcher is not searcher:
            self._facet_cache = FacetCache(searcher)
        return self._facet_cache

    def _array_scorer_of(self, searcher: Any) -> arrays.ArrayScorer | None:
        """The array path for ``searcher``, or None when its index is too small for it.

        A call takes :attr:`searcher` once and passes it here: reading the
        property again could refresh it after a commit and close the readers
        the call is still using.
        """
        if not arrays.available(int(searcher.doc_count_all())):
            return None
        if self._arrays is None or self._arrays.searcher is not searcher:
            self._arrays = arrays.ArrayScorer(searcher, self._facet_cache_of(searcher).dates())
        return self._arrays

    def close(self) -> None:
        """Release the searcher's files."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._facet_cache = None
        self._arrays = None

    def count(self) -> int:
        """How many articles the index holds."""
        return int(self.searcher.doc_count())

    # -- queries -------------------------------------------------------------------

    def build_query(self, parsed: ParsedQuery, filters: Filters, *, with_dates: bool = True) -> Any:
        """The engine query for ``text`` with ``filters`` folded in.

        Searches and facets leave the dates out (``with_dates=False``) and
        restrict to :meth:`date_filter`'s cached set instead, which costs one
        bisection instead of a range query per call.
        """
        schema = self.store.ix.schema
        parts: list[Any] = []
        if not isinstance(parsed.tree, tree.All):
            parts.append(compile_parsed(parsed, schema))
        for field, values in (
            ("people", filters.people),
            ("places", filters.places),
            ("organisations", filters.organisations),
            ("themes", filters.themes),
            ("source", filters.sources),
        ):
            if values:
                clause = entity_filter(field, tuple(values), schema)
                if clause is not None:
                    parts.append(clause)
        if with_dates and (filters.since or filters.until):
            low, high = _day_bounds(filters)
            parts.append(query.NumericRange("date", low, high, constantscore=True))
        if not parts:
            return query.Every()
        return parts[0] if len(parts) == 1 else query.And(parts)

    def date_filter(self, filters: Filters) -> set[int] | None:
        """The documents inside ``filters``' dates (cached per searcher), or None if undated."""
        return self._date_docs(self.facet_cache, filters)

    @staticmethod
    def _date_docs(cache: FacetCache, filters: Filters) -> set[int] | None:
        if not (filters.since or filters.until):
            return None
        return cache.date_docs(*_day_bounds(filters))

    def _run(self, text: str, function: Any) -> Any:
        try:
            return function()
        except UnsafeIndexDataError as exc:
            raise altered(self.store.path, exc) from exc
        except NewsIndexError:
            raise
        except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
            raise wrap_engine_error(self.store.path, exc) from exc

    def search(self, parsed: ParsedQuery, options: SearchOptions) -> SearchResults:
        """Rank the articles matching ``parsed`` and ``options.filters``."""
        started = time.perf_counter()
        text = parsed.text
        q = self.build_query(parsed, options.filters, with_dates=False)
        results: SearchResults = self._run(text, lambda: self._search(text, q, options, started))
        return results

    def _collect(
        self, q: Any, fetch: int, sort: str, filters: Filters, skip: int = 0
    ) -> tuple[Any, int]:
        """The top ``fetch`` hits of ``q`` in ``sort`` order in the dates, less the first ``skip``,
        and the exact total.  Every match is scored in the one pass that counts it
        (skipping low-scoring blocks would need a second pass to count them).  Large
        indexes score by arrays (:mod:`.arrays`): the same scores and order as Whoosh's.
        """
        searcher = self.searcher
        scorer = self._array_scorer_of(searcher) if sort not in DATE_SORTS else None
        if scorer is not None:
            pairs, total = scorer.top(q, fetch, *_day_bounds(filters), skip=skip)
            return [_StoredHit(searcher, doc, score) for doc, score in pairs], total
        dated = self._date_docs(self._facet_cache_of(searcher), filters)
        if dated is not None and not dated:
            return (), 0  # no article in the dates (an empty filter would allow all)
        collector: Any
        if sort in NEWEST_FIRST:
            collector = searcher.collector(limit=fetch, sortedby="date", reverse=True)
        elif sort in OLDEST_FIRST:
            collector = searcher.collector(limit=fetch, sortedby="date")
        elif fetch >= searcher.doc_count():
            collector = searcher.collector(limit=fetch)  # every match is kept anyway
        else:
            collector = _CountingTopCollector(fetch)
        if dated is not None:
            collector = collectors.FilterCollector(collector, allow=dated)
        searcher.search_with_collector(q, collector)
        results = collector.results()
        return (results[skip:] if skip else results), int(collector.count())

    def _search(self, text: str, q: Any, options: SearchOptions, started: float) -> SearchResults:
        first = (options.page - 1) * options.limit
        wanted = first + options.limit
        # Fetch more than a page so near-duplicates can be folded away.
        fetch = wanted * FOLD_OVERFETCH if options.fold_duplicates else wanted
        # Without folding, the hits before this page are not needed: late pages stay small.
        skip = 0 if options.fold_duplicates else first
        found, total = self._collect(q, fetch, options.sort, options.filters, skip)
        groups = fold(
            found,
            lambda hit: int(unpack_data(hit["data"]).get("simhash") or 0),
            lambda hit: str(hit["id"]),
            options.fold_duplicates,
        )
        terms = self._highlight_terms(q)
        hits = []
        for rank, (hit, folded) in enumerate(groups[first - skip : wanted - skip], start=first + 1):
            data = unpack_data(hit["data"])
            body = data.get("body", "")
            # Highlighting costs about a millisecond a hit: long pages get it on top hits only.
            snippet = self._snippet(body, terms) if rank - first <= HIGHLIGHTED_HITS else None
            hits.append(self._hit(hit, data, rank, snippet or Snippet(lead(body)), folded))
        suggestion = None
        if total < options.suggest_below and text.strip() not in ("", "*"):
            suggestion = self._suggest(text, q, options)
        return SearchResults(
            query=text,
            hits=tuple(hits),
            total=total,
            page=options.page,
            page_size=options.limit,
            suggestion=suggestion,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    @staticmethod
    def _hit(
        hit: Any, data: dict[str, Any], rank: int, snippet: Snippet, folded: tuple[str, ...] = ()
    ) -> Hit:
        return make_hit(hit["id"], hit.score, data, rank, snippet, folded)

    # -- snippets and spelling ---------------------------------------------------------

    def _highlight_terms(self, q: Any) -> frozenset[str]:
        analyzer = self.store.ix.schema["body"].analyzer
        words: set[str] = set()
        for fieldname, value in q.iter_all_terms():
            if fieldname == "date" or not isinstance(value, (str, bytes)):
                continue
            word = value.decode("utf-8") if isinstance(value, bytes) else value
            for token in analyzer(word, mode="query"):
                words.add(token.text)
        return frozenset(words)

    def _snippet(self, body: str, terms: frozenset[str]) -> Snippet:
        if not terms or not body:
            return Snippet(lead(body))
        # Whoosh's highlight() with its analyzer replaced by _marked_tokens.
        fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        fragments = highlight.top_fragments(
            fragmenter.fragment_tokens(body, self._marked_tokens(body, terms)),
            2,
            highlight.BasicFragmentScorer(),
            highlight.FIRST,
        )
        marked = _MarkerFormatter()(body, fragments)
        if not marked:
            return Snippet(lead(body))
        return snippet_from_marked(" ".join(marked.split()))

    def _marked_tokens(self, body: str, terms: frozenset[str]) -> Iterator[Any]:
        """The body analyzer's tokens with ``matched`` set, as Whoosh's highlighter makes them.

        One loop of the analyzer's steps (see :func:`schema.analysis_steps`)
        instead of its chain of filters: a third of a search's time went to
        analysing the bodies of the hits shown.
        """
        stems = self._stems
        if len(stems) > MAX_CACHED_STEMS:
            stems.clear()
        stops, stem = self._analysis()
        token = analysis.Token(positions=False, chars=True, removestops=False, mode="query")
        token.boost = 1.0
        token.stopped = False
        for match in WORD.finditer(body):
            raw = match.group()
            found = stems.get(raw, "")
            if found == "":
                word = raw.lower().translate(accent_map)
                found = None if not word or word in stops else stem(word) if stem else word
                stems[raw] = found
            token.startchar, token.endchar = match.span()
            token.text = found or raw
            token.matched = found in terms
            yield token

    def _analysis(self) -> tuple[frozenset[str], Callable[[str], str] | None]:
        if self._steps is None:
            self._steps = analysis_steps(self.store.ix.schema["body"].analyzer)
        return self._steps

    def _suggest(self, text: str, q: Any, options: SearchOptions) -> str | None:
        """A corrected query drawn from the index vocabulary, if one finds anything.

        Words are corrected against the stemmed body vocabulary (no separate
        spelling field: it would double indexing time), then each corrected
        stem is shown as a word an article actually used.
        """
        searcher = self.searcher
        corrector = searcher.corrector("body")
        correctors = {field: corrector for field in ("title", "body", "entities")}
        reader = searcher.reader()
        candidates = {
            (field, word)
            for field, word in q.iter_all_terms()
            if field in correctors
            and isinstance(word, str)
            and MIN_SUGGEST_LENGTH <= len(word) <= MAX_SUGGEST_LENGTH
            and (field, word) not in reader
        }
        if not candidates:
            return None
        try:
            correction = searcher.correct_query(
                q, text, correctors=correctors, terms=candidates, prefix=SUGGEST_PREFIX
            )
        except Exception:  # spelling is a courtesy: never let it fail a search
            return None
        if correction.query == q:
            return None
        replacements: dict[str, str] = {}
        for token in correction.tokens:
            original = text[token.startchar : token.endchar]
            if (
                not MIN_SUGGEST_LENGTH <= len(original) <= MAX_SUGGEST_LENGTH
                or not original.isalpha()
            ):
                continue  # numbers and very short words have too many neighbours to guess
            surface = self._surface_form(token.text)
            if surface and surface.casefold() != original.casefold():
                replacements[original] = surface
        if not replacements:
            return None
        suggested = text
        for original, surface in replacements.items():
            suggested = suggested.replace(original, surface)
        try:
            again = ParsedQuery(suggested, parse(suggested, options.default_operator))
            fixed = self.build_query(again, options.filters)
        except QuerySyntaxError:
            return None
        found = searcher.search(fixed, limit=1)
        return suggested if found.scored_length() > 0 else None

    def _surface_form(self, stem: str) -> str | None:
        """A word some article used that the body analyzer turns into ``stem``."""
        searcher = self.searcher
        hits = searcher.search(query.Term("body", stem), limit=1, scored=False)
        if not hits:
            return None
        body = unpack_data(hits[0]["data"]).get("body", "")
        analyzer = self.store.ix.schema["body"].analyzer
        for token in analyzer(body, chars=True, removestops=False):
            if token.text == stem:
                return str(body[token.startchar : token.endchar]).lower()
        return None

    # -- single articles -----------------------------------------------------------------

    def get(self, article_id: str) -> StoredArticle | None:
        """The stored article with ``article_id``, or None."""
        fields = self._run(article_id, lambda: self.searcher.document(id=article_id))
        if fields is None:
            return None
        return stored_article(article_id, unpack_data(fields["data"]))

    def lookup(self, field: str, value: str) -> set[str]:
        """Ids of the committed articles whose ``field`` (id, path or dupkey) is ``value``."""
        return {str(fields["id"]) for fields in self.searcher.documents(**{field: value})}

    def ids(self) -> list[str]:
        """Every article id in the index (the id lexicon keeps deleted ids until a merge)."""
        searcher = self.searcher
        found = []
        for value in searcher.lexicon("id"):
            article_id = value.decode("utf-8") if isinstance(value, bytes) else value
            if searcher.document_number(id=article_id) is not None:
                found.append(article_id)
        return found

    def similar(self, article_id: str, limit: int = 10) -> list[Hit]:
        """Articles most like ``article_id`` (by its most distinctive words)."""
        searcher = self.searcher
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            return []
        data = unpack_data(searcher.stored_fields(docnum)["data"])
        text = f"{data.get('title', '')}\n{data.get('body', '')}"
        results = searcher.more_like(docnum, "body", text=text, top=limit, numterms=25)
        hits = []
        for rank, hit in enumerate(results, start=1):
            found = unpack_data(hit["data"])
            hits.append(self._hit(hit, found, rank, Snippet(lead(found.get("body", "")))))
        return hits

    # -- facets ----------------------------------------------------------------------------

    def facets(
        self,
        parsed: ParsedQuery,
        filters: Filters,
        by: tuple[str, ...],
        *,
        top: int = 10,
        interval: str = "month",
    ) -> dict[str, Facet]:
        """Counts of each field in ``by`` over the articles matching ``parsed`` and ``filters``."""
        check_facet_request(by, interval)
        text = parsed.text
        q = self.build_query(parsed, filters, with_dates=False)
        facets: dict[str, Facet] = self._run(
            text, lambda: self._facets(q, filters, by, top, interval)
        )
        return facets

    def count_matching(self, parsed: ParsedQuery, filters: Filters) -> int:
        """How many articles match ``parsed`` within ``filters``."""
        q = self.build_query(parsed, filters, with_dates=False)
        count: int = self._run(parsed.text, lambda: self._count_matching(q, filters))
        return count

    def _count_matching(self, q: Any, filters: Filters) -> int:
        total, _, _ = self._matches(q, filters, 0)
        return total

    def _facets(
        self,
        q: Any,
        filters: Filters,
        by: tuple[str, ...],
        top: int,
        interval: str,
    ) -> dict[str, Facet]:
        total, day_counts, value_counts = self._matches(q, filters, top)
        return self._make_facets(by, total, day_counts, value_counts, top, interval)

    def _matches(
        self, q: Any, filters: Filters, top: int
    ) -> tuple[int, Callable[[], Mapping[int, int]], Callable[[str], Mapping[str, int]]]:
        """How many articles match, and (computed when called) their counts per day and
        per value of a field, from the array scorer or from the posting sets."""
        searcher = self.searcher  # once: see _array_scorer_of
        scorer = self._array_scorer_of(searcher)
        day_counts: Any
        value_counts: Any
        if scorer is not None:
            matched = scorer.matching(q, *_day_bounds(filters))
            total = int(matched.sum())
            day_counts = lambda: scorer.day_counts(matched)  # noqa: E731
            value_counts = lambda field: scorer.count(field, matched, top)  # noqa: E731
        else:
            cache = self._facet_cache_of(searcher)
            docs = cache.matching(q, self._date_docs(cache, filters))
            total = len(docs)
            day_counts = lambda: Counter(map(cache.dates().__getitem__, docs))  # noqa: E731
            value_counts = lambda field: cache.count(field, docs)  # noqa: E731
        return total, day_counts, value_counts

    def _make_facets(
        self,
        by: tuple[str, ...],
        total: int,
        day_counts: Callable[[], Mapping[int, int]],
        value_counts: Callable[[str], Mapping[str, int]],
        top: int,
        interval: str,
    ) -> dict[str, Facet]:
        """Facets of ``by`` from the matches' counts per day and per value of a field."""
        facets: dict[str, Facet] = {}
        for field in by:
            if field == "date":
                days = ((day_of(n), c) for n, c in day_counts().items() if n)  # 0: undated
                facets[field] = date_facet(field, days, interval, total)
                continue
            display = self._display_names(field)
            counter: Counter[str] = Counter()
            for value, count in value_counts(_engine_field(field)).items():
                counter[display.get(value, value)] += count
            facets[field] = Facet(field=field, counts=top_counts(counter.items(), top), total=total)
        return facets

    def facets_by_bucket(
        self,
        parsed: ParsedQuery,
        filters: Filters,
        by: tuple[str, ...],
        *,
        top: int = 10,
        interval: str = "month",
    ) -> dict[str, dict[str, Facet]]:
        """Facets of ``by`` per ``interval`` bucket of the dated matches, in one pass."""
        check_facet_request((*by, "date"), interval)
        text = parsed.text
        q = self.build_query(parsed, filters, with_dates=False)
        found: dict[str, dict[str, Facet]] = self._run(
            text, lambda: self._facets_by_bucket(q, filters, by, top, interval)
        )
        return found

    def _facets_by_bucket(
        self, q: Any, filters: Filters, by: tuple[str, ...], top: int, interval: str
    ) -> dict[str, dict[str, Facet]]:
        searcher = self.searcher  # once: see _array_scorer_of
        scorer = self._array_scorer_of(searcher)
        label_of = labeller(interval)
        found: dict[str, dict[str, Facet]] = {}
        if scorer is not None:
            matched = scorer.matching(q, *_day_bounds(filters))
            labels, doc_buckets = scorer.buckets(matched, label_of)
            sizes = scorer.bucket_sizes(doc_buckets, len(labels))
            counted = {
                field: scorer.count_by_bucket(field, doc_buckets, len(labels), top)
                for field in {_engine_field(f) for f in by if f != "date"}
            }
            for number, label in enumerate(labels):
                found[label] = self._make_facets(
                    by,
                    sizes[number],
                    functools.partial(dict, {label_day(label, interval): sizes[number]}),
                    {field: counts[number] for field, counts in counted.items()}.__getitem__,
                    top,
                    interval,
                )
            return found
        cache = self._facet_cache_of(searcher)
        dates = cache.dates()
        matching = cache.matching(q, self._date_docs(cache, filters))
        for label, docs in cache.group_by_bucket(matching, label_of).items():
            found[label] = self._make_facets(
                by,
                len(docs),
                functools.partial(Counter, map(dates.__getitem__, docs)),
                functools.partial(cache.count, docs=docs),
                top,
                interval,
            )
        return found

    def _display_names(self, field: str) -> dict[str, str]:
        """Map the lower-cased indexed values of ``field`` to their display form."""
        names = self.facet_cache.display
        if field not in names:  # one lookup per field and commit: the cache is per searcher
            names[field] = self.store.display_names(field)
        return names[field]


def _day_bounds(filters: Filters) -> tuple[int | None, int | None]:
    """``filters``' first and last day as stored YYYYMMDD numbers (None: open)."""
    low = day_number(filters.since) if filters.since else None
    high = day_number(filters.until) if filters.until else None
    return low, high


def _engine_field(field: str) -> str:
    return "source" if field == "source" else facet_field(field)
