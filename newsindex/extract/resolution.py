"""Resolving short names against the full names a collection holds.

A :class:`NameTable` is built from ``(name, date)`` observations: every
person's name as extracted from each article, with the article's date. It
then resolves a surname-only or titled mention ("Blair", "Mr Blair",
"President Bush") to the one full name it can mean ("Tony Blair"):

- a full name the table holds resolves to itself;
- a name of the user's alias file wins over everything else;
- a shorter form resolves to the only full name whose words hold it in order
  ("Bush" and "George Bush" are held by "George W Bush") and whose first name
  fits its initials, if it has any ("B. D. Aggarwal" is not "Anil Aggarwal");
- among several such names, the only one observed within ``window_days`` of the
  mention's date wins, or one observed there at least four times as often as any
  other (and three times or more): in 1987 "Reagan" is Ronald Reagan, not Nancy;
- otherwise the mention stays unresolved and the candidates are reported.

The table knows nothing of the search engine; it is plain data the caller
builds, inspects and overrides.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from newsindex.errors import ConfigurationError
from newsindex.extract.gazetteer import DATA_DIR

__all__ = ["NameTable", "Resolution", "read_aliases", "untitled"]

# A candidate seen this many times, and this many times more than the next, is meant.
_DOMINANT_MIN = 3
_DOMINANT_RATIO = 4

# Particles, initials and generational suffixes are not the words a short name is
# matched on: "Johnstone" is "John Johnstone Jr".
_PARTICLES = frozenset("de da di du van von der den la le bin ibn al el jr sr ii iii iv".split())


@dataclass(frozen=True)
class Resolution:
    """How one mention resolved: ``name`` is the full name, or the mention itself.

    ``how`` is ``alias`` (the user's alias file), ``full`` (already a full
    name), ``unique`` (the only full name holding it), ``period`` (the only
    candidate, or by far the most seen, near the mention's date),
    ``frequent`` (by far the most seen, no date given), ``ambiguous``
    (several candidates, listed in ``candidates``) or ``unknown`` (none).
    """

    name: str
    how: str
    candidates: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        """True when the mention was mapped to a full name."""
        return self.how in {"alias", "full", "unique", "period", "frequent"}


@functools.cache
def _titles() -> frozenset[str]:
    path = DATA_DIR / "titles.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


def _core(words: Iterable[str]) -> tuple[str, ...]:
    """The words a name is matched on: no initials, no particles, no full stops."""
    return tuple(
        w.rstrip(".")
        for w in words
        if len(w.rstrip(".")) > 1 and w.lower() not in _PARTICLES and not w.endswith(".")
    )


def _initials(words: Iterable[str]) -> str:
    """The letters of a name's initials ("B. D. Aggarwal", "D.F. King" → "BD", "DF")."""
    return "".join(
        w.replace(".", "")
        for w in words
        if w.endswith(".") and w.replace(".", "").isalpha() and w.replace(".", "").isupper()
    )


def _initials_fit(initials: str, full: str) -> bool:
    """True if a full name's first given name starts with a mention's first initial."""
    given = [w for w in full.split()[:-1] if w.lower() not in _PARTICLES]
    return not initials or bool(given) and given[0][0].upper() == initials[0]


def _holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    position = 0
    for word in shorter:
        try:
            position = longer.index(word, position) + 1
        except ValueError:
            return False
    return True


def read_aliases(path: Path) -> dict[str, str]:
    """A user alias file: one ``alias<TAB>full name`` per line, ``#`` comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"alias file {path} cannot be read: {exc}") from exc
    aliases: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        alias, tab, name = line.partition("\t")
        if not tab or not alias.strip() or not name.strip():
            raise ConfigurationError(f"{path}:{number}: expected alias<TAB>full name")
        aliases[alias.strip()] = name.strip()
    return aliases


def untitled(mention: str) -> str:
    """``mention`` without leading titles ("Mr Blair" → "Blair", "President Bush" → "Bush")."""
    words = mention.split()
    titles = _titles()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for length in (3, 2, 1):
            if len(words) > length and " ".join(words[:length]) in titles:
                words = words[length:]
                changed = True
                break
    return " ".join(words)


class NameTable:
    """Full names seen in a collection, with their dates; resolves short mentions."""

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self.aliases: dict[str, str] = dict(aliases or {})
        self._dates: dict[str, Counter[dt.date]] = {}
        self._seen: dict[str, int] = {}
        self._by_word: dict[str, set[str]] = {}

    @classmethod
    def build(
        cls,
        observations: Iterable[tuple[str, dt.date | None]],
        aliases: Mapping[str, str] | None = None,
    ) -> NameTable:
        """A table of the full names (two words or more) among ``observations``."""
        table = cls(aliases)
        for name, when in observations:
            table.add(name, when)
        return table

    def add(self, name: str, when: dt.date | None = None, count: int = 1) -> None:
        """Note ``count`` observations of ``name`` on ``when``; a name of fewer than two core
        words is not a full name and is not noted."""
        core = _core(untitled(name).split())
        if len(core) < 2:
            return
        full = " ".join(untitled(name).split())
        dates = self._dates.setdefault(full, Counter())
        self._seen[full] = self._seen.get(full, 0) + count
        if when is not None:
            dates[when] += count
        for word in core:
            self._by_word.setdefault(word, set()).add(full)

    def full_names(self) -> tuple[str, ...]:
        """Every full name in the table, sorted."""
        return tuple(sorted(self._dates))

    def seen(self, name: str) -> int:
        """How many observations of full name ``name`` the table holds."""
        return self._seen.get(name, 0)

    def resolve(
        self, mention: str, when: dt.date | None = None, window_days: int = 365
    ) -> Resolution:
        """The full name ``mention`` means, preferring names seen near ``when``."""
        spoken = " ".join(mention.split())
        for key in (spoken, untitled(spoken)):
            if key in self.aliases:
                return Resolution(self.aliases[key], "alias")
        bare = untitled(spoken)
        if bare in self._dates:
            return Resolution(bare, "full")
        core = _core(bare.split())
        if not core:
            return Resolution(spoken, "unknown")
        pool = self._by_word.get(core[-1], set())
        initials = _initials(bare.split())
        candidates = [n for n in self._candidates(core, pool) if _initials_fit(initials, n)]
        if not candidates:
            return Resolution(spoken, "unknown")
        if len(candidates) == 1:
            return Resolution(candidates[0], "unique")
        return self._choose(spoken, candidates, when, window_days)

    def _candidates(self, core: tuple[str, ...], pool: Iterable[str]) -> list[str]:
        """Full names ending in the mention's last word and holding all its words; a
        name that only adds words to another candidate ("Secretary James Baker",
        "Ronald Wilson Reagan") is that candidate."""
        held = {n: _core(n.split()) for n in pool}
        fits = {n: c for n, c in held.items() if c[-1] == core[-1] and _holds(c, core)}
        return sorted(
            n
            for n, c in fits.items()
            if not any(o != c and len(o) < len(c) and _holds(c, o) for o in fits.values())
        )

    def _choose(
        self, spoken: str, candidates: list[str], when: dt.date | None, window_days: int
    ) -> Resolution:
        """The candidate seen near ``when``, or by far the most seen; else ambiguous."""
        counts = {n: self._seen[n] for n in candidates}
        how = "frequent"
        if when is not None:
            window = dt.timedelta(days=window_days)
            counts = {
                n: sum(c for d, c in self._dates[n].items() if abs(d - when) <= window)
                for n in candidates
            }
            how = "period"
        ranked = sorted(candidates, key=lambda n: -counts[n])
        top, second = counts[ranked[0]], counts[ranked[1]]
        if top and (second == 0 or (top >= _DOMINANT_MIN and top >= _DOMINANT_RATIO * second)):
            return Resolution(ranked[0], how, tuple(candidates))
        return Resolution(spoken, "ambiguous", tuple(candidates))
