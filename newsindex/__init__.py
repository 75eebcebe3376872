"""newsindex: turn a pile of news articles into a searchable index of dates, people,
places, organisations and themes.

>>> import newsindex
>>> index = newsindex.NewsIndex.open_or_create("indexes/default")   # doctest: +SKIP
>>> index.build(["seeds/"])                                           # doctest: +SKIP
>>> index.search("semiconductors")[0].title                           # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsindex.attention import AttentionTimeline
    from newsindex.batch import BatchItem, BatchReport
    from newsindex.build import BuildProgress, BuildReport, Duplicate
    from newsindex.documents import Article
    from newsindex.errors import (
        ArticleNotFoundError,
        ConfigurationError,
        DocumentError,
        IndexCorruptError,
        IndexLockedError,
        IndexNotFoundError,
        IndexVersionError,
        IndexWriteError,
        NewsIndexError,
        QuerySyntaxError,
        StoreError,
    )
    from newsindex.extract import Entity, Extraction, Theme, available_extractors, get_extractor
    from newsindex.index import DEFAULT_INDEX, IndexStats, NewsIndex, Timeline, default_index_path
    from newsindex.keyterms import KeyTerm, KeyTerms
    from newsindex.options import BuildOptions, Filters, SearchOptions
    from newsindex.people_names import PeopleNames, ResolvedName
    from newsindex.readers import ReadOptions, Skipped, available_formats
    from newsindex.results import (
        Facet,
        FacetCount,
        FacetsOverTime,
        Hit,
        SearchResults,
        Snippet,
        StoredArticle,
    )

# Public names load on first use, so `import newsindex` (and the CLI's --help) stays fast.
_EXPORTS = {
    "AttentionTimeline": "newsindex.attention",
    "BatchItem": "newsindex.batch",
    "BatchReport": "newsindex.batch",
    "KeyTerm": "newsindex.keyterms",
    "KeyTerms": "newsindex.keyterms",
    "BuildProgress": "newsindex.build",
    "BuildReport": "newsindex.build",
    "Duplicate": "newsindex.build",
    "Article": "newsindex.documents",
    "ArticleNotFoundError": "newsindex.errors",
    "ConfigurationError": "newsindex.errors",
    "DocumentError": "newsindex.errors",
    "IndexCorruptError": "newsindex.errors",
    "IndexLockedError": "newsindex.errors",
    "IndexNotFoundError": "newsindex.errors",
    "IndexVersionError": "newsindex.errors",
    "IndexWriteError": "newsindex.errors",
    "NewsIndexError": "newsindex.errors",
    "QuerySyntaxError": "newsindex.errors",
    "StoreError": "newsindex.errors",
    "Entity": "newsindex.extract",
    "Extraction": "newsindex.extract",
    "Theme": "newsindex.extract",
    "available_extractors": "newsindex.extract",
    "get_extractor": "newsindex.extract",
    "DEFAULT_INDEX": "newsindex.index",
    "IndexStats": "newsindex.index",
    "NewsIndex": "newsindex.index",
    "Timeline": "newsindex.index",
    "default_index_path": "newsindex.index",
    "BuildOptions": "newsindex.options",
    "Filters": "newsindex.options",
    "SearchOptions": "newsindex.options",
    "PeopleNames": "newsindex.people_names",
    "ResolvedName": "newsindex.people_names",
    "ReadOptions": "newsindex.readers",
    "Skipped": "newsindex.readers",
    "available_formats": "newsindex.readers",
    "Facet": "newsindex.results",
    "FacetCount": "newsindex.results",
    "FacetsOverTime": "newsindex.results",
    "Hit": "newsindex.results",
    "SearchResults": "newsindex.results",
    "Snippet": "newsindex.results",
    "StoredArticle": "newsindex.results",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsindex")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value = _version()
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsindex' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_INDEX",
    "Article",
    "ArticleNotFoundError",
    "AttentionTimeline",
    "BatchItem",
    "BatchReport",
    "BuildOptions",
    "BuildProgress",
    "BuildReport",
    "ConfigurationError",
    "DocumentError",
    "Duplicate",
    "Entity",
    "Extraction",
    "Facet",
    "FacetCount",
    "FacetsOverTime",
    "Filters",
    "Hit",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "KeyTerm",
    "KeyTerms",
    "NewsIndex",
    "NewsIndexError",
    "PeopleNames",
    "QuerySyntaxError",
    "ReadOptions",
    "ResolvedName",
    "SearchOptions",
    "SearchResults",
    "Skipped",
    "Snippet",
    "StoreError",
    "StoredArticle",
    "Theme",
    "Timeline",
    "__version__",
    "available_extractors",
    "available_formats",
    "default_index_path",
    "get_extractor",
]
