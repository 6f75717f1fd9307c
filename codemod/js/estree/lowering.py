"""Lowering tree-sitter's tree to ESTree dicts: the driver, the handler registry, misreads.

Handlers are generators: `yield ts_node` hands a child to the driver and receives its lowered
dict, so the driver's explicit stack replaces Python recursion (minified bundles nest
thousands deep). A handler that needs no children may simply return its dict. Handlers
register by tree-sitter kind with `@handles`, from the modules named after their syntax area;
this module also holds the helpers more than one area uses.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from types import GeneratorType
from typing import Any

from .frontend import Positions, first_error, ts_tree
from .grammars import captures
from .nodes import Dialect, Node, Parsed, ParseError, ParseResult


def arrow_operands(root: Any, dialect: Dialect) -> bool:
    """Whether an arrow function is called or indexed without parentheses (a misread)."""
    return bool(captures(root, dialect, _ARROW_OPERANDS))


# Words no JavaScript or TypeScript code may use as a name, in scripts and modules alike
# (ECMAScript's ReservedWord, minus `await` and `yield`, which scripts may use). Contextual
# keywords (`async`, `of`, `get`, `set`, `type`, `let`, `static`...) are names and are not
# here. tree-sitter-typescript reads a lone `export` line as an identifier expression.
RESERVED_WORDS = frozenset({
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
    "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
    "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw",
    "true", "try", "typeof", "var", "void", "while", "with",
})
NAME_KINDS = frozenset(
    {"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern",
     "statement_identifier"}
)
# `import { default as x }`, `export { x as default }`, `export * as default from`: module
# export names may be any word.
_EXPORT_NAME_PARENTS = frozenset({"import_specifier", "export_specifier", "namespace_export"})


def reserved_misread(n: Any) -> bool:
    parent = n.parent
    return parent is None or parent.type not in _EXPORT_NAME_PARENTS


def reserved_names(root: Any, dialect: Dialect) -> bool:
    """Whether a reserved word stands as a name (a misread the lowering refuses)."""
    found = captures(root, dialect, _RESERVED_NAMES).get("r", [])
    return any(reserved_misread(node) for node in found)


_RESERVED_NAMES = (
    "([(identifier) (shorthand_property_identifier) (shorthand_property_identifier_pattern)"
    " (statement_identifier)] @r"
    ' (#any-of? @r ' + " ".join(f'"{word}"' for word in sorted(RESERVED_WORDS)) + "))"
)
_ARROW_OPERANDS = (
    "(call_expression function: (arrow_function) @a)"
    " (member_expression object: (arrow_function) @a)"
    " (subscript_expression object: (arrow_function) @a)"
)


def parse_with_tree_sitter(
    text: str, dialect: Dialect, sliced: bool = False
) -> tuple[ParseResult, bool]:
    """The result, and whether it is an error tree-sitter recovered from (ERROR/MISSING).

    Only such errors have an imprecise position that esprima's may improve on.
    """
    data = text.encode("utf-8", "surrogatepass")
    root = ts_tree(text, dialect).root_node
    positions = Positions(text)
    if root.has_error:
        return first_error(root, positions, dialect), True
    try:
        program = Lowerer(text, data, positions, dialect, sliced).run(root)
    except Misread as exc:  # the only parse failure; any other exception is a tool fault
        line, column = positions.line_column(positions.cp(exc.byte))
        message = f"{exc.reason} at {line}:{column + 1} ({dialect})"
        return ParseError(message, line, column + 1), False
    return Parsed(program, "tree-sitter", dialect), False


class Misread(Exception):
    """A tree tree-sitter built without an error node, but not as JavaScript reads the code."""

    def __init__(self, reason: str, byte: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.byte = byte


def reject_arrow_operand(operand: Any) -> None:
    """An arrow function cannot be called or indexed without parentheses.

    tree-sitter nevertheless reads `const f = () => {}` followed by a line starting with `[`
    or `(` as one expression, where JavaScript inserts a semicolon. Such a tree would hide
    the next statement inside the arrow's declaration, so the file is refused instead.
    """
    if operand is not None and operand.type == "arrow_function":
        raise Misread("ambiguous line break after an arrow function (add a `;`)", operand.end_byte)


EXTRAS = frozenset({"comment", "html_comment"})


class Lowerer:
    """One file's lowering: positions, the source, and the driver loop."""

    __slots__ = ("await_calls", "data", "dialect", "pos", "sliced", "text")

    def __init__(
        self, text: str, data: bytes, positions: Positions, dialect: Dialect, sliced: bool = False
    ) -> None:
        self.text = text
        self.data = data
        self.pos = positions
        self.dialect = dialect
        self.sliced = sliced
        # id(AwaitExpression) -> str index of its `(`, for `_repair_await` (see there).
        self.await_calls: dict[int, int] = {}

    def run(self, root: Any) -> Node:
        result = HANDLERS.get(root.type, lower_generic)(self, root)
        if type(result) is not GeneratorType:
            return result
        stack = [result]
        value: Any = None
        handlers, generic = HANDLERS, lower_generic
        while True:
            try:
                request = stack[-1].send(value)
            except StopIteration as stop:
                stack.pop()
                value = stop.value
                if not stack:
                    return value
                continue
            if request is None:
                value = None
                continue
            value = handlers.get(request.type, generic)(self, request)
            if type(value) is GeneratorType:
                stack.append(value)
                value = None

    # -- positions -----------------------------------------------------------------------

    def at(self, n: Any, node: Node) -> Node:
        """Give `node` the span of tree-sitter node `n` (the hottest path of the lowering)."""
        pos = self.pos
        if pos.simple:  # bytes are characters and tree-sitter's rows are the lines
            start_row, start_column = n.start_point
            end_row, end_column = n.end_point
            node["range"] = [n.start_byte, n.end_byte]
            node["loc"] = {
                "start": {"line": start_row + 1, "column": start_column},
                "end": {"line": end_row + 1, "column": end_column},
            }
            return node
        start, end = pos.cp(n.start_byte), pos.cp(n.end_byte)
        node["range"] = [start, end]
        node["loc"] = pos.loc(start, end)
        return node

    def at_bytes(self, start_byte: int, end_byte: int, node: Node) -> Node:
        start, end = self.pos.cp(start_byte), self.pos.cp(end_byte)
        node["range"] = [start, end]
        node["loc"] = self.pos.loc(start, end)
        return node

    def at_stmt(self, n: Any, node: Node) -> Node:
        """Like `at`, minus a trailing comment that automatic semicolon insertion swallowed.

        After `x = 1 // note` tree-sitter places the zero-width semicolon after the comment,
        so the statement, and an `if` or loop ending with it, covers the comment; ESTree
        (and esprima) end at `1`.
        """
        return self.at_bytes(n.start_byte, _content_end(n), node)

    def set_end(self, node: Node, end: int) -> None:
        """Move a node's end to `str` index `end` (used to trim `;` off for-loop heads)."""
        node["range"][1] = end
        node["loc"] = self.pos.loc(node["range"][0], end)

    def src(self, n: Any) -> str:
        return self.data[n.start_byte : n.end_byte].decode("utf-8", "surrogatepass")

    # -- children ------------------------------------------------------------------------

    def each(self, nodes: list[Any]) -> Generator[Any, Any, list[Any]]:
        """Lower a list of tree-sitter nodes (comments skipped); `yield from` returns the list."""
        out: list[Any] = []
        for c in nodes:
            if c.type not in EXTRAS:
                out.append((yield c))
        return out

    def opaque(self, n: Any) -> Node:
        """A type-level node: its kind and span only, because types hold no runtime calls."""
        return self.at(n, {"type": ts_kind(n.type)})


