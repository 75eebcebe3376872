"""Checks run on query text before it is parsed: limits, balanced brackets and quotes,
operators with something to combine, and known ``field:`` prefixes.

Each raises :class:`~newsindex.errors.QuerySyntaxError` with the position (0-based)
of the mistake, so a user sees where to look.
"""

from __future__ import annotations

import re

from newsindex.errors import QuerySyntaxError

__all__ = [
    "FIELDS",
    "FIELD_ALIASES",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "check_balance",
    "check_operators",
    "rewrite_fields",
]

FIELDS = ("title", "body", "people", "places", "organisations", "themes", "source", "url", "id")
"""The fields a query may name (besides ``date``)."""
FIELD_ALIASES = {
    "person": "people",
    "place": "places",
    "org": "organisations",
    "orgs": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "organisation": "organisations",
    "theme": "themes",
    "headline": "title",
    "text": "body",
}
MAX_QUERY_LENGTH = 10_000
MAX_TERMS = 1_024
"""An engine query may hold at most this many terms (each engine counts its own)."""

FIELD_PREFIX = re.compile(r"(?<![\w\"\\:/.])([A-Za-z_]\w*):")
"""A ``field:`` prefix; one preceded by a word character, quote, slash, dot or colon is text."""
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")
_TOKEN = re.compile(r'"[^"]*"(?:~\d*)?|\[[^\]}]*[\]}]|\{[^\]}]*[\]}]|[()]|[^\s()"]+')
_COMPARISON = re.compile(r"[<>]=?")
_KNOWN = frozenset((*FIELDS, "date"))


def check_balance(text: str) -> None:
    """Reject unmatched brackets and an unclosed quotation mark."""
    stack: list[tuple[str, int]] = []
    in_quote: int | None = None
    pairs = {")": "(", "]": "[", "}": "{"}
    for position, char in enumerate(text):
        if in_quote is not None:
            if char == '"':
                in_quote = None
            continue
        if char == '"':
            in_quote = position
        elif char in "([{":
            stack.append((char, position))
        elif char in ")]}":
            if (
                char == "]"
                and stack
                and stack[-1][0] == "{"
                or char == "}"
                and stack
                and stack[-1][0] == "["
            ):
                stack.pop()  # ranges may mix brackets: [a TO b} excludes b
                continue
            if not stack or stack[-1][0] != pairs[char]:
                raise QuerySyntaxError(text, f"unmatched {char!r}", position)
            stack.pop()
    if in_quote is not None:
        raise QuerySyntaxError(text, "unclosed quotation mark", in_quote)
    if stack:
        char, position = stack[-1]
        closing = {"(": ")", "[": "]", "{": "}"}[char]
        raise QuerySyntaxError(text, f"{char!r} is never closed with {closing!r}", position)


def rewrite_fields(text: str) -> str:
    """Check every ``field:`` prefix and map aliases to our field names."""
    pieces: list[str] = []
    last = 0
    for match in FIELD_PREFIX.finditer(text):
        if text.count('"', 0, match.start()) % 2 == 1:
            continue  # inside a quoted phrase
        name = match.group(1)
        lowered = name.lower()
        field = FIELD_ALIASES.get(lowered, lowered)
        if field not in _KNOWN:
            known = ", ".join(sorted(_KNOWN))
            raise QuerySyntaxError(
                text,
                f"unknown field {name!r}; fields are {known} (quote the text to search for "
                f"a colon literally)",
                match.start(),
            )
        _check_value(text, name, match.end())
        pieces.append(text[last : match.start()])
        pieces.append(f"{field}:")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _check_value(text: str, name: str, at: int) -> None:
    """Reject a ``field:`` (or ``field:>``) prefix with no value after it."""
    rest = text[at:]
    if not rest or rest[0].isspace() or rest[0] == ")":
        raise QuerySyntaxError(text, f"expected a word, phrase or group after {name + ':'!r}", at)
    comparison = _COMPARISON.match(rest)
    if comparison and (comparison.end() == len(rest) or rest[comparison.end()].isspace()):
        raise QuerySyntaxError(
            text,
            f"expected a value after {name + ':' + comparison.group()!r}",
            at + comparison.end(),
        )


def check_operators(text: str) -> None:
    """Reject AND/OR/NOT with nothing to combine, and empty parentheses."""
    before = "start"
    previous = ""
    previous_at = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _BINARY:
            if before in ("start", "open", "binary", "not"):
                raise QuerySyntaxError(
                    text, f"expected a word, phrase or group before {token!r}", match.start()
                )
            kind = "binary"
        elif token == "NOT":
            if before == "not":
                raise QuerySyntaxError(
                    text, "expected a word, phrase or group after 'NOT'", previous_at
                )
            kind = "not"
        elif token == "(":
            kind = "open"
        elif token == ")":
            if before in ("binary", "not"):
                raise QuerySyntaxError(
                    text, f"expected a word, phrase or group after {previous!r}", previous_at
                )
            if before == "open":
                raise QuerySyntaxError(
                    text, "expected a word, phrase or group inside '( )'", match.start()
                )
            kind = "term"
        else:
            kind = "term"
        before, previous, previous_at = kind, token, match.start()
    if before in ("binary", "not"):
        raise QuerySyntaxError(
            text, f"expected a word, phrase or group after {previous!r}", previous_at
        )
