"""Every match of a search, a page at a time, for callers that want them all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from newsindex.options import SearchOptions
from newsindex.results import Hit, SearchResults

__all__ = ["pages"]


def pages(
    search: Callable[[SearchOptions], SearchResults], options: SearchOptions
) -> Iterator[Hit]:
    """The hits of ``search`` page after page of ``options.limit``, until none are left.

    Only one page is held at a time.  Folding and spelling suggestions are off:
    each matching article is yielded once, and nothing is suggested.
    """
    options = replace(options, fold_duplicates=False, suggest_below=0, page=1)
    while True:
        results = search(options)
        yield from results.hits
        if not results.hits or options.page * options.limit >= results.total:
            return
        options = replace(options, page=options.page + 1)
