"""React contexts that carry an Amplitude client, for the project index (`jsindex.py`).

A React app hands its client to components through a context: `createContext(amplitude)`
and/or `<AmplitudeContext.Provider value={amplitude}>`, then exports the context itself or a
hook whose body returns `useContext(AmplitudeContext)` (`export const useAmplitude = () =>
...`, `export function useAmplitude() { return ...; }`, `export default`, `export {
useAmplitude }`), possibly after guarding it (`const a = useContext(AmplitudeContext); if
(!a) throw new Error(...); return a;`). Each such export is recorded as one the index follows, with what its
importers get from it (`via`: `context` or `hook`), so that `useAmplitude()` and
`useContext(AmplitudeContext)` in another module are uses of the client, migrated all or
nothing with it.

Only those shapes are followed, and a shape the tool cannot follow is never dropped: a
context whose value is more than the client (`{ amplitude, user }`, another value at another
Provider), a hook returning anything but `useContext(Ctx)`, or the context read anywhere else
in its module is recorded too, with the reason as its `blocker` (and `via` `unknown` when its
importers cannot know what they read), so every importer's read is reported and the client
is held in every module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..js.bindings import CASTS, Binding, Bindings, Decl, react_function
from ..js.estree import Node, walk

_FUNCTIONS = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")


@dataclass(frozen=True)
class Carried:
    """One export handing out a client through a context (`jsindex._Export` says the rest)."""

    name: str
    statement: Node
    binding: Binding
    context: str
    via: str
    blocker: str | None


def _uncast(node: Node | None) -> Node | None:
    while node is not None and node["type"] in CASTS:
        node = node["expression"]
    return node


def _provided(bindings: Bindings, name: str) -> list[Node | None]:
    """The `value` of each `<name.Provider>` (None for one passed by a spread, not followed)."""
    found: list[Node | None] = []
    for node, _ in bindings.scopes.nodes:
        tag = node.get("name") if node["type"] == "JSXOpeningElement" else None
        if tag is None or tag["type"] != "JSXMemberExpression" or tag["object"].get(
            "name"
        ) != name or tag["property"]["name"] != "Provider":
            continue
        for attribute in node["attributes"]:
            if attribute["type"] != "JSXAttribute":
                found.append(None)
            elif attribute["name"].get("name") == "value":
                value = attribute.get("value")
                found.append(value.get("expression") if value is not None and value[
                    "type"] == "JSXExpressionContainer" else None)
    return found


def _mentioned(bindings: Bindings, value: Node) -> Binding | None:
    """An Amplitude client or SDK name that `value` mentions anywhere."""
    for node, _ in walk(value):
        found = bindings.binding(node) if node["type"] == "Identifier" else None
        if found is not None and found.role in ("module", "client", "function"):
            return found
    return None


def _value(bindings: Bindings, decl: Decl, line: int) -> tuple[Binding | None, str | None]:
    """The client a context carries, if it carries one, and why importers cannot follow it."""
    name = decl.name
    init = _uncast(decl.node["init"])
    assert init is not None
    values = [init["arguments"][0] if init["arguments"] else None, *_provided(bindings, name)]
    clients: list[Binding] = []
    other = None
    for value in values:
        value = _uncast(value)
        if value is None or (value["type"] == "Literal" and value.get("raw") == "null") or (
            value["type"] == "Identifier" and value["name"] == "undefined"
        ):
            continue
        client = bindings.client_of(value)
        if client is not None and client.role in ("module", "client"):
            clients.append(client)
            continue
        mentioned = _mentioned(bindings, value)
        if mentioned is not None:
            return mentioned, (f"the React context {name} (line {line}) holds more than the "
                               "Amplitude client (an object, a call); the tool follows a "
                               "context whose value is the client itself")
        other = value
    if not clients:
        return None, None
    typed = [n for v in (init, *values) if v is not None for n, _ in walk(v)
             if n["type"].startswith("TS")]
    if typed:
        return clients[0], (f"the React context {name} (line {line}) is typed (a type argument "
                            "or a cast) after the Amplitude client, which the tool does not "
                            "retype for Mixpanel's; drop or retype it by hand")
    keys = {(c.family, c.instance, id(c.decl)) for c in clients}
    if other is not None or len(keys) > 1:
        return clients[0], (f"the React context {name} (line {line}) is given another value "
                            "beside the Amplitude client; the tool follows a context whose "
                            "value is always that client")
    return clients[0], None


def _function(bindings: Bindings, node: Node | None) -> Node | None:
    """The function an exported name or expression is, if it is one."""
    node = _uncast(node)
    if node is not None and node["type"] == "Identifier":
        decl = bindings.scopes.resolve(node)
        node = None if decl is None else (
            _uncast(decl.node.get("init")) if decl.node["type"] == "VariableDeclarator"
            else decl.node)
    return node if node is not None and node["type"] in _FUNCTIONS else None


def _returned(bindings: Bindings, ref: Node) -> Node | None:
    """The function whose body only returns `useContext(ref)`, if `ref` is read so."""
    call = bindings.scopes.parent(ref)
    if call is None or call["type"] != "CallExpression" or call["arguments"] != [ref] or (
        react_function(call["callee"]) != "useContext"
    ):
        return None
    holder = bindings.scopes.parent(call)
    if holder is not None and holder["type"] == "ArrowFunctionExpression" and holder[
        "body"
    ] is call:
        return holder
    block = bindings.scopes.parent(holder) if holder is not None and holder[
        "type"] == "ReturnStatement" else None
    function = bindings.scopes.parent(block) if block is not None else None
    if block is not None and function is not None and function["type"] in _FUNCTIONS and len(
        block["body"]
    ) == 1:
        return function
    return _guarded(bindings, call)


def _guarded(bindings: Bindings, call: Node) -> Node | None:
    """The function whose body is `const c = useContext(Ctx); if (!c) throw ...; return c;`
    (any number of such guards, `!c` or `c == null`): it returns what the context holds, or
    throws outside a Provider, whichever client that is."""
    parent = bindings.scopes.parent
    declarator = parent(call)
    statement = parent(declarator) if declarator is not None else None
    block = parent(statement) if statement is not None else None
    function = parent(block) if block is not None else None
    if declarator is None or statement is None or block is None or function is None or (
        declarator["type"] != "VariableDeclarator" or declarator["id"]["type"] != "Identifier"
        or statement["type"] != "VariableDeclaration" or len(statement["declarations"]) != 1
        or block["type"] != "BlockStatement" or function["type"] not in _FUNCTIONS
    ):
        return None
    name = declarator["id"]["name"]
    body = block["body"]
    returned = body[-1].get("argument") if body[-1]["type"] == "ReturnStatement" else None
    if body[0] is not statement or returned is None or returned["type"] != "Identifier" or (
        returned["name"] != name
    ):
        return None
    tested = [_tested(guard, name) for guard in body[1:-1]]
    decl = bindings.scopes.resolve(returned)
    allowed = {id(returned), *(id(t) for t in tested if t is not None)}
    if None in tested or decl is None or any(id(ref) not in allowed for ref in decl.refs):
        return None
    return function


def _tested(guard: Node, name: str) -> Node | None:
    """The reference to `name` an `if (!name) throw ...;` or `if (name == null) throw ...;`
    tests, if `guard` is one."""
    if guard["type"] != "IfStatement" or guard.get("alternate") is not None:
        return None
    then = guard["consequent"]
    if then["type"] == "BlockStatement" and len(then["body"]) == 1:
        then = then["body"][0]
    test = guard["test"]
    if test["type"] == "UnaryExpression" and test["operator"] == "!":
        found = test["argument"]
    elif test["type"] == "BinaryExpression" and test["operator"] in ("==", "===") and (
        test["right"].get("raw") == "null" or test["right"].get("name") == "undefined"
    ):
        found = test["left"]
    else:
        return None
    if then["type"] != "ThrowStatement" or found["type"] != "Identifier" or found["name"] != name:
        return None
    return found


def carried(bindings: Bindings, exports: list[tuple[str, Node | None, Node]],
            line_of: Callable[[Node], int]) -> list[Carried]:
    """The exports of a module (`jsindex.exported`) that hand out a client through a React
    context it creates; `line_of` gives a node's line."""
    found: list[Carried] = []
    table = bindings.scopes.declared.get(id(bindings.scopes.program), {})
    for decl in table.values():
        init = _uncast(decl.node.get("init")) if decl.node["type"] == "VariableDeclarator" else None
        if decl.kind not in ("const", "let", "var") or init is None or init[
            "type"
        ] != "CallExpression" or react_function(init["callee"]) != "createContext":
            continue
        line = line_of(decl.node)
        client, blocker = _value(bindings, decl, line)
        if client is None:
            continue
        via = "unknown" if blocker is not None else "hook"
        hooks: dict[int, str] = {}  # id(function) -> what it gives importers
        for ref in decl.refs:
            function = _returned(bindings, ref)
            if function is not None:
                hooks.setdefault(id(function), via)
                continue
            parent = bindings.scopes.parent(ref)
            if parent is not None and parent["type"] in ("ExportSpecifier",
                                                         "ExportDefaultDeclaration"):
                continue
            blocker = blocker or (f"the React context {decl.name} is read on line "
                                  f"{line_of(ref)} where the tool cannot follow "
                                  "it; it follows a hook that returns useContext("
                                  f"{decl.name}) and nothing else")
            enclosing = bindings.scopes.parent(ref)
            while enclosing is not None:
                if enclosing["type"] in _FUNCTIONS:
                    hooks[id(enclosing)] = "unknown"
                enclosing = bindings.scopes.parent(enclosing)
        for name, value, statement in exports:
            if value is not None and value["type"] == "Identifier" and (
                value is decl.node["id"] or bindings.scopes.resolve(value) is decl
            ):
                found.append(Carried(name, statement, client, decl.name,
                                     "unknown" if via == "unknown" else "context", blocker))
                continue
            function = _function(bindings, value)
            if function is not None and id(function) in hooks:
                found.append(Carried(name, statement, client, decl.name, hooks[id(function)],
                                     blocker))
    return found
