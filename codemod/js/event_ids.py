"""Whether an event passed by name carries a user or device id, read from the statements
that built it.

A server `track(e)` whose `e` is an object built above (`const e = {event_type}; e.user_id =
uid`) must not be reported as an event without ids: Amplitude sent it with the id it got two
lines earlier. The tool does not rewrite an event built across statements, but what it says
about it must be what the code does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .bindings import Scopes, member_name
from .estree import Node
from .text import prop_key

ID_KEYS = ("user_id", "device_id", "userId", "deviceId")


@dataclass
class EventVariable:
    """What the statements before a call say about the event object a variable holds.

    `built` is the line of its object literal (None: not built from a literal in view);
    `ids` pairs each id field set, in the literal or by a later assignment, with its line;
    `other` is True when anything else touches it before the call (passed on, reassigned),
    so its fields at the call cannot be told.
    """

    name: str
    built: int | None
    ids: list[tuple[str, int]] = field(default_factory=list)
    other: bool = False


def event_variable(scopes: Scopes, ident: Node, call: Node,
                   line_of: Callable[[Node], int]) -> EventVariable:
    """Read the declaration of `ident` and its references before `call`."""
    found = EventVariable(ident["name"], None)
    decl = scopes.resolve(ident)
    if decl is None or decl.kind not in ("var", "let", "const"):
        return found
    init = decl.node.get("init") if decl.node["type"] == "VariableDeclarator" else None
    if init is None or init["type"] != "ObjectExpression":
        return found
    found.built = line_of(init)
    for prop in init["properties"]:
        key = prop_key(prop)
        if key in ID_KEYS:
            found.ids.append((key, line_of(prop)))
        elif key is None:
            found.other = True  # a spread or computed key may bring the ids
    start = call["range"][0]
    for ref in decl.refs:
        if ref is ident or ref["range"][0] >= start:
            continue
        parent = scopes.parent(ref)
        grand = scopes.parent(parent) if parent is not None else None
        if (parent is not None and parent["type"] == "MemberExpression"
                and parent["object"] is ref and grand is not None
                and grand["type"] == "AssignmentExpression" and grand["left"] is parent):
            key = member_name(parent)
            if key in ID_KEYS:
                found.ids.append((key, line_of(parent)))
                continue
            if key is not None:
                continue  # another field: the ids are what the literal and the others say
        found.other = True
    return found


def no_identity_message(event: Node, site_call: str, variable: EventVariable | None) -> str:
    """The manual message for a server event the tool found no id on, saying what it saw."""
    reason = ("Amplitude rejected it, Mixpanel would invent a user from the request IP: give it "
              "a user_id or device_id, or track it with distinct_id \"\" on purpose")
    if variable is None:
        return f"{site_call} sends an event with no user_id or device_id: {reason}"
    if variable.built is None:
        return (f"{site_call}: `{variable.name}` is not built from an object literal in view, so "
                "the tool cannot tell whether it carries a user_id or device_id; migrate this "
                "by hand")
    if variable.other:
        return (f"{site_call}: the event `{variable.name}` (built on line {variable.built}) is "
                "changed or passed on before this call, so the tool cannot tell whether it "
                "carries a user_id or device_id; migrate this by hand")
    return (f"{site_call}: the event `{variable.name}` built on line {variable.built} has no "
            f"user_id or device_id: {reason}")


def ids_set_message(site_call: str, variable: EventVariable) -> str:
    """The manual message for an event whose ids are set in statements after it is built."""
    where = ", ".join(f"{key} on line {line}" for key, line in variable.ids)
    return (f"{site_call}: the event `{variable.name}` (built on line {variable.built}) gets "
            f"{where}: the tool rewrites only an event built in one expression; write the "
            "Mixpanel track() by hand with that id as distinct_id (and $user_id/$device_id)")
