"""Search inside a facet's values: keep the values that contain some text.

With hundreds of people in a facet, ``facets(..., match="bla")`` keeps only
the values containing "bla", ignoring case and accents, still counted over the
matching articles.  It is engine-neutral: the engine is asked for the top
:data:`MATCH_CAP` values of each field, which are then filtered here, so a
value ranked below the cap is not found (it would be named by fewer articles
than the cap's last value).
"""

from __future__ import annotations

import unicodedata

from newsindex.errors import ConfigurationError
from newsindex.query.words import fold
from newsindex.results import Facet

__all__ = ["MATCH_CAP", "filter_values", "folded"]

MATCH_CAP = 10_000
"""How many values of each field the engine counts before ``match`` filters them."""


def folded(text: str) -> str:
    """``text`` lower-cased with accents removed (*Zoë* → *zoe*), for matching."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def filter_values(facets: dict[str, Facet], match: str, top: int) -> dict[str, Facet]:
    """Each facet with only the values containing ``match`` (folded), the first ``top``."""
    needle = folded(match.strip())
    if not needle:
        raise ConfigurationError("match needs some text to look for in the values")
    if "date" in facets:
        raise ConfigurationError("match filters names, not dates; leave out date")
    return {
        name: Facet(
            name, tuple(c for c in facet.counts if needle in folded(c.value))[:top], facet.total
        )
        for name, facet in facets.items()
    }
