"""Query text to a flat list of tokens, then to nested groups with fields applied.

The tokens and the order in which their rules apply follow Whoosh's query
parser as newsindex configured it, so that the language reads exactly as it
always has: at each position the first matching rule wins (operators, ``*:*``,
single-quoted terms, ``field:``, wildcard characters, ``"phrases"~N``,
parentheses, ``<``/``>``, ``~N/M``, ``[a TO b]`` ranges, whitespace), and text
between matches is a word.  Then, in turn: parentheses nest, ``~`` joins the
word before it, wildcard characters join their neighbours, ``field:<`` becomes
a range, and ``field:`` applies to what follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Group", "Leaf", "Op", "scan"]

_QMARKS = "?\u055e\u061f\u1367"


@dataclass
class Token:
    """One piece of query text: ``kind`` names it, ``start``/``end`` locate it."""

    kind: str
    start: int
    end: int
    text: str = ""
    extra: tuple[object, ...] = ()


@dataclass
class Leaf:
    """A word, phrase, wildcard, prefix, fuzzy word, range or ``*:*``, with its field."""

    kind: str
    text: str
    start: int
    end: int
    field: str | None = None
    slop: int = 1
    max_edits: int = 1
    prefix_length: int = 0
    low: str | None = None
    high: str | None = None
    low_excluded: bool = False
    high_excluded: bool = False

    @property
    def has_text(self) -> bool:
        return self.kind not in ("range", "every")

    def set_field(self, name: str) -> None:
        if self.kind != "every" and self.field is None:
            self.field = name


@dataclass
class Op:
    """An operator not yet applied: ``AND``, ``OR``, ``ANDNOT`` or ``NOT``."""

    kind: str
    start: int
    end: int


@dataclass
class Group:
    """Clauses combined by ``kind``: ``default`` (side by side), ``and``, ``or``, ``andnot``
    or ``not``."""

    kind: str
    nodes: list[Node] = field(default_factory=list)

    def set_field(self, name: str) -> None:
        for node in self.nodes:
            if isinstance(node, (Leaf, Group)):
                node.set_field(name)


Node = Leaf | Op | Group | Token

_RANGE = re.compile(
    r"""
    (?P<open>\{|\[)
    (?P<start>('[^']*?'\s+)|([^\]}]+?(?=[Tt][Oo])))?
    [Tt][Oo]
    (?P<end>(\s+'[^']*?')|([^\]}]+?))?
    (?P<close>}|])
    """,
    re.VERBOSE,
)
_FUZZ = re.compile(r"(?<=\S)~(?P<maxdist>[0-9])?(/(?P<prefix>[1-9][0-9]*))?")
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("andnot", re.compile(r"(?<=\s)ANDNOT(?=\s)")),
    ("andmaybe", re.compile(r"(?<=\s)ANDMAYBE(?=\s)")),
    ("every", re.compile(r"[*]:[*]")),
    ("squote", re.compile(r"(^|(?<=\W))'(?P<text>.*?)'(?=\s|\]|[)}]|$)")),
    ("field", re.compile(r"(?P<text>\w+|[*]):")),
    ("wild", re.compile(f"(?P<text>[*{_QMARKS}])")),
    ("phrase", re.compile(r'"(?P<text>.*?)"(~(?P<slop>[1-9][0-9]*))?')),
    ("open", re.compile(r"[(]")),
    ("close", re.compile(r"[)]")),
    ("not", re.compile(r"(^|(?<=(\s|[()])))NOT(?=\s)")),
    ("and", re.compile(r"(?<=\s)AND(?=\s)")),
    ("or", re.compile(r"(?<=\s)OR(?=\s)")),
    ("require", re.compile(r"(^|(?<=\s))REQUIRE(?=\s)")),
    ("gtlt", re.compile(r"(?P<text><=|>=|<|>|=<|=>)")),
    ("fuzz", _FUZZ),
    ("range", _RANGE),
    ("ws", re.compile(r"\s+")),
]
_OPERATORS = {"and", "or", "andnot", "not"}


def _token(kind: str, match: re.Match[str]) -> Token:
    """The token for a rule's match (ranges and fuzziness carry their parts in ``extra``)."""
    start, end = match.start(), match.end()
    if kind == "range":
        low, high = match.group("start"), match.group("end")
        low = _unquote(low.rstrip()) if low else low
        high = _unquote(high.lstrip()) if high else high
        closed = (match.group("open") == "{", match.group("close") == "}")
        return Token(kind, start, end, match.group(), (low, high, *closed))
    if kind == "fuzz":
        edits, prefix = match.group("maxdist"), match.group("prefix")
        return Token(kind, start, end, match.group(), (int(edits or 1), int(prefix or 0)))
    if kind == "phrase":
        slop = match.group("slop")
        return Token(kind, start, end, match.group("text"), (int(slop) if slop else 1,))
    if kind in ("squote", "field", "wild", "gtlt"):
        return Token(kind, start, end, match.group("text"), (match.group(),))
    return Token(kind, start, end, match.group())


def _unquote(text: str) -> str:
    return text[1:-1] if text.startswith("'") and text.endswith("'") else text


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; text no rule matches becomes ``word`` tokens."""
    tokens: list[Token] = []
    position = previous = 0
    while position < len(text):
        for kind, rule in _RULES:
            match = rule.match(text, position)
            if match and match.end() > position:
                if previous < position:
                    tokens.append(Token("word", previous, position, text[previous:position]))
                tokens.append(_token(kind, match))
                position = previous = match.end()
                break
        else:
            position += 1
    if previous < len(text):
        tokens.append(Token("word", previous, len(text), text[previous:]))
    return tokens


def _leaf(token: Token) -> Node:
    """A leaf for a token that stands for text; other tokens stay tokens until placed."""
    kind = {"word": "word", "squote": "word", "phrase": "phrase", "wild": "wild"}.get(token.kind)
    if kind is not None:
        leaf = Leaf(kind, token.text, token.start, token.end)
        if token.kind == "phrase":
            leaf.slop = int(str(token.extra[0]))
        return leaf
    if token.kind == "every":
        return Leaf("every", "*:*", token.start, token.end)
    if token.kind == "range":
        low, high, low_excluded, high_excluded = token.extra
        return Leaf(
            "range",
            "",
            token.start,
            token.end,
            low=low if isinstance(low, str) else None,
            high=high if isinstance(high, str) else None,
            low_excluded=bool(low_excluded),
            high_excluded=bool(high_excluded),
        )
    if token.kind in _OPERATORS:
        return Op(token.kind, token.start, token.end)
    return token


def _as_word(token: Token) -> Leaf:
    """A token that turned out to mean nothing special, read as the text it was typed as."""
    original = token.extra[0] if token.extra else token.text
    return Leaf("word", str(original), token.start, token.end)


def _nest(nodes: list[Node]) -> Group:
    """Nest by parentheses (an unmatched bracket cannot get here: see ``check_balance``)."""
    stack = [Group("default")]
    for node in nodes:
        if isinstance(node, Token) and node.kind == "open":
            stack.append(Group("default"))
        elif isinstance(node, Token) and node.kind == "close":
            if len(stack) > 1:
                last = stack.pop()
                stack[-1].nodes.append(last)
        else:
            stack[-1].nodes.append(node)
    top = stack[0]
    for extra in stack[1:]:
        top.nodes.extend(extra.nodes)
    if len(top.nodes) == 1 and isinstance(top.nodes[0], Group):
        return top.nodes[0]
    return top


def _each_group(step: Callable[[Group], list[Node]]) -> Callable[[Group], Group]:
    """Apply ``step`` to a group's node list, nested groups first seen by ``step`` itself."""

    def run(group: Group) -> Group:
        group.nodes = step(group)
        return group

    return run


def _join_fuzz(group: Group) -> list[Node]:
    """``word~N/M``: a fuzzy word; a stray ``~`` is a word of its own."""
    out: list[Node] = []
    nodes = group.nodes
    i = 0
    while i < len(nodes):
        node = nodes[i]
        after = nodes[i + 1] if i + 1 < len(nodes) else None
        if isinstance(node, Leaf) and node.kind == "word" and isinstance(after, Token):
            if after.kind == "fuzz":
                node.kind = "fuzzy"
                node.max_edits, node.prefix_length = (int(str(x)) for x in after.extra)
                i += 1
        if isinstance(node, Token) and node.kind == "fuzz":
            node = Leaf("word", node.text, node.start, node.end)
        if isinstance(node, Group):
            node = _each_group(_join_fuzz)(node)
        out.append(node)
        i += 1
    return out


def _is_text(node: Node) -> bool:
    return isinstance(node, Leaf) and node.kind in ("word", "phrase", "wild", "fuzzy")


def _join_wildcards(group: Group) -> list[Node]:
    """``wi*d``: a wildcard character joins the text on either side of it."""
    nodes = group.nodes
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if isinstance(node, Leaf) and node.kind == "wild":
            if i < len(nodes) - 1 and _is_text(nodes[i + 1]):
                after = nodes.pop(i + 1)
                assert isinstance(after, Leaf)
                node.text += after.text  # the position stays the wildcard's, as it always has
            if i > 0 and _is_text(nodes[i - 1]):
                before = nodes.pop(i - 1)
                assert isinstance(before, Leaf)
                node.text = before.text + node.text
            else:
                i += 1
        else:
            if isinstance(node, Group):
                _each_group(_join_wildcards)(node)
            i += 1
    for node in nodes:
        if isinstance(node, Leaf) and node.kind == "wild":
            text = node.text
            if len(text) > 1 and not any(q in text for q in _QMARKS):
                if text.find("*") == len(text) - 1:
                    node.kind, node.text = "prefix", text[:-1]
    return nodes


class TooFewOperandsError(Exception):
    """A comparison (``<``, ``>=``…) opened a group: nothing before it to attach to."""


def _comparisons(group: Group) -> list[Node]:
    """``field:>value`` becomes a range; a comparison anywhere else is dropped."""
    out: list[Node] = []
    nodes = group.nodes
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if isinstance(node, Token) and node.kind == "gtlt":
            if i < len(nodes) - 1:
                if not out:
                    raise TooFewOperandsError("list index out of range")
                before, after = out[-1], nodes[i + 1]
                if isinstance(before, Token) and before.kind == "field" and _has_text(after):
                    assert isinstance(after, Leaf)
                    out.append(_range(after, node.text))
                    i += 1
        elif isinstance(node, Group):
            out.append(_each_group(_comparisons)(node))
        else:
            out.append(node)
        i += 1
    return out


def _has_text(node: Node) -> bool:
    return isinstance(node, Leaf) and node.has_text


def _range(node: Leaf, relation: str) -> Leaf:
    text = node.text
    low, high = (None, text) if "<" in relation else (text, None)
    excluded = "=" not in relation
    return Leaf(
        "range",
        "",
        node.start,
        node.end,
        low=low,
        high=high,
        low_excluded=excluded and low is not None,
        high_excluded=excluded and high is not None,
    )


def _fields(known: Callable[[Token], bool]) -> Callable[[Group], list[Node]]:
    """``field:`` applies to the clause after it; an unknown prefix is text again."""

    def apply(group: Group) -> list[Node]:
        nodes = _unknown_as_text(group.nodes, known)
        out: list[Node] = []
        i = len(nodes)
        while i > 0:
            i -= 1
            node = nodes[i]
            if isinstance(node, Token) and node.kind == "field":
                node = _as_word(node)
            elif isinstance(node, Group):
                node = _each_group(apply)(node)
            before = nodes[i - 1] if i > 0 else None
            is_space = isinstance(node, Token) and node.kind == "ws"
            if isinstance(before, Token) and before.kind == "field" and not is_space:
                if isinstance(node, (Leaf, Group)):
                    node.set_field(before.text)
                i -= 1
            out.append(node)
        out.reverse()
        return out

    return apply


def _unknown_as_text(nodes: list[Node], known: Callable[[Token], bool]) -> list[Node]:
    out: list[Node] = []
    pending: Token | None = None
    for node in nodes:
        if isinstance(node, Token) and node.kind == "field" and not known(node):
            pending = node
            continue
        if pending is not None:
            if isinstance(node, Leaf) and node.has_text:
                node.text = str(pending.extra[0]) + node.text
            else:
                out.append(_as_word(pending))
            pending = None
        out.append(node)
    if pending is not None:
        out.append(_as_word(pending))
    return out


def _drop_space(group: Group) -> list[Node]:
    """Whitespace has done its job (separating tokens); ``ANDMAYBE``/``REQUIRE`` are words."""
    out: list[Node] = []
    for node in group.nodes:
        if isinstance(node, Group):
            out.append(_each_group(_drop_space)(node))
        elif isinstance(node, Token) and node.kind in ("andmaybe", "require"):
            out.append(_as_word(node))
        elif not (isinstance(node, Token) and node.kind == "ws"):
            out.append(node)
    return out


def _operators(default: str) -> Callable[[Group], list[Node]]:
    """Apply NOT, then AND, then OR, then ANDNOT, each left to right; then inside groups.

    ``a OP b`` appends ``b`` to ``a`` when ``a`` is already a group of that
    operator, or a parenthesised group whose words ``default`` joins with it.
    """

    def apply(group: Group) -> list[Node]:
        nodes = group.nodes
        for kind in ("not", "and", "or", "andnot"):
            i = 0
            while i < len(nodes):
                node = nodes[i]
                if isinstance(node, Op) and node.kind == kind:
                    _apply(nodes, i, kind, default)
                else:
                    i += 1
        for i, node in enumerate(nodes):
            if isinstance(node, Group):
                nodes[i] = _each_group(apply)(node)
        return nodes

    return apply


def _apply(nodes: list[Node], i: int, kind: str, default: str) -> None:
    """Replace the operator at ``i`` (and its operands) by a group of ``kind``."""
    if kind == "not":
        del nodes[i]
        if i < len(nodes):
            nodes[i] = Group("not", [nodes[i]])
        return
    if not 0 < i < len(nodes) - 1:
        del nodes[i]
        return
    left, right = nodes[i - 1], nodes[i + 1]
    merges = isinstance(left, Group) and (
        left.kind == kind or (left.kind == "default" and default == kind)
    )
    if kind != "andnot" and merges:
        assert isinstance(left, Group)
        left.nodes.append(right)
        del nodes[i : i + 2]
    else:
        nodes[i - 1 : i + 2] = [Group(kind, [left, right])]


def scan(text: str, default_operator: str, known: Callable[[Token], bool]) -> Group:
    """The groups of ``text``, fields applied; ``known`` says which ``field:`` tokens count."""
    group = _nest([_leaf(token) for token in tokenize(text)])
    for step in (_join_fuzz, _join_wildcards, _comparisons, _fields(known), _drop_space):
        group = _each_group(step)(group)
    default = "and" if default_operator == "and" else "or"
    return _each_group(_operators(default))(group)
