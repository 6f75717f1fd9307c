"""esprima's trees as the shared representation, with the fields it predates added.

esprima (pure Python, ES2017 + JSX) reads the plain JavaScript tree-sitter misreads; its tree
*is* ESTree, and these fixups make it equal, `loc` included, to what the lowering builds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .literals import join_surrogates
from .nodes import Node, ParseError


def parse_with_esprima(text: str) -> tuple[Node | None, ParseError | None]:
    """The converted tree (module goal first, then script), or None and esprima's complaint.

    Any exception means "esprima cannot read this": besides its own `Error` it raises
    IndexError at some truncated inputs and RecursionError on deep nesting, and tree-sitter
    then decides whether the file parses.
    """
    parser_class, object_type = _esprima_classes()
    options = {"jsx": True, "range": True, "loc": True, "tolerant": False}
    errors: list[ParseError] = []
    for goal in ("module", "script"):
        try:
            parser = parser_class(text, {**options, "sourceType": goal}, None)
            tree = parser.parseModule() if goal == "module" else parser.parseScript()
        except Exception as exc:  # see docstring
            errors.append(_esprima_error(exc))
            continue
        program = _from_esprima(tree, object_type, text)
        proposal = _export_default_from(program)
        return (None, proposal) if proposal else (program, None)
    # The script goal accepts more, so its error is the one about the code itself.
    return None, errors[-1]


def _export_default_from(program: Node) -> ParseError | None:
    """esprima 4.0.1 reads `export Name from 'm'` (a proposal Babel needs a plugin for, not
    JavaScript) as an export with an `ExportDefaultSpecifier`; such a file does not parse."""
    for statement in program["body"]:
        for spec in statement.get("specifiers") or ():
            if spec["type"] == "ExportDefaultSpecifier":
                start = spec["loc"]["start"]
                message = (f"`export {spec['local']['name']} from` is a proposal, not JavaScript"
                           f" at {start['line']}:{start['column'] + 1}")
                return ParseError(message, start["line"], start["column"] + 1)
    return None


def _esprima_error(exc: Exception) -> ParseError:
    line = getattr(exc, "lineNumber", None)
    column = getattr(exc, "column", None)
    message = re.sub(r"^Line \d+: ", "", str(exc)) or type(exc).__name__
    if isinstance(line, int) and isinstance(column, int):
        return ParseError(f"{message} at {line}:{column}", line, column)
    return ParseError(message, 0, 0)


_ESPRIMA: list[tuple[type, type]] = []


def _esprima_classes() -> tuple[type, type]:
    """esprima's JSX parser with one fix, and its node base class (imported on first use).

    esprima 4.0.1 ends a statement closed by automatic semicolon insertion before `}` or the
    end of the file at that next token, so `{ f() }` gives `f()` the range `f() ` with the
    space. Splicing such a range eats whitespace; every other parser ends at `)`, and so
    does this subclass, which only stops moving the end marker.
    """
    if not _ESPRIMA:
        from esprima.jsx_parser import JSXParser
        from esprima.objects import Object
        from esprima.token import Token

        class Parser(JSXParser):
            def consumeSemicolon(self) -> None:  # esprima names its methods so
                if self.match(";"):
                    self.nextToken()
                elif not self.hasLineTerminator and not (
                    self.lookahead.type is Token.EOF or self.match("}")
                ):
                    self.throwUnexpectedToken(self.lookahead)

        _ESPRIMA.append((Parser, Object))
    return _ESPRIMA[0]


_ESPRIMA_RENAMES = {"isAsync": "async"}


def _from_esprima(root: Any, object_type: type, text: str) -> Node:
    """esprima's node objects as plain dicts, normalised to the shared representation.

    esprima's own `toDict` drops every None field and leaves regex values as compiled Python
    patterns, so this converter (iterative; shared objects stay shared) replaces it.
    """
    memo: dict[int, Node] = {}
    deferred: list[Node] = []
    out: Node = {}
    memo[id(root)] = out
    stack: list[tuple[Any, Node]] = [(root, out)]

    def child(value: Any) -> Any:
        if not isinstance(value, object_type):
            return value
        existing = memo.get(id(value))
        if existing is None:
            existing = memo[id(value)] = {}
            stack.append((value, existing))
        return existing

    while stack:
        obj, node = stack.pop()
        for key, value in obj.__dict__.items():
            if key == "loc":
                node["loc"] = _esprima_loc(value)
            elif isinstance(value, list):
                node[key] = [child(item) for item in value]
            else:
                node[_ESPRIMA_RENAMES.get(key, key)] = child(value)
        kind = node.get("type") or ""
        fix = _ESPRIMA_FIXES.get(kind)
        if fix is not None:
            fix(node)
        if kind in _ESPRIMA_DEFERRED:
            deferred.append(node)
    for node in deferred:  # these read children, which are only complete now
        _ESPRIMA_DEFERRED[node["type"]](node, text)
    return out


def _esprima_loc(loc: Any) -> dict[str, dict[str, int]]:
    # esprima 4.0.1's scanner starts an empty text at line 0; lines are 1-based.
    return {
        "start": {"line": max(loc.start.line, 1), "column": loc.start.column},
        "end": {"line": max(loc.end.line, 1), "column": loc.end.column},
    }


def _share_shorthand_key(prop: Node, _text: str) -> None:
    if not prop["shorthand"]:
        return
    value = prop["value"]
    if value is not None and value.get("type") == "AssignmentPattern":
        value = value["left"]
    if value is not None and value.get("type") == "Identifier":
        prop["key"] = value


def _fix_literal(node: Node) -> None:
    if "regex" in node:
        node["value"] = None
    elif type(node["value"]) is str and "\\" in node["raw"]:
        node["value"] = join_surrogates(node["value"])


def _fix_template_element(node: Node, _text: str) -> None:
    cooked = node["value"].get("cooked")
    if cooked is not None:
        node["value"]["cooked"] = join_surrogates(cooked)


def _fix_optional(node: Node) -> None:
    node["optional"] = False


def _fix_arrow(node: Node) -> None:
    node["id"] = None


def _fix_for_in(node: Node) -> None:
    node.pop("each", None)


def _fix_for_of(node: Node) -> None:
    node["await"] = False


def _fix_import_kind(node: Node) -> None:
    node["importKind"] = "value"


def _fix_export_kind(node: Node) -> None:
    node["exportKind"] = "value"


def _fix_export_all(node: Node) -> None:
    node["exported"] = None
    node["exportKind"] = "value"


def _fix_async_computed(node: Node, text: str) -> None:
    """esprima forgets `computed` on `async [key]() {}` class methods: look for the `[`."""
    if node["computed"] or not node["value"]["async"]:
        return
    index = node["key"]["range"][0] - 1
    while index > 0 and text[index].isspace():
        index -= 1
    node["computed"] = text[index] == "["


def _trim_for_init(node: Node, _text: str) -> None:
    """esprima ends a `let`/`const` for-loop head declaration after the `;`; `var` before."""
    init = node["init"]
    if init is not None and init["type"] == "VariableDeclaration" and init["declarations"]:
        last = init["declarations"][-1]
        init["range"][1] = last["range"][1]
        init["loc"]["end"] = dict(last["loc"]["end"])


# Fields esprima 4 predates (ES2020 `optional`, `for await`, export-as) or TypeScript adds
# (`importKind`/`exportKind`), set as the lowering sets them; the legacy `each` is dropped.
_ESPRIMA_FIXES: dict[str, Callable[[Node], None]] = {
    "Literal": _fix_literal,
    "CallExpression": _fix_optional,
    "MemberExpression": _fix_optional,
    "ArrowFunctionExpression": _fix_arrow,
    "ForInStatement": _fix_for_in,
    "ForOfStatement": _fix_for_of,
    "ImportDeclaration": _fix_import_kind,
    "ImportSpecifier": _fix_import_kind,
    "ExportNamedDeclaration": _fix_export_kind,
    "ExportSpecifier": _fix_export_kind,
    "ExportAllDeclaration": _fix_export_all,
}
_ESPRIMA_DEFERRED: dict[str, Callable[[Node, str], None]] = {
    "Property": _share_shorthand_key,
    "ForStatement": _trim_for_init,
    "MethodDefinition": _fix_async_computed,
    "TemplateElement": _fix_template_element,
}
