"""Which names in a Python module really are Amplitude.

Resolution uses libcst's qualified-name and scope metadata, never spelling: `Amplitude` is the
SDK client only when it was imported from the `amplitude` package, a local class of the same
name is not, and a receiver is a client only when every assignment that can reach it is an
`Amplitude(...)` call (module variable, local, or `self.x` in the same class).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeGuard

import libcst as cst
from libcst.metadata import (
    Assignment,
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

from ..options import ClientFact

# Public names of `amplitude-analytics` (`amplitude/__init__.py`), whatever submodule they come
# from in the import.
SDK_NAMES = frozenset(
    {"Amplitude", "BaseEvent", "EventOptions", "Identify", "Revenue", "IdentifyEvent",
     "GroupIdentifyEvent", "RevenueEvent", "Plan", "IngestionMetadata", "Config", "PluginType",
     "EventLogLevel", "EventPlugin", "DestinationPlugin"}
)
# Methods and attributes of `amplitude.Amplitude` in amplitude-analytics 1.3.0 (`client.py`).
CLIENT_MEMBERS = frozenset(
    {"track", "identify", "group_identify", "revenue", "set_group", "flush", "add", "remove",
     "shutdown", "configuration"}
)


@dataclass
class Analysis:
    """Metadata for one module, and the questions the transforms ask of it."""

    wrapper: MetadataWrapper
    # Line numbers of a sliced module (see `slicing.py`) mapped back to the original file.
    line_of: Callable[[int], int] | None = None
    module: cst.Module = field(init=False)
    client_names: set[int] = field(default_factory=set)
    client_attrs: dict[int, set[str]] = field(default_factory=dict)
    foreign_attrs: dict[int, set[str]] = field(default_factory=dict)
    constructors: dict[int, list[cst.Call]] = field(default_factory=dict)
    attr_constructors: dict[tuple[int, str], list[cst.Call]] = field(default_factory=dict)
    # The project plan's facts about clients this module imports (`ClientFact.module` set).
    facts: tuple[ClientFact, ...] = ()

    def __post_init__(self) -> None:
        self.module = self.wrapper.module
        # One batched traversal for libcst's providers (about 3x cheaper than one each), and
        # the parent map built by hand, which costs a fifth of ParentNodeProvider.
        # QualifiedNameProvider is not asked for: it only wraps `get_qualified_names_for` of
        # each node's scope in a lazy value, at the price of one more whole-tree visit.
        # `resolve` then reads each provider's mapping back from the wrapper, typed.
        self.wrapper.resolve_many([PositionProvider, ScopeProvider])
        self.positions = self.wrapper.resolve(PositionProvider)
        self.scopes = self.wrapper.resolve(ScopeProvider)
        self.parents = _parent_map(self.module)
        self.amplitude_locals = _amplitude_locals(self.parents)
        self._find_clients()
        self.imported = _imported_clients(self.module, self.facts)

    # --- source ---------------------------------------------------------------------------
    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def line(self, node: cst.CSTNode) -> int:
        line = self.positions[node].start.line
        return line if self.line_of is None else self.line_of(line)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def statement_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The innermost statement (simple line or compound) holding `node`."""
        current: cst.CSTNode | None = node
        while current is not None and not isinstance(
            current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
        ):
            current = self.parents.get(current)
        return current

    def indent_unit(self) -> str:
        return self.module.default_indent

    # --- what is Amplitude ------------------------------------------------------------------
    def sdk_symbol(self, node: cst.CSTNode) -> str | None:
        """`"BaseEvent"` for a reference to the SDK's `BaseEvent`, however it was imported.

        Only names an `amplitude` import binds can qualify, so others are ruled out before
        asking libcst, whose lazy qualified names cost a scope walk each (quadratic otherwise).
        """
        base = node
        while isinstance(base, cst.Attribute):
            base = base.value
        if not isinstance(base, cst.Name) or base.value not in self.amplitude_locals:
            return None
        for qualified in self.qualified_names(node):
            if qualified.source is not QualifiedNameSource.IMPORT:
                continue
            parts = qualified.name.split(".")
            if parts[0] == "amplitude" and len(parts) >= 2 and parts[-1] in SDK_NAMES:
                return parts[-1]
        return None

    def qualified_names(self, node: cst.CSTNode) -> Collection[QualifiedName]:
        scope = self.scopes.get(node)
        return scope.get_qualified_names_for(node) if scope is not None else ()

    def sdk_call(self, node: cst.CSTNode, *names: str) -> TypeGuard[cst.Call]:
        return isinstance(node, cst.Call) and self.sdk_symbol(node.func) in names

    def imports_module(self, node: cst.CSTNode, module: str) -> bool:
        return any(
            q.source is QualifiedNameSource.IMPORT and q.name == module
            for q in self.qualified_names(node)
        )

    def _enclosing_class(self, node: cst.CSTNode) -> tuple[cst.ClassDef, str] | None:
        """For a node inside a method, the class and the name of the method's first parameter."""
        function = self.parents.get(node)
        while function is not None and not isinstance(function, cst.FunctionDef):
            function = self.parents.get(function)
        if function is None:
            return None
        block = self.parents.get(function)
        klass = self.parents.get(block) if block is not None else None
        if not isinstance(klass, cst.ClassDef) or not function.params.params:
            return None
        return klass, function.params.params[0].name.value

    def _find_clients(self) -> None:
        for node in self.parents:
            if isinstance(node, cst.Assign):
                targets = [t.target for t in node.targets]
                value: cst.BaseExpression | None = node.value
            elif isinstance(node, cst.AnnAssign):
                targets, value = [node.target], node.value
            else:
                continue
            is_client = value is not None and self.sdk_call(value, "Amplitude")
            for target in targets:
                if isinstance(target, cst.Name) and is_client:
                    self.client_names.add(id(target))
                    self.constructors[id(target)] = [value]  # type: ignore[list-item]
                elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
                    owner = self._enclosing_class(target)
                    if owner is None or owner[1] != target.value.value:
                        continue
                    table = self.client_attrs if is_client else self.foreign_attrs
                    if not is_client and value is not None and is_none_literal(value):
                        continue
                    table.setdefault(id(owner[0]), set()).add(target.attr.value)
                    if is_client:
                        key = (id(owner[0]), target.attr.value)
                        self.attr_constructors.setdefault(key, []).append(value)  # type: ignore[arg-type]

    def assignments(self, name: cst.Name) -> list[Assignment]:
        scope = self.scopes.get(name)
        if scope is None:
            return []
        found = scope[name.value]
        return [a for a in found if isinstance(a, Assignment)]

    def is_client(self, expr: cst.BaseExpression) -> bool:
        """Whether every binding that can reach `expr` is an `Amplitude(...)` client."""
        if self.imported_fact(expr) is not None:
            return True
        if isinstance(expr, cst.Name):
            found = self.assignments(expr)
            return bool(found) and all(id(a.node) in self.client_names for a in found)
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            owner = self._enclosing_class(expr)
            if owner is None or owner[1] != expr.value.value:
                return False
            klass = id(owner[0])
            attr = expr.attr.value
            return attr in self.client_attrs.get(klass, set()) and attr not in self.foreign_attrs.get(
                klass, set()
            )
        return False

    def imported_fact(self, expr: cst.BaseExpression) -> ClientFact | None:
        """The plan's fact for a client this module imports, when `expr` reads it.

        `client` bound only by `from config import client`, or `config.client` with `config`
        bound only by `import config`.
        """
        if not self.imported:
            return None
        if isinstance(expr, cst.Name):
            name, attr = expr, None
        elif isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            name, attr = expr.value, expr.attr.value
        else:
            return None
        found = self.assignments(name)
        facts = {self.imported.get((id(a.node), a.name, attr)) for a in found}
        if len(facts) != 1:
            return None
        return facts.pop()

    def is_mixpanel_client(self, expr: cst.BaseExpression) -> bool:
        """A variable bound only to `Mixpanel(...)` from the `mixpanel` package."""
        if not isinstance(expr, cst.Name):
            return False
        found = self.assignments(expr)
        for assignment in found:
            target = self.parents.get(assignment.node)
            assign = self.parents.get(target) if isinstance(target, cst.AssignTarget) else None
            if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.Call):
                return False
            names = {q.name for q in self.qualified_names(assign.value.func)}
            if "mixpanel.Mixpanel" not in names:
                return False
        return bool(found)

    def client_constructors(self, expr: cst.BaseExpression) -> list[cst.Call]:
        """The `Amplitude(...)` calls that can reach a client expression."""
        if isinstance(expr, cst.Name):
            return [call for a in self.assignments(expr) for call in self.constructors.get(id(a.node), [])]
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            owner = self._enclosing_class(expr)
            if owner is not None:
                return self.attr_constructors.get((id(owner[0]), expr.attr.value), [])
        return []

    def client_references(self) -> Iterator[cst.Name]:
        """Every read of a module or local variable bound to an Amplitude client."""
        seen: set[int] = set()
        for scope in {id(s): s for s in self.scopes.values() if s is not None}.values():
            for assignment in _scope_assignments(scope):
                if id(assignment.node) not in self.client_names:
                    continue
                for access in assignment.references:
                    if isinstance(access.node, cst.Name) and id(access.node) not in seen:
                        seen.add(id(access.node))
                        yield access.node

    def client_uses(self) -> Iterator[tuple[cst.Call, str, list[cst.CSTNode]]]:
        """Each `Amplitude(...)` call, the name it is bound to, and every read of that binding.

        A read is a `Name` (module or local variable) or a `self.x` attribute of the class
        that binds it. A call bound to nothing the tool follows (an element of a list, an
        argument, a return value) has the stored value itself as its one use.
        """
        for node in self.parents:
            if not self.sdk_call(node, "Amplitude"):
                continue
            parent = self.parents.get(node)
            targets: list[cst.BaseExpression] = []
            if isinstance(parent, cst.Assign) and parent.value is node:
                targets = [t.target for t in parent.targets]
            elif isinstance(parent, cst.AnnAssign) and parent.value is node:
                targets = [parent.target]
            uses: list[cst.CSTNode] = []
            names: list[str] = []
            followed = bool(targets)
            for target in targets:
                if isinstance(target, cst.Name):
                    names.append(target.value)
                    for assignment in self.assignments(target):
                        if assignment.node is target:
                            uses.extend(access.node for access in assignment.references)
                elif (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
                      and (owner := self._enclosing_class(target)) is not None
                      and owner[1] == target.value.value):
                    names.append(self.code(target))
                    uses.extend(self._attribute_reads(owner[0], target.attr.value))
                else:
                    followed = False
            if not followed:
                uses.append(node)  # stored where no name carries it: it escapes here
            yield node, names[0] if names else self.code(node.func), uses

    def _attribute_reads(self, klass: cst.ClassDef, attr: str) -> Iterator[cst.Attribute]:
        """Every read of `self.<attr>` in the methods of `klass`."""
        for node in walk(klass):
            if not isinstance(node, cst.Attribute) or node.attr.value != attr:
                continue
            if not isinstance(node.value, cst.Name) or isinstance(
                self.parents.get(node), cst.AssignTarget
            ):
                continue
            owner = self._enclosing_class(node)
            if owner is not None and owner[0] is klass and owner[1] == node.value.value:
                yield node

    def sdk_references(self) -> Iterator[tuple[cst.CSTNode, str]]:
        """Every use of an imported SDK name, for the report of what stays unmigrated."""
        for node in self.parents:
            if isinstance(node, cst.Name):
                parent = self.parents.get(node)
                if isinstance(parent, cst.Attribute) and parent.attr is node:
                    continue
                if isinstance(parent, (cst.ImportAlias, cst.AsName)):
                    continue
            elif not isinstance(node, cst.Attribute):
                continue
            symbol = self.sdk_symbol(node)
            if symbol is None:
                continue
            parent = self.parents.get(node)
            if isinstance(parent, cst.Attribute) and parent.value is node:
                continue  # `amplitude.X`: reported at the attribute, not at `amplitude`
            yield node, symbol

    def single_assignment(self, name: cst.Name) -> tuple[cst.SimpleStatementLine, cst.Assign] | None:
        """The one `name = value` statement that binds `name`, when there is exactly one."""
        found = self.assignments(name)
        if len(found) != 1 or not isinstance(found[0].node, cst.Name):
            return None
        target = self.parents.get(found[0].node)
        assign = self.parents.get(target) if isinstance(target, cst.AssignTarget) else None
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        line = self.parents.get(assign)
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        return line, assign

    def references_of(self, name: cst.Name) -> list[cst.CSTNode]:
        found = self.assignments(name)
        if len(found) != 1:
            return []
        return [access.node for access in found[0].references]


