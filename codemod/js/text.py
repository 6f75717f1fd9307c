"""Small helpers that turn source spans into Mixpanel code text."""

from __future__ import annotations

import re

from .parse import Node

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_SIMPLE = ("Identifier", "Literal", "MemberExpression", "CallExpression", "ThisExpression",
           "TemplateLiteral", "ArrayExpression", "ObjectExpression")


class Source:
    """The text being migrated, with what the rewrites need to match its style."""

    def __init__(self, text: str, quote: str = "'") -> None:
        self.text = text
        self.quote = quote

    def of(self, node: Node) -> str:
        start, end = node["range"]
        return self.text[start:end]

    def args(self, nodes: list[Node]) -> str:
        """The arguments' source from the first to the last (drops a trailing comma)."""
        if not nodes:
            return ""
        return self.text[nodes[0]["range"][0] : nodes[-1]["range"][1]]

    def string(self, value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace(self.quote, "\\" + self.quote)
        return f"{self.quote}{escaped}{self.quote}"

    def operand(self, node: Node) -> str:
        """Source text safe as an operand of `*` or `||`."""
        text = self.of(node)
        return text if node["type"] in _SIMPLE else f"({text})"


def key_text(name: str) -> str:
    """An object key for `name`: bare when it is an identifier, quoted otherwise."""
    return name if _IDENT.match(name) else "'" + name.replace("'", "\\'") + "'"


def obj(pairs: list[tuple[str, str]]) -> str:
    """`{k: v, ...}` from key/value source pairs; a key of `...` spreads the value."""
    parts = [f"...{v}" if k == "..." else f"{k}: {v}" for k, v in pairs]
    return "{" + ", ".join(parts) + "}"


def prop_key(prop: Node) -> str | None:
    """The static name of an object property's key, or None (computed or spread)."""
    if prop["type"] != "Property" or prop.get("computed"):
        return None
    key = prop["key"]
    if key["type"] == "Identifier":
        return key["name"]
    if key["type"] == "Literal":
        return str(key["value"])
    return None


def merge_props(src: Source, props: Node | None, extra: list[tuple[str, str]]) -> str | None:
    """Spec §3.0's properties merge: splice into a literal, else `{...P, extra}`.

    Returns None when nothing is to be passed (no props and no extras).
    """
    if not extra:
        return src.of(props) if props is not None else None
    if props is None:
        return obj(extra)
    if props["type"] == "ObjectExpression":
        added = ", ".join(f"...{v}" if k == "..." else f"{k}: {v}" for k, v in extra)
        if not props["properties"]:
            return "{" + added + "}"
        last_end = props["properties"][-1]["range"][1]
        start, end = props["range"]
        return src.text[start:last_end] + ", " + added + src.text[last_end:end]
    return obj([("...", src.of(props)), *extra])


def is_nullish(node: Node | None) -> bool:
    """`null`, `undefined` or `void 0`."""
    if node is None:
        return False
    if node["type"] == "Literal" and node["value"] is None and node.get("raw") == "null":
        return True
    if node["type"] == "Identifier" and node["name"] == "undefined":
        return True
    return node["type"] == "UnaryExpression" and node["operator"] == "void"


def is_stringish(node: Node) -> bool:
    return (node["type"] == "Literal" and isinstance(node["value"], str)) or node[
        "type"
    ] == "TemplateLiteral"


def function_arity(node: Node) -> int | None:
    """Number of declared parameters of a function literal; None when not a literal."""
    if node["type"] in ("FunctionExpression", "ArrowFunctionExpression"):
        return len(node["params"])
    return None
