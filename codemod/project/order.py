"""Module order: no Mixpanel call may run before the Mixpanel init that reaches it.

Amplitude's browser SDKs queue a call made before `init` and send it once init runs;
mixpanel-browser throws or drops it. A call inside a function runs when something calls it,
most often long after every module loaded; a call at a module's top level runs when the
module is first loaded, and nothing loads the module holding the client's init before it
unless this module loads that one first. So, after a run, each reader of a shared client
migrated to Mixpanel whose top-level code calls the client before it has loaded (directly or
through the modules it loads, as the index resolves them) a module holding the client's
Mixpanel init is reported (JS-ORDER, review) at the call, with the init's `path:line`:

- ES modules hoist their imports: a reader importing the init's module, however far down,
  has it evaluated before its own body, and one that does not can run first;
- CommonJS loads a module at its `require`: a top-level call above the `require` that leads
  to the init's module counts too.

Not checked, and why: Python, whose readers read the client by `from config import client`,
and importing `config` runs that module, whose `client = Mixpanel(TOKEN)` is the init, first;
a Nuxt plugin's injected client, read through the app Nuxt hands pages after its plugins ran,
never at a module's top level; and a reader holding the init itself, whose order is its own.

It stays cheap: each reader's top-level calls and loads were recorded while the index parsed
it for its imports (`top_level`), the modules those load are followed by their summaries, and
the migrated outputs are searched as text for the init, only for a client some reader calls
at top level.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ..js.bindings import require_source
from ..js.estree import Node, walk
from ..results import FileResult, Finding
from .index import Read, js_module
from .summary import JAVASCRIPT

if TYPE_CHECKING:
    from .plan import Plan, Shared

RULE = "JS-ORDER"
_FUNCTIONS = frozenset({"FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression",
                        "ClassDeclaration", "ClassExpression"})
# The names a migrated module initialises Mixpanel by, besides its own name for the client.
_MIXPANEL = ("mixpanel", "Mixpanel", "window.mixpanel")


def top_level(program: Node, local: str) -> tuple[tuple[tuple[int, int], ...],
                                                  tuple[tuple[str, int], ...]]:
    """(offset, line) of each call on `local` that runs when the module loads (outside every
    function and class), and (specifier, offset) of each relative module loaded there."""
    calls: list[tuple[int, int]] = []
    loads: list[tuple[str, int]] = []
    deferred: set[int] = set()  # the nodes inside a function or class body
    for node, parent in walk(program):
        kind = node["type"]
        if (parent is not None and id(parent) in deferred) or kind in _FUNCTIONS:
            deferred.add(id(node))
            continue
        source = node.get("source") if kind in (
            "ImportDeclaration", "ExportNamedDeclaration", "ExportAllDeclaration") else None
        if source is not None and str(source.get("value", "")).startswith("."):
            loads.append((source["value"], 0))  # hoisted: loaded before the module's body
        elif kind == "CallExpression":
            spelled = require_source(node)
            if spelled is not None and spelled.startswith("."):
                loads.append((spelled, node["range"][0]))
            elif _root(node["callee"]) == local:
                calls.append((node["range"][0], node["loc"]["start"]["line"]))
    return tuple(calls), tuple(loads)


def _root(node: Node) -> str | None:
    """The identifier a callee is read from: `instance` for `instance.people.set`."""
    while node["type"] == "MemberExpression":
        node = node["object"]
    return node.get("name") if node["type"] == "Identifier" else None


def before_init(plan: Plan, results: dict[str, FileResult]) -> dict[str, list[Finding]]:
    """Per reader (by normalised path), the JS-ORDER findings on its top-level calls of a
    migrated client that can run before the client's Mixpanel init."""
    found: dict[str, list[Finding]] = {}
    for client in plan.shared:
        if client.held or client.name.startswith("$") or not client.creator.lower().endswith(
            JAVASCRIPT
        ):
            continue
        reads = [read for read in plan.index.reads
                 if (os.path.normpath(read.client.path), read.client.name) == (
                     client.creator, client.name)]
        if not any(read.calls for read in reads):
            continue
        inits = _inits(client, reads, results)
        targets = {os.path.abspath(path) for path, _ in inits}
        where = ", ".join(f"{path}:{line}" for path, line in inits)
        for read in reads:
            path = os.path.normpath(read.path)
            result = results.get(path)
            if result is None or result.status != "changed" or os.path.abspath(path) in targets:
                continue
            ready = min((offset for spelled, offset in read.loads
                         if _reaches(plan, js_module(path, spelled), targets)), default=None)
            for offset, line in read.calls:
                if ready is None or offset < ready:
                    found.setdefault(path, []).append(
                        _finding(line, read, client, where, ready is not None))
    return found


def _inits(client: Shared, reads: list[Read], results: dict[str, FileResult]
           ) -> list[tuple[str, int]]:
    """`(path, line)` of each Mixpanel init of the client in the migrated modules that create
    or read it (the line of the output, where the init now is)."""
    names: dict[str, set[str]] = {client.creator: set(_MIXPANEL)}
    for read in reads:
        names.setdefault(os.path.normpath(read.path), set(_MIXPANEL)).add(read.local)
    inits = []
    for path, spelled in names.items():
        result = results.get(path)
        if result is None or result.status != "changed" or result.output is None:
            continue
        text = result.output.decode("utf-8", "surrogateescape")
        match = re.search(rf"(?<![\w$.])(?:{'|'.join(map(re.escape, sorted(spelled)))})\.init\(",
                          text)
        if match is not None:
            inits.append((path, text.count("\n", 0, match.start()) + 1))
    return sorted(inits)


def _reaches(plan: Plan, start: str | None, targets: set[str]) -> bool:
    """Whether loading `start` loads one of `targets` (absolute paths) first, following each
    module's relative imports by its summary."""
    seen: set[str] = set()
    todo = [start] if start is not None else []
    while todo:
        path = todo.pop()
        if path in targets:
            return True
        if path in seen:
            continue
        seen.add(path)
        summary = plan.summarize(path) if plan.summarize is not None else None
        if summary is not None:
            todo += [found for name in summary.names
                     if (found := js_module(path, name)) is not None]
    return False


def _finding(line: int, read: Read, client: Shared, where: str, later: bool) -> Finding:
    if not where:
        why = "no module that creates or imports it initialises it"
    elif later:
        why = f"this module loads the module that initialises it ({where}) only further down"
    else:
        why = f"this module does not import the module that initialises it ({where})"
    return Finding(
        line, RULE, None, "review",
        f"this call on `{read.local}` (the Mixpanel client {client.creator} exports) runs when "
        f"the module loads, and {why}: loaded first, mixpanel-browser drops or throws on the "
        "call where Amplitude queued it until init; load that module before the call (import "
        "it, or require it above the call), or make the call from a function that runs "
        "after init")
