"""Scope-aware receiver resolution (spec §3.0).

A call is rewritten only when its receiver provably is an Amplitude client: a name bound by
an Amplitude import or `require`, a variable bound once to such a client
(`amplitude.getInstance()`, `createInstance()`, `new AmplitudeClient()`), or the snippet's
global. Names are resolved through JavaScript's scopes (hoisted `var`/functions, block-scoped
`let`/`const`/`class`, parameters, catch clauses), so a local `track` function, a parameter
called `amplitude` or Segment's `analytics` never resolve to the SDK.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..options import ClientFact
from ..sdks import Registry, load_registry
from .estree import Node, walk

_FUNCTIONS = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
# TypeScript's wrappers around an expression that leave its value as it is.
CASTS = ("TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression")
_BLOCKS = ("BlockStatement", "ForStatement", "ForInStatement", "ForOfStatement",
           "SwitchStatement", "CatchClause", "StaticBlock")


@dataclass
class Decl:
    """One declared name: where it lives and what declared it."""

    name: str
    scope: Node
    kind: str  # import | require | var | let | const | function | param | class | catch
    node: Node  # the specifier, declarator, function or parameter that declares it
    statement: Node | None = None  # the import/variable declaration statement
    refs: list[Node] = field(default_factory=list)
    writes: int = 0


@dataclass
class Binding:
    """What an Amplitude-related declaration holds.

    `role` is `module` (namespace/default import or require of the package), `function`
    (a named SDK function; `member` names it), `class` (`Identify`/`Revenue`), `type`, or
    `client` (a variable holding a client; `instance` is its amplitude-js name). Another
    module's hook or React context that hands out its client (the plan's `fact.via`) is a
    `carrier`: not the client, but what `useAmplitude()` or `useContext(Ctx)` reads it from.
    """

    decl: Decl
    family: str
    role: str
    member: str = ""
    instance: str | None = None
    source: Node | None = None  # the module string literal, for quote style
    # Another module's client this one imports (the project plan's fact): it keeps its
    # own name here, and the module that creates it decides it (`codemod/project/`).
    fact: ClientFact | None = None


class Scopes:
    """Declarations per scope node and a resolver for identifier references."""

    def __init__(self, program: Node) -> None:
        self.program = program
        self.parents: dict[int, Node] = {}
        self.declared: dict[int, dict[str, Decl]] = {}
        self.decl_ids: set[int] = set()
        self.unresolved: list[Node] = []
        # Every (node, parent) pair once, pre-order; the migrator reuses it to find the calls.
        self.nodes = nodes = list(walk(program))
        for node, parent in nodes:
            if parent is not None:
                self.parents[id(node)] = parent
        for node, _ in nodes:
            self._declare(node)
        for node, parent in nodes:
            if node["type"] == "Identifier" and self._is_reference(node, parent):
                decl = self.resolve(node)
                if decl is None:
                    self.unresolved.append(node)
                else:
                    decl.refs.append(node)
                    if parent and parent["type"] == "AssignmentExpression" and parent["left"] is node:
                        decl.writes += 1
                    if parent and parent["type"] == "UpdateExpression":
                        decl.writes += 1

    # --- declarations ----------------------------------------------------------------------
    def parent(self, node: Node) -> Node | None:
        return self.parents.get(id(node))

    def _scope_of(self, node: Node, hoisted: bool) -> Node:
        current = self.parent(node)
        while current is not None:
            kind = current["type"]
            if kind == "Program" or kind in _FUNCTIONS:
                return current
            if not hoisted and kind in _BLOCKS:
                return current
            current = self.parent(current)
        return self.program

    def _add(self, scope: Node, name: str, kind: str, node: Node, ident: Node,
             statement: Node | None = None) -> None:
        decl = Decl(name, scope, kind, node, statement)
        self.declared.setdefault(id(scope), {}).setdefault(name, decl)
        self.decl_ids.add(id(ident))

    def _declare(self, node: Node) -> None:
        kind = node["type"]
        if kind == "TSImportEqualsDeclaration":
            self._add(self.program, node["id"]["name"], "import", node, node["id"], node)
        elif kind == "ImportDeclaration":
            for spec in node["specifiers"]:
                self._add(self.program, spec["local"]["name"], "import", spec, spec["local"], node)
        elif kind == "VariableDeclaration":
            hoisted = node["kind"] == "var"
            scope = self._scope_of(node, hoisted)
            for declarator in node["declarations"]:
                for ident in pattern_names(declarator["id"]):
                    self._add(scope, ident["name"], node["kind"], declarator, ident, node)
        elif kind == "FunctionDeclaration" and node.get("id"):
            self._add(self._scope_of(node, True), node["id"]["name"], "function", node, node["id"])
        elif kind == "ClassDeclaration" and node.get("id"):
            self._add(self._scope_of(node, False), node["id"]["name"], "class", node, node["id"])
        if kind in _FUNCTIONS:
            if kind == "FunctionExpression" and node.get("id"):
                self._add(node, node["id"]["name"], "function", node, node["id"])
            for param in node.get("params") or []:
                for ident in pattern_names(param):
                    self._add(node, ident["name"], "param", param, ident)
        elif kind == "CatchClause" and node.get("param"):
            for ident in pattern_names(node["param"]):
                self._add(node, ident["name"], "catch", node, ident)
        elif kind in ("ClassExpression",) and node.get("id"):
            self._add(node, node["id"]["name"], "class", node, node["id"])

    def _is_reference(self, node: Node, parent: Node | None) -> bool:
        if parent is None or id(node) in self.decl_ids:
            return False
        kind = parent["type"]
        if kind in ("MemberExpression",) and parent["property"] is node and not parent["computed"]:
            return False
        if (
            kind in ("Property", "MethodDefinition", "PropertyDefinition")
            and parent["key"] is node
            and not parent.get("computed")
        ):
            return bool(parent.get("shorthand")) and parent.get("value") is node
        if kind in ("LabeledStatement", "BreakStatement", "ContinueStatement") or kind.startswith(
            "Import"
        ):
            return False
        if kind == "ExportSpecifier":
            return parent.get("local") is node
        return True

    def resolve(self, ident: Node) -> Decl | None:
        """The declaration `ident` refers to, or None for a global."""
        name = ident["name"]
        current = self.parent(ident)
        while current is not None:
            table = self.declared.get(id(current))
            if table and name in table:
                return table[name]
            current = self.parent(current)
        table = self.declared.get(id(self.program))
        return table.get(name) if table else None


def pattern_names(pattern: Node | None) -> list[Node]:
    """The identifiers a binding pattern declares (destructuring, defaults, rest)."""
    if pattern is None:
        return []
    kind = pattern["type"]
    if kind == "Identifier":
        return [pattern]
    if kind == "ObjectPattern":
        out: list[Node] = []
        for prop in pattern["properties"]:
            out.extend(pattern_names(prop["argument"] if prop["type"] == "RestElement" else prop["value"]))
        return out
    if kind == "ArrayPattern":
        return [n for element in pattern["elements"] for n in pattern_names(element)]
    if kind == "AssignmentPattern":
        return pattern_names(pattern["left"])
    if kind == "RestElement":
        return pattern_names(pattern["argument"])
    if kind == "TSParameterProperty":
        return pattern_names(pattern.get("parameter"))
    return []


def require_source(node: Node | None) -> str | None:
    """`'pkg'` for `require('pkg')`, else None."""
    if (
        node is not None
        and node["type"] == "CallExpression"
        and node["callee"]["type"] == "Identifier"
        and node["callee"]["name"] == "require"
        and len(node["arguments"]) == 1
        and node["arguments"][0]["type"] == "Literal"
        and isinstance(node["arguments"][0]["value"], str)
    ):
        return node["arguments"][0]["value"]
    return None


def string_value(node: Node | None) -> str | None:
    """The value of a string literal or a template literal without expressions."""
    if node is None:
        return None
    if node["type"] == "Literal" and isinstance(node["value"], str):
        return node["value"]
    if node["type"] == "TemplateLiteral" and not node["expressions"]:
        return node["quasis"][0]["value"]["cooked"]
    return None


class Bindings:
    """The Amplitude bindings of one program, resolved through `Scopes`."""

    def __init__(self, program: Node, registry: Registry | None = None,
                 retarget: dict[str, str] | None = None,
                 facts: tuple[ClientFact, ...] = ()) -> None:
        self.registry = registry if registry is not None else load_registry()
        self.facts = {(f.module, f.name): f for f in facts if f.module}
        # Package -> SDK family (the registry's migrated SDKs). The family picks the rule
        # table and the Mixpanel target; `retarget` reads one family as another (a browser
        # SDK in a module that runs on a server: `context.py`).
        self.families = {package: (retarget or {}).get(family, family)
                         for package, family in self.registry.families().items()}
        self.type_packages = self.registry.type_packages()
        self.hosted = self.registry.hosted()
        self.scopes = Scopes(program)
        self.by_decl: dict[int, Binding] = {}
        self.imports: list[tuple[Node, str]] = []  # (statement, family) in source order
        for table in list(self.scopes.declared.values()):
            for decl in table.values():
                self._classify_import(decl)
        # Client variables can chain (`const a = amp.getInstance(); const b = a;`).
        for _ in range(3):
            for table in list(self.scopes.declared.values()):
                for decl in table.values():
                    if id(decl) not in self.by_decl:
                        self._classify_variable(decl)

    def _classify_import(self, decl: Decl) -> None:
        statement = decl.statement
        if decl.kind == "import" and statement is not None and (
            statement["type"] == "TSImportEqualsDeclaration"
        ):
            reference = statement["moduleReference"]
            source = reference.get("expression") if reference["type"] == (
                "TSExternalModuleReference") else None
            family = self.families.get(string_value(source) or "")
            if family is not None:
                self._remember(statement, family)
                self.by_decl[id(decl)] = Binding(decl, family, "module", source=source)
        elif decl.kind == "import" and statement is not None:
            source = statement["source"]
            family = self.families.get(source["value"])
            spec = decl.node
            if family is None and spec["type"] == "ImportSpecifier" and statement.get(
                "importKind") != "type":
                imported = spec["imported"]
                member = imported["name"] if imported["type"] == "Identifier" else imported["value"]
                hosted = self.hosted.get((source["value"], member))
                if hosted is not None:  # `import { Amplitude } from 'expo'`: the SDK itself
                    self._remember(statement, hosted)
                    self.by_decl[id(decl)] = Binding(decl, hosted, "module", member, source=source)
                    return
            if family is None and self._shared(decl, source["value"], _imported_name(decl.node)):
                return
            if family is None:
                if source["value"] in self.type_packages:
                    self._remember(statement, "types")
                    self.by_decl[id(decl)] = Binding(decl, "types", "type", source=source)
                return
            self._remember(statement, family)
            if spec["type"] in ("ImportDefaultSpecifier", "ImportNamespaceSpecifier"):
                self.by_decl[id(decl)] = Binding(decl, family, "module", source=source)
            else:
                imported = spec["imported"]
                member = imported["name"] if imported["type"] == "Identifier" else imported["value"]
                type_only = statement.get("importKind") == "type" or spec.get("importKind") == "type"
                role = "type" if type_only or member == "Types" else (
                    "module" if member in self.registry.sdks[family].module_exports else role_of(member))
                self.by_decl[id(decl)] = Binding(decl, family, role, member, source=source)
        elif decl.kind in ("const", "let", "var") and statement is not None:
            init = decl.node.get("init")
            source_name = require_source(init)
            family = self.families.get(source_name or "")
            if family is None and source_name is not None and init is not None:
                self._shared_require(decl, source_name)
                return
            if family is None or init is None:
                return
            self._remember(statement, family)
            target = decl.node["id"]
            if target["type"] == "Identifier":
                self.by_decl[id(decl)] = Binding(decl, family, "module", source=init["arguments"][0])
                return
            if target["type"] == "ObjectPattern":
                for prop in target["properties"]:
                    if prop["type"] != "Property" or prop["computed"]:
                        continue
                    value = prop["value"]
                    if value["type"] == "Identifier" and value["name"] == decl.name:
                        member = prop["key"].get("name") or prop["key"].get("value")
                        role = "module" if member in self.registry.sdks[family].module_exports else (
                            role_of(member))
                        self.by_decl[id(decl)] = Binding(
                            decl, family, role, member, source=init["arguments"][0])

    def _shared(self, decl: Decl, module: str, name: str | None) -> bool:
        """Bind `decl` to another module's client, when the plan says `name` is one."""
        fact = self.facts.get((module, name or ""))
        if fact is None:
            return False
        self.by_decl[id(decl)] = Binding(decl, fact.family, "carrier" if fact.via else fact.role,
                                         fact.member, fact.instance, fact=fact)
        return True

    def _shared_require(self, decl: Decl, module: str) -> None:
        """`const x = require('./m')` (the whole export) or `const { x } = require('./m')`."""
        target = decl.node["id"]
        if target["type"] == "Identifier":
            self._shared(decl, module, "module.exports")
        elif target["type"] == "ObjectPattern":
            for prop in target["properties"]:
                value = prop.get("value")
                if prop["type"] == "Property" and not prop["computed"] and value is not None and (
                    value["type"] == "Identifier" and value["name"] == decl.name
                ):
                    self._shared(decl, module, prop["key"].get("name") or prop["key"].get("value"))

    def _remember(self, statement: Node, family: str) -> None:
        if all(s is not statement for s, _ in self.imports):
            self.imports.append((statement, family))

    def _classify_variable(self, decl: Decl) -> None:
        if decl.kind not in ("const", "let", "var") or decl.node["id"]["type"] != "Identifier":
            return
        if decl.writes or decl.node.get("init") is None:
            return
        client = self.client_of(decl.node["init"])
        if client is not None:
            # `const analytics = useAmplitude()` stays as it is, bound to whatever the other
            # module's context holds: the plan decides it there (`fact`).
            self.by_decl[id(decl)] = Binding(decl, client.family, "client", client.member,
                                             client.instance, client.source,
                                             client.fact if client.decl.kind == "carried" else None)

    # --- queries ---------------------------------------------------------------------------
    def binding(self, ident: Node) -> Binding | None:
        decl = self.scopes.resolve(ident)
        return self.by_decl.get(id(decl)) if decl is not None else None

    def client_of(self, expr: Node) -> Binding | None:
        """The client an expression evaluates to, if it is provably an Amplitude client."""
        kind = expr["type"]
        if kind in CASTS:
            return self.client_of(expr["expression"])
        if kind == "Identifier":
            found = self.binding(expr)
            if found is not None and found.role in ("module", "client"):
                return found
            return None
        if kind == "CallExpression" and (carried := self.carried(expr)) is not None:
            return carried
        if kind == "CallExpression" and expr["callee"]["type"] == "Identifier":
            function = self.binding(expr["callee"])
            if function is not None and function.member == "createInstance":
                return Binding(function.decl, function.family, "client", "createInstance",
                               source=function.source)
            if function is not None and function.member == "init" and (
                "init" in self.registry.sdks[function.family].clients
            ):
                return Binding(function.decl, function.family, "client", "init",
                               source=function.source)
            return None
        if kind == "CallExpression" and expr["callee"]["type"] == "MemberExpression":
            callee = expr["callee"]
            name = member_name(callee)
            owner = self.client_of(callee["object"])
            if owner is None or owner.role != "module":
                return None
            forms = self.registry.sdks[owner.family].clients
            if name == "getInstance" and "getInstance" in forms:
                return Binding(owner.decl, owner.family, "client",
                               instance=instance_name(expr["arguments"]), source=owner.source,
                               fact=owner.fact)
            if name == "createInstance" and "createInstance" in forms:
                return Binding(owner.decl, owner.family, "client", "createInstance",
                               source=owner.source)
            if name == "init" and "init" in forms:  # `init()` returns a new client
                return Binding(owner.decl, owner.family, "client", "init", source=owner.source)
            return None
        if kind == "NewExpression" and expr["callee"]["type"] == "Identifier":
            owner = self.binding(expr["callee"])
            if owner is not None and owner.role == "module" and (
                "constructor" in self.registry.sdks[owner.family].clients
            ):
                return Binding(owner.decl, owner.family, "client", "constructor", source=owner.source)
        if kind == "NewExpression":
            callee = expr["callee"]
            is_client_class = (
                callee["type"] == "Identifier" and callee["name"] == "AmplitudeClient"
                and self.scopes.resolve(callee) is None
            ) or (
                callee["type"] == "MemberExpression" and member_name(callee) == "AmplitudeClient"
                and (owner := self.client_of(callee["object"])) is not None
                and owner.family == "amplitude-js"
            )
            if is_client_class:
                decl = Decl("AmplitudeClient", self.scopes.program, "global", expr)
                return Binding(decl, "amplitude-js", "client",
                               instance=instance_name(expr["arguments"]))
        return None

    def carried(self, call: Node) -> Binding | None:
        """The client another module hands out through a React context, read here by calling
        its hook (`useAmplitude()`) or by `useContext` of its context: the call stands for the
        client, under its own text (`mp_text`), as the plan's fact says."""
        callee, arguments = call["callee"], call["arguments"]
        if callee["type"] == "Identifier" and not arguments:
            via, carrier, text = "hook", self.binding(callee), callee["name"] + "()"
        elif react_function(callee) == "useContext" and [a["type"] for a in arguments] == [
            "Identifier"
        ]:
            via, carrier = "context", self.binding(arguments[0])
            prefix = "" if callee["type"] == "Identifier" else callee["object"]["name"] + "."
            text = f"{prefix}useContext({arguments[0]['name']})"
        else:
            return None
        fact = carrier.fact if carrier is not None and carrier.role == "carrier" else None
        if fact is None or fact.via != via:
            return None
        return Binding(Decl(text, self.scopes.program, "carried", call), fact.family, fact.role,
                       fact.member, fact.instance, fact=fact)


