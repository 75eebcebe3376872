"""Searching an OpenSearch index: hits, highlights, suggestions, aggregations, similar articles."""

from __future__ import annotations

import base64
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from newsindex.engine.opensearch.compile import MATCH_ALL, Query, QueryCompiler
from newsindex.engine.opensearch.mapping import ENTITY_FIELDS
from newsindex.engine.opensearch.store import OpenSearchStore
from newsindex.errors import QuerySyntaxError
from newsindex.hits import (
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
from newsindex.records import stored_article, unpack_data
from newsindex.results import Facet, Hit, SearchResults, Snippet, StoredArticle

__all__ = ["OpenSearchSearcher"]

PAGE = 1000
"""Hits asked for in one request; deeper pages continue with ``search_after``."""
FACET_WINDOW = 50
"""Values asked beyond ``top``, so ties at the cut sort by name as on the local engines."""
SHARD_SIZE = 100_000
"""Values each shard reports for a facet: all of them in practice, so counts are exact."""
SIMILAR_TERMS = 25
SEARCH_TYPE = "dfs_query_then_fetch"
"""Ranked searches gather term statistics from every shard first (docs/scale-out.md)."""


class _Hit:
    __slots__ = ("data", "id", "score", "snippet")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.id = str(raw["_id"])
        self.score = float(raw.get("_score") or 0.0)
        self.data = unpack_data(base64.b64decode(raw["fields"]["data"][0]))
        fragments = raw.get("highlight", {}).get("body")
        self.snippet = snippet_from_marked(" … ".join(fragments)) if fragments else None


class OpenSearchSearcher:
    """Answers queries over one newsindex index on a cluster."""

    def __init__(self, store: OpenSearchStore, search_type: str = SEARCH_TYPE) -> None:
        self.store = store
        self.compiler = QueryCompiler()
        self.search_type = search_type

    @property
    def index(self) -> str:
        return self.store.physical

    def _search(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        client = self.store.client
        found: dict[str, Any] = self.store._read(
            lambda: client.search(index=self.index, body=body, **params)
        )
        return found

    # -- counting and single articles ---------------------------------------------------

    def count(self) -> int:
        client = self.store.client
        return int(self.store._read(lambda: client.count(index=self.index))["count"])

    def count_matching(self, parsed: ParsedQuery, filters: Filters) -> int:
        """How many articles match ``parsed`` within ``filters``."""
        client = self.store.client
        body = {"query": self.compiler.request(parsed.tree, filters)}
        found = self.store._read(lambda: client.count(index=self.index, body=body))
        return int(found["count"])

    def scan(self, query: Query, fields: list[str] | None = None) -> Iterator[dict[str, Any]]:
        """Every hit of ``query`` (ids, and ``fields``' stored values), by ``search_after``."""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": query,
                "size": PAGE * 5,
                "sort": [{"id": "asc"}],
                "_source": False,
                "stored_fields": fields or ["_none_"],
                "track_total_hits": False,
            }
            if after is not None:
                body["search_after"] = after
            hits = self._search(body)["hits"]["hits"]
            yield from hits
            if len(hits) < PAGE * 5:
                return
            after = hits[-1]["sort"]

    def ids(self) -> list[str]:
        return sorted(str(hit["sort"][0]) for hit in self.scan(MATCH_ALL))

    def lookup(self, field: str, value: str) -> set[str]:
        return {str(hit["sort"][0]) for hit in self.scan({"term": {field: value}})}

    def get(self, article_id: str) -> StoredArticle | None:
        body = {
            "query": {"term": {"id": article_id}},
            "size": 1,
            "_source": False,
            "stored_fields": ["data"],
        }
        hits = self._search(body)["hits"]["hits"]
        return stored_article(article_id, _Hit(hits[0]).data) if hits else None

    # -- search ---------------------------------------------------------------------------

    def search(self, parsed: ParsedQuery, options: SearchOptions) -> SearchResults:
        """Rank the articles matching ``parsed`` and ``options.filters``."""
        started = time.perf_counter()
        query = self.compiler.request(parsed.tree, options.filters)
        first = (options.page - 1) * options.limit
        wanted = first + options.limit
        fetch = wanted * FOLD_OVERFETCH if options.fold_duplicates else wanted
        found, total = self._collect(query, fetch, options.sort)
        groups = fold(
            found,
            lambda hit: int(hit.data.get("simhash") or 0),
            lambda hit: hit.id,
            options.fold_duplicates,
        )
        hits = []
        for rank, (hit, folded) in enumerate(groups[first:wanted], start=first + 1):
            body = hit.data.get("body", "")
            shown = rank - first <= HIGHLIGHTED_HITS and hit.snippet is not None
            snippet = hit.snippet if shown and hit.snippet else Snippet(lead(body))
            hits.append(make_hit(hit.id, hit.score, hit.data, rank, snippet, folded))
        suggestion = None
        if total < options.suggest_below and parsed.text.strip() not in ("", "*"):
            suggestion = self._suggest(parsed, options)
        return SearchResults(
            query=parsed.text,
            hits=tuple(hits),
            total=total,
            page=options.page,
            page_size=options.limit,
            suggestion=suggestion,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _collect(self, query: Query, fetch: int, sort: str) -> tuple[list[_Hit], int]:
        """The first ``fetch`` hits in order, a page of :data:`PAGE` at a time, and the total."""
        if sort in NEWEST_FIRST or sort in OLDEST_FIRST:
            order = "desc" if sort in NEWEST_FIRST else "asc"
            sorting: list[Any] = [{"date": {"order": order, "missing": "_last"}}, {"id": "asc"}]
        else:
            sorting = ["_score", {"id": "asc"}]
        found: list[_Hit] = []
        after: list[Any] | None = None
        total = 0
        while True:
            size = min(PAGE, fetch - len(found))
            body: dict[str, Any] = {
                "query": query,
                "size": size,
                "sort": sorting,
                "_source": False,
                "stored_fields": ["data"],
                "track_total_hits": True,
                "track_scores": True,
            }
            if len(found) < HIGHLIGHTED_HITS:
                body["highlight"] = _HIGHLIGHT
            if after is not None:
                body["search_after"] = after
            answer = self._search(body, search_type=self.search_type)
            total = int(answer["hits"]["total"]["value"])
            hits = answer["hits"]["hits"]
            found.extend(_Hit(h) for h in hits)
            if len(hits) < size or len(found) >= fetch or size <= 0:
                return found, total
            after = hits[-1]["sort"]

    # -- spelling -----------------------------------------------------------------------------

    def _suggest(self, parsed: ParsedQuery, options: SearchOptions) -> str | None:
        """A corrected query from the index's own words (a term suggester), if it finds any."""
        words = [w for w in tree.text_words(parsed.tree) if 4 <= len(w) <= 30 and w.isalpha()]
        if not words:
            return None
        suggest = {
            f"w{n}": {
                "text": word.lower(),
                "term": {
                    "field": "body.words",
                    "suggest_mode": "missing",
                    "prefix_length": 2,
                    "max_edits": 2,
                    "min_word_length": 4,
                    "sort": "score",
                },
            }
            for n, word in enumerate(words)
        }
        answer = self._search({"size": 0, "suggest": suggest})
        suggested = parsed.text
        changed = False
        for n, word in enumerate(words):
            options_found = answer.get("suggest", {}).get(f"w{n}", [{}])[0].get("options", [])
            if options_found:
                better = str(options_found[0]["text"])
                if better.casefold() != word.casefold():
                    suggested = suggested.replace(word, better)
                    changed = True
        if not changed:
            return None
        from newsindex.query.parser import parse

        try:
            fixed = parse(suggested, parsed.default_operator)
        except QuerySyntaxError:
            return None
        query = self.compiler.request(fixed, options.filters)
        count = self._search({"query": query, "size": 0, "track_total_hits": 1})
        return suggested if count["hits"]["total"]["value"] else None

    # -- similar articles ----------------------------------------------------------------------

    def similar(self, article_id: str, limit: int) -> list[Hit]:
        body = {
            "query": {
                "more_like_this": {
                    "fields": ["title", "body"],
                    "like": [{"_index": self.index, "_id": article_id}],
                    "min_term_freq": 1,
                    "min_doc_freq": 1,
                    "max_query_terms": SIMILAR_TERMS,
                    # Any of the terms, as the local engines' more-like-this (OpenSearch's
                    # default of 30% leaves most stories with no similar article at all).
                    "minimum_should_match": "1",
                    "include": False,
                }
            },
            "size": limit,
            "_source": False,
            "stored_fields": ["data"],
        }
        hits = [_Hit(h) for h in self._search(body)["hits"]["hits"]]
        return [
            make_hit(h.id, h.score, h.data, rank, Snippet(lead(h.data.get("body", ""))))
            for rank, h in enumerate(hits, start=1)
        ]

    # -- facets ---------------------------------------------------------------------------------

    def facets(
        self, parsed: ParsedQuery, filters: Filters, by: tuple[str, ...], *, top: int, interval: str
    ) -> dict[str, Facet]:
        """Counts of each field in ``by`` over the articles matching ``parsed`` and ``filters``."""
        check_facet_request(by, interval)
        query = self.compiler.request(parsed.tree, filters)
        aggregations: dict[str, Any] = {}
        for field in by:
            if field == "date":
                aggregations[field] = {
                    "date_histogram": {
                        "field": "date",
                        "calendar_interval": "day",
                        "min_doc_count": 1,
                        "format": "yyyy-MM-dd",
                    }
                }
            else:
                aggregations[field] = {
                    "terms": {
                        "field": field,
                        "size": top + FACET_WINDOW,
                        "shard_size": SHARD_SIZE,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
        body = {"query": query, "size": 0, "track_total_hits": True, "aggs": aggregations}
        answer = self._search(body)
        total = int(answer["hits"]["total"]["value"])
        results = answer.get("aggregations", {})
        facets: dict[str, Facet] = {}
        for field in by:
            buckets = results.get(field, {}).get("buckets", [])
            if field == "date":
                days = (
                    (dt.date.fromisoformat(str(b["key_as_string"])), int(b["doc_count"]))
                    for b in buckets
                )
                facets[field] = date_facet(field, days, interval, total)
                continue
            display = self.store.display_names(field) if field in ENTITY_FIELDS else {}
            counter: Counter[str] = Counter()
            for bucket in buckets:
                value = str(bucket["key"])
                counter[display.get(value, value)] += int(bucket["doc_count"])
            facets[field] = Facet(field, top_counts(counter.items(), top), total)
        return facets


_HIGHLIGHT: dict[str, Any] = {
    # A body longer than this is highlighted in its first million characters (without it,
    # OpenSearch refuses the whole search: index.highlight.max_analyzed_offset).
    "max_analyzer_offset": 1_000_000,
    "pre_tags": [START_MARK],
    "post_tags": [END_MARK],
    "encoder": "default",
    "fields": {
        "body": {
            "type": "unified",
            "fragment_size": SNIPPET_CHARS,
            "number_of_fragments": 2,
            "order": "score",
        }
    },
}
