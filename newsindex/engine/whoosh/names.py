"""``people:``, ``places:``, ``organisations:`` and ``themes:`` clauses, answered from exact values.

Every entity is indexed once, as a whole lower-cased name in its
``facet_*`` field.  A clause names words of a name: ``people:modi``,
``people:"narendra modi"``, ``people:mod*``, ``people:modi~1``.  It matches
the articles holding any value whose words contain it — the words of each
value split and accent-folded as the query analyzer splits them.

The values of a field are read once per index reader and joined into one
text, so finding the values that hold a word is a substring search in C
followed by an exact check of the few candidates.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from typing import Any

from whoosh import matching, query
from whoosh.support.charset import accent_map
from whoosh.support.levenshtein import distance

from newsindex.engine.whoosh.schema import ENTITY_FIELDS, WORD, facet_field

EXTRA_FIELDS = {"places": ("implied_places",)}
"""Fields a clause also searches: ``places:india`` finds articles naming Mumbai."""
MAX_NAME_EXPANSIONS = 4096
"""A pattern (``people:j*``) may match at most this many names."""


def name_words(value: str) -> tuple[str, ...]:
    """The words of a name as the query analyzer sees them (lower-cased, accent-folded)."""
    return tuple(WORD.findall(value.lower().translate(accent_map)))


class _Values:
    """One field's distinct values for one reader, joined for fast substring search."""

    def __init__(self, reader: Any, field: str) -> None:
        self.terms: list[bytes] = []
        folded: list[str] = []
        if field in reader.indexed_field_names():
            for term in reader.lexicon(field):
                raw = term if isinstance(term, bytes) else str(term).encode("utf-8")
                self.terms.append(raw)
                folded.append(raw.decode("utf-8").translate(accent_map))
        self.starts: list[int] = []
        position = 0
        for text in folded:
            self.starts.append(position)
            position += len(text) + 1
        self.text = "\n".join(folded)
        self.folded = folded

    def candidates(self, needle: str) -> Iterator[int]:
        """Numbers of the values whose folded text contains ``needle`` (each once)."""
        if not needle:
            yield from range(len(self.terms))
            return
        text, starts = self.text, self.starts
        last = -1
        at = text.find(needle)
        while at >= 0:
            number = bisect.bisect_right(starts, at) - 1
            if number != last:
                yield number
                last = number
            at = text.find(needle, starts[number] + len(self.folded[number]) + 1)


_CACHE: weakref.WeakKeyDictionary[Any, dict[str, _Values]] = weakref.WeakKeyDictionary()


def _values(reader: Any, field: str) -> _Values:
    try:
        per_reader = _CACHE.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no caching
        return _Values(reader, field)
    if field not in per_reader:
        per_reader[field] = _Values(reader, field)
    return per_reader[field]


def _contains(words: tuple[str, ...], wanted: tuple[str, ...], slop: int) -> bool:
    if len(wanted) == 1:
        return wanted[0] in words
    if slop > 1:  # near each other, in order
        positions = [i for i, word in enumerate(words) if word == wanted[0]]
        for start in positions:
            at = start
            for word in wanted[1:]:
                following = [i for i in range(at + 1, len(words)) if words[i] == word]
                if not following or following[0] - at > slop:
                    break
                at = following[0]
            else:
                return True
        return False
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