def react_function(callee: Node) -> str | None:
    """`f` for a callee `f` or `React.f` (any namespace's): `useContext`, `createContext`."""
    if callee["type"] == "Identifier":
        return str(callee["name"])
    if callee["type"] == "MemberExpression" and callee["object"]["type"] == "Identifier":
        return member_name(callee)
    return None


def member_name(member: Node) -> str | None:
    """`b` for `a.b` and `a['b']`."""
    prop = member["property"]
    if not member["computed"] and prop["type"] == "Identifier":
        return prop["name"]
    return string_value(prop) if member["computed"] else None


def instance_name(arguments: list[Node]) -> str | None:
    """The lower-cased amplitude-js instance name; None for the default instance.

    A non-literal name is returned as `"?"`: the caller must not rewrite such a site.
    """
    if not arguments:
        return None
    value = string_value(arguments[0])
    if value is None:
        return "?"
    value = value.lower()
    return None if value in ("", "$default_instance") else value


def _imported_name(spec: Node) -> str | None:
    """`default`, the imported name, or None for a namespace import (not followed)."""
    if spec["type"] == "ImportDefaultSpecifier":
        return "default"
    if spec["type"] == "ImportSpecifier":
        imported = spec["imported"]
        return imported["name"] if imported["type"] == "Identifier" else imported["value"]
    return None


def role_of(member: str) -> str:
    if member in ("Identify", "Revenue"):
        return "class"
    if member in ("Types",) or (member[:1].isupper() and member not in ("AmplitudeBrowser",)):
        return "type"
    return "function"
