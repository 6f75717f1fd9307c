"""User profile updates: `identify` (rows `identify-expansion`, `identify-callbacks`,
`identify-skipped`, `identify-set-group`, `identify-unconsumed`, `identify-plain-keys`,
`identify-operators`, `identify-unresolved`), which replays an Amplitude `Identify` object's
operations as Mixpanel people calls (spec §3.4).

The Identify replay (`_group_ops`) is shared with group profiles, which import it from here."""

from __future__ import annotations

from ...catalogue import Rule
from ..estree import Node
from ..expand import resolve
from ..outcome import Outcome, Site, manual
from ..text import function_arity, is_nullish, prop_key
from .base import TRANSFORMS, TransformsCore, _key, _review, _twice

_NULL_THROWS = ("set", "setOnce", "append", "prepend", "preInsert", "postInsert", "setGroup")

_USER_OPS = ("unset", "set", "setOnce", "add", "append", "prepend", "preInsert", "postInsert",
             "remove", "clearAll")


def _dict(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{_obj_key(k)}: {v}" for k, v in pairs) + "}"


def _obj_key(key_source: str) -> str:
    """An object key from the source of an Identify key argument."""
    if key_source[:1] in "'\"" and key_source[1:-1].replace("_", "a").replace("$", "a").isalnum() and (
        not key_source[1:2].isdigit()
    ):
        return key_source[1:-1]
    if key_source[:1] in "'\"":
        return key_source
    return f"[{key_source}]"


def _group_ops(src, ops: list[tuple[str, list[Node]]]) -> tuple[dict[str, list[tuple[str, str]]], str | None]:
    """Replay Amplitude's Identify validation (first op per key wins) and group by operator."""
    seen: set[str] = set()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for op, args in ops:
        if op not in _USER_OPS:
            return grouped, f"Identify.{op}() is not an operation the tool knows"
        if op == "clearAll":
            return grouped, "clearAll() has no Mixpanel equivalent (delete_user removes the profile)"
        if op == "prepend":
            return grouped, "prepend() has no Mixpanel equivalent"
        if not args or (op != "unset" and len(args) < 2):
            return grouped, f"Identify.{op}() without its arguments"
        key = src.of(args[0])
        value = src.of(args[1]) if op != "unset" else ""
        if key in seen:
            continue  # Amplitude drops a second operation on one property
        seen.add(key)
        if op in ("preInsert", "postInsert"):
            node = args[1]
            value = value if node["type"] == "ArrayExpression" else (
                f"[{value}]" if node["type"] == "Literal" else f"[].concat({value})")
            op = "union"
        grouped.setdefault(op, []).append((key, value))
    return grouped, None


