"""Lowering functions, parameters, classes and their members."""

from __future__ import annotations

from typing import Any

from .lowering import (
    EXTRAS,
    FIRST_NAMED,
    Lowerer,
    add_decorators,
    fields,
    handles,
    init_property,
    lower_decorators,
    lower_key,
    mark_directives,
    named,
    token_types,
)
from .nodes import Node


def _function_parts(lw: Lowerer, n: Any) -> Any:
    """`id, params, body` plus TypeScript extras shared by every function form."""
    name = n.child_by_field_name("name")
    ident = None if name is None else (yield name)
    params_node = n.child_by_field_name("parameters")
    if params_node is not None:
        params = yield from lw.each(params_node.named_children)
    else:
        params = [(yield n.child_by_field_name("parameter"))]
    body = yield n.child_by_field_name("body")
    return ident, params, body, _signature_types(lw, n)


def _signature_types(lw: Lowerer, n: Any) -> Node:
    """`returnType` and `typeParameters` of a TypeScript function, when it has them."""
    extras: Node = {}
    for field_name, key in (("return_type", "returnType"), ("type_parameters", "typeParameters")):
        extra = n.child_by_field_name(field_name)
        if extra is not None:
            extras[key] = lw.opaque(extra)
    return extras


@handles(
    "function_declaration",
    "function_expression",
    "function",
    "generator_function_declaration",
    "generator_function",
)
def _lower_function(lw: Lowerer, n: Any) -> Any:
    ident, params, body, extras = yield from _function_parts(lw, n)
    if body is not None:
        mark_directives(body["body"])
    tokens = token_types(n)
    kind = "FunctionDeclaration" if n.type.endswith("declaration") else "FunctionExpression"
    node = {
        "type": kind,
        "expression": False,
        "async": "async" in tokens,
        "id": ident,
        "params": params,
        "body": body,
        "generator": "*" in tokens,
        **extras,
    }
    return lw.at_stmt(n, node)


@handles("function_signature")
def _lower_function_signature(lw: Lowerer, n: Any) -> Any:
    ident = yield n.child_by_field_name("name")
    return lw.at_stmt(n, {"type": "TSDeclareFunction", "id": ident})


@handles("arrow_function")
def _lower_arrow(lw: Lowerer, n: Any) -> Any:
    _ident, params, body, extras = yield from _function_parts(lw, n)
    is_block = body is not None and body["type"] == "BlockStatement"
    if is_block:
        mark_directives(body["body"])
    node = {
        "type": "ArrowFunctionExpression",
        "generator": False,
        "async": "async" in token_types(n),
        "params": params,
        "body": body,
        "expression": not is_block,
        "id": None,
        **extras,
    }
    return lw.at(n, node)


@handles("required_parameter", "optional_parameter")
def _lower_parameter(lw: Lowerer, n: Any) -> Any:
    """A TypeScript parameter: the pattern, annotated, defaulted, maybe a class property."""
    pattern = yield n.child_by_field_name("pattern")
    annotation = n.child_by_field_name("type")
    if annotation is not None:
        pattern["typeAnnotation"] = lw.opaque(annotation)
    if n.type == "optional_parameter":
        pattern["optional"] = True
    value_node = n.child_by_field_name("value")
    param = pattern
    if value_node is not None:
        right = yield value_node
        param = {"type": "AssignmentPattern", "left": pattern, "right": right}
        lw.at_bytes(n.child_by_field_name("pattern").start_byte, n.end_byte, param)
    decorators = yield from lower_decorators(lw, n)
    modifiers = _modifiers(n)
    if modifiers:
        wrapper = {"type": "TSParameterProperty", "parameter": param, **modifiers}
        if decorators:
            wrapper["decorators"] = decorators
        return lw.at(n, wrapper)
    if decorators:
        param["decorators"] = decorators
    return param


_MODIFIER_TOKENS = ("readonly", "static", "abstract", "declare", "override")


def _modifiers(n: Any) -> Node:
    """TypeScript member modifiers present on `n` (only those present: JS shapes stay lean)."""
    found: Node = {}
    for c in n.children:
        kind = c.type
        if kind == "accessibility_modifier":
            found["accessibility"] = c.child(0).type if c.child_count else "public"
        elif kind == "override_modifier":
            found["override"] = True
        elif kind in _MODIFIER_TOKENS and not c.is_named and kind != "static":
            found[kind] = True
    return found


fields("decorator", "Decorator", ("expression", FIRST_NAMED))


