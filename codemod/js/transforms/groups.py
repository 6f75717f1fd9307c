"""Groups: `set_group` (row `set-group`) and `group_identify` (the `group-identify`
row its rule names), which replays an `Identify` object on a group profile (spec §3.6),
including mixpanel-react-native's one-group-per-module limit (ID026)."""

from __future__ import annotations

from ...catalogue import Rule
from ..bindings import member_name, string_value
from ..estree import Node
from ..expand import resolve
from ..outcome import Outcome, Site, manual
from ..text import is_stringish
from .base import TRANSFORMS, TransformsCore, _review, _safe
from .people import _dict, _group_ops


def group_pair(args: list[Node]) -> tuple[object, object] | None:
    """The literal (group key, group name) of a call's first two arguments, if both are."""
    values = []
    for arg in args[:2]:
        value = string_value(arg)
        if value is None and arg["type"] == "Literal" and isinstance(arg.get("value"), (int, float)) \
                and not isinstance(arg.get("value"), bool):
            value = arg["value"]
        if value is None:
            return None
        values.append(value)
    return (values[0], values[1]) if len(values) == 2 else None


class GroupTransforms(TransformsCore):
    @TRANSFORMS.register("set_group")
    def set_group(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "set-group")
        if self.m.target(site.family).server:
            identity = self._identity(args[2] if len(args) > 2 else None)
            if len(args) < 2 or identity is None or not (identity[0] or identity[1]):
                return manual(row, "setGroup() without a literal user_id/device_id", "ID011")
            user, device, _ = identity
            group = args[1]
            value = (self.src.of(group) if group["type"] == "ArrayExpression"
                     else f"[{self.src.of(group)}]" if is_stringish(group)
                     else f"[].concat({self.src.of(group)})")
            key = self.src.of(args[0])
            key = key if args[0]["type"] == "Literal" else f"[{key}]"
            caveats = ["ID011"] + (["ID007"] if not user else [])
            return _review(row, *caveats, expression=(
                f"{site.mp}.people.set({self.did(user, device)}, {{{key}: {value}}})"))
        if len(args) != 2:
            return manual(row, "setGroup() with event options", "ID011")
        return _safe(row, "ID011", expression=f"{site.mp}.set_group({self.src.args(args)})")

    @TRANSFORMS.register("group_identify")
    def group_identify(self, site: Site, rule: Rule) -> Outcome:
        row = rule.id
        args = site.call["arguments"]
        if len(args) < 3:
            return manual(row, "groupIdentify() without an Identify object", "ID011")
        if args[1]["type"] == "ArrayExpression":
            return manual(row, "several group names: Mixpanel updates one group profile at a time",
                          "ID011")
        if len(args) > 3:
            return manual(row, "groupIdentify() with event options or callbacks", "ID011")
        builder = resolve(self.m, args[2], "Identify", site.statement, site.block)
        if builder is None:
            return manual(row, "the Identify object is not built where the tool can follow it",
                          "ID012")
        grouped, problem = _group_ops(self.src, builder.ops)
        if problem is None and any(op in grouped for op in ("add", "append")):
            problem = "group profiles have no increment/append in Mixpanel"
        if problem:
            return manual(row, problem, "ID011")
        t, n = self.src.of(args[0]), self.src.of(args[1])
        caveats = ["ID011"] + (["ID012"] if "union" in grouped or "remove" in grouped else [])
        if self.m.target(site.family).group_cached:
            problem = self._one_group(args)
            if problem:
                return manual(row, problem, "ID026")
            caveats.append("ID026")
        statements = self._emit_group(site, grouped, t, n)
        return _review(row, *caveats, statements=statements, consumed=builder.statements)

    def _one_group(self, args: list[Node]) -> str | None:
        """ID026: mixpanel-react-native's getGroup() returns its first group for any arguments,
        so a module's instance may address one (key, name) pair, and only a literal one."""
        pair = group_pair(args)
        if pair is None:
            return ("the group key or name is not a literal: mixpanel-react-native's getGroup() "
                    "returns its first group whatever it is asked for")
        first = self.m.rn_group
        if first is None:
            # A getGroup() already in the module (an earlier run's) came first.
            first = next((p for node, _ in self.m.b.scopes.nodes
                          if node["type"] == "CallExpression"
                          and node["callee"]["type"] == "MemberExpression"
                          and member_name(node["callee"]) == "getGroup"
                          and (p := group_pair(node["arguments"])) is not None), None)
        if first is not None and first != pair:
            return (f"getGroup() returns the group {first[0]!r}/{first[1]!r} in this module: "
                    "mixpanel-react-native would update that group instead")
        self.m.rn_group = pair
        return None

    def _emit_group(self, site: Site, g: dict[str, list[tuple[str, str]]], t: str, n: str) -> list[str]:
        mp = site.mp
        out: list[str] = []
        target = self.m.target(site.family)
        if target.server:
            names = {"set": "set", "setOnce": target.set_once, "union": "union", "remove": "remove"}
            for op in ("unset", "set", "setOnce", "union", "remove"):
                pairs = g.get(op)
                if not pairs:
                    continue
                if op == "unset":
                    out.append(f"{mp}.groups.unset({t}, {n}, [{', '.join(k for k, _ in pairs)}])")
                else:
                    out.append(f"{mp}.groups.{names[op]}({t}, {n}, {_dict(pairs)})")
            return out
        group = f"{mp}.{target.group}({t}, {n})"
        for op in ("unset", "set", "setOnce", "union", "remove"):
            pairs = g.get(op)
            if not pairs:
                continue
            name = target.set_once if op == "setOnce" else op
            if op == "unset":
                out += [f"{group}.unset({k})" for k, _ in pairs]
            elif op in ("set", "setOnce") and not target.per_key:
                out.append(f"{group}.{name}({_dict(pairs)})")
            else:
                out += [f"{group}.{name}({k}, {v})" for k, v in pairs]
        return out
