"""Clients shared by a name, not an import: how a module sets one and how others read it.

A framework hands one client to every module under a name: a Nuxt 2 plugin's
`inject('amplitude', amplitude)` and Vue's `app.config.globalProperties.$amplitude = amplitude`
or `Vue.prototype.$amplitude = amplitude` are read as `this.$amplitude` (and `$amplitude` in
a template); Express's `app.locals.amplitude = client` as `req.app.locals.amplitude`; a
global `window.amplitude = amplitude` (or `globalThis.`, `self.`) as `window.amplitude`. Each
is one *key*, spelled as readers spell it: `$amplitude`, `locals.amplitude`,
`window.amplitude`. The project index (`codemod/project/jsindex.py`) finds the setters and
the files spelling a key, the migrator follows the reads, and the project checks
(`codemod/project/checks.py`) find the setter again in a rewrite: all three ask this module.
Once migrated the key is renamed (`options.injected_as`: `$mixpanel`, `locals.mixpanel`),
in the setter and in every read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from .bindings import member_name, string_value
from .estree import Node

GLOBALS = ("window", "globalThis", "self")  # the objects a browser's globals live on
_SHARED_ON = ("globalProperties", "prototype")  # Vue 3's and Vue 2's: `$name` on every component

IsGlobal = Callable[[Node], bool]  # whether an identifier is an undeclared global


def read_key(node: Node, is_global: IsGlobal) -> str | None:
    """The key a read spells: `this.$x` and a template's bare `$x` → `$x`; `a.locals.x` →
    `locals.x`; `window.x` (an undeclared `window`, `globalThis` or `self`) → `window.x`;
    None for anything else. Only a key some module sets is a client."""
    if node["type"] == "Identifier":
        return node["name"] if node["name"].startswith("$") and is_global(node) else None
    if node["type"] != "MemberExpression" or node.get("computed"):
        return None
    name = member_name(node) or ""
    holder = node["object"]
    if name.startswith("$"):
        return name
    if holder["type"] == "MemberExpression" and not holder.get("computed") and member_name(
        holder
    ) == "locals":
        return "locals." + name
    if holder["type"] == "Identifier" and holder["name"] in GLOBALS and is_global(holder):
        return "window." + name
    return None


def set_key(node: Node, is_global: IsGlobal) -> tuple[str, Node, Node] | None:
    """(key, the value shared, the node naming the key) when `node` shares a value by name:
    `inject('x', value)`, `<app>.config.globalProperties.$x = value`, `Vue.prototype.$x =
    value`, `<app>.locals.x = value`, `window.x = value`."""
    if node["type"] == "CallExpression":
        arguments = node["arguments"]
        name = string_value(arguments[0]) if len(arguments) == 2 else None
        if node["callee"].get("name") != "inject" or not name:
            return None
        return "$" + name, arguments[1], arguments[0]
    if node["type"] != "AssignmentExpression" or node["operator"] != "=":
        return None
    left = node["left"]
    key = read_key(left, is_global) if left["type"] == "MemberExpression" else None
    if key is None or (key.startswith("$") and not (
        left["object"]["type"] == "MemberExpression" and member_name(left["object"]) in _SHARED_ON
    )):
        return None
    return key, node["right"], left["property"]


@cache
def spelled(key: str) -> re.Pattern[str]:
    """Where a text spells `key` as a read: a global key under any global's name."""
    holder, _, name = key.rpartition(".")
    if holder == "window":
        spellings = "|".join(re.escape(f"{g}.{name}") for g in GLOBALS)
        return re.compile(rf"(?<![\w$.])(?:{spellings})(?![\w$])")
    return re.compile(rf"(?<![\w$]){re.escape(key)}(?![\w$])")
