"""Lowering expressions, object and array literals, and patterns."""

from __future__ import annotations

from typing import Any

from .literals import lower_identifier
from .lowering import (
    EXTRAS,
    FIRST_NAMED,
    Lowerer,
    fields,
    first_named,
    handles,
    init_property,
    lower_key,
    named,
    reject_arrow_operand,
    token_types,
)
from .nodes import Node

_LOGICAL = frozenset({"&&", "||", "??"})


@handles("parenthesized_expression")
def _lower_parenthesized(lw: Lowerer, n: Any) -> Any:
    """Parentheses are not ESTree nodes: the inner expression keeps its own span."""
    return (yield first_named(n))


@handles("call_expression")
def _lower_call(lw: Lowerer, n: Any) -> Any:
    function = n.child_by_field_name("function")
    reject_arrow_operand(function)
    callee = yield function
    args = n.child_by_field_name("arguments")
    if args is not None and args.type == "template_string":
        quasi = yield args
        return lw.at(n, {"type": "TaggedTemplateExpression", "tag": callee, "quasi": quasi})
    arguments = (yield from lw.each(args.named_children)) if args is not None else []
    if callee["type"] == "Identifier" and callee["name"] == "await" and _awaits(function):
        return _await_call(lw, n, args, arguments)
    node = {
        "type": "CallExpression",
        "callee": callee,
        "arguments": arguments,
        "optional": _is_optional(n),
    }
    type_arguments = n.child_by_field_name("type_arguments")
    if type_arguments is not None:
        node["typeArguments"] = lw.opaque(type_arguments)
    if lw.await_calls and id(callee) in lw.await_calls:
        return _repair_await(lw, n, node, "callee")
    return lw.at(n, node)


def _is_optional(n: Any) -> bool:
    """`?.` right after the callee or object: a named node in JS, a bare token in TS calls."""
    for index in range(1, n.child_count):
        c = n.child(index)
        if not c.is_extra:
            return c.type in _OPTIONAL_CHAIN
    return False


_OPTIONAL_CHAIN = frozenset({"optional_chain", "?."})


def _awaits(function: Any) -> bool:
    """Whether `await` here is the operator: inside an async function, or at module level.

    tree-sitter-javascript 0.25 reads `await (0, f)(x)` as a call of a function named
    `await`; TypeScript's grammar does not. Scripts that call a function named `await`
    outside async functions are left as calls.
    """
    node = function.parent
    while node is not None:
        kind = node.type
        if kind in _FUNCTION_KINDS:
            return any(c.type == "async" for c in node.children)
        if kind == "class_static_block":
            return False
        node = node.parent
    return True


_FUNCTION_KINDS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "generator_function_declaration",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)


def _await_call(lw: Lowerer, n: Any, args: Any, arguments: list[Node]) -> Node:
    """`await (x)` mis-read as a call: the argument list is the parenthesised operand."""
    if len(arguments) == 1:
        operand = arguments[0]
    else:
        operand = {"type": "SequenceExpression", "expressions": arguments}
        operand["range"] = [arguments[0]["range"][0], arguments[-1]["range"][1]]
        operand["loc"] = lw.pos.loc(*operand["range"])
    node = lw.at(n, {"type": "AwaitExpression", "argument": operand})
    lw.await_calls[id(node)] = lw.pos.cp(args.start_byte)
    return node


def _repair_await(lw: Lowerer, n: Any, node: Node, field_name: str) -> Node:
    """Move a mis-read `await` above the call or member access that follows it.

    `await (a)(b).c` came out as `(await(a))(b).c`; each link of the chain re-wraps it until
    the outermost one, which is then `await ((a)(b).c)` as JavaScript reads it.
    """
    inner = node[field_name]
    paren = lw.await_calls.pop(id(inner))
    node[field_name] = inner["argument"]
    end = lw.pos.cp(n.end_byte)
    node["range"] = [paren, end]
    node["loc"] = lw.pos.loc(paren, end)
    wrapper = lw.at(n, {"type": "AwaitExpression", "argument": node})
    lw.await_calls[id(wrapper)] = paren
    return wrapper


@handles("new_expression")
def _lower_new(lw: Lowerer, n: Any) -> Any:
    callee = yield n.child_by_field_name("constructor")
    args = n.child_by_field_name("arguments")
    arguments = (yield from lw.each(args.named_children)) if args is not None else []
    node = {"type": "NewExpression", "callee": callee, "arguments": arguments}
    type_arguments = n.child_by_field_name("type_arguments")
    if type_arguments is not None:
        node["typeArguments"] = lw.opaque(type_arguments)
    return lw.at(n, node)


@handles("member_expression", "subscript_expression")
def _lower_member(lw: Lowerer, n: Any) -> Any:
    computed = n.type == "subscript_expression"
    obj_node = n.child_by_field_name("object")
    reject_arrow_operand(obj_node)
    obj = yield obj_node
    prop = yield n.child_by_field_name("index" if computed else "property")
    node = {
        "type": "MemberExpression",
        "computed": computed,
        "object": obj,
        "property": prop,
        "optional": _is_optional(n),
    }
    if lw.await_calls and id(obj) in lw.await_calls:
        return _repair_await(lw, n, node, "object")
    return lw.at(n, node)


