"""The query language, parsed once into an engine-neutral tree (:mod:`newsindex.query.tree`)."""

from __future__ import annotations

from dataclasses import dataclass

from newsindex.query.tree import Node

__all__ = ["ParsedQuery"]


@dataclass(frozen=True)
class ParsedQuery:
    """A query as typed and as parsed; engines compile ``tree`` and keep ``text`` for messages."""

    text: str
    tree: Node
    default_operator: str = "or"
