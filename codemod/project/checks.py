"""The project's consistency checks, after every file was migrated with the plan's facts.

The plan decided each shared client from dry runs; a file's real run can still end
otherwise (its rewrite failed the engine's gate, a worker died). A client migrated in its
readers must therefore really be migrated where it is created, under the same name (or, for
a client shared by a name, set under the name its readers now read): else
the readers would call Mixpanel methods on an Amplitude client, or import a name that is
gone. Each reader's rewrite is then withheld (its result becomes an error, the file is left
as it was) and says which module failed it. Then the module order of each migrated client
(`order.py`): a reader calling it at top level where its Mixpanel init may not have run yet.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from typing import TypeVar

from ..engine import language_of
from ..options import injected_as, shared_by_name
from ..results import FileResult, in_order
from .order import before_init
from .plan import Plan, Shared

J = TypeVar("J")


def _binds(output: bytes | None, name: str, path: str) -> bool:
    """Whether a module still binds or exports `name` at top level (its importers read it),
    or, for a client shared by a name (`$amplitude`, `locals.amplitude`), still sets it under
    its new name (`inject('mixpanel', ...)`, `globalProperties.$mixpanel = ...`)."""
    if output is None:
        return False
    if language_of(path) == "javascript":
        from ..js.bindings import Scopes
        from ..js.estree import ParseError, parse_js
        from ..js.shared import set_key
        from .jsindex import exported

        text = output.decode("utf-8", "surrogateescape")
        parsed = parse_js(text, os.path.splitext(path)[1].lower())
        if isinstance(parsed, ParseError):
            return False
        if shared_by_name(name):  # a client shared by a name: it sets it under its new name
            scopes = Scopes(parsed.program)
            return any((shared := set_key(node, lambda n: scopes.resolve(n) is None)) is not None
                       and shared[0] == injected_as(name) for node, _ in scopes.nodes)
        return any(found == name for found, _, _ in exported(parsed.program, text))
    try:
        tree = ast.parse(output)
    except (SyntaxError, ValueError):
        return False
    return any(
        isinstance(node, (ast.Assign, ast.AnnAssign)) and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
        for node in tree.body)


def _broken(client: Shared, results: dict[str, FileResult]) -> str | None:
    """Why a client migrated in its readers is not migrated in its own module, if it is not."""
    created = results.get(client.creator)
    if created is None:
        return None  # outside the run: the plan held it
    if created.status != "changed":
        return f"{created.status}{': ' + created.reason if created.reason else ''}"
    if not _binds(created.output, client.name, client.creator):
        if shared_by_name(client.name):
            return f"its rewrite does not set `{injected_as(client.name)}`, which this module reads"
        return f"its rewrite no longer binds `{client.name}`, which this module imports"
    return None


def check(plan: Plan, pairs: list[tuple[J, FileResult]]) -> list[tuple[J, FileResult]]:
    """`pairs` with the rewrite of every reader of a client its module failed to migrate
    withheld, and each migrated reader's top-level calls that can run before the client's
    Mixpanel init reported (`order.py`)."""
    if not plan.shared:
        return pairs
    results = {os.path.normpath(result.path): result for _, result in pairs}
    withheld: dict[str, str] = {}
    for client in plan.shared:
        if client.held:
            continue
        why = _broken(client, results)
        if why is not None:
            for reader in client.readers:
                withheld[reader] = (
                    f"project-inconsistent: the client `{client.name}` this module uses was not "
                    f"migrated in {client.creator} ({why}); this file's rewrite of its uses is "
                    "withheld so both stay on Amplitude")
    pairs = [
        (job, replace(result, status="error", output=None, diff=None,
                      reason=withheld[os.path.normpath(result.path)]))
        if os.path.normpath(result.path) in withheld and result.status == "changed"
        else (job, result)
        for job, result in pairs
    ]
    late = before_init(plan, {os.path.normpath(result.path): result for _, result in pairs})
    return [
        (job, replace(result, findings=in_order((*result.findings, *late[path]))))
        if (path := os.path.normpath(result.path)) in late else (job, result)
        for job, result in pairs
    ]