def _imported_clients(
    module: cst.Module, facts: tuple[ClientFact, ...]
) -> dict[tuple[int, str, str | None], ClientFact]:
    """Import statements that bind a client of another module, per the plan's facts.

    Keyed by (import statement, local name, attribute read on it): `from config import
    client as c` gives `(stmt, "c", None)`; `import config` gives `(stmt, "config", "client")`.
    Only module-level imports: the plan indexes those alone.
    """
    wanted = {(f.module, f.name): f for f in facts if f.module}
    if not wanted:
        return {}
    found: dict[tuple[int, str, str | None], ClientFact] = {}
    for line in module.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                spelled = "." * len(small.relative) + (
                    module.code_for_node(small.module) if small.module is not None else "")
                for alias in small.names:
                    fact = wanted.get((spelled, alias.evaluated_name))
                    if fact is not None:
                        found[(id(small), alias.evaluated_alias or alias.evaluated_name,
                               None)] = fact
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.evaluated_alias is None and "." in alias.evaluated_name:
                        continue  # `import app.config` binds `app`: not followed
                    for (spelled, name), fact in wanted.items():
                        if spelled == alias.evaluated_name:
                            local = alias.evaluated_alias or alias.evaluated_name
                            found[(id(small), local, name)] = fact
    return found


