"""Outlet and section affixes on titles: "Opinion | X - The New York Times" is X.

The same story reaches an archive under titles that differ only by the
outlet's name or a section label around it: "X | Reuters", "X (AP)",
"X - BBC News", "Opinion | X".  :func:`strip_affixes` removes such affixes,
recognised by their shape rather than by a list of outlets: a short segment of
capitalised words (at most :data:`MAX_AFFIX_WORDS`) cut off at the end by
`` | ``, `` - ``, `` – `` or `` — `` or in parentheses, or at the start by
`` | `` (a dash at the start is too often part of the title: "Brexit - what
next"), removed only when at least :data:`MIN_TITLE_WORDS` words remain.  A segment
with a lower-case word ("Trade talks - a new hope") is part of the title.
"""

from __future__ import annotations

import re

__all__ = ["MAX_AFFIX_WORDS", "MIN_TITLE_WORDS", "strip_affixes"]

MAX_AFFIX_WORDS = 5
MIN_TITLE_WORDS = 3
_LINKS = frozenset({"of", "the", "and", "de", "la", "le", "du", "on", "at", "&", "for"})
_SEP = r"\s+[|\-–—]\s+"
_TRAILING = re.compile(rf"^(?P<rest>.+?){_SEP}(?P<affix>[^|\-–—]+?)\s*$")
_LEADING = re.compile(r"^\s*(?P<affix>[^|]+?)\s+\|\s+(?P<rest>.+)$")
_PAREN = re.compile(r"^(?P<rest>.+?)\s*\((?P<affix>[^()]+)\)\s*$")


def _is_affix(segment: str) -> bool:
    """A short run of capitalised words (or links like "of", "the"): an outlet or section."""
    words = segment.split()
    if not 1 <= len(words) <= MAX_AFFIX_WORDS:
        return False
    named = [w for w in words if w.casefold() not in _LINKS]
    return bool(named) and all(w[0].isupper() or w[0].isdigit() for w in named)


def _long_enough(rest: str) -> bool:
    return len(rest.split()) >= MIN_TITLE_WORDS


def strip_affixes(title: str) -> str:
    """``title`` without outlet or section affixes at its start and end."""
    current = title.strip()
    for _ in range(4):  # "Opinion | X - The New York Times": one affix per pass
        before = current
        for pattern in (_TRAILING, _PAREN, _LEADING):
            match = pattern.match(current)
            if match and _is_affix(match["affix"]) and _long_enough(match["rest"]):
                current = match["rest"].strip()
        if current == before:
            break
    return current
