"""Lowering programs, statements, and module imports and exports."""

from __future__ import annotations

from typing import Any

from .lowering import (
    EXTRAS,
    FIRST_NAMED,
    Lowerer,
    add_decorators,
    fields,
    find_token,
    first_named,
    handles,
    lower_decorators,
    mark_directives,
    named,
    token_types,
)
from .nodes import Node


@handles("program")
def _lower_program(lw: Lowerer, n: Any) -> Any:
    statements = [c for c in named(n) if c.type != "hash_bang_line"]
    if lw.sliced:
        from ..slicing import kept_statements

        kept = kept_statements(statements, lw.data, lw.dialect)
        if kept is not None:
            statements = [s for i, s in enumerate(statements) if i in kept]
    body = yield from lw.each(statements)
    mark_directives(body)
    program: Node = {"type": "Program", "sourceType": "module", "body": body}
    if body:
        start, end = body[0]["range"][0], body[-1]["range"][1]
    else:
        start = end = len(lw.text)
    program["range"] = [start, end]
    program["loc"] = lw.pos.loc(start, end)
    return program


fields("expression_statement", "ExpressionStatement", ("expression", FIRST_NAMED), statement=True)


@handles("statement_block")
def _lower_block(lw: Lowerer, n: Any) -> Any:
    body = yield from lw.each(n.named_children)
    return lw.at_stmt(n, {"type": "BlockStatement", "body": body})


@handles("empty_statement")
def _lower_empty(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "EmptyStatement"})


@handles("debugger_statement")
def _lower_debugger(lw: Lowerer, n: Any) -> Node:
    return lw.at_stmt(n, {"type": "DebuggerStatement"})


@handles("variable_declaration", "lexical_declaration", "using_declaration")
def _lower_variable_declaration(lw: Lowerer, n: Any) -> Any:
    if n.type == "using_declaration":
        kind = "await using" if n.child(0).type == "await" else "using"
    else:  # `var`, `let` or `const`, the first token
        kind = n.child(0).type
    declarators = [c for c in n.named_children if c.type == "variable_declarator"]
    declarations = yield from lw.each(declarators)
    return lw.at_stmt(
        n, {"type": "VariableDeclaration", "declarations": declarations, "kind": kind}
    )


@handles("variable_declarator")
def _lower_variable_declarator(lw: Lowerer, n: Any) -> Any:
    target = yield n.child_by_field_name("name")
    annotation = n.child_by_field_name("type")
    if annotation is not None:
        target["typeAnnotation"] = lw.opaque(annotation)
    init = yield n.child_by_field_name("value")
    node = {"type": "VariableDeclarator", "id": target, "init": init}
    if "!" in token_types(n):
        node["definite"] = True
    return lw.at(n, node)


fields("return_statement", "ReturnStatement", ("argument", FIRST_NAMED), statement=True)
fields("throw_statement", "ThrowStatement", ("argument", FIRST_NAMED), statement=True)
fields("break_statement", "BreakStatement", ("label", "label"), statement=True)
fields("continue_statement", "ContinueStatement", ("label", "label"), statement=True)
fields("labeled_statement", "LabeledStatement", ("label", "label"), ("body", "body"), statement=True)


@handles("if_statement")
def _lower_if(lw: Lowerer, n: Any) -> Any:
    test = yield n.child_by_field_name("condition")
    consequent = yield n.child_by_field_name("consequence")
    alternative = n.child_by_field_name("alternative")
    alternate = None
    if alternative is not None:
        alternate = yield first_named(alternative)
    return lw.at_stmt(
        n, {"type": "IfStatement", "test": test, "consequent": consequent, "alternate": alternate}
    )


@handles("for_statement")
def _lower_for(lw: Lowerer, n: Any) -> Any:
    init_node = _field_expression(n, "initializer")
    init = yield init_node
    if init is not None and init["type"] == "VariableDeclaration" and init["declarations"]:
        lw.set_end(init, init["declarations"][-1]["range"][1])
    test = yield _field_expression(n, "condition")
    update = yield _field_expression(n, "increment")
    body = yield n.child_by_field_name("body")
    return lw.at_stmt(
        n, {"type": "ForStatement", "init": init, "test": test, "update": update, "body": body}
    )


