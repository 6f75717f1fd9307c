"""The shared representation: result types, and walks over the ESTree dicts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

Node = dict[str, Any]
ParserName = Literal["esprima", "tree-sitter"]
Dialect = Literal["js", "ts", "tsx"]


@dataclass(frozen=True)
class Parsed:
    """A file that parsed; `program` is the ESTree `Program` dict."""

    program: Node
    parser: ParserName
    dialect: Dialect


@dataclass(frozen=True)
class ParseError:
    """A file that did not parse: 1-based `line` and `column` of the first error."""

    message: str
    line: int
    column: int


ParseResult = Parsed | ParseError


def walk(root: Node) -> Iterator[tuple[Node, Node | None]]:
    """Yield `(node, parent)` for every node once, pre-order, children in field order.

    Iterative, so a deeply nested file cannot exhaust the recursion limit; a node shared by
    two fields (shorthand properties, unaliased import specifiers) is yielded once.
    """
    seen: set[int] = set()
    stack: list[tuple[Node, Node | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        key = id(node)
        if key in seen:
            continue
        seen.add(key)
        yield node, parent
        children: list[Node] = []
        for name, value in node.items():
            if name in _NOT_CHILDREN:
                continue
            if type(value) is dict:
                if "type" in value:
                    children.append(value)
            elif type(value) is list:
                children.extend(v for v in value if type(v) is dict and "type" in v)
        stack.extend((child, node) for child in reversed(children))


_NOT_CHILDREN = frozenset({"type", "range", "loc", "regex"})


def iter_nodes(root: Node) -> Iterator[Node]:
    """Every node once, pre-order: `walk` without the parents."""
    for node, _parent in walk(root):
        yield node


def parent_map(root: Node) -> dict[int, Node]:
    """`id(node) -> parent` for every node but the root, for rules that look upwards."""
    return {id(node): parent for node, parent in walk(root) if parent is not None}


def node_text(text: str, node: Node) -> str:
    """The source text a node spans (ranges are `str` indices into the parsed text)."""
    start, end = node["range"]
    return text[start:end]
