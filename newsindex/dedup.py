"""Duplicate detection: the same story arriving twice, exactly or nearly.

Two keys serve the index:

* :func:`exact_key` is equal for two articles whose title and body differ only
  in case, spacing or punctuation (the same wire story saved twice).
* :func:`signature` is a 64-bit SimHash (Charikar 2002; Manku, Jain and Das
  Sarma 2007) of the body's words: texts that share most of their words get
  signatures that differ in few bits, so :func:`similarity` (the share of equal
  bits) of a story and its copy with a new headline, an added credit line or a
  few corrected words stays high, while two different stories sit near 0.5.
  :func:`bands` cuts a signature into short keys that the index stores as
  keywords: two articles whose signatures are near share at least one band
  key, so candidates are found by a term lookup and then checked with
  :func:`similarity` against :data:`NEAR_DUPLICATE_THRESHOLD`.

Titles pass through :func:`newsindex.titles.strip_affixes` first, so "X |
Reuters" and "Opinion | X - The New York Times" key like "X".

Why not ``datasketch``: its MinHash needs numpy (about 40 MB) and 128 or more
hash values per article, where a 64-bit SimHash is one integer that fits in an
index field.  ``benchmarks/eval_dedup.py`` measures precision and recall on
real articles.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator

from newsindex.titles import strip_affixes

__all__ = [
    "BAND_BITS",
    "BAND_TABLES",
    "NEAR_DUPLICATE_THRESHOLD",
    "SIGNATURE_BITS",
    "STOP_WORDS",
    "bands",
    "exact_key",
    "features",
    "is_near_duplicate",
    "near_duplicate_pairs",
    "signature",
    "signature_text",
    "similarity",
]

SIGNATURE_BITS = 64
BAND_BITS = 16
"""Bits in one band key: 65,536 buckets, so unrelated articles rarely share one."""
BAND_TABLES = 10
"""Bit orders the signature is cut in; each gives ``SIGNATURE_BITS // BAND_BITS`` keys."""
NEAR_DUPLICATE_THRESHOLD = 54 / 64
"""Articles whose signatures agree on at least this share of bits (10 or fewer of
the 64 differ, 0.84375) are near-duplicates.  Unrelated news articles agree on
about half their bits (32 +- 4); a credit line added to a BBC or Reuters story,
or three words changed, leaves 54 or more in agreement in over 95% of cases
(``benchmarks/eval_dedup.py``; figures in docs/formats.md)."""

STOP_WORDS = frozenset(
    """a about after also an and are as at be been but by for from had has have he her his
    i in into is it its not of on one or our over said says she than that the their them
    they this to two up was we were when which who will with would you""".split()
)
"""Words left out of signatures: the commonest English function words and news verbs."""

_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")
_MASK = (1 << SIGNATURE_BITS) - 1
_LANE = 24  # bits per counter when 64 counters are packed into one integer
_LANE_MASK = (1 << _LANE) - 1


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def exact_key(title: str, body: str) -> str:
    """A key equal for two articles whose text differs only in case, spacing, punctuation
    or outlet and section affixes on the title ("X | Reuters", "Opinion | X")."""
    normalised = _normalise(strip_affixes(title)) + "\x00" + _normalise(body)
    return hashlib.sha1(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def signature_text(title: str, body: str) -> str:
    """The text to sign when the title counts: the title without its affixes, then the body."""
    return f"{strip_affixes(title)}\n\n{body}"


def features(text: str) -> set[str]:
    """The distinct words of ``text`` that say something: case folded, stop words dropped.

    Function words appear in every English article and would pull unrelated
    signatures together; a text of nothing but stop words keeps them.
    """
    words = set(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))
    content = {word for word in words if len(word) > 1 and word not in STOP_WORDS}
    return content or words


def _spread_byte(value: int) -> int:
    """The 8 bits of ``value`` as 8 counters of ``_LANE`` bits each."""
    return sum(1 << (bit * _LANE) for bit in range(8) if value >> bit & 1)


_SPREAD = [
    [_spread_byte(value) << (index * 8 * _LANE) for value in range(256)] for index in range(8)
]


def signature(text: str) -> int:
    """The 64-bit SimHash of ``text``'s distinct words (0 for text without words).

    Each bit is set when more than half of the words' hashes have it set.
    """
    words = features(text)
    if not words:
        return 0
    total = 0  # 64 counters packed into one integer: adding hashes adds every bit at once
    for word in words:
        digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        for index, byte in enumerate(digest):
            total += _SPREAD[index][byte]
    half = len(words) / 2
    result = 0
    for bit in range(SIGNATURE_BITS):
        if (total >> (bit * _LANE)) & _LANE_MASK > half:
            result |= 1 << bit
    return result


def _tables(count: int) -> list[list[int]]:
    """Fixed bit orders: the identity, then seeded shuffles (stable across releases)."""
    orders = [list(range(SIGNATURE_BITS))]
    shuffler = random.Random(20240501)
    while len(orders) < count:
        order = list(range(SIGNATURE_BITS))
        shuffler.shuffle(order)
        orders.append(order)
    return orders


_ORDERS = _tables(BAND_TABLES)


def bands(sig: int) -> tuple[str, ...]:
    """The band keys of a signature, e.g. ``"0.3:9f1c"`` (table 0, block 3, its bits in hex).

    Two signatures that differ in few bits share a key: always when 7 or fewer
    bits differ, 98% of the time at 8 and 84% at 10, while two unrelated
    signatures share one 0.08% of the time (measured on random bit flips).
    """
    sig &= _MASK
    keys: list[str] = []
    per_table = SIGNATURE_BITS // BAND_BITS
    width = BAND_BITS // 4
    for table, order in enumerate(_ORDERS):
        for block in range(per_table):
            value = 0
            for position in order[block * BAND_BITS : (block + 1) * BAND_BITS]:
                value = (value << 1) | (sig >> position & 1)
            keys.append(f"{table}.{block}:{value:0{width}x}")
    return tuple(keys)


def similarity(sig_a: int, sig_b: int) -> float:
    """The share of the 64 bits on which two signatures agree (1.0 for identical)."""
    differing = ((sig_a ^ sig_b) & _MASK).bit_count()
    return 1.0 - differing / SIGNATURE_BITS


def is_near_duplicate(sig_a: int, sig_b: int, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> bool:
    """True when two signatures are at least ``threshold`` similar (and neither is empty)."""
    if sig_a == 0 or sig_b == 0:  # text without words is like nothing else
        return False
    return similarity(sig_a, sig_b) >= threshold


def near_duplicate_pairs(
    signatures: Iterable[tuple[str, int]], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> Iterator[tuple[str, str, float]]:
    """Yield ``(earlier id, later id, similarity)`` for each near-duplicate pair.

    Candidates are found the way the index finds them, through shared band
    keys, then kept when at least ``threshold`` similar; each pair is yielded
    once, in input order.  Memory grows with the number of signatures.
    """
    items: list[tuple[str, int]] = []
    buckets: dict[str, list[int]] = {}
    for index, (article_id, sig) in enumerate(signatures):
        items.append((article_id, sig))
        if sig == 0:
            continue
        seen: set[int] = set()
        for key in bands(sig):
            bucket = buckets.setdefault(key, [])
            for other in bucket:
                if other not in seen:
                    seen.add(other)
                    score = similarity(items[other][1], sig)
                    if score >= threshold:
                        yield items[other][0], article_id, score
            bucket.append(index)
