"""Saved HTML article pages, read with ``trafilatura``: main text, title, date, author, URL.

trafilatura (with lxml, htmldate, dateparser and babel, about 63 MB
installed) is imported only when an HTML file is read; where it is not
installed each HTML file is skipped with a reason that says how to install
it.  The page's publication date comes from its metadata and markup
(``article:published_time``, JSON-LD, ``<time>``), never from guesses in
running text.  One page is one article; its id is its path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsindex.documents import Article
from newsindex.readers import ReadOptions, Record, Skipped, register_reader
from newsindex.readers.dates import parse_date
from newsindex.readers.markup import tidy_text
from newsindex.readers.source import load_text

__all__ = ["MIN_WORDS", "MISSING_EXTRA", "read_html"]

MISSING_EXTRA = "install newsindex[html] to read HTML (trafilatura is not installed)"
MIN_WORDS = 5
"""Pages whose main text has fewer words than this are not articles (index pages, forms)."""

_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _extract(html: str) -> Any:
    """Run trafilatura on a page; raise ImportError when it is not installed."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no SIGALRM: readers may run in threads
    return trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=dict(_DATE_PARAMS),
        config=config,
    )


def _field(document: Any, name: str) -> str:
    value = getattr(document, name, None)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _authors(value: str) -> tuple[str, ...]:
    names = [name.strip() for name in value.split(";")]
    return tuple(dict.fromkeys(name for name in names if name))


@register_reader("html", extensions=(".html", ".htm", ".xhtml"))
def read_html(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read one saved web page as one article (its main text, not menus or comments)."""
    decoded = load_text(path, "HTML")
    if isinstance(decoded, str):
        yield Skipped(relative, decoded)
        return
    try:
        document = _extract(decoded.text)
    except ImportError:
        yield Skipped(relative, MISSING_EXTRA)
        return
    except Exception as exc:  # trafilatura and lxml can fail on hostile markup; never fatal
        yield Skipped(relative, f"HTML could not be parsed: {type(exc).__name__}: {exc}")
        return
    text = tidy_text(getattr(document, "text", None) or "") if document is not None else ""
    if len(text.split()) < MIN_WORDS:
        yield Skipped(relative, "no article text found in the page")
        return
    title = _field(document, "title")
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()
    raw_date = _field(document, "date")
    try:
        date = parse_date(raw_date)
    except ValueError as exc:
        yield Skipped(relative, f"page date {raw_date!r} is impossible: {exc}")
        return
    article = Article(
        id=relative,
        title=title or text.split("\n", 1)[0][:100],
        title_derived=not title,
        body=text,
        date=date,
        url=_field(document, "url"),
        source=_field(document, "sitename") or _field(document, "hostname"),
        path=relative,
        authors=_authors(getattr(document, "author", None) or ""),
    )
    if decoded.warning:
        article.extra["warnings"] = [decoded.warning]
    yield article