def _amplitude_locals(nodes: Iterable[cst.CSTNode]) -> frozenset[str]:
    """Local names bound by `import amplitude...` or `from amplitude... import ...` anywhere."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
            module = cst.Module([]).code_for_node(node.module)
            if module.split(".")[0] == "amplitude" and not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    names.add(alias.evaluated_alias or alias.evaluated_name)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                if alias.evaluated_name.split(".")[0] == "amplitude":
                    names.add(alias.evaluated_alias or alias.evaluated_name.split(".")[0])
    return frozenset(names)


def _parent_map(module: cst.Module) -> dict[cst.CSTNode, cst.CSTNode]:
    """Every node's parent, in pre-order (the planner relies on source order)."""
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        children = node.children
        for child in children:
            parents[child] = node
        stack.extend(reversed(children))
    return parents


def _scope_assignments(scope: Scope) -> Iterator[Assignment]:
    for assignment in scope.assignments:
        if isinstance(assignment, Assignment):
            yield assignment


def is_none_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node of a subtree, without recursion (deep expressions stay in bounds)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def names_in(node: cst.CSTNode) -> Iterator[cst.Name]:
    """Every `Name` inside a subtree (used to mark what a rewrite consumed)."""
    return (current for current in walk(node) if isinstance(current, cst.Name))
