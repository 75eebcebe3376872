"""Assign themes to an article by matching the taxonomy's phrases.

All phrases of all themes go into one Aho-Corasick automaton, matched once over
the lower-cased title and body, on word boundaries, with plural forms.  Each
theme's score adds its phrases' weights; a phrase counts more in the title and
the lead, and repeated mentions add with diminishing returns.  A theme is
assigned when its score reaches a threshold and its top-level branch carries a
fair share of the article's evidence, so a passing mention does not tag.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from newsindex.extract import Theme
from newsindex.extract.taxonomy import PhraseSpec, ThemeInfo, ThemeSpec, load_theme_specs, taxonomy

__all__ = ["ThemeInfo", "ThemeTagger", "TaggerSettings", "taxonomy"]


@dataclass(frozen=True)
class TaggerSettings:
    """The scoring knobs; the defaults are tuned on the training halves (docs/themes.md).

    ``title_boost`` and ``lead_boost`` multiply a mention in the title or in the
    first ``lead_chars`` of the body.  A finer theme needs ``fine_threshold``
    points and a top level ``top_threshold``; both grow by ``length_factor``
    per 1,000 characters of body.  A theme is kept only if its top level scores
    at least ``branch_share`` of the best top level; finer themes of the best
    top level need only ``main_branch_discount`` of their threshold.
    """

    title_boost: float = 3.0
    lead_boost: float = 1.5
    lead_chars: int = 400
    fine_threshold: float = 2.4
    top_threshold: float = 1.5
    length_factor: float = 0.1
    branch_share: float = 0.2
    main_branch_discount: float = 0.75


# One automaton value: (theme index, phrase, weight, exact surface form or "").
_Entry = tuple[int, str, float, str]


def _plurals(phrase: str) -> Iterable[str]:
    yield phrase
    last = phrase[-1:]
    if not last.isalpha():
        return
    if phrase.endswith(("s", "x", "z", "ch", "sh")):
        yield phrase + "es"
    elif last == "y" and len(phrase) > 1 and phrase[-2] not in "aeiou":
        yield phrase[:-1] + "ies"
        yield phrase + "s"
    else:
        yield phrase + "s"


class ThemeTagger:
    """Tags articles with themes; build it once with :meth:`load`, then call :meth:`tag`."""

    def __init__(self, specs: list[ThemeSpec], settings: TaggerSettings | None = None) -> None:
        self.settings = settings or TaggerSettings()
        self._names = [spec.name for spec in specs]
        self._codes = [spec.code for spec in specs]
        index = {name: i for i, name in enumerate(self._names)}
        self._parent = [index[spec.parent] if spec.parent else -1 for spec in specs]
        self._top = [self._top_of(i) for i in range(len(specs))]
        # Each theme and its ancestors, up to the top level: the branches it scores in.
        self._lineages = [tuple(self._lineage(i)) for i in range(len(specs))]
        self._automaton = self._build(specs)

    def _top_of(self, i: int) -> int:
        while self._parent[i] >= 0:
            i = self._parent[i]
        return i

    @staticmethod
    def _build(specs: list[ThemeSpec]) -> ahocorasick.Automaton:
        table: dict[str, dict[tuple[int, str], _Entry]] = {}
        for theme, spec in enumerate(specs):
            for phrase in spec.phrases:
                for key, entry in _entries(theme, phrase):
                    # The same surface form twice in one theme keeps the larger weight.
                    slot = table.setdefault(key, {})
                    known = slot.get((theme, entry[3]))
                    if known is None or known[2] < entry[2]:
                        slot[(theme, entry[3])] = entry
        automaton = ahocorasick.Automaton()
        for key, entries in table.items():
            automaton.add_word(key, (len(key), tuple(entries.values())))
        automaton.make_automaton()
        return automaton

    @classmethod
    def load(cls, extra: Path | None = None, settings: TaggerSettings | None = None) -> ThemeTagger:
        """Load the shipped taxonomy and keyword lists, plus the user's themes file ``extra``.

        Raises :class:`~newsindex.errors.ConfigurationError` for a missing or
        malformed themes file.
        """
        return cls(load_theme_specs(extra), settings)

    def scores(self, title: str, body: str) -> dict[int, dict[str, tuple[float, float]]]:
        """Per theme index, each phrase found: (its weight, its position-weighted count)."""
        text = f"{title}\n{body}" if title else body
        lowered = text.lower()
        same_length = len(lowered) == len(text)
        body_start = len(title) + 1 if title else 0
        lead_end = body_start + self.settings.lead_chars
        title_boost, lead_boost = self.settings.title_boost, self.settings.lead_boost
        found: dict[int, dict[str, tuple[float, float]]] = {}
        size = len(lowered)
        for end, (length, entries) in self._automaton.iter_long(lowered):
            start = end - length + 1
            if (start > 0 and lowered[start - 1].isalnum()) or (
                end + 1 < size and lowered[end + 1].isalnum()
            ):
                continue
            if start < body_start:
                boost = title_boost
            elif start < lead_end:
                boost = lead_boost
            else:
                boost = 1.0
            for theme, phrase, weight, exact in entries:
                if exact and not (same_length and text[start : end + 1] == exact):
                    continue
                per_theme = found.setdefault(theme, {})
                seen = per_theme.get(phrase)
                per_theme[phrase] = (weight, boost + (seen[1] if seen else 0.0))
        return found

    def tag(self, title: str, body: str) -> tuple[Theme, ...]:
        """The themes of one article, best first, each with its evidence and score."""
        found = self.scores(title, body)
        if not found:
            return ()
        settings = self.settings
        # Each theme scores the phrases found anywhere in its branch, each phrase once
        # (a top level and its finer theme may both list "Yahoo": it counts once).
        branch: dict[int, dict[str, tuple[float, float, str]]] = {}
        for theme, phrases in found.items():
            keyed = [(phrase.lower(), phrase, w, c) for phrase, (w, c) in phrases.items()]
            for target in self._lineages[theme]:
                bucket = branch.setdefault(target, {})
                for key, phrase, weight, count in keyed:
                    known = bucket.get(key)
                    if known is None:
                        bucket[key] = (weight, count, phrase)
                    else:
                        bucket[key] = (max(weight, known[0]), max(count, known[1]), known[2])
        totals = {theme: _damped(bucket.values()) for theme, bucket in branch.items()}
        best_top = max((s for t, s in totals.items() if self._parent[t] < 0), default=0.0)
        stretch = 1.0 + settings.length_factor * len(body) / 1000.0
        themes: list[Theme] = []
        for theme, score in totals.items():
            top = self._top[theme]
            is_top = top == theme
            threshold = (settings.top_threshold if is_top else settings.fine_threshold) * stretch
            if not is_top and totals.get(top, 0.0) >= best_top:
                threshold *= settings.main_branch_discount
            if score < threshold or totals.get(top, 0.0) < settings.branch_share * best_top:
                continue
            ranked = sorted(branch[theme].values(), key=lambda e: (-e[0] * e[1], e[2]))
            parent = self._parent[theme]
            themes.append(
                Theme(
                    name=self._names[theme],
                    code=self._codes[theme],
                    score=round(score, 3),
                    evidence=tuple(phrase for _, _, phrase in ranked),
                    parent=self._names[parent] if parent >= 0 else "",
                )
            )
        themes.sort(key=lambda t: (-t.score, t.name))
        return tuple(themes)

    def _lineage(self, theme: int) -> Iterable[int]:
        while theme >= 0:
            yield theme
            theme = self._parent[theme]


def _entries(theme: int, phrase: PhraseSpec) -> Iterable[tuple[str, _Entry]]:
    forms = [phrase.text] if phrase.exact and phrase.text.isupper() else list(_plurals(phrase.text))
    for form in forms:
        yield form.lower(), (theme, phrase.text, phrase.weight, form if phrase.exact else "")


def _damped(phrases: Iterable[tuple[float, float, str]]) -> float:
    """Sum of phrase weights, each repeated mention adding less than the one before."""
    return sum(w * (c if c <= 1.0 else 1.0 + math.log(c)) for w, c, _ in phrases)