@handles("class_declaration", "class", "abstract_class_declaration")
def _lower_class(lw: Lowerer, n: Any) -> Any:
    name = n.child_by_field_name("name")
    ident = None if name is None else (yield name)
    super_class = None
    implements = None
    for c in n.named_children:
        if c.type == "class_heritage":
            super_class, implements = yield from _lower_heritage(lw, c)
    body = yield n.child_by_field_name("body")
    kind = "ClassExpression" if n.type == "class" else "ClassDeclaration"
    node = {"type": kind, "id": ident, "superClass": super_class, "body": body}
    decorators = yield from lower_decorators(lw, n)
    if decorators:
        node["decorators"] = decorators
    if n.type == "abstract_class_declaration":
        node["abstract"] = True
    type_parameters = n.child_by_field_name("type_parameters")
    if type_parameters is not None:
        node["typeParameters"] = lw.opaque(type_parameters)
    if implements is not None:
        node["implements"] = implements
    return lw.at_stmt(n, node)


def _lower_heritage(lw: Lowerer, n: Any) -> Any:
    """`extends X` (JS: the expression itself; TS: an extends_clause) and TS `implements`."""
    super_class = None
    implements = None
    for c in named(n):
        if c.type == "extends_clause":
            super_class = yield c.child_by_field_name("value")
        elif c.type == "implements_clause":
            implements = lw.opaque(c)
        else:
            super_class = yield c
    return super_class, implements


@handles("class_body")
def _lower_class_body(lw: Lowerer, n: Any) -> Any:
    """Members in order; TypeScript's grammar puts a method's decorators before it here."""
    members: list[Node] = []
    pending: list[Node] = []
    for c in n.named_children:
        if c.type in EXTRAS:
            continue
        lowered = yield c
        if c.type == "decorator":
            pending.append(lowered)
            continue
        if pending:
            add_decorators(lowered, pending)
            pending = []
        members.append(lowered)
    return lw.at_stmt(n, {"type": "ClassBody", "body": members})


@handles("method_definition")
def _lower_method(lw: Lowerer, n: Any) -> Any:
    key, computed = yield from lower_key(lw, n.child_by_field_name("name"))
    params, body, extras = yield from _method_parts(lw, n)
    tokens = token_types(n)
    value = {
        "type": "FunctionExpression",
        "expression": False,
        "async": "async" in tokens,
        "id": None,
        "params": params,
        "body": body,
        "generator": "*" in tokens,
        **extras,
    }
    start = n.child_by_field_name("type_parameters") or n.child_by_field_name("parameters")
    lw.at_bytes(start.start_byte, n.end_byte, value)
    if body is not None:
        mark_directives(body["body"])
    accessor = "get" if "get" in tokens else "set" if "set" in tokens else None
    if n.parent is not None and n.parent.type == "object":
        node = init_property(key, value, computed)
        node["kind"] = accessor or "init"
        node["method"] = accessor is None
        return lw.at(n, node)
    is_static = "static" in tokens
    kind = accessor or "method"
    if kind == "method" and not computed and not is_static and _is_constructor(key):
        kind = "constructor"
    node = {
        "type": "MethodDefinition",
        "key": key,
        "computed": computed,
        "value": value,
        "kind": kind,
        "static": is_static,
    }
    decorators = yield from lower_decorators(lw, n)
    if decorators:
        node["decorators"] = decorators
    node.update(_modifiers(n))
    if "?" in tokens:
        node["optional"] = True
    return lw.at(n, node)


def _method_parts(lw: Lowerer, n: Any) -> Any:
    """A method's params, body and TS types: its `name` is the key, not a function id."""
    params = yield from lw.each(n.child_by_field_name("parameters").named_children)
    body = yield n.child_by_field_name("body")
    return params, body, _signature_types(lw, n)


def _is_constructor(key: Node) -> bool:
    return (key["type"] == "Identifier" and key["name"] == "constructor") or (
        key["type"] == "Literal" and key["value"] == "constructor"
    )


@handles("field_definition", "public_field_definition")
def _lower_field(lw: Lowerer, n: Any) -> Any:
    key_node = n.child_by_field_name("property") or n.child_by_field_name("name")
    key, computed = yield from lower_key(lw, key_node)
    value = yield n.child_by_field_name("value")
    tokens = token_types(n)
    node = {
        "type": "PropertyDefinition",
        "key": key,
        "value": value,
        "computed": computed,
        "static": "static" in tokens,
    }
    annotation = n.child_by_field_name("type")
    if annotation is not None:
        node["typeAnnotation"] = lw.opaque(annotation)
    decorators = yield from lower_decorators(lw, n)
    if decorators:
        node["decorators"] = decorators
    node.update(_modifiers(n))
    if "?" in tokens:
        node["optional"] = True
    if "!" in tokens:
        node["definite"] = True
    return lw.at_stmt(n, node)


@handles("class_static_block")
def _lower_static_block(lw: Lowerer, n: Any) -> Any:
    block = n.child_by_field_name("body")
    body = yield from lw.each(block.named_children)
    return lw.at(n, {"type": "StaticBlock", "body": body})
