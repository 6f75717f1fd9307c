"""Spec §3.8: Amplitude imports and requires become the Mixpanel SDK's, once unused.

An Amplitude import is removed only when a rewrite took away every reference to each name it
binds (`Migrator.consumed`); a name with any other use keeps its specifier (the leftover
reference is reported). The first Amplitude import whose family was rewritten carries the Mixpanel import
(ESM or CommonJS, as the Amplitude one was), and for Node and React Native the module-level
client those SDKs need (§3.3, AR01).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..results import Change, Finding
from .estree import Node
from .keys import default_token
from .targets import TARGETS
from .text import name_pattern

if TYPE_CHECKING:
    from .migrate import Migrator


def mixpanel_import(m: Migrator, target: str, esm: bool, kind: str, semi: str,
                    family: str = "") -> str:
    """The Mixpanel import for `target`, plus its module-level client where one is needed
    (constructed as the Amplitude SDK's registry entry says, `client_config`)."""
    package = m.src.string(m.registry.targets[target].package)
    sdk = m.registry.sdks.get(family)
    config = (sdk.client_config if sdk is not None else "") or m.node_config
    token = m.module_token or default_token(m)[0]
    return TARGETS[target].import_text(package, esm, kind, semi, m.newline, token,
                                       config, m.module_client,
                                       not m.typed or m.options.facts.default_import is not False)


def _target_name(m: Migrator, package: str) -> str:
    target = m.registry.target_named(package)
    return target.name if target is not None else ""


def _present(m: Migrator) -> set[str]:
    """Targets whose Mixpanel package the program already imports (a partial migration)."""
    from .bindings import require_source

    found: set[str] = set()
    for statement in m.program["body"]:
        if statement["type"] == "ImportDeclaration":
            found.add(_target_name(m, statement["source"]["value"]))
        elif statement["type"] == "TSImportEqualsDeclaration":
            expression = statement["moduleReference"].get("expression")
            found.add(_target_name(m, (expression or {}).get("value") or ""))
        elif statement["type"] == "VariableDeclaration":
            for declarator in statement["declarations"]:
                found.add(_target_name(m, require_source(declarator.get("init")) or ""))
    return found - {""}


def plan_imports(m: Migrator) -> None:
    emitted: set[str] = _present(m)
    # Without the import, an undeclared `amplitude` would read as the CDN snippet's global on
    # the next run: keep the imports so the file means the same thing to every run.
    keep_all = not m.targets or any(i["name"] == "amplitude" for i in m.b.scopes.unresolved)
    for statement, family in m.b.imports:
        target = m.registry.target_of(family).name if family in m.registry.sdks else None
        _report_default_interop(m, statement, family)
        declared = [b for b in m.b.by_decl.values() if b.decl.statement is statement]
        kept = declared if keep_all else [b for b in declared if _still_used(m, b, statement)]
        # Another package's own names beside the SDK it exports (`Constants` of `expo`) stay.
        others = [spec for spec in statement.get("specifiers", [])
                  if not any(b.decl.node is spec for b in declared)]
        if len(statement.get("declarations", [])) > 1:
            continue  # `const a = require(...), b = 1`: left alone, references reported
        semi = ";" if m.src.of(statement).rstrip().endswith(";") else ""
        esm = statement["type"] == "ImportDeclaration"
        # `import x = require(...)` (TypeScript) keeps its form: `import mixpanel = require(...)`.
        kind = "import" if statement["type"] == "TSImportEqualsDeclaration" else statement.get(
            "kind", "const")
        parts: list[str] = []
        if kept or others:
            if len(kept) == len(declared):
                parts.append(m.src.of(statement))
            elif esm:
                parts.append(_rebuild_import(m, statement, [b.decl.node for b in kept] + others,
                                             semi))
            else:
                parts.append(_rebuild_require(m, statement, kept))
        if target in m.targets and target not in emitted:
            emitted.add(target)
            parts.append(mixpanel_import(m, target, esm, kind, semi, family))
        replacement = m.newline.join(parts)
        current = m.src.of(statement)
        if replacement == current:
            continue
        line = m.line(statement)
        if replacement:
            m.replace(statement, replacement)
        else:
            m.delete_statement(statement)
        m.result.changes.append(Change(line, "JS-IMPORTS", current, replacement or "(deleted)"))
        # The note is about the module-level client: clients kept in variables have none.
        note = TARGETS[target].module_note if target is not None and m.module_client else None
        if family in m.b.families.values() and note is not None and target in emitted:
            m.result.findings.append(Finding(line, "JS-IMPORTS", note[0], "review", note[1]))


def _still_used(m: Migrator, binding, statement: Node) -> bool:
    decl = binding.decl
    if any(not m.consumed(ref) for ref in decl.refs):
        return True
    if not m.typed:
        return False
    # Type annotations are opaque in the lowered tree (`implements Types.Storage<T>`,
    # `const e: amplitude.Types.BaseEvent`): look for the name in the text the rewrites
    # left, outside comments and strings. A type is not a use to migrate: one finding at the
    # import that keeps it lists where it is used.
    text = m.src.text
    start, end = statement["range"]
    left = [f for f in name_pattern(decl.name).finditer(text)
            if not any(s <= f.start() < e for s, e in [(start, end), *m.replaced])]
    strings = _strings(m) if left else []
    lines = list(dict.fromkeys(m.lines.line(m.base + f.start()) for f in left
                               if not any(s <= f.start() < e for s, e in strings)
                               and not _in_comment(text, f.start(), strings)))
    if not lines:
        return False
    listed = ", ".join(str(n) for n in lines)
    m.result.findings.append(Finding(
        m.line(statement), "JS-UNRESOLVED", None, "manual",
        f"{decl.name} stays imported from Amplitude for types only (line"
        f"{'s' if len(lines) > 1 else ''} {listed}): they need no rewrite, but the package "
        "must stay installed for them, or replace them with a Mixpanel type or your own and "
        "drop the import"))
    return True


def _strings(m: Migrator) -> list[tuple[int, int]]:
    return [tuple(n["range"]) for n, _ in m.b.scopes.nodes
            if (n["type"] == "Literal" and isinstance(n.get("value"), str))
            or n["type"] == "TemplateElement"]


def _in_comment(text: str, position: int, strings: list[tuple[int, int]]) -> bool:
    """Whether `position` is inside a `//` or `/* */` comment. The tree holds no comments:
    the markers are found in the text, those inside string literals passed over."""
    def code(at: int) -> bool:
        return not any(s <= at < e for s, e in strings)

    line_start = max(text.rfind("\n", 0, position), text.rfind("\r", 0, position)) + 1
    if any(code(line_start + i) for i in _all(text[line_start:position], "//")):
        return True
    opened = [i for i in _all(text[:position], "/*") if code(i)]
    return bool(opened) and text.find("*/", opened[-1]) >= position


def _all(text: str, marker: str) -> list[int]:
    return [found.start() for found in re.finditer(re.escape(marker), text)]


def _rebuild_import(m: Migrator, statement: Node, kept: list[Node], semi: str) -> str:
    """The import with only the `kept` specifiers, in their order."""
    kept = sorted(kept, key=lambda spec: spec["range"][0])
    names = [m.src.of(spec) for spec in kept if spec["type"] == "ImportSpecifier"]
    default = [m.src.of(spec) for spec in kept if spec["type"] != "ImportSpecifier"]
    clause = ", ".join(default + ([f"{{ {', '.join(names)} }}"] if names else []))
    kind = "import type " if statement.get("importKind") == "type" else "import "
    return f"{kind}{clause} from {m.src.of(statement['source'])}{semi}"


def _rebuild_require(m: Migrator, statement: Node, kept) -> str:
    """`const { a, b } = require(...)` keeping only the properties still used."""
    pattern = statement["declarations"][0]["id"] if statement.get("declarations") else None
    if pattern is None or pattern["type"] != "ObjectPattern":
        return m.src.of(statement)
    names = {b.decl.name for b in kept}
    props = [m.src.of(p) for p in pattern["properties"]
             if p["type"] == "Property" and p["value"].get("name") in names]
    start, end = statement["range"]
    p_start, p_end = pattern["range"]
    text = m.src.text
    return text[start:p_start] + "{ " + ", ".join(props) + " }" + text[p_end:end]


def _report_default_interop(m: Migrator, statement: Node, family: str) -> None:
    """§1.2: the 2.x packages have no default export; such an import only works by interop."""
    if family == "amplitude-js" or statement["type"] != "ImportDeclaration":
        return
    if family in m.registry.sdks and "constructor" in m.registry.sdks[family].clients:
        return  # the class is the module, and the module's `default` too
    if any(s["type"] == "ImportDefaultSpecifier" for s in statement["specifiers"]):
        m.result.findings.append(Finding(
            m.line(statement), "JS-IMPORTS", None, "review",
            f"{statement['source']['value']} has no default export: this import only works "
            "through CommonJS interop; it was treated as the namespace import"))
