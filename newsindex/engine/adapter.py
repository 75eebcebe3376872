"""What the three engine adapters share: reads answered by the engine's searcher, and the
file table answered by its store (see :class:`newsindex.engine.protocol.Engine`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from newsindex.filetable import FileTableOfStore
from newsindex.options import Filters, SearchOptions
from newsindex.query import ParsedQuery
from newsindex.results import Facet, Hit, SearchResults, StoredArticle

__all__ = ["EngineSearcher", "ReadsThroughSearcher"]


class EngineSearcher(Protocol):
    """The read operations each engine's searcher implements."""

    def count(self) -> int: ...

    def count_matching(self, parsed: ParsedQuery, filters: Filters) -> int: ...

    def ids(self) -> list[str]: ...

    def lookup(self, field: str, value: str) -> set[str]: ...

    def get(self, article_id: str) -> StoredArticle | None: ...

    def search(self, parsed: ParsedQuery, options: SearchOptions) -> SearchResults: ...

    def facets(
        self, parsed: ParsedQuery, filters: Filters, by: tuple[str, ...], *, top: int, interval: str
    ) -> dict[str, Facet]: ...

    def similar(self, article_id: str, limit: int) -> list[Hit]: ...


class ReadsThroughSearcher(FileTableOfStore):
    """An engine adapter whose reads go to :meth:`reader` and file table to ``store``."""

    store: Any

    def reader(self) -> EngineSearcher:
        """The engine's searcher."""
        raise NotImplementedError

    def count(self) -> int:
        """How many articles the index holds."""
        return self.reader().count()

    def count_matching(self, query: ParsedQuery, filters: Filters) -> int:
        """How many articles match ``query`` within ``filters``."""
        return self.reader().count_matching(query, filters)

    def ids(self) -> list[str]:
        """Every article id."""
        return self.reader().ids()

    def lookup(self, field: str, value: str) -> set[str]:
        """Ids of committed articles whose ``id``, ``path`` or ``dupkey`` is ``value``."""
        return self.reader().lookup(field, value)

    def get(self, article_id: str) -> StoredArticle | None:
        """The stored article, or None."""
        return self.reader().get(article_id)

    def search(self, query: ParsedQuery, options: SearchOptions) -> SearchResults:
        """Ranked hits for ``query`` within ``options``' filters."""
        return self.reader().search(query, options)

    def facets(
        self, query: ParsedQuery, filters: Filters, by: Sequence[str], *, top: int, interval: str
    ) -> dict[str, Facet]:
        """Counts of entity values, sources or date buckets over the matching articles."""
        return self.reader().facets(query, filters, tuple(by), top=top, interval=interval)

    def similar(self, article_id: str, limit: int) -> list[Hit]:
        """Articles most like ``article_id``."""
        return self.reader().similar(article_id, limit)
