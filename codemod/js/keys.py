"""The JavaScript side of `codemod/tokens.py`: read an Amplitude key argument into a `KeyRef`,
and pick the token a rewritten client is created with.

The default a site falls back to follows the file too: a module that reads its configuration
from `import.meta.env` (Vite) has no `process`, an HTML page's script has neither, nor has a
classic script (one that imports, exports and requires nothing and reads no `process`: a
`<script src>` a page loads, whose snippet global it calls), and in TypeScript `process.env.X`
is `string | undefined`, which strict `init(token: string)` rejects.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..options import Options
from ..tokens import PREFIXES, KeyRef, Token, token_for
from .estree import Node, walk

if TYPE_CHECKING:
    from .migrate import Migrator

_WRAPPERS = ("TSNonNullExpression", "TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion")
_FUNCTIONS = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
BUILT_IN = "process.env.MIXPANEL_TOKEN"
_META_ENV = re.compile(r"import\.meta\.env\.([A-Z][A-Z0-9_]*)")
_PROCESS_ENV = re.compile(r"process\.env\.([A-Z][A-Z0-9_]*)")
_MODULE_HINTS = re.compile(r"\brequire\s*\(|\bprocess\.|\bmodule\.exports\b|\bexports\.")
_MODULE_STATEMENTS = ("ImportDeclaration", "ExportNamedDeclaration", "ExportDefaultDeclaration",
                      "ExportAllDeclaration")


def _core(node: Node) -> Node:
    """The expression that reads the key, under TypeScript casts and `?? ''`/`|| ''` defaults."""
    while True:
        if node["type"] in _WRAPPERS:
            node = node["expression"]
        elif node["type"] == "LogicalExpression" and node["operator"] in ("??", "||"):
            node = node["left"]
        else:
            return node


def key_ref(m: Migrator, node: Node | None) -> KeyRef | None:
    """What `node`, the key argument of an Amplitude init, reads."""
    if node is None:
        return None
    start = node["range"][0]
    text = m.src.of(node)
    core = _core(node)
    if (core["type"] == "Literal" and isinstance(core["value"], str)) or (
            core["type"] == "TemplateLiteral" and not core["expressions"]):
        return KeyRef("literal", text)
    if core["type"] == "Identifier":
        decl = m.b.scopes.resolve(core)
        if decl is not None and decl.kind == "param":
            owner = decl.scope
            name = (owner.get("id") or {}).get("name", "")
            if not name:
                parent = m.parent(owner)
                if parent is not None and parent["type"] == "VariableDeclarator":
                    name = parent["id"].get("name", "")
                elif parent is not None and parent["type"] in ("Property", "MethodDefinition"):
                    name = parent["key"].get("name", "")
            return KeyRef("parameter", text, function=name)
        return KeyRef("other", text)
    if core["type"] == "MemberExpression":
        prop = core["property"]
        if not core.get("computed") and prop["type"] == "Identifier":
            s, e = prop["range"]
        elif prop["type"] == "Literal" and isinstance(prop["value"], str):
            s, e = prop["range"][0] + 1, prop["range"][1] - 1
        else:
            return KeyRef("other", text)
        return KeyRef("name", text, base=m.src.of(core["object"]), start=s - start, end=e - start)
    return KeyRef("other", text)


def default_token(m: Migrator) -> tuple[str, str | None]:
    """The fallback token expression for this file and the variable it reads."""
    if (m.page or _classic(m)) and not m.options.js_token_explicit and not _META_ENV.search(
            m.src.text):
        # A page's script: no bundler defines anything, so the token is written in.
        return m.src.string("YOUR_MIXPANEL_TOKEN"), None
    return file_default_token(m.src.text, m.options, m.typed)


def _classic(m: Migrator) -> bool:
    """A classic script calling the snippet global: no module syntax, no `process`."""
    return m.snippet_used and not m.typed and not any(
        s["type"] in _MODULE_STATEMENTS for s in m.program["body"]) and not _MODULE_HINTS.search(
        m.src.text)


def file_default_token(text: str, options: Options, typed: bool) -> tuple[str, str | None]:
    """The fallback token of a bundled module of `text`, and the variable it reads: the
    configured token when set explicitly, else `MIXPANEL_TOKEN` read the way the module reads
    its other configuration (asserted a string in TypeScript)."""
    if options.js_token_explicit:
        return options.js_token, None
    meta = _META_ENV.findall(text)
    if meta:
        name = _prefixed(meta, "VITE_")
        return f"import.meta.env.{name}", name
    name = _prefixed(_PROCESS_ENV.findall(text), "")
    expression = f"process.env.{name}"
    return (f"{expression}!" if typed else expression), name


def _prefixed(names: list[str], fallback: str) -> str:
    """`MIXPANEL_TOKEN` under the framework prefix the file's other variables use."""
    found = next((p for n in names for p in PREFIXES if n.startswith(p)), fallback)
    return f"{found}MIXPANEL_TOKEN"


def site_token(m: Migrator, key: Node | None, module_level: bool = False) -> Token:
    """The token the Mixpanel client replacing this init is created with.

    `module_level`: the client is created where the module loads (Node, React Native), where
    only names declared at module level before it, or imported, are in scope.
    """
    ref = key_ref(m, key)
    scoped = not module_level or key is None or ref is None or ref.kind == "literal" or (
        _module_scoped(m, key))
    default, variable = default_token(m)
    return token_for(ref, default, variable, m.options.js_token_explicit, scoped)


def _module_scoped(m: Migrator, key: Node) -> bool:
    """Whether every name `key` reads is global, imported (ESM imports are hoisted) or
    declared at module level above the first Amplitude import, where the client is created."""
    first = min((statement["range"][0] for statement, _ in m.b.imports), default=0)
    for node, parent in walk(key):
        if node["type"] != "Identifier" or (parent is not None and parent["type"] == (
                "MemberExpression") and parent["property"] is node and not parent.get("computed")):
            continue
        decl = m.b.scopes.resolve(node)
        if decl is None or decl.kind == "import":
            continue
        if decl.scope is not m.program or decl.node["range"][1] > first:
            return False
    return True
