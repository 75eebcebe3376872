"""Plain text and Markdown articles, with the optional ``date YYYY-MM-DD`` header.

The seed format is a first token ``date`` followed by an ISO date (or
datetime) and then the article itself, which may begin on the same line.
Without a header, a short first line followed by a blank line is the title
(the BBC layout); otherwise the title is the first sentence, shortened.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from newsindex.documents import Article, DateValue
from newsindex.readers import ReadOptions, Record, Skipped, register_reader
from newsindex.readers.markup import strip_controls
from newsindex.readers.source import load_text

_HEADER = re.compile(
    r"\A\ufeff?\s*date[ \t]*:?[ \t]+"
    r"(?P<date>\d{1,6}-\d{1,2}-\d{1,2}(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?)"
    r"(?=\s|\Z)[ \t]*\n?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_MARKDOWN_TITLE = re.compile(r"\A#\s+(.+)\n")
TITLE_MAX_CHARS = 100


def parse_iso_date(value: str) -> DateValue:
    """Parse an ISO 8601 date or datetime; raise ValueError saying why it is impossible."""
    value = value.strip()
    if re.fullmatch(r"\d{1,6}-\d{1,2}-\d{1,2}", value):
        year, month, day = (int(part) for part in value.split("-"))
        if not 1 <= year <= 9999:
            raise ValueError(f"year {year} is out of range 1-9999")
        return dt.date(year, month, day)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed


def shorten_title(sentence: str, limit: int = TITLE_MAX_CHARS) -> str:
    """Shorten ``sentence`` to at most ``limit`` characters at a word boundary."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def derive_title(text: str) -> tuple[str, str, bool]:
    """Split ``text`` into (title, body, derived) the way a reader would see it.

    A Markdown heading or a short first line before a blank line (the BBC
    layout) is a real title, taken out of the body.  Otherwise the title is the
    first sentence, shortened, for display only: ``derived`` is True and the
    body keeps the sentence.
    """
    stripped = text.strip()
    heading = _MARKDOWN_TITLE.match(stripped)
    if heading:
        return heading.group(1).strip(), stripped[heading.end() :].strip(), False
    first, _, rest = stripped.partition("\n")
    if rest.startswith("\n") or rest.startswith("\r\n"):
        line = first.strip()
        if 0 < len(line) <= 200 and not line.endswith((".", ":", ",")):
            return line, rest.strip(), False
    first_paragraph = stripped.split("\n\n", 1)[0]
    sentence = _SENTENCE_END.split(first_paragraph, maxsplit=1)[0]
    return shorten_title(sentence), stripped, bool(stripped)


def article_from_text(text: str, article_id: str, path: str) -> Article:
    """Build an article from decoded text; raise ValueError on an impossible header date."""
    date: DateValue | None = None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = _HEADER.match(text)
    if header:
        raw = header.group("date")
        try:
            date = parse_iso_date(raw)
        except ValueError as exc:
            raise ValueError(f"impossible date {raw!r} in header: {exc}") from None
        text = text[header.end() :]
    title, body, derived = derive_title(strip_controls(text))
    return Article(
        id=article_id, title=title, body=body, date=date, path=path, title_derived=derived
    )


MAX_ARTICLE_BYTES = 16 << 20
"""A text file is one article; one over 16 MiB is not a news article, and reading it
as one would hold the whole file in memory several times over."""


@register_reader("text", extensions=(".txt", ".text", ".md", ".markdown"))
def read_text(path: Path, relative: str, options: ReadOptions) -> Iterator[Record]:
    """Read one plain-text or Markdown file as one article."""
    decoded = load_text(path, "text", limit=MAX_ARTICLE_BYTES)
    if isinstance(decoded, str):
        yield Skipped(relative, decoded)
        return
    try:
        article = article_from_text(decoded.text, relative, relative)
    except ValueError as exc:
        yield Skipped(relative, str(exc))
        return
    if not article.body.strip():
        yield Skipped(relative, "no article text after the header")
        return
    if decoded.warning:
        article.extra["warnings"] = [decoded.warning]
    yield article
