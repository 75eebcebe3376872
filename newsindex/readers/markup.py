"""Markup inside text fields: HTML fragments to plain text, and mangled escapes repaired."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "looks_like_html", "repair_escapes", "strip_controls", "tidy_text"]

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section article "
    "header footer figure figcaption hr dd dt dl".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
# AG News and other scrapes lost the "&" of character references, leaving
# "doesn #39;t" and "the  #36;10 million" (the space stood where "&" was).
_BARE_NUMERIC = re.compile(r"(?: |(?<![&\w]))#(\d{1,5});")
_BARE_NAMED = re.compile(r"(?: |(?<![&\w]))(quot|amp|lt|gt|apos|nbsp);")
_BARE_NAMED_CHARS = {"quot": '"', "amp": "&", "lt": "<", "gt": ">", "apos": "'", "nbsp": " "}
_BACKSLASH_BREAK = re.compile(r"\\+")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def strip_controls(text: str) -> str:
    """``text`` without control characters other than tab and line breaks."""
    return _CONTROLS.sub(" ", text)


def tidy_text(text: str) -> str:
    """Drop control characters, collapse runs of spaces and blank lines, strip each line."""
    text = _CONTROLS.sub(" ", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds HTML tags rather than just a stray ``<``."""
    return _TAG.search(text) is not None


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment: tags dropped, blocks as paragraphs."""
    collector = _TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        return tidy_text(html.unescape(_TAG.sub(" ", fragment)))
    return tidy_text("".join(collector.parts))


def _numeric(match: re.Match[str]) -> str:
    code = int(match.group(1))
    if 128 <= code <= 159:  # the Windows-1252 range, as web pages meant it
        try:
            return bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            return ""
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""
    return chr(code)


def repair_escapes(text: str) -> str:
    """Undo the damage scraped CSV datasets carry (AG News is the model).

    ``\\`` stood for a line break; ``#39;`` and `` quot;`` are character
    references that lost their ``&`` (the space before them was the ``&``);
    intact references such as ``&lt;`` are decoded too.
    """
    if "\\" in text:
        text = _BACKSLASH_BREAK.sub("\n", text)
    if ";" in text:
        text = _BARE_NUMERIC.sub(_numeric, text)
        text = _BARE_NAMED.sub(lambda m: _BARE_NAMED_CHARS[m.group(1)], text)
        if "&" in text:
            text = html.unescape(text)
    return text
