"""The exceptions newsindex raises.

Every error derives from :class:`NewsIndexError`, so ``except NewsIndexError``
catches anything newsindex means to tell a user::

    NewsIndexError
    ├── ArticleNotFoundError      no article with that id (also KeyError)
    ├── ConfigurationError        bad option value, unknown extractor or format
    ├── DocumentError             one input file or record could not be read
    ├── QuerySyntaxError          a query string that does not parse (also ValueError)
    └── StoreError               problems with an index directory
        ├── IndexNotFoundError    no index at the path
        ├── IndexLockedError      another process is writing the index
        ├── IndexCorruptError     unreadable, or its manifest does not match
        ├── IndexVersionError     built by an incompatible newsindex version
        └── IndexWriteError       the index could not be written (disk full, read-only)

An error that has a standard fix carries it as ``remedy`` (one of :data:`REMEDIES`):
``str(error)`` says the fix in Python API terms, and the CLI says it with its own
commands and options instead (see ``newsindex/cli/app.py``).
"""

from __future__ import annotations

__all__ = [
    "REMEDIES",
    "ArticleNotFoundError",
    "ConfigurationError",
    "DocumentError",
    "IndexCorruptError",
    "StoreError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "IndexWriteError",
    "NewsIndexError",
    "QuerySyntaxError",
]


REMEDIES = {
    "build": "build one first (NewsIndex.create, then build)",
    "rebuild": "rebuild it (NewsIndex.open_for_rebuild, then build with "
    "BuildOptions(rebuild=True))",
    "wait": "try again when it finishes, or wait for it with BuildOptions(wait=SECONDS)",
    "empty-folder": "give a new or empty folder",
    "themes": "use a theme of the shipped taxonomy (docs/themes.md)",
}
"""Each standard fix, by name, as the Python API says it."""


class NewsIndexError(Exception):
    """Base of every error newsindex raises on purpose.

    ``problem`` says what is wrong; ``remedy`` names the standard fix (a key of
    :data:`REMEDIES`) or is None, and ``str(error)`` joins the two.
    """

    problem: str = ""
    remedy: str | None = None

    def __init__(self, *args: object, remedy: str | None = None) -> None:
        if remedy is not None and remedy not in REMEDIES:
            raise ValueError(f"unknown remedy {remedy!r}")
        self.remedy = remedy
        if len(args) == 1 and isinstance(args[0], str):
            self.problem = args[0]
            if remedy is not None:
                args = (f"{args[0]}; {REMEDIES[remedy]}",)
        super().__init__(*args)


class ArticleNotFoundError(NewsIndexError, KeyError):
    """No article with ``article_id`` in the index at ``path``; also a ``KeyError``."""

    def __init__(self, article_id: str, path: str) -> None:
        self.article_id = article_id
        self.path = path
        super().__init__(f"no article with id {article_id!r} in {path}")

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


class ConfigurationError(NewsIndexError):
    """An option, extractor name, format or field mapping is not valid."""


class DocumentError(NewsIndexError):
    """A file or one record in it could not be turned into an article."""

    def __init__(self, path: str, reason: str, record: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.record = record
        where = f"{path}:{record}" if record is not None else path
        super().__init__(f"{where}: {reason}")


class QuerySyntaxError(NewsIndexError, ValueError):
    """A query string could not be parsed; ``position`` is a 0-based offset."""

    def __init__(self, query: str, message: str, position: int | None = None) -> None:
        self.query = query
        self.position = position
        self.message = message
        at = f" at position {position + 1}" if position is not None else ""
        super().__init__(f"bad query{at}: {message}")


class StoreError(NewsIndexError):
    """Base for problems with an index directory; ``path`` is the directory."""

    def __init__(self, path: str, message: str, *, remedy: str | None = None) -> None:
        self.path = path
        super().__init__(message, remedy=remedy)


class IndexNotFoundError(StoreError):
    """There is no newsindex index at the path."""


class IndexLockedError(StoreError):
    """Another process holds the index's write lock."""


class IndexCorruptError(StoreError):
    """The index is unreadable, or was not written by newsindex."""


class IndexVersionError(StoreError):
    """The index was built by an incompatible version of newsindex."""


class IndexWriteError(StoreError):
    """Writing the index failed (disk full, read-only directory, ...)."""