class NameQuery(query.MultiTerm):  # type: ignore[misc]
    """Articles whose ``field`` holds a name with the given words (or word pattern).

    ``mode`` is ``words`` (``wanted`` consecutive, or within ``slop``),
    ``prefix``, ``wildcard``, ``fuzzy`` (``wanted[0]`` within ``maxdist``
    edits, the first ``prefixlength`` letters exact) or ``exact`` (a value that
    is one of ``wanted``, as :func:`exact_value` writes it).
    """

    constantscore = True

    def __init__(
        self,
        field: str,
        wanted: tuple[str, ...],
        *,
        mode: str = "words",
        slop: int = 1,
        maxdist: int = 1,
        prefixlength: int = 1,
        boost: float = 1.0,
    ) -> None:
        if field not in ENTITY_FIELDS:
            raise ValueError(f"not an entity field: {field}")
        self.entity = field
        self.fieldname = facet_field(field)
        self.wanted = tuple(wanted)
        self.text = " ".join(self.wanted)
        self.mode = mode
        self.slop = slop
        self.maxdist = maxdist
        self.prefixlength = prefixlength
        self.boost = boost

    def _key(self) -> tuple[Any, ...]:
        return (self.entity, self.wanted, self.mode, self.slop, self.maxdist, self.prefixlength)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameQuery) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"NameQuery({self.entity!r}, {self.wanted!r}, mode={self.mode!r})"

    def __str__(self) -> str:
        return f"{self.entity}:{self.text}"

    def _test(self) -> tuple[str, Callable[[tuple[str, ...]], bool]]:
        """The substring every matching value contains, and the exact test of its words."""
        wanted, mode = self.wanted, self.mode
        if mode == "prefix":
            return wanted[0], lambda words: any(w.startswith(wanted[0]) for w in words)
        if mode == "wildcard":
            literal = max(re.split(r"[*?]", wanted[0]), key=len)
            return literal, lambda words: any(fnmatchcase(w, wanted[0]) for w in words)
        if mode == "fuzzy":
            start = wanted[0][: self.prefixlength]
            return start, lambda words: any(
                w.startswith(start) and distance(w, wanted[0]) <= self.maxdist for w in words
            )
        longest = max(wanted, key=len)
        return longest, lambda words: _contains(words, wanted, self.slop)

    def _matching_terms(self, reader: Any, field: str) -> list[bytes]:
        if self.mode == "exact":
            found = [v.encode("utf-8") for v in self.wanted]
            return [term for term in found if (field, term) in reader]
        values = _values(reader, field)
        needle, test = self._test()
        found = [
            values.terms[n] for n in values.candidates(needle) if test(name_words(values.folded[n]))
        ]
        if self.mode != "words" and len(found) > MAX_NAME_EXPANSIONS:
            from newsindex.errors import QuerySyntaxError

            raise QuerySyntaxError(
                str(self), f"the pattern matches more than {MAX_NAME_EXPANSIONS} names"
            )
        return found

    def _btexts(self, ixreader: Any) -> list[bytes]:
        return self._matching_terms(ixreader, self.fieldname)

    def estimate_size(self, ixreader: Any) -> int:
        return sum(
            ixreader.doc_frequency(field, term)
            for field in self._fields()
            for term in self._matching_terms(ixreader, field)
        )

    def _fields(self) -> tuple[str, ...]:
        if self.mode == "exact":
            return (self.fieldname,)
        return (self.fieldname, *EXTRA_FIELDS.get(self.entity, ()))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        pairs = [
            (field, term)
            for field in self._fields()
            for term in self._matching_terms(reader, field)
        ]
        if not pairs:
            return matching.NullMatcher()
        docs: set[int] = set()
        for field, term in pairs:
            docs.update(reader.postings(field, term).all_ids())
        return matching.ListMatcher(sorted(docs), all_weights=self.boost)


class FilterQuery(query.ConstantScoreQuery):  # type: ignore[misc]
    """Articles matching ``child``, each scoring ``boost``: a clause that narrows the
    results without changing their order."""

    boost = 1.0

    def _rewrap(self, child: Any) -> FilterQuery:
        return FilterQuery(child)


def name_clause(field: str, node: Any) -> Any:
    """The :class:`NameQuery` for a parsed clause on entity ``field`` (None if not one)."""
    boost = getattr(node, "boost", 1.0)
    if isinstance(node, query.Phrase):
        words = tuple(str(w) for w in node.words)
        return NameQuery(field, words, slop=node.slop, boost=boost) if words else None
    if isinstance(node, query.Prefix):
        return NameQuery(field, (node.text,), mode="prefix", boost=boost)
    if isinstance(node, query.Wildcard):
        return NameQuery(field, (node.text,), mode="wildcard", boost=boost)
    if isinstance(node, query.FuzzyTerm):
        return NameQuery(
            field,
            (node.text,),
            mode="fuzzy",
            maxdist=min(node.maxdist, 2),
            prefixlength=node.prefixlength,
            boost=boost,
        )
    if isinstance(node, query.Term) and isinstance(node.text, str):
        return NameQuery(field, (node.text,), boost=boost)
    if isinstance(node, query.TermRange):
        from newsindex.errors import QuerySyntaxError

        raise QuerySyntaxError(f"{field}:[…]", f"ranges work on dates, not on {field}")
    return None


def answer_from_names(node: Any) -> Any:
    """Query visitor: turn clauses on the unfilled entity fields into :class:`NameQuery`."""
    field = getattr(node, "fieldname", None)
    if field in ENTITY_FIELDS and node.is_leaf():
        replaced = name_clause(field, node)
        return replaced if replaced is not None else query.NullQuery
    return node


__all__ = [
    "FilterQuery",
    "NameQuery",
    "answer_from_names",
    "name_clause",
    "name_words",
]
