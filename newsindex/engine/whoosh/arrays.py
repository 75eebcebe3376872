"""Whole posting lists scored at once with numpy: ranked search and facets on large indexes.

Whoosh scores a query one posting at a time in Python, through a tree of
matchers: at 100,000 articles a common word costs hundreds of milliseconds.
Here each word's whole posting list is read in one call into arrays, scored
with the same BM25F formula and parameters in one vector operation, and
combined with AND, OR and NOT over arrays as long as the index.  Scores equal
Whoosh's to the last bit or two (only the order of additions differs), so a
search ranks the same articles in the same order either way; the test suite
checks both paths against each other.

Plain words, their boolean combinations, phrases and name clauses take the
array path.  Any other clause (patterns, fuzzy words, ranges) is matched by
Whoosh for just that clause and its matches join the arrays, so every query
gets an answer.
numpy is imported only when an index is large enough to need it
(:data:`MIN_DOCS`), which keeps a search of a small index quick to start.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC
from whoosh.util.numeric import byte_to_length

from newsindex.engine.whoosh import unpickling
from newsindex.engine.whoosh.names import FilterQuery, NameQuery

__all__ = ["MIN_DOCS", "ArrayScorer", "available"]

_BLOCK_SIZE = struct.Struct("!i")
"""A posting block's length; negative for a term's last block."""

MIN_DOCS = 20_000
"""Indexes with fewer documents are searched by Whoosh's own matchers: they answer
in a few milliseconds there, less than numpy takes to import."""


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """Whether some position of each word follows one of the word before by 1 to ``slop``."""
    ends = positions[0]
    for following in positions[1:]:
        ends = [p for p in following if any(1 <= p - e <= slop for e in ends)]
        if not ends:
            return False
    return True


def available(doc_count: int) -> bool:
    """Whether an index of ``doc_count`` documents should use the array path."""
    return doc_count >= MIN_DOCS and importlib.util.find_spec("numpy") is not None


class ArrayScorer:
    """Scores queries over every segment of one searcher with arrays as long as the index.

    Built per searcher (one commit); document lengths, deletions and dates are
    read once and kept.
    """

    def __init__(self, searcher: Any, dates: list[int]) -> None:
        import numpy as np

        self.np = np
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.size = int(searcher.reader().doc_count_all())
        subsearchers = searcher.subsearchers or [(searcher, 0)]
        self.segments: list[tuple[Any, int]] = list(subsearchers)
        self._lengths: dict[str, Any] = {}
        self._days = np.asarray(dates, dtype=np.int32) if dates else np.zeros(self.size, np.int32)
        self._live = self._live_mask()
        self._byte_lengths = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
        self._facets: dict[str, tuple[list[str], Any, Any]] = {}

    # -- reading the index ---------------------------------------------------------

    def _live_mask(self) -> Any:
        np = self.np
        live = np.ones(self.size, dtype=bool)
        for subsearcher, offset in self.segments:
            reader = subsearcher.reader()
            if reader.has_deletions():
                deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
                live[deleted + offset] = False
        return live

    def length_codes(self, field: str) -> Any:
        """Every document's one-byte length code for ``field`` (Whoosh's lossy lengths).

        One byte a document, decoded to lengths only for the documents scored.
        """
        if field not in self._lengths:
            np = self.np
            codes = np.zeros(self.size, dtype=np.uint8)
            for subsearcher, offset in self.segments:
                perdoc = subsearcher.reader()._perdoc
                column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                if column is None:
                    continue
                raw = column._dbfile.get(column._basepos, column._count)
                codes[offset : offset + len(raw)] = np.frombuffer(raw, dtype=np.uint8)
            self._lengths[field] = codes
        return self._lengths[field]

    def _postings(
        self, reader: Any, field: str, text: bytes, values: list[bytes] | None = None
    ) -> tuple[Any, Any]:
        """Document numbers and weights of one term in one segment (deleted ones included).

        With a ``values`` list, each posting's value (its encoded positions) is added to it.

        The term's whole posting list is read in one call and its blocks decoded
        from memory: Whoosh's matcher makes several small file reads per block.
        """
        np = self.np
        terms = reader._terms
        info = terms.term_info(field, text)
        if info.is_inlined():  # a short list kept in the term's own entry
            inline_ids, inline_weights, inline_values = info.inlined_postings()
            if values is not None:
                values.extend(inline_values)
            return (
                np.asarray(inline_ids, dtype=np.int64),
                np.asarray(inline_weights, dtype=np.float64),
            )
        start, length = info.extent()
        if isinstance(length, tuple):  # Whoosh reads the length back as a 1-tuple
            (length,) = length
        data = terms._postfile.get(start, length)
        if data[:4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"bad posting block header for {field}:{text!r}")
        stream = io.BytesIO(data)
        position = 4
        deltas: list[int] = []
        weights: list[float] = []
        counts: list[int] = []
        last_ids: list[int] = []
        while True:
            (size,) = _BLOCK_SIZE.unpack_from(data, position)
            end = position + 4 + abs(size)
            stream.seek(position + 4)
            count, max_id, _, compressed, _, _ = unpickling.load(stream)
            block = data[stream.tell() : end]
            if compressed:
                block = zlib.decompress(block)
            block_ids, block_weights, block_values = unpickling.loads(block)
            deltas.extend(block_ids)
            if values is not None:
                values.extend(block_values)
            if block_weights is None:
                weights.extend([1.0] * count)
            elif isinstance(block_weights, float):
                weights.extend([block_weights] * count)
            else:
                weights.extend(block_weights)
            counts.append(count)
            last_ids.append(max_id)
            if size < 0:  # the last block
                break
            position = end
        # Each block's ids are deltas starting from 0: one running sum over all
        # blocks, less the last ids of the blocks before.
        ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
        if len(counts) > 1:
            before = np.cumsum(np.asarray([0, *last_ids[:-1]], dtype=np.int64))
            ids -= np.repeat(before, counts)
        return ids, np.asarray(weights, dtype=np.float64)

    # -- evaluating a query ----------------------------------------------------------

    def evaluate(self, q: Any) -> tuple[Any, Any]:
        """Which documents match ``q`` (a boolean array) and their scores (0 elsewhere)."""
        np = self.np
        kind = type(q)
        if kind is query.Term and self._scorable(q.fieldname):
            matched, scores = self._empty()
            self._add_term(q, scores, matched)
            return matched, scores
        if q is query.NullQuery or (isinstance(q, query.CompoundQuery) and not q.subqueries):
            return self._empty()
        if isinstance(q, query.Every) and not q.fieldname:
            return self._live.copy(), np.full(self.size, float(q.boost))
        if isinstance(q, query.Or) and not q.minmatch and not q.scale:
            # One clause is matched on its own, its group's boost ignored, as Whoosh does.
            return self.evaluate(q.subqueries[0]) if len(q.subqueries) == 1 else self._union(q)
        if kind is query.And:
            return (
                self.evaluate(q.subqueries[0]) if len(q.subqueries) == 1 else self._intersection(q)
            )
        if kind is NameQuery:
            return self._names(q)
        if kind is FilterQuery:
            matched, _ = self.evaluate(q.child)
            return matched, np.where(matched, float(q.boost), 0.0)
        if kind is query.Phrase and self._scorable(q.fieldname) and q.words:
            return self._phrase(q)
        if kind is query.AndNot:
            matched, scores = self.evaluate(q.a)
            excluded, _ = self.evaluate(q.b)
            matched = matched & ~excluded
            return matched, np.where(matched, scores, 0.0)
        if kind is query.AndMaybe:
            matched, scores = self.evaluate(q.a)
            maybe, extra = self.evaluate(q.b)
            return matched, np.where(matched & maybe, scores + extra, scores)
        return self._by_engine(q)

    def _scorable(self, field: str) -> bool:
        schema = self.searcher.schema
        return field in schema and bool(schema[field].scorable)

    def _add_term(self, q: Any, scores: Any, matched: Any) -> None:
        """Add one word's BM25F scores (times its boost) into ``scores``."""
        field = q.fieldname
        try:
            text = self.searcher.schema[field].to_bytes(q.text)
        except ValueError:
            return
        for subsearcher, offset in self.segments:
            reader = subsearcher.reader()
            if (field, text) not in reader:
                continue
            ids, tf = self._postings(reader, field, text)
            ids += offset
            s = self._bm25(field, text, ids, tf)
            if q.boost != 1.0:
                s = s * q.boost
            scores[ids] += s
            matched[ids] = True

    def _bm25(self, field: str, text: bytes, docs: Any, tf: Any) -> Any:
        """Whoosh's bm25() for one word in ``docs`` (index-wide numbers), operation for
        operation, so the floats agree."""
        weighting = self.weighting
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        idf = self.searcher.idf(field, text)
        avgfl = self.searcher.avg_field_length(field) or 1
        fl = self._byte_lengths[self.length_codes(field)[docs]]
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))

    def _union(self, q: Any) -> tuple[Any, Any]:
        matched, scores = self._empty()
        for child in q.subqueries:
            if type(child) is query.Term and self._scorable(child.fieldname):
                self._add_term(child, scores, matched)
            else:
                child_matched, child_scores = self.evaluate(child)
                scores += child_scores
                matched |= child_matched
        if q.boost != 1.0:
            scores *= q.boost
        return matched, scores

    def _intersection(self, q: Any) -> tuple[Any, Any]:
        np = self.np
        matched = None
        scores = np.zeros(self.size, dtype=np.float64)
        for child in q.subqueries:
            child_matched, child_scores = self.evaluate(child)
            matched = child_matched if matched is None else matched & child_matched
            scores += child_scores
        scores = np.where(matched, scores, 0.0)
        if q.boost != 1.0:
            scores *= q.boost
        return matched, scores

    def _phrase(self, q: Any) -> tuple[Any, Any]:
        """Words in order, each within ``slop`` positions of the one before, as Whoosh's
        phrase query matches them; an article scores the sum of the words' scores.

        The articles holding every word are found with arrays; positions are
        decoded only for those.
        """
        np = self.np
        field = q.fieldname
        fieldobj = self.searcher.schema[field]
        if not fieldobj.format or not fieldobj.format.supports("positions"):
            return self._by_engine(q)  # Whoosh raises its own error for such a field
        try:
            texts = [fieldobj.to_bytes(word) for word in q.words]
        except ValueError:
            return self._empty()
        matched, scores = self._empty()
        decode = fieldobj.format.decode_positions
        for subsearcher, offset in self.segments:
            reader = subsearcher.reader()
            if any((field, text) not in reader for text in texts):
                continue
            lists = []
            for text in texts:
                found: list[bytes] = []
                ids, tf = self._postings(reader, field, text, found)
                lists.append((text, ids, tf, found))
            common = lists[0][1]
            for _, ids, _, _ in lists[1:]:
                common = np.intersect1d(common, ids, assume_unique=True)
            if not len(common):
                continue
            rows = [np.searchsorted(ids, common) for _, ids, _, _ in lists]
            encoded = [found for _, _, _, found in lists]
            keep = np.zeros(len(common), dtype=bool)
            for i in range(len(common)):
                places = [decode(values[row[i]]) for values, row in zip(encoded, rows, strict=True)]
                keep[i] = _in_order(places, q.slop)
            docs = common[keep]
            if not len(docs):
                continue
            total = np.zeros(len(docs), dtype=np.float64)
            for (text, _, tf, _), row in zip(lists, rows, strict=True):
                total += self._bm25(field, text, docs + offset, tf[row[keep]])
            if q.boost != 1.0:
                total = total * q.boost
            scores[docs + offset] = total
            matched[docs + offset] = True
        return matched, scores

    def _empty(self) -> tuple[Any, Any]:
        """No document matched, every score 0: what each clause starts from."""
        np = self.np
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64)

    def _names(self, q: NameQuery) -> tuple[Any, Any]:
        """A name clause: every article holding one of its values, each scoring its boost."""
        np = self.np
        matched = np.zeros(self.size, dtype=bool)
        for subsearcher, offset in self.segments:
            reader = subsearcher.reader()
            for field in q._fields():
                for term in q._matching_terms(reader, field):
                    ids, _ = self._postings(reader, field, term)
                    matched[ids + offset] = True
        return matched, np.where(matched, float(q.boost), 0.0)

    def _by_engine(self, q: Any) -> tuple[Any, Any]:
        """Match ``q`` with Whoosh's own matchers, segment by segment, into arrays."""
        np = self.np
        matched, scores = self._empty()
        context = self.searcher.context(weighting=self.weighting)
        for subsearcher, offset in self.segments:
            matcher = q.matcher(subsearcher, context)
            ids: list[int] = []
            found: list[float] = []
            while matcher.is_active():
                ids.append(matcher.id())
                found.append(matcher.score())
                matcher.next()
            if ids:
                where = np.asarray(ids, dtype=np.int64) + offset
                scores[where] = found
                matched[where] = True
        return matched, scores

    # -- answers -----------------------------------------------------------------------

    def within(self, matched: Any, low: int | None, high: int | None) -> Any:
        """``matched`` restricted to live documents dated from ``low`` to ``high`` (inclusive)."""
        allowed = matched & self._live
        if low is not None or high is not None:
            days = self._days
            allowed &= days > 0
            if low is not None:
                allowed &= days >= low
            if high is not None:
                allowed &= days <= high
        return allowed

    def top(
        self,
        q: Any,
        limit: int,
        low: int | None = None,
        high: int | None = None,
        *,
        skip: int = 0,
    ) -> tuple[list[tuple[int, float]], int]:
        """The best ``limit`` (document, score) pairs of ``q`` in the dates, less the first
        ``skip`` of them, and how many match.

        Equal scores keep index order, as Whoosh's collector does.
        """
        np = self.np
        matched, scores = self.evaluate(q)
        matched = self.within(matched, low, high)
        docs = np.flatnonzero(matched)
        total = len(docs)
        found = scores[docs]
        if limit < total:
            # Keep every document scoring at least the limit-th best, then order exactly.
            cut = np.partition(found, total - limit)[total - limit]
            keep = found >= cut
            docs, found = docs[keep], found[keep]
        order = np.lexsort((docs, -found))[skip:limit]
        return [(int(docs[i]), float(found[i])) for i in order], total

    def matching(self, q: Any, low: int | None = None, high: int | None = None) -> Any:
        """The live documents matching ``q`` in the dates, as a boolean array."""
        if isinstance(q, query.Every) and not q.fieldname:
            matched = self.np.ones(self.size, dtype=bool)
        else:
            matched, _ = self.evaluate(q)
        return self.within(matched, low, high)

    def facet_values(self, field: str) -> tuple[list[str], Any, Any]:
        """The distinct values of ``field``, and a (document, value number) pair per posting."""
        if field not in self._facets:
            np = self.np
            numbers: dict[str, int] = {}  # one number per value, shared by the segments
            docs: list[Any] = []
            values: list[Any] = []
            for subsearcher, offset in self.segments:
                reader = subsearcher.reader()
                if field not in self.searcher.schema or field not in reader.indexed_field_names():
                    continue
                for term in reader.lexicon(field):
                    name = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    number = numbers.setdefault(name, len(numbers))
                    ids, _ = self._postings(reader, field, term)
                    docs.append((ids + offset).astype(np.int32))
                    values.append(np.full(len(ids), number, dtype=np.int32))
            empty = np.zeros(0, dtype=np.int32)
            self._facets[field] = (
                list(numbers),
                np.concatenate(docs) if docs else empty,
                np.concatenate(values) if values else empty,
            )
        return self._facets[field]

    def count(self, field: str, matched: Any, top: int | None = None) -> Counter[str]:
        """How many of the ``matched`` documents hold each value of ``field``.

        With ``top``, only the values that can rank among the ``top`` most
        frequent: every value counted at least as often as the ``top``-th.
        """
        np = self.np
        names, docs, numbers = self.facet_values(field)
        if not names:
            return Counter()
        counts = np.bincount(numbers[matched[docs]], minlength=len(names))
        present = np.flatnonzero(counts)
        if top is not None and 0 < top < len(present):
            kept = counts[present]
            cut = np.partition(kept, len(kept) - top)[len(kept) - top]
            present = present[kept >= cut]
        return Counter({names[i]: int(counts[i]) for i in present})

    def day_counts(self, matched: Any) -> Counter[int]:
        """How many of the ``matched`` documents fall on each stored day (YYYYMMDD)."""
        np = self.np
        days, counts = np.unique(self._days[matched], return_counts=True)
        return Counter({int(d): int(c) for d, c in zip(days, counts, strict=True) if d > 0})

    def buckets(self, matched: Any, label_of: Callable[[int], str]) -> tuple[list[str], Any]:
        """The labels of the buckets the ``matched`` dated documents fall in, and each
        document's bucket number (-1 when unmatched or undated).

        ``label_of`` turns a stored day (YYYYMMDD) into its bucket's label; it is
        called once per distinct day, not per document.
        """
        np = self.np
        days, per_doc = np.unique(np.where(matched, self._days, 0), return_inverse=True)
        labels: dict[str, int] = {}
        numbers = np.full(len(days), -1, dtype=np.int64)
        for i, day in enumerate(days.tolist()):
            if day > 0:
                numbers[i] = labels.setdefault(label_of(day), len(labels))
        return list(labels), numbers[per_doc.reshape(-1)]

    def count_by_bucket(
        self, field: str, doc_buckets: Any, buckets: int, top: int | None = None
    ) -> list[Counter[str]]:
        """For each bucket, how many of its documents hold each value of ``field``.

        ``doc_buckets`` is :meth:`buckets`' per-document numbers; one pass over
        the postings of ``field`` counts every bucket.  ``top`` keeps, per bucket,
        the values that can rank among the ``top`` most frequent (as :meth:`count`).
        """
        np = self.np
        names, docs, numbers = self.facet_values(field)
        found: list[Counter[str]] = [Counter() for _ in range(buckets)]
        if not names or not buckets:
            return found
        owner = doc_buckets[docs]
        kept = owner >= 0
        keys, counts = np.unique(owner[kept] * len(names) + numbers[kept], return_counts=True)
        which, values = np.divmod(keys, len(names))
        bounds = np.searchsorted(which, np.arange(buckets + 1))
        for number in range(buckets):
            low, high = bounds[number], bounds[number + 1]
            here, held = counts[low:high], values[low:high]
            if top is not None and 0 < top < len(here):
                cut = np.partition(here, len(here) - top)[len(here) - top]
                here, held = here[here >= cut], held[here >= cut]
            found[number] = Counter(
                {names[v]: c for v, c in zip(held.tolist(), here.tolist(), strict=True)}
            )
        return found

    def bucket_sizes(self, doc_buckets: Any, buckets: int) -> list[int]:
        """How many documents fall in each bucket."""
        sizes = self.np.bincount(doc_buckets[doc_buckets >= 0], minlength=buckets)
        return [int(n) for n in sizes.tolist()]
