"""Credit lines: the agency that filed a story, as its dateline or signature says.

"NAIROBI, Kenya (AP) _", "LONDON (Reuters) -", a closing "Reuter" on its own
line (Reuters-21578), or "- Reuters" after the dateline name the agency that
filed the story. That is where the story comes from, not an organisation the
story is about: the finder leaves those words out of organisations and
reports the agency as the story's credit.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Credit", "find_credit"]

_AGENCIES = (
    r"Reuters|Reuter|REUTERS|REUTER|AP|A\.P\.|AFP|UPI|Xinhua|Kyodo|Bloomberg|dpa|DPA|"
    r"ANSA|EFE|Tass|TASS|ITAR-TASS|PA|CP|IANS|PTI|Yonhap|Interfax|RIA Novosti|AAP|NYT"
)
# In brackets in the first lines: "NAIROBI, Kenya (AP) _", "LONDON (Reuters) -".
_BRACKETED = re.compile(rf"\((?P<agency>{_AGENCIES})\)\s*[-_\u2013\u2014:]")
# After the dateline: "LONDON, March 3 - Reuters -" or "WASHINGTON - AP -".
_DASHED = re.compile(rf"[-\u2013\u2014]\s*(?P<agency>{_AGENCIES})\s*[-\u2013\u2014:]")
# The signature closing a story: "Reuter" or "(Reuters)" on its own last line.
_SIGNATURE = re.compile(rf"\n[ \t]*\(?(?P<agency>{_AGENCIES})\)?[ \t\x03]*\s*$")
# How far into the text a dateline can reach.
_HEAD = 200


class Credit(NamedTuple):
    """The agency a credit line names, as written, and where each credit stands."""

    agency: str
    spans: tuple[tuple[int, int], ...]


def find_credit(text: str, body_start: int = 0) -> Credit | None:
    """The credit line of ``text`` (body from ``body_start``), or None when it has none."""
    spans: list[tuple[int, int]] = []
    agency = ""
    head = text[: body_start + _HEAD]
    line_end = head.find("\n", body_start)
    first_line = head if line_end < 0 else head[:line_end]
    for pattern in (_BRACKETED, _DASHED):
        match = pattern.search(first_line, body_start)
        if match is not None:
            agency = match["agency"]
            spans.append(match.span("agency"))
            break
    tail_from = max(body_start, len(text) - 80)
    signature = _SIGNATURE.search(text, tail_from)
    if signature is not None:
        agency = agency or signature["agency"]
        spans.append(signature.span("agency"))
    if not spans:
        return None
    return Credit(agency, tuple(spans))
