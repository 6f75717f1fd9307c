"""Identify and Revenue objects: resolve the builder chain a call consumes (§3.6 step 1).

A builder is either inline (`new amplitude.Identify().set(k, v)...`) or a variable assigned
once and then changed only by unconditional statement-level calls in the same block, before
the consuming call, and used nowhere else. Anything else is not resolved (the caller makes the
site manual). The statements that built a resolved variable are returned so they can go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .bindings import member_name
from .estree import Node

if TYPE_CHECKING:
    from .migrate import Migrator


@dataclass
class Builder:
    ops: list[tuple[str, list[Node]]] = field(default_factory=list)
    statements: list[Node] = field(default_factory=list)  # construction to delete


def _is_class(m: Migrator, callee: Node, cls: str) -> bool:
    if callee["type"] == "Identifier":
        binding = m.b.binding(callee)
        return binding is not None and binding.role == "class" and binding.member == cls
    if callee["type"] == "MemberExpression" and member_name(callee) == cls:
        return m.receiver_client(callee["object"]) is not None
    return False


def _chain(m: Migrator, expr: Node, cls: str) -> tuple[Node, list[tuple[str, list[Node]]]] | None:
    """(root, ops) for `root.op(a).op(b)`; root is a `new Cls()` or an identifier."""
    ops: list[tuple[str, list[Node]]] = []
    current = expr
    while current["type"] == "CallExpression" and current["callee"]["type"] == "MemberExpression":
        name = member_name(current["callee"])
        if name is None:
            return None
        ops.append((name, current["arguments"]))
        current = current["callee"]["object"]
    ops.reverse()
    if current["type"] == "NewExpression" and _is_class(m, current["callee"], cls):
        return current, ops
    if current["type"] == "Identifier":
        return current, ops
    return None


def resolve(m: Migrator, arg: Node | None, cls: str, statement: Node | None,
            block: list[Node] | None) -> Builder | None:
    """The operations of the Identify/Revenue `arg`, or None when it cannot be followed."""
    if arg is None:
        return None
    found = _chain(m, arg, cls)
    if found is None:
        return None
    root, ops = found
    if root["type"] == "NewExpression":
        return Builder(ops)
    if statement is None or block is None or ops:
        return None
    decl = m.b.scopes.resolve(root)
    if decl is None or decl.kind not in ("const", "let", "var") or decl.writes:
        return None
    declaration = decl.statement
    if declaration is None or len(declaration["declarations"]) != 1 or not any(
        s is declaration for s in block
    ):
        return None
    init = decl.node.get("init")
    first = _chain(m, init, cls) if init is not None else None
    if first is None or first[0]["type"] != "NewExpression":
        return None
    builder = Builder(list(first[1]), [declaration])
    index = next(i for i, s in enumerate(block) if s is declaration)
    end = next((i for i, s in enumerate(block) if s is statement), -1)
    if end <= index:
        return None
    used = {id(root)}
    for between in block[index + 1 : end]:
        inner = _mutation(m, between, decl.name, cls)
        if inner is None:
            if any(_inside(ref, between) for ref in decl.refs):
                return None  # used some other way (a condition, a helper, a loop)
            continue
        ref, more = inner
        used.add(id(ref))
        builder.ops.extend(more)
        builder.statements.append(between)
    if any(id(ref) not in used for ref in decl.refs):
        return None
    return builder


def _mutation(m: Migrator, statement: Node, name: str, cls: str):
    if statement["type"] != "ExpressionStatement":
        return None
    found = _chain(m, statement["expression"], cls)
    if found is None or found[0]["type"] != "Identifier" or found[0]["name"] != name or not found[1]:
        return None
    return found


def _inside(node: Node, outer: Node) -> bool:
    return outer["range"][0] <= node["range"][0] and node["range"][1] <= outer["range"][1]