@handles("assignment_expression", "augmented_assignment_expression")
def _lower_assignment(lw: Lowerer, n: Any) -> Any:
    left = yield n.child_by_field_name("left")
    right = yield n.child_by_field_name("right")
    operator = n.child_by_field_name("operator")
    op = "=" if operator is None else operator.type
    return lw.at(n, {"type": "AssignmentExpression", "operator": op, "left": left, "right": right})


@handles("binary_expression")
def _lower_binary(lw: Lowerer, n: Any) -> Any:
    left = yield n.child_by_field_name("left")
    right = yield n.child_by_field_name("right")
    op = n.child_by_field_name("operator").type
    kind = "LogicalExpression" if op in _LOGICAL else "BinaryExpression"
    return lw.at(n, {"type": kind, "operator": op, "left": left, "right": right})


@handles("unary_expression")
def _lower_unary(lw: Lowerer, n: Any) -> Any:
    argument = yield n.child_by_field_name("argument")
    op = n.child_by_field_name("operator").type
    return lw.at(
        n, {"type": "UnaryExpression", "prefix": True, "operator": op, "argument": argument}
    )


@handles("update_expression")
def _lower_update(lw: Lowerer, n: Any) -> Any:
    argument = yield n.child_by_field_name("argument")
    op = n.child_by_field_name("operator")
    prefix = op.start_byte < n.child_by_field_name("argument").start_byte
    return lw.at(
        n, {"type": "UpdateExpression", "operator": op.type, "argument": argument, "prefix": prefix}
    )


fields(
    "ternary_expression",
    "ConditionalExpression",
    ("test", "condition"),
    ("consequent", "consequence"),
    ("alternate", "alternative"),
)


@handles("sequence_expression")
def _lower_sequence(lw: Lowerer, n: Any) -> Any:
    """Flat, whether the grammar nests `a, (b, c)` to the right (older ones do) or not."""
    parts: list[Any] = []
    pending = [n]
    while pending:
        current = pending.pop()
        children = named(current)
        for index in range(len(children) - 1, -1, -1):
            c = children[index]
            if c.type == "sequence_expression":
                pending.append(c)
            else:
                parts.append(c)
    parts.sort(key=lambda c: c.start_byte)
    expressions = yield from lw.each(parts)
    return lw.at(n, {"type": "SequenceExpression", "expressions": expressions})


fields("await_expression", "AwaitExpression", ("argument", FIRST_NAMED))


@handles("yield_expression")
def _lower_yield(lw: Lowerer, n: Any) -> Any:
    argument = yield first_named(n)
    return lw.at(
        n, {"type": "YieldExpression", "argument": argument, "delegate": "*" in token_types(n)}
    )


fields("spread_element", "SpreadElement", ("argument", FIRST_NAMED))
fields("rest_pattern", "RestElement", ("argument", FIRST_NAMED))
fields("assignment_pattern", "AssignmentPattern", ("left", "left"), ("right", "right"))


@handles("array", "array_pattern")
def _lower_array(lw: Lowerer, n: Any) -> Any:
    """Elements with holes as None: `[a, , b]` has three elements, `[a, ]` has one."""
    elements: list[Any] = []
    expecting = True
    for c in n.children:
        if c.type == ",":
            if expecting:
                elements.append(None)
            expecting = True
        elif c.is_named and c.type not in EXTRAS:
            elements.append((yield c))
            expecting = False
    kind = "ArrayExpression" if n.type == "array" else "ArrayPattern"
    return lw.at(n, {"type": kind, "elements": elements})


@handles("object", "object_pattern")
def _lower_object(lw: Lowerer, n: Any) -> Any:
    properties = yield from lw.each(n.named_children)
    if n.type == "object":
        return lw.at(n, {"type": "ObjectExpression", "properties": properties})
    return lw.at(n, {"type": "ObjectPattern", "properties": properties})


@handles("pair", "pair_pattern")
def _lower_pair(lw: Lowerer, n: Any) -> Any:
    key_node = n.child_by_field_name("key")
    key, computed = yield from lower_key(lw, key_node)
    value = yield n.child_by_field_name("value")
    return lw.at(n, init_property(key, value, computed))


@handles("shorthand_property_identifier")
def _lower_shorthand(lw: Lowerer, n: Any) -> Node:
    ident = lower_identifier(lw, n)
    return lw.at(n, init_property(ident, ident, shorthand=True))


@handles("object_assignment_pattern")
def _lower_object_assignment_pattern(lw: Lowerer, n: Any) -> Any:
    """`{a = 1}` in a pattern: a shorthand property whose value carries the default."""
    left_node = n.child_by_field_name("left")
    left = yield left_node
    right = yield n.child_by_field_name("right")
    value = lw.at(n, {"type": "AssignmentPattern", "left": left, "right": right})
    if left_node.type == "shorthand_property_identifier_pattern":
        return lw.at(n, init_property(left, value, shorthand=True))
    return value


@handles("shorthand_property_identifier_pattern")
def _lower_shorthand_pattern(lw: Lowerer, n: Any) -> Node:
    """Alone in an object pattern it is a shorthand property; elsewhere an identifier."""
    ident = lower_identifier(lw, n)
    if n.parent is not None and n.parent.type == "object_pattern":
        return lw.at(n, init_property(ident, ident, shorthand=True))
    return ident