def _field_expression(n: Any, name: str) -> Any:
    """The named node of a for-head field; its `;` tokens and empty statements mean none."""
    for c in n.children_by_field_name(name):
        if c.is_named and c.type != "empty_statement" and c.type not in EXTRAS:
            if c.type == "expression_statement":
                return first_named(c)
            return c
    return None


@handles("for_in_statement")
def _lower_for_in(lw: Lowerer, n: Any) -> Any:
    left_node = n.child_by_field_name("left")
    left = yield left_node
    kind = n.child_by_field_name("kind")
    if kind is not None:
        init_node = n.child_by_field_name("value")
        init = yield init_node
        declarator = {"type": "VariableDeclarator", "id": left, "init": init}
        end = (init_node or left_node).end_byte
        lw.at_bytes(left_node.start_byte, end, declarator)
        left = lw.at_bytes(
            kind.start_byte,
            end,
            {"type": "VariableDeclaration", "declarations": [declarator], "kind": kind.type},
        )
    right = yield n.child_by_field_name("right")
    body = yield n.child_by_field_name("body")
    operator = n.child_by_field_name("operator")
    if operator is not None and operator.type == "of":
        is_await = any(c.type == "await" for c in n.children[:3])
        node = {"type": "ForOfStatement", "left": left, "right": right, "body": body}
        node["await"] = is_await
    else:
        node = {"type": "ForInStatement", "left": left, "right": right, "body": body}
    return lw.at_stmt(n, node)


fields("while_statement", "WhileStatement", ("test", "condition"), ("body", "body"), statement=True)
fields("do_statement", "DoWhileStatement", ("body", "body"), ("test", "condition"), statement=True)
fields("with_statement", "WithStatement", ("object", "object"), ("body", "body"), statement=True)


@handles("try_statement")
def _lower_try(lw: Lowerer, n: Any) -> Any:
    block = yield n.child_by_field_name("body")
    handler = yield n.child_by_field_name("handler")
    finalizer_node = n.child_by_field_name("finalizer")
    finalizer = None
    if finalizer_node is not None:
        finalizer = yield finalizer_node.child_by_field_name("body")
    return lw.at_stmt(
        n, {"type": "TryStatement", "block": block, "handler": handler, "finalizer": finalizer}
    )


@handles("catch_clause")
def _lower_catch(lw: Lowerer, n: Any) -> Any:
    param = yield n.child_by_field_name("parameter")
    annotation = n.child_by_field_name("type")
    if param is not None and annotation is not None:
        param["typeAnnotation"] = lw.opaque(annotation)
    body = yield n.child_by_field_name("body")
    return lw.at(n, {"type": "CatchClause", "param": param, "body": body})


@handles("switch_statement")
def _lower_switch(lw: Lowerer, n: Any) -> Any:
    discriminant = yield n.child_by_field_name("value")
    cases = yield from lw.each(n.child_by_field_name("body").named_children)
    return lw.at_stmt(n, {"type": "SwitchStatement", "discriminant": discriminant, "cases": cases})


@handles("switch_case", "switch_default")
def _lower_switch_case(lw: Lowerer, n: Any) -> Any:
    test = yield n.child_by_field_name("value")
    consequent = yield from lw.each(n.children_by_field_name("body"))
    return lw.at_stmt(n, {"type": "SwitchCase", "test": test, "consequent": consequent})


@handles("import_statement")
def _lower_import(lw: Lowerer, n: Any) -> Any:
    specifiers: list[Node] = []
    clause = None
    for c in n.named_children:
        if c.type == "import_clause":
            clause = c
        elif c.type == "import_require_clause":
            return (yield from _lower_import_require(lw, n, c))
    if clause is not None:
        for c in clause.named_children:
            if c.type == "identifier":
                local = yield c
                specifiers.append(lw.at(c, {"type": "ImportDefaultSpecifier", "local": local}))
            elif c.type == "namespace_import":
                local = yield first_named(c)
                specifiers.append(lw.at(c, {"type": "ImportNamespaceSpecifier", "local": local}))
            elif c.type == "named_imports":
                specifiers.extend((yield from lw.each(c.named_children)))
    source = yield n.child_by_field_name("source")
    kind = "type" if "type" in token_types(n) else "value"
    return lw.at_stmt(
        n,
        {"type": "ImportDeclaration", "specifiers": specifiers, "source": source, "importKind": kind},
    )


