"""Lowering JSX: elements, text runs rebuilt from the source, and attribute strings with
HTML entities decoded.
"""

from __future__ import annotations

from typing import Any

from .lowering import Lowerer, first_named, handles, named
from .nodes import Node


@handles("jsx_element")
def _lower_jsx_element(lw: Lowerer, n: Any) -> Any:
    open_tag = n.child_by_field_name("open_tag")
    close_tag = n.child_by_field_name("close_tag")
    children = yield from _jsx_children(lw, n, open_tag, close_tag)
    if open_tag.child_by_field_name("name") is None:
        return lw.at(
            n,
            {
                "type": "JSXFragment",
                "openingFragment": lw.at(open_tag, {"type": "JSXOpeningFragment"}),
                "children": children,
                "closingFragment": lw.at(close_tag, {"type": "JSXClosingFragment"}),
            },
        )
    opening = yield open_tag
    closing = yield close_tag
    return lw.at(
        n,
        {
            "type": "JSXElement",
            "openingElement": opening,
            "children": children,
            "closingElement": closing,
        },
    )


def _jsx_children(lw: Lowerer, n: Any, open_tag: Any, close_tag: Any) -> Any:
    """Element and expression children, with every run of text between them as JSXText.

    tree-sitter drops whitespace-only text and splits entities out; esprima keeps one
    JSXText per run, so the runs are rebuilt from the gaps.
    """
    children: list[Node] = []
    cursor = open_tag.end_byte
    end = close_tag.start_byte if close_tag is not None else n.end_byte
    for c in n.named_children:
        if c.start_byte < cursor or c.type in _JSX_TEXT_KINDS or c.end_byte > end:
            continue
        if c.start_byte > cursor:
            children.append(_jsx_text(lw, cursor, c.start_byte))
        children.append((yield c))
        cursor = c.end_byte
    if end > cursor:
        children.append(_jsx_text(lw, cursor, end))
    return children


_JSX_TEXT_KINDS = frozenset({"jsx_text", "html_character_reference", "comment", "html_comment"})


def _jsx_text(lw: Lowerer, start: int, end: int) -> Node:
    raw = lw.data[start:end].decode("utf-8", "surrogatepass")
    # esprima leaves entities in JSXText undecoded (it decodes attribute strings only).
    return lw.at_bytes(start, end, {"type": "JSXText", "value": raw, "raw": raw})


@handles("jsx_self_closing_element")
def _lower_jsx_self_closing(lw: Lowerer, n: Any) -> Any:
    opening = yield from _jsx_opening(lw, n, self_closing=True)
    return lw.at(
        n,
        {"type": "JSXElement", "openingElement": opening, "children": [], "closingElement": None},
    )


@handles("jsx_opening_element")
def _lower_jsx_opening(lw: Lowerer, n: Any) -> Any:
    return (yield from _jsx_opening(lw, n, self_closing=False))


def _jsx_opening(lw: Lowerer, n: Any, self_closing: bool) -> Any:
    name = _jsx_name(lw, n.child_by_field_name("name"))
    attributes = yield from lw.each(n.children_by_field_name("attribute"))
    return lw.at(
        n,
        {
            "type": "JSXOpeningElement",
            "name": name,
            "selfClosing": self_closing,
            "attributes": attributes,
        },
    )


@handles("jsx_closing_element")
def _lower_jsx_closing(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "JSXClosingElement", "name": _jsx_name(lw, n.child_by_field_name("name"))})


def _jsx_name(lw: Lowerer, n: Any) -> Node:
    """Tag and attribute names; JSX names are a few parts deep, so recursion is safe."""
    if n.type in ("member_expression", "nested_identifier"):
        parts = named(n)
        return lw.at(
            n,
            {
                "type": "JSXMemberExpression",
                "object": _jsx_name(lw, parts[0]),
                "property": _jsx_name(lw, parts[-1]),
            },
        )
    if n.type == "jsx_namespace_name":
        parts = named(n)
        return lw.at(
            n,
            {
                "type": "JSXNamespacedName",
                "namespace": _jsx_name(lw, parts[0]),
                "name": _jsx_name(lw, parts[-1]),
            },
        )
    return lw.at(n, {"type": "JSXIdentifier", "name": lw.src(n)})


@handles("jsx_attribute")
def _lower_jsx_attribute(lw: Lowerer, n: Any) -> Any:
    parts = named(n)
    name = _jsx_name(lw, parts[0])
    value = None
    if len(parts) > 1:
        value_node = parts[-1]
        if value_node.type == "string":
            raw = lw.src(value_node)
            value = lw.at(
                value_node, {"type": "Literal", "value": _decode_entities(raw[1:-1]), "raw": raw}
            )
        else:
            value = yield value_node
    return lw.at(n, {"type": "JSXAttribute", "name": name, "value": value})


@handles("jsx_expression")
def _lower_jsx_expression(lw: Lowerer, n: Any) -> Any:
    inner = first_named(n)
    if inner is None:
        empty = lw.at_bytes(n.start_byte + 1, n.end_byte - 1, {"type": "JSXEmptyExpression"})
        return lw.at(n, {"type": "JSXExpressionContainer", "expression": empty})
    if inner.type == "spread_element":
        argument = yield first_named(inner)
        parent = n.parent
        in_tag = parent is not None and parent.type in (
            "jsx_opening_element",
            "jsx_self_closing_element",
        )
        if in_tag:
            return lw.at(n, {"type": "JSXSpreadAttribute", "argument": argument})
        return lw.at(n, {"type": "JSXSpreadChild", "expression": argument})
    expression = yield inner
    return lw.at(n, {"type": "JSXExpressionContainer", "expression": expression})


def _decode_entities(text: str) -> str:
    """JSX attribute strings decode HTML entities; `html` is imported only when one does."""
    import html

    return html.unescape(text)
