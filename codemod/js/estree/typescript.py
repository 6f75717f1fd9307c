"""Lowering TypeScript: expressions with types, enums, namespaces, ambient declarations, and
opaque nodes for types, which hold no runtime call a migration could rewrite.
"""

from __future__ import annotations

from typing import Any

from .lowering import (
    FIRST_NAMED,
    HANDLERS,
    Lowerer,
    fields,
    find_token,
    first_named,
    handles,
    named,
    token_types,
    ts_kind,
)
from .nodes import Node


@handles("as_expression", "satisfies_expression")
def _lower_as(lw: Lowerer, n: Any) -> Any:
    parts = named(n)
    expression = yield parts[0]
    kind = "TSAsExpression" if n.type == "as_expression" else "TSSatisfiesExpression"
    if len(parts) > 1:
        annotation = lw.opaque(parts[-1])
    else:  # `as const`: the type is the keyword itself
        keyword = n.child(n.child_count - 1)
        annotation = lw.at(keyword, {"type": "TSConstKeyword"})
    return lw.at(n, {"type": kind, "expression": expression, "typeAnnotation": annotation})


@handles("type_assertion")
def _lower_type_assertion(lw: Lowerer, n: Any) -> Any:
    parts = named(n)
    expression = yield parts[-1]
    annotation = lw.opaque(parts[0])
    return lw.at(
        n, {"type": "TSTypeAssertion", "typeAnnotation": annotation, "expression": expression}
    )


fields("non_null_expression", "TSNonNullExpression", ("expression", FIRST_NAMED))


@handles("instantiation_expression")
def _lower_instantiation(lw: Lowerer, n: Any) -> Any:
    expression = yield first_named(n)
    arguments = lw.opaque(n.child_by_field_name("type_arguments"))
    return lw.at(
        n, {"type": "TSInstantiationExpression", "expression": expression, "typeArguments": arguments}
    )


@handles("enum_declaration")
def _lower_enum(lw: Lowerer, n: Any) -> Any:
    ident = yield n.child_by_field_name("name")
    members = []
    for c in named(n.child_by_field_name("body")):
        if c.type == "enum_assignment":
            member_id = yield c.child_by_field_name("name")
            initializer = yield c.child_by_field_name("value")
        else:
            member_id = yield c
            initializer = None
        members.append(
            lw.at(c, {"type": "TSEnumMember", "id": member_id, "initializer": initializer})
        )
    node = {"type": "TSEnumDeclaration", "id": ident, "members": members}
    if "const" in token_types(n):
        node["const"] = True
    return lw.at_stmt(n, node)


@handles("interface_declaration", "type_alias_declaration")
def _lower_type_declaration(lw: Lowerer, n: Any) -> Any:
    ident = yield n.child_by_field_name("name")
    return lw.at_stmt(n, {"type": ts_kind(n.type), "id": ident})


@handles("internal_module", "module")
def _lower_module(lw: Lowerer, n: Any) -> Any:
    """`namespace X {}` / `module "m" {}`: their statements run, so they are lowered."""
    ident = yield n.child_by_field_name("name")
    block = n.child_by_field_name("body")
    body = None
    if block is not None:
        statements = yield from lw.each(block.named_children)
        body = lw.at(block, {"type": "TSModuleBlock", "body": statements})
    kind = "namespace" if n.type == "internal_module" else "module"
    return lw.at_stmt(n, {"type": "TSModuleDeclaration", "id": ident, "body": body, "kind": kind})


@handles("ambient_declaration")
def _lower_ambient(lw: Lowerer, n: Any) -> Any:
    """`declare ...`: the inner declaration, flagged; `declare global {}` becomes a module."""
    inner = first_named(n)
    if inner is not None and inner.type == "statement_block":
        statements = yield from lw.each(inner.named_children)
        body = lw.at(inner, {"type": "TSModuleBlock", "body": statements})
        global_token = find_token(n, "global")
        ident = lw.at(global_token, {"type": "Identifier", "name": "global"}) if global_token else None
        return lw.at(
            n,
            {
                "type": "TSModuleDeclaration",
                "id": ident,
                "body": body,
                "kind": "global",
                "declare": True,
            },
        )
    lowered = yield inner
    if lowered is None:
        return lw.at_stmt(n, {"type": "TSAmbientDeclaration"})
    lowered["declare"] = True
    return lw.at_stmt(n, lowered)


# Type-level kinds: opaque, because a type holds no runtime call a migration could rewrite.
_TYPE_KINDS = (
    "type_annotation",
    "type_arguments",
    "type_parameters",
    "type_parameter",
    "opting_type_annotation",
    "omitting_type_annotation",
    "adding_type_annotation",
    "asserts_annotation",
    "type_predicate_annotation",
    "index_signature",
    "property_signature",
    "method_signature",
    "call_signature",
    "construct_signature",
    "abstract_method_signature",
    "implements_clause",
    "extends_type_clause",
    "interface_body",
    "object_type",
    "predefined_type",
    "generic_type",
    "union_type",
    "intersection_type",
    "array_type",
    "tuple_type",
    "function_type",
    "constructor_type",
    "conditional_type",
    "literal_type",
    "lookup_type",
    "index_type_query",
    "infer_type",
    "mapped_type_clause",
    "nested_type_identifier",
    "optional_type",
    "parenthesized_type",
    "readonly_type",
    "rest_type",
    "template_literal_type",
    "template_type",
    "type_predicate",
    "type_query",
    "existential_type",
    "flow_maybe_type",
    "asserts",
    "constraint",
    "default_type",
    "accessibility_modifier",
    "override_modifier",
)


def _lower_type(lw: Lowerer, n: Any) -> Node:
    return lw.at_stmt(n, {"type": ts_kind(n.type)})


for _kind in _TYPE_KINDS:
    HANDLERS[_kind] = _lower_type