def _lower_import_require(lw: Lowerer, n: Any, clause: Any) -> Any:
    """`import x = require("m")`: a TypeScript import a migration rule must still see."""
    target = yield first_named(clause)
    source_node = clause.child_by_field_name("source")
    source = yield source_node
    require = find_token(clause, "require") or source_node
    reference = lw.at_bytes(
        require.start_byte,
        clause.end_byte,
        {"type": "TSExternalModuleReference", "expression": source},
    )
    kind = "type" if "type" in token_types(n) else "value"
    return lw.at_stmt(
        n,
        {
            "type": "TSImportEqualsDeclaration",
            "id": target,
            "moduleReference": reference,
            "importKind": kind,
        },
    )


@handles("import_alias")
def _lower_import_alias(lw: Lowerer, n: Any) -> Any:
    parts = named(n)
    target = yield parts[0]
    reference = lw.opaque(parts[-1])
    return lw.at_stmt(
        n,
        {
            "type": "TSImportEqualsDeclaration",
            "id": target,
            "moduleReference": reference,
            "importKind": "value",
        },
    )


@handles("import_specifier")
def _lower_import_specifier(lw: Lowerer, n: Any) -> Any:
    imported = yield n.child_by_field_name("name")
    alias = n.child_by_field_name("alias")
    local = imported if alias is None else (yield alias)
    kind = "type" if "type" in token_types(n) else "value"
    return lw.at(
        n, {"type": "ImportSpecifier", "local": local, "imported": imported, "importKind": kind}
    )


@handles("export_statement")
def _lower_export(lw: Lowerer, n: Any) -> Any:
    tokens = token_types(n)
    declaration = n.child_by_field_name("declaration")
    value = n.child_by_field_name("value")
    decorators = yield from lower_decorators(lw, n)  # `@dec export class X {}`
    if "default" in tokens:
        lowered = yield (declaration or value)
        if value is not None and lowered is not None:
            _declaration_from_default(lowered, value.type)
        add_decorators(lowered, decorators)
        return lw.at_stmt(n, {"type": "ExportDefaultDeclaration", "declaration": lowered})
    if "=" in tokens:
        expression = yield first_named(n)
        return lw.at_stmt(n, {"type": "TSExportAssignment", "expression": expression})
    if "namespace" in tokens and "as" in tokens and declaration is None:
        target = yield first_named(n)
        return lw.at_stmt(n, {"type": "TSNamespaceExportDeclaration", "id": target})
    source = yield n.child_by_field_name("source")
    kind = "type" if "type" in tokens else "value"
    if declaration is not None:
        lowered = yield declaration
        add_decorators(lowered, decorators)
        return lw.at_stmt(
            n,
            {
                "type": "ExportNamedDeclaration",
                "declaration": lowered,
                "specifiers": [],
                "source": source,
                "exportKind": kind,
            },
        )
    clause = None
    exported = None
    for c in n.named_children:
        if c.type == "export_clause":
            clause = c
        elif c.type == "namespace_export":
            exported = yield first_named(c)
    if clause is None:
        node = {"type": "ExportAllDeclaration", "source": source, "exported": exported}
        node["exportKind"] = kind
        return lw.at_stmt(n, node)
    specifiers = yield from lw.each(clause.named_children)
    return lw.at_stmt(
        n,
        {
            "type": "ExportNamedDeclaration",
            "declaration": None,
            "specifiers": specifiers,
            "source": source,
            "exportKind": kind,
        },
    )


def _declaration_from_default(node: Node, kind: str) -> None:
    """`export default class {}` declares a class (esprima's shape), unless parenthesised."""
    if kind == "class":
        node["type"] = "ClassDeclaration"
    elif kind in ("function_expression", "function", "generator_function"):
        node["type"] = "FunctionDeclaration"


@handles("export_specifier")
def _lower_export_specifier(lw: Lowerer, n: Any) -> Any:
    local = yield n.child_by_field_name("name")
    alias = n.child_by_field_name("alias")
    exported = local if alias is None else (yield alias)
    kind = "type" if "type" in token_types(n) else "value"
    return lw.at(
        n, {"type": "ExportSpecifier", "exported": exported, "local": local, "exportKind": kind}
    )
