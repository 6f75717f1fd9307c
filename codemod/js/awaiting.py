"""Promises across the migration: what a rewritten call returns, and who waits for it.

Amplitude's calls return `{ promise }` and its getters return plain values; a Mixpanel SDK
may differ per call. mixpanel-react-native's `init()` and `identify()` return promises
(tracking races an init nobody awaits; a failure escapes the surrounding `try`), and its
`getDeviceId()` returns `Promise<string>` where Amplitude's returned the string. So a
rewritten call whose target method returns a promise keeps the `await` it had, gains one
where the code around it is async, and is reported where it is not: a value that was
synchronous never silently becomes a promise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .estree import Node
from .outcome import Outcome, Site, manual

if TYPE_CHECKING:
    from .migrate import Migrator

_FUNCTIONS = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
# Where `await X` needs no parentheses: the value stands alone.
_BARE = ("VariableDeclarator", "ReturnStatement", "ArrayExpression", "Property",
         "AssignmentExpression", "ExpressionStatement", "TemplateLiteral", "SpreadElement",
         "AwaitExpression")


def settle(m: Migrator, site: Site, outcome: Outcome) -> Outcome:
    """The outcome with the target's promises awaited where the code can wait for them."""
    target = m.target(site.family)
    if outcome.manual or not target.promises or m.registry.sdks[site.family].async_calls:
        return outcome  # nothing to wait for, or the SDK's own calls were Promises already
    package = m.registry.target_of(site.family).package
    waits = site.awaited or is_async(m, site.call)
    calls = _mixpanel_calls(site)
    if outcome.expression is not None:
        found = calls.match(outcome.expression)
        if found is None or found[1] not in target.promises:
            return outcome
        method = found[1]
        if site.statement is None and not site.awaited and not site.promise:
            if not waits:
                return manual(outcome.rule, f"{site.method}() returned its value at once; "
                              f"{package}'s {method}() returns a Promise, and this code is not "
                              "in an async function that could await it: migrate this by hand")
            text = f"await {outcome.expression}"
            outcome.expression = text if _bare(m, site.call) else f"({text})"
        elif site.statement is not None and waits:
            outcome.expression = f"await {outcome.expression}"
        elif site.statement is not None:
            outcome.notes.append((None, _unawaited(package, method)))
        outcome.awaits = True
        return outcome
    for index, statement in enumerate(outcome.statements or []):
        found = calls.search(statement)
        if found is None or found[1] not in target.promises:
            continue
        if waits:
            outcome.statements[index] = calls.sub(  # type: ignore[index]
                lambda c: f"await {c[0]}" if c[1] in target.promises else c[0], statement)
            outcome.awaits = True
        else:
            outcome.notes.append((None, _unawaited(package, found[1])))
    return outcome


def _mixpanel_calls(site: Site) -> re.Pattern[str]:
    """Calls of a method on the site's Mixpanel client in rewritten text (group 1: the method)."""
    return re.compile(rf"(?<![\w.$]){re.escape(site.mp)}\.(\w+)\(")


def _unawaited(package: str, method: str) -> str:
    return (f"{package}'s {method}() returns a Promise that this code, outside an async "
            "function, does not await: calls right after it may run before it is done, and its "
            "failure is an unhandled rejection")


def _bare(m: Migrator, node: Node) -> bool:
    parent = m.parent(node)
    if parent is None:
        return False
    if parent["type"] in ("CallExpression", "NewExpression"):
        return parent["callee"] is not node  # an argument
    if parent["type"] == "ArrowFunctionExpression":
        return parent["body"] is node
    return parent["type"] in _BARE


def is_async(m: Migrator, node: Node) -> bool:
    """Whether `await` may be written at `node`: inside an async function, or at the top of
    a module that already awaits there (so its build takes top-level await)."""
    current = m.parent(node)
    while current is not None:
        if current["type"] in _FUNCTIONS:
            return bool(current.get("async"))
        current = m.parent(current)
    return any(n["type"] == "AwaitExpression" and _top_level(m, n) for n, _ in m.b.scopes.nodes)


def _top_level(m: Migrator, node: Node) -> bool:
    current = m.parent(node)
    while current is not None:
        if current["type"] in _FUNCTIONS:
            return False
        current = m.parent(current)
    return True


def dropped_message(m: Migrator, site: Site, outcome: Outcome) -> str:
    """What an Amplitude `.promise`/`await` the rewrite dropped leaves: true per target."""
    package = m.registry.target_of(site.family).package
    text = outcome.expression or " ".join(outcome.statements or [])
    found = _mixpanel_calls(site).search(text)
    what = f"{package}'s {found[1]}()" if found else f"{package}'s replacement"
    return f"the .promise/await of an Amplitude call was dropped: {what} returns nothing to wait for"
