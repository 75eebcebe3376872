"""Outlet and section affixes on titles are recognised by shape and ignored by duplicate keys."""

from __future__ import annotations

import pytest

from newsindex.dedup import exact_key, signature, signature_text
from newsindex.titles import strip_affixes

STORY = "Why tariffs hurt everyone"


@pytest.mark.parametrize(
    "title",
    [
        "Opinion | Why tariffs hurt everyone - The New York Times",
        "Why tariffs hurt everyone | Reuters",
        "Why tariffs hurt everyone (AP)",
        "Why tariffs hurt everyone - BBC News",
        "Why tariffs hurt everyone — Le Monde",
        "Analysis | Why tariffs hurt everyone",
    ],
)
def test_titles_affixes_are_removed(title: str) -> None:
    assert strip_affixes(title) == STORY


@pytest.mark.parametrize(
    "title",
    [
        "Trade talks - a new hope for farmers",
        "Brexit - what happens next",
        "Spider-Man returns to cinemas",
        "Markets | Fall",
        "BAHIA COCOA REVIEW",
    ],
)
def test_titles_real_title_parts_are_kept(title: str) -> None:
    assert strip_affixes(title) == title


def test_titles_exact_key_and_signature_ignore_affixes() -> None:
    body = "Tariffs raise prices for shoppers and firms alike, economists said on Monday."
    keys = {exact_key(t, body) for t in (STORY, f"{STORY} | Reuters", f"Opinion | {STORY} (AP)")}
    assert len(keys) == 1
    assert exact_key("Another story", body) not in keys
    plain = signature(signature_text(STORY, body))
    assert signature(signature_text(f"{STORY} - The New York Times", body)) == plain