def _content_end(n: Any) -> int:
    """The end of the last real token under `n`: down the right spine, past comments."""
    end = n.end_byte
    while True:
        count = n.child_count
        index = count - 1
        while index >= 0:
            c = n.child(index)
            if not c.is_extra and c.start_byte != c.end_byte:
                break
            index -= 1
        if index < 0:
            return end
        n = c
        end = c.end_byte


def named(n: Any) -> list[Any]:
    return [c for c in n.named_children if c.type not in EXTRAS]


def first_named(n: Any) -> Any:
    for c in n.named_children:
        if c.type not in EXTRAS:
            return c
    return None


def token_types(n: Any) -> set[str]:
    """The anonymous tokens of a node: modifiers such as `async`, `static`, `*`, `?.`."""
    return {c.type for c in n.children if not c.is_named}


_TS_KIND_NAMES: dict[str, str] = {}


def ts_kind(kind: str) -> str:
    name = _TS_KIND_NAMES.get(kind)
    if name is None:
        name = _TS_KIND_NAMES[kind] = "TS" + "".join(p.title() for p in kind.split("_"))
    return name


Handler = Callable[[Lowerer, Any], Any]
HANDLERS: dict[str, Handler] = {}


def handles(*kinds: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for kind in kinds:
            HANDLERS[kind] = fn
        return fn

    return register


# Kinds whose ESTree node is one type and whose children are read field for field:
# kind -> (ESTree type, ((ESTree key, tree-sitter field, or FIRST_NAMED), ...), statement).
# Children are lowered in the order listed, which is also the order walks visit them in.
FIRST_NAMED = ""
_FIELDS: dict[str, tuple[str, tuple[tuple[str, str], ...], bool]] = {}


def fields(kind: str, estree_type: str, *pairs: tuple[str, str], statement: bool = False) -> None:
    """Register `kind` as a table entry; a statement ends before a comment ASI swallowed."""
    _FIELDS[kind] = (estree_type, pairs, statement)
    HANDLERS[kind] = _lower_fields


def _lower_fields(lw: Lowerer, n: Any) -> Any:
    estree_type, pairs, statement = _FIELDS[n.type]
    node: Node = {"type": estree_type}
    for key, field_name in pairs:
        node[key] = yield (first_named(n) if field_name == FIRST_NAMED else n.child_by_field_name(field_name))
    return lw.at_stmt(n, node) if statement else lw.at(n, node)


def lower_generic(lw: Lowerer, n: Any) -> Any:
    """A kind with no ESTree counterpart: kept with its children so walks reach inside."""
    children = yield from lw.each(n.named_children)
    return lw.at(n, {"type": n.type, "children": children})


def mark_directives(body: list[Node]) -> None:
    """Flag a directive prologue ("use strict") the way esprima's `Directive` nodes do."""
    for statement in body:
        if statement["type"] != "ExpressionStatement":
            return
        expression = statement["expression"]
        if (
            expression["type"] != "Literal"
            or type(expression["value"]) is not str
            or expression["range"][0] != statement["range"][0]
        ):
            return
        statement["directive"] = expression["raw"][1:-1]


def find_token(n: Any, kind: str) -> Any:
    for c in n.children:
        if c.type == kind:
            return c
    return None


def add_decorators(node: Node | None, decorators: list[Node]) -> None:
    if decorators and node is not None:
        node["decorators"] = decorators + node.get("decorators", [])


def init_property(key: Node, value: Any, computed: bool = False, shorthand: bool = False) -> Node:
    return {
        "type": "Property",
        "key": key,
        "computed": computed,
        "value": value,
        "kind": "init",
        "method": False,
        "shorthand": shorthand,
    }


def lower_key(lw: Lowerer, key_node: Any) -> Any:
    """A property key and whether it is computed (`[expr]`)."""
    if key_node.type == "computed_property_name":
        return (yield first_named(key_node)), True
    return (yield key_node), False


def lower_decorators(lw: Lowerer, n: Any) -> Any:
    nodes = [c for c in n.named_children if c.type == "decorator"]
    if not nodes:
        return []
    return (yield from lw.each(nodes))
