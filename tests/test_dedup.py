"""Duplicate keys and near-duplicate signatures."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.dedup import (
    BAND_TABLES,
    NEAR_DUPLICATE_THRESHOLD,
    bands,
    exact_key,
    features,
    is_near_duplicate,
    near_duplicate_pairs,
    signature,
    similarity,
)
from tests.corpora import corpus

STORY = (
    "The harbour authority in Portsmouth approved plans for a new ferry terminal on Tuesday, "
    "ending a two-year dispute with residents over traffic and noise. Construction is due to "
    "start next spring and the terminal should open in 2027, the authority's chairman told "
    "reporters. Ferry operators welcomed the decision, saying the old quay could no longer "
    "handle modern ships, while residents' groups said they would study the conditions "
    "attached to the approval before deciding whether to appeal."
)
OTHER = (
    "Grain prices held steady in Chicago on Monday after the government's harvest report "
    "showed a maize crop close to what traders had expected. Wheat futures edged lower as "
    "rain in the southern plains eased worries about dry soil, while soybeans were unchanged "
    "ahead of export figures due later in the week."
)


def test_dedup_exact_key_folds_case_spacing_and_punctuation() -> None:
    assert exact_key("Ferry Terminal!", "It was  approved.") == exact_key(
        "ferry terminal", "it was approved"
    )
    assert exact_key("Ferry terminal", "Approved") != exact_key("Ferry terminal", "Rejected")
    assert exact_key("a", "b c") != exact_key("a b", "c")


def test_dedup_signature_is_stable_and_64_bits() -> None:
    sig = signature(STORY)
    assert sig == signature(STORY.upper().replace(",", " ,"))
    assert 0 < sig < 2**64
    assert signature("") == 0 and signature("!!! ...") == 0


def test_dedup_features_drop_stop_words_unless_nothing_else() -> None:
    assert features("The minister said the plan was new") == {"minister", "plan", "new"}
    assert features("to be or not to be") == {"to", "be", "or", "not"}


def test_dedup_edited_copies_are_near_duplicates() -> None:
    original = signature(STORY)
    credit = signature(STORY + "\n\nReporting by Anna Weber; Editing by Mark Potter")
    corrected = signature(STORY.replace("Tuesday", "Wednesday").replace("2027", "2028"))
    for copy in (credit, corrected):
        assert similarity(original, copy) >= NEAR_DUPLICATE_THRESHOLD
        assert is_near_duplicate(original, copy)
        assert set(bands(original)) & set(bands(copy))


def test_dedup_different_stories_are_not_near_duplicates() -> None:
    assert not is_near_duplicate(signature(STORY), signature(OTHER))
    assert similarity(signature(STORY), signature(OTHER)) < 0.75
    assert not is_near_duplicate(0, 0)


def test_dedup_bands_are_keywords_of_fixed_shape() -> None:
    keys = bands(signature(STORY))
    assert len(keys) == BAND_TABLES * 4
    assert len(set(keys)) == len(keys)
    assert all(key.isascii() and " " not in key and len(key.split(":")[1]) == 4 for key in keys)
    assert bands(signature(STORY)) == keys


@settings(derandomize=True, deadline=None, max_examples=200)
@given(st.integers(0, 2**64 - 1), st.sets(st.integers(0, 63), max_size=7))
def test_dedup_bands_always_shared_within_seven_bits(sig: int, flips: set[int]) -> None:
    other = sig
    for bit in flips:
        other ^= 1 << bit
    assert set(bands(sig)) & set(bands(other))
    assert similarity(sig, other) == 1 - len(flips) / 64


@settings(derandomize=True, deadline=None, max_examples=100)
@given(st.text(max_size=300))
def test_dedup_signature_of_any_text(text: str) -> None:
    sig = signature(text)
    assert 0 <= sig < 2**64
    assert similarity(sig, sig) == 1.0
    exact_key(text, text)


def test_dedup_near_duplicate_pairs_finds_copies_once() -> None:
    items = [
        ("a", signature(STORY)),
        ("b", signature(OTHER)),
        ("c", signature(STORY + " (Additional reporting by staff correspondents.)")),
        ("d", signature("")),
    ]
    pairs = list(near_duplicate_pairs(items))
    assert [(a, b) for a, b, _ in pairs] == [("a", "c")]
    assert pairs[0][2] >= NEAR_DUPLICATE_THRESHOLD


def test_dedup_real_bbc_articles_distinct_and_copies_found() -> None:
    folder = corpus("bbc-news", "bbc", "politics")
    bodies = [
        path.read_bytes().decode("utf-8", "replace").partition("\n")[2]
        for path in sorted(folder.glob("*.txt"))[:150]
    ]
    rng = random.Random(3)
    items = [(f"orig{n}", signature(body)) for n, body in enumerate(bodies)]
    for n, body in enumerate(bodies[:50]):
        words = body.split()
        words[rng.randrange(len(words))] = "reportedly"
        items.append((f"copy{n}", signature(" ".join(words) + "\nReporting by staff.")))
    pairs = {(a, b) for a, b, _ in near_duplicate_pairs(items)}
    found = sum((f"orig{n}", f"copy{n}") in pairs for n in range(50))
    # "orig" and "copy" are both 4 letters: the number after them names the article
    false = [
        (a, b)
        for a, b in pairs
        if exact_key("", bodies[int(a[4:])]) != exact_key("", bodies[int(b[4:])])
    ]
    assert found >= 48
    assert false == []