class PeopleTransforms(TransformsCore):
    @TRANSFORMS.register("identify")
    def identify(self, site: Site, rule: Rule) -> Outcome:
        row = rule.id
        args = site.call["arguments"]
        server = self.m.target(site.family).server
        if server and self.family_rule(site.family, "identify-skipped") is not None:
            return self._identify_ids(site)
        if server and self.family_rule(site.family, "identify-plain-keys") is not None:
            return self._identify_object(site)
        caveats = [] if server else ["ID004"]
        did = None
        callbacks = False
        notes: list[tuple[str | None, str]] = []
        if server:
            identity = self._identity(args[1] if len(args) > 1 else None)
            if identity is None or not (identity[0] or identity[1]):
                return manual(self._row(site.family, "identify-expansion"),
                              "identify() without a literal user_id/device_id", "ID006")
            did = self.did(identity[0], identity[1])
            notes = _twice(*identity[:2])
            if not identity[0]:
                caveats.append("ID007")
        elif site.family == "amplitude-js" and len(args) > 1:
            row = self._row(site.family, "identify-callbacks")
            callbacks = True
            if any(not is_nullish(a) and function_arity(a) != 0 for a in args[1:3]):
                return manual(row, "identify() with callbacks that read Amplitude's response")
        elif len(args) > 1:
            return manual(row, "identify() with event options", "ID020")
        builder = resolve(self.m, args[0] if args else None, "Identify", site.statement, site.block)
        if builder is None:
            return manual(row, "the Identify object is not built where the tool can follow it "
                          "(conditionally, in a loop, passed around)", "ID012")
        grouped, problem = _group_ops(self.src, builder.ops)
        if problem:
            return manual(row, problem, "ID012")
        statements, approx = self._emit_user(site, grouped, did)
        if approx:
            caveats.append("ID012")
        if not statements:
            return manual(row, "the Identify object sets nothing", "ID012")
        if callbacks:
            notes.append((None, "identify() callbacks were dropped: people calls are queued"))
        return _review(row, *caveats, statements=statements, consumed=builder.statements,
                       notes=notes)

    def _identify_object(self, site: Site) -> Outcome:
        """`a.identify({user_id, device_id, user_properties: {k: v}})`: plain keys, which
        Amplitude's Identify API set, become one `people.set`; operators and other fields are
        reported."""
        family = site.family
        camel = self.m.registry.sdks[family].camel_keys
        args = site.call["arguments"]
        unresolved = self._pick(family, "identify-unresolved").id
        if len(args) != 1 or args[0]["type"] != "ObjectExpression":
            return manual(unresolved, "identify() without one identification object literal "
                          "(an array, a variable)")
        fields = {_key(p, camel): p for p in args[0]["properties"]}
        if None in fields or set(fields) - {"user_id", "device_id", "user_properties"}:
            return manual(unresolved, "identification fields other than the ids and "
                          "user_properties: Mixpanel profiles have no device fields", "ID012")
        user, device, _ = self._identity(args[0], camel) or (None, None, [])
        props = fields.get("user_properties")
        if not (user or device) or props is None or props["value"]["type"] != "ObjectExpression":
            return manual(unresolved, "identify() without a literal id and user_properties "
                          "object", "ID006")
        keys = [prop_key(p) for p in props["value"]["properties"]]
        if None in keys or not keys:
            return manual(unresolved, "user_properties with a spread, a computed key or nothing")
        operators = [k for k in keys if k and k.startswith("$")]
        if operators and len(operators) < len(keys):
            return manual(unresolved, "user_properties mix operators and plain keys", "ID012")
        if operators:
            return manual(self._pick(family, "identify-operators").id, "user_properties "
                          f"operators ({', '.join(operators)}): write the people calls by hand",
                          "ID012")
        if site.statement is None or site.promise:
            return manual(self._pick(family, "track-awaited-rejecting").id, "the result of "
                          "identify() is used: Mixpanel's people.set() returns nothing")
        call = f"{site.mp}.people.set({self.did(user, device)}, {self.src.of(props['value'])})"
        caveats = [] if user else ["ID007"]
        row = self._pick(family, "identify-plain-keys").id
        if site.awaited:
            call = (f"await {self._new_promise()}((resolve, reject) => {call[:-1]}, "
                    "(err) => (err ? reject(err) : resolve())))")
            return _review(self._pick(family, "track-awaited-rejecting").id, *caveats, "ID023",
                           statements=[call], notes=_twice(user, device))
        return _review(row, *caveats, expression=call, notes=_twice(user, device))

    def _identify_ids(self, site: Site) -> Outcome:
        """`c.identify(U, D, identify)`: the ids lead, the Identify object follows, and
        Amplitude's builder validation is replayed (first operation per property wins, `add`
        of a non-number is dropped, a `null` value threw, `setGroup` sets the group key)."""
        family = site.family
        args = site.call["arguments"]
        row = self._pick(family, "identify-expansion")
        skipped = self._pick(family, "identify-skipped").id
        if len(args) != 3 or any(a["type"] == "SpreadElement" for a in args):
            return manual(skipped, "identify() takes (userId, deviceId, identify); Amplitude "
                          "skipped any other call")
        user, device = (None if is_nullish(a) else self.src.of(a) for a in args[:2])
        if not user and not device:
            return manual(skipped, "identify() with neither a user id nor a device id: Amplitude "
                          "skipped it", "ID006")
        if site.statement is None or site.awaited:
            return manual(self._pick(family, "track-awaited").id, "the result of identify() is "
                          "waited for or used: Mixpanel's people calls report to callbacks")
        builder = resolve(self.m, args[2], "Identify", site.statement, site.block)
        if builder is None:
            return manual(self._pick(family, "identify-unconsumed").id, "the Identify object is "
                          "not built where the tool can follow it (conditionally, in a loop, "
                          "passed around)", "ID012")
        ops: list[tuple[str, list[Node]]] = []
        groups: list[tuple[str, str]] = []
        notes: list[tuple[str | None, str]] = list(_twice(user, device))
        for op, op_args in builder.ops:
            value = op_args[1] if len(op_args) > 1 else None
            if value is not None and op in _NULL_THROWS and value["type"] == "Literal" and (
                value["value"] is None
            ):
                return manual(row.id, f"Identify.{op}() with a null value threw a TypeError in "
                              "Amplitude; the rewrite would start sending it", "ID012")
            if op == "add" and value is not None and value["type"] == "Literal" and not isinstance(
                value["value"], (int, float)
            ):
                notes.append((None, f"Identify.add({self.src.of(op_args[0])}, ...) with a "
                              "non-number was dropped by Amplitude and is dropped here"))
                continue
            if op == "setGroup" and value is not None:
                groups.append((self.src.of(op_args[0]), f"[].concat({self.src.of(value)})"))
                continue
            ops.append((op, op_args))
        grouped, problem = _group_ops(self.src, ops)
        if problem:
            return manual(row.id, problem, "ID012")
        caveats = ["ID012"] + ([] if user else ["ID007"])
        if groups:
            keys = {k for pairs in grouped.values() for k, _ in pairs}
            if len({k for k, _ in groups}) < len(groups) or keys & {k for k, _ in groups}:
                return manual(row.id, "setGroup() and another operation name one property: "
                              "Amplitude kept the first; order them by hand", "ID011")
            grouped.setdefault("set", []).extend(groups)
            row = self._pick(family, "identify-set-group")
            caveats.append("ID011")
        statements, _ = self._emit_user(site, grouped, self.did(user, device))
        if not statements:
            return manual(row.id, "the Identify object sets nothing", "ID012")
        return _review(row.id, *caveats, statements=statements, consumed=builder.statements,
                       notes=notes)

    def _emit_user(self, site: Site, g: dict[str, list[tuple[str, str]]],
                   did: str | None) -> tuple[list[str], bool]:
        mp = site.mp
        target = self.m.target(site.family)
        rn = target.per_key
        people = f"{mp}.{target.people}"
        pre = f"{did}, " if did else ""
        out: list[str] = []
        approx = False
        names = {"set": "set", "setOnce": target.set_once, "add": "increment"}
        for op in ("unset", "set", "setOnce", "add", "append", "union", "remove"):
            pairs = g.get(op)
            if not pairs:
                continue
            if op == "unset":
                keys = [k for k, _ in pairs]
                if rn:
                    out += [f"{people}.unset({k})" for k in keys]
                else:
                    out.append(f"{people}.unset({pre}[{', '.join(keys)}])")
            elif op in names:
                out.append(f"{people}.{names[op]}({pre}{_dict(pairs)})")
            elif rn:
                approx = approx or op != "append"
                out += [f"{people}.{op}({k}, {v})" for k, v in pairs]
            else:
                approx = approx or op != "append"
                out.append(f"{people}.{op}({pre}{_dict(pairs)})")
        return out, approx
