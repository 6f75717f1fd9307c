"""Profile updates from an `Identify` object (spec §3.6), shared by the people and group
transforms: which operations an Identify holds, and EXPAND, which replays them as Mixpanel
profile calls. No row of its own: the people and group transforms pick theirs."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from .. import build
from ..analysis import Analysis
from .base import ManualSite, Outcome, Site, TransformsCore, Unsupported

# Identify operations (spec §3.6): Python method -> Mixpanel user-profile method, in the order
# Amplitude's server applies them. `None` means no Mixpanel equivalent.
PEOPLE_OPS: dict[str, str | None] = {
    "unset": "people_unset",
    "set": "people_set",
    "set_once": "people_set_once",
    "add": "people_increment",
    "append": "people_append",
    "prepend": None,
    "pre_insert": "people_union",
    "post_insert": "people_union",
    "remove": "people_remove",
    "clear_all": None,
}
GROUP_OPS: dict[str, str | None] = {
    "unset": "group_unset",
    "set": "group_set",
    "set_once": "group_set_once",
    "add": None,
    "append": None,
    "prepend": None,
    "pre_insert": "group_union",
    "post_insert": "group_union",
    "remove": "group_remove",
    "clear_all": None,
}
_OP_ORDER = ["unset", "set", "set_once", "add", "append", "pre_insert", "post_insert", "remove"]


def _ancestors(analysis: Analysis, node: cst.CSTNode) -> list[cst.CSTNode]:
    chain = []
    current = analysis.parent(node)
    while current is not None:
        chain.append(current)
        current = analysis.parent(current)
    return chain


class ProfileTransforms(TransformsCore):
    def identify_ops(
        self, node: cst.BaseExpression, site: Site
    ) -> tuple[list[tuple[str, cst.Arg, cst.Arg | None]], list[cst.CSTNode]]:
        """The Identify operations in Amplitude order of calls, and the statements consumed."""
        chain, consumed = self.identify_chain(node)
        if chain is not None:
            return chain, consumed
        if not isinstance(node, cst.Name):
            raise Unsupported("the Identify object is not built at this call")
        found = self.a.single_assignment(node)
        if found is None:
            raise Unsupported(f"{node.value} is not assigned exactly once in this scope")
        line, assign = found
        ops, _ = self.identify_chain(assign.value)
        if ops is None:
            raise Unsupported(f"{node.value} is not an Identify() built in this scope")
        self.require_same_block(line, site, node.value)
        consumed = [line]
        block_body = self.a.parent(line).body  # type: ignore[union-attr]
        for reference in self.a.references_of(node):
            if site.call in _ancestors(self.a, reference):
                continue
            statement = self.a.statement_of(reference)
            if (
                not isinstance(statement, cst.SimpleStatementLine)
                or len(statement.body) != 1
                or not isinstance(statement.body[0], cst.Expr)
                or statement not in block_body
                or not block_body.index(line) < block_body.index(statement)
                or block_body.index(statement) > block_body.index(site.statement)
            ):
                raise Unsupported(f"{node.value} is changed under a condition or used elsewhere")
            more, _ = self.identify_chain(statement.body[0].value, root=node.value)
            if more is None:
                raise Unsupported(f"{node.value} is used by something other than Identify calls")
            ops.extend(more)
            consumed.append(statement)
        return ops, consumed

    def identify_chain(
        self, node: cst.BaseExpression, root: str | None = None
    ) -> tuple[list[tuple[str, cst.Arg, cst.Arg | None]] | None, list[cst.CSTNode]]:
        ops: list[tuple[str, cst.Arg, cst.Arg | None]] = []
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            name = node.func.attr.value
            if name not in PEOPLE_OPS:
                return None, []
            args = list(node.args)
            if any(a.star or a.keyword for a in args):
                raise Unsupported(f"Identify.{name}() uses keyword or unpacked arguments")
            if name == "clear_all":
                ops.append((name, cst.Arg(cst.SimpleString('""')), None))
            elif name == "unset" and len(args) == 1:
                ops.append((name, args[0], None))
            elif len(args) == 2:
                ops.append((name, args[0], args[1]))
            else:
                raise Unsupported(f"Identify.{name}() has an unexpected number of arguments")
            node = node.func.value
        ops.reverse()
        if root is not None:
            return (ops if isinstance(node, cst.Name) and node.value == root and ops else None), []
        if self.a.sdk_call(node, "Identify") and not node.args:
            return ops, []
        return None, []

    def expand(
        self,
        ops: list[tuple[str, cst.Arg, cst.Arg | None]],
        table: dict[str, str | None],
        func: Callable[[str], str],
        target: list[str],
        site: Site,
        outcome: Outcome,
    ) -> list[str]:
        """EXPAND (spec §3.6): replay first-op-wins, group by operator, emit in server order."""
        seen: set[str] = set()
        grouped: dict[str, list[tuple[str, str | None]]] = {}
        for op, key_arg, value_arg in ops:
            if op == "clear_all":
                raise ManualSite(outcome.rule, "clear_all() has no Mixpanel equivalent", "ID012")
            key = self.a.code(key_arg.value)
            if key in seen:
                outcome.notes.append(
                    ("ID012", f"{op}({key}) ignored: Amplitude keeps the first operation per key")
                )
                continue
            seen.add(key)
            if table[op] is None:
                raise ManualSite(outcome.rule, f"{op}() has no Mixpanel equivalent", "ID012")
            value = None if value_arg is None else value_arg.value
            if op == "add" and isinstance(value, (cst.SimpleString, cst.FormattedString)):
                outcome.notes.append(("ID012", f"add({key}, ...) with a string was dropped by "
                                      "Amplitude and is not migrated"))
                continue
            grouped.setdefault(op, []).append((key, None if value is None else self.a.code(value)))
            if op in ("append", "remove", "pre_insert", "post_insert"):
                outcome.caveats.append("ID012")
            if op in ("pre_insert", "post_insert") and value is not None:
                grouped[op][-1] = (key, self.union_value(value))
        statements = []
        unions: list[tuple[str, str | None]] = []
        for op in _OP_ORDER:
            entries = grouped.get(op)
            if not entries:
                continue
            if op in ("pre_insert", "post_insert"):
                unions.extend(entries)
                if op == "pre_insert" and "post_insert" in grouped:
                    continue
                entries, unions = unions, []
            method = table[op]
            assert method is not None
            if op == "unset":
                payload = "[" + ", ".join(key for key, _ in entries) + "]"
            else:
                payload = build.dict_text([f"{key}: {value}" for key, value in entries])
            statements.append(self.call(func(method), [*target, payload], site))
        return statements

    def union_value(self, value: cst.BaseExpression) -> str:
        if isinstance(value, (cst.List, cst.Tuple)):
            return self.a.code(value)
        if isinstance(value, (cst.SimpleString, cst.Integer, cst.Float, cst.FormattedString)):
            return f"[{self.a.code(value)}]"
        if build.is_simple(value):
            code = self.a.code(value)
            return f"{code} if isinstance({code}, list) else [{code}]"
        raise Unsupported("a computed pre_insert/post_insert value cannot be wrapped in a list")
