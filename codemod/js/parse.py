"""Parse JavaScript and TypeScript into one ESTree-shaped tree of plain dicts.

Rules are written once, against ESTree node shapes, whichever parser read the file.
tree-sitter reads every dialect first and its concrete tree is lowered here into ESTree
shapes; plain JavaScript it rejects goes to esprima (pure Python, ES2017 + JSX), whose tree
*is* ESTree.

The representation, for both parsers:
- every node is a `dict` with `"type"`, its ESTree fields, `"range": [start, end]` as Python
  `str` indices (code points) into the parsed text, and `"loc"` with 1-based lines and
  0-based code-point columns (line terminators as ECMAScript counts them);
- absent children are `None` (never a missing key); dicts without `"type"` (loc, regex,
  template values) are data, not nodes;
- optional chains are not wrapped in `ChainExpression`: `a?.b()` is a `CallExpression` whose
  callee `MemberExpression` has `optional: True`, so a rule matching `a.b()` sees both forms;
- a shorthand `Property` shares one dict between `key` and `value` (or `value.left`), so a
  walk yields that identifier once and two edits never land on the same span;
- `import(x)` is a `CallExpression` whose callee is `{"type": "Import"}` (esprima's shape);
- TypeScript adds `TSAsExpression`, `TSSatisfiesExpression`, `TSNonNullExpression`,
  `TSTypeAssertion`, `TSInstantiationExpression` (all with `expression`), `TSEnumDeclaration`,
  `TSModuleDeclaration`, `TSImportEqualsDeclaration`, `TSExportAssignment`,
  `TSParameterProperty`, `Decorator`, and opaque `TS<Kind>` nodes for types (no children);
  TS-only keys (`typeAnnotation`, `decorators`, `returnType`...) appear only when present.
- a kind with no ESTree counterpart becomes `{"type": "<tree-sitter kind>", "children": [...]}`
  so a generic walk still reaches every call inside it.

Why tree-sitter first: on 8 real 181-230 line ES2017 npm modules (best of 20), esprima took
14.6 ms a file against 4.5 ms for tree-sitter and the lowering; on 5,349 real files esprima
accepts, both give equal trees, `loc` included; and esprima rejects most modern code
(optional chaining, class fields...) only after reading it, so trying it first paid twice.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import GeneratorType
from typing import Any, Literal

Node = dict[str, Any]
ParserName = Literal["esprima", "tree-sitter"]
Dialect = Literal["js", "ts", "tsx"]

__all__ = [
    "Dialect",
    "Node",
    "ParseError",
    "ParseResult",
    "Parsed",
    "ScriptBlock",
    "captures",
    "extract_script_blocks",
    "iter_nodes",
    "node_text",
    "parent_map",
    "parse_js",
    "syntax_error",
    "walk",
]


@dataclass(frozen=True)
class Parsed:
    """A file that parsed; `program` is the ESTree `Program` dict."""

    program: Node
    parser: ParserName
    dialect: Dialect


@dataclass(frozen=True)
class ParseError:
    """A file that did not parse: 1-based `line` and `column` of the first error."""

    message: str
    line: int
    column: int


ParseResult = Parsed | ParseError

_DIALECTS: dict[str, Dialect] = {
    ".js": "js",
    ".jsx": "js",
    ".mjs": "js",
    ".cjs": "js",
    ".ts": "ts",
    ".mts": "ts",
    ".cts": "ts",
    ".tsx": "tsx",
}


def parse_js(
    text: str, suffix: str, *, prefer: ParserName = "tree-sitter", sliced: bool = False
) -> ParseResult:
    """Parse `text` as the dialect its file `suffix` names; never raises for any text.

    tree-sitter goes first (about 3x cheaper than esprima, same trees); plain JavaScript it
    rejects goes to esprima, which still reads a few files tree-sitter does not (see
    `_reject_arrow_operand`). `prefer="esprima"` tries esprima first, for the tests that
    compare the two. A tree-sitter tree with any ERROR or MISSING node is a `ParseError`,
    never a `Parsed`. `sliced=True` lowers only the top-level statements the migration can
    need (`slicing.py`): the `Program`'s body then holds just those, ranges unchanged.
    Raises `ValueError` only for a suffix this module does not handle (a caller bug).
    """
    dialect = _dialect(suffix)
    if dialect == "js" and prefer == "esprima":
        program, esprima_error = _parse_with_esprima(text)
        if program is not None:
            return Parsed(program, "esprima", "js")
        result, recovered = _parse_with_tree_sitter(text, dialect)
        return _both_failed(result, esprima_error) if recovered and esprima_error else result
    result, recovered = _parse_with_tree_sitter(text, dialect, sliced)
    if isinstance(result, Parsed) or dialect != "js":
        return result
    program, esprima_error = _parse_with_esprima(text)
    if program is not None:
        return Parsed(program, "esprima", "js")
    return _both_failed(result, esprima_error) if recovered and esprima_error else result


def syntax_error(text: str, suffix: str) -> ParseError | None:
    """What `parse_js` would reject, without building the ESTree dicts when it would not.

    A clean tree-sitter tree is lowered without complaint except for the arrow-function
    operands `_reject_arrow_operand` refuses; a query finds those in C. Only a file with an
    error pays for the full `parse_js` (esprima's second opinion and the message).
    """
    dialect = _dialect(suffix)
    tree = _ts_tree(text, dialect)
    if _error_node(tree.root_node) is None and not _arrow_operands(tree.root_node, dialect):
        return None
    result = parse_js(text, suffix)
    return result if isinstance(result, ParseError) else None


def _dialect(suffix: str) -> Dialect:
    dialect = _DIALECTS.get(suffix.lower())
    if dialect is None:
        raise ValueError(f"not a JavaScript/TypeScript suffix: {suffix!r}")
    return dialect


def _both_failed(tree_sitter: ParseError, esprima: ParseError) -> ParseError:
    """One error for a file neither parser read, located by whichever got further.

    tree-sitter places an error where its recovery starts, often the start of the
    statement; esprima stops at the offending token, but also at the first ES2018+
    construct. So esprima's position wins only when it is not before tree-sitter's.
    """
    if (esprima.line, esprima.column) >= (tree_sitter.line, tree_sitter.column):
        message = f"{esprima.message} (esprima); tree-sitter: {tree_sitter.message}"
        return ParseError(message, esprima.line, esprima.column)
    message = f"{tree_sitter.message}; esprima: {esprima.message}"
    return ParseError(message, tree_sitter.line, tree_sitter.column)


# --------------------------------------------------------------------------------------
# Walking the tree


def walk(root: Node) -> Iterator[tuple[Node, Node | None]]:
    """Yield `(node, parent)` for every node once, pre-order, children in field order.

    Iterative, so a deeply nested file cannot exhaust the recursion limit; a node shared by
    two fields (shorthand properties, unaliased import specifiers) is yielded once.
    """
    seen: set[int] = set()
    stack: list[tuple[Node, Node | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        key = id(node)
        if key in seen:
            continue
        seen.add(key)
        yield node, parent
        children: list[Node] = []
        for name, value in node.items():
            if name in _NOT_CHILDREN:
                continue
            if type(value) is dict:
                if "type" in value:
                    children.append(value)
            elif type(value) is list:
                children.extend(v for v in value if type(v) is dict and "type" in v)
        stack.extend((child, node) for child in reversed(children))


_NOT_CHILDREN = frozenset({"type", "range", "loc", "regex"})


def iter_nodes(root: Node) -> Iterator[Node]:
    """Every node once, pre-order: `walk` without the parents."""
    for node, _parent in walk(root):
        yield node


def parent_map(root: Node) -> dict[int, Node]:
    """`id(node) -> parent` for every node but the root, for rules that look upwards."""
    return {id(node): parent for node, parent in walk(root) if parent is not None}


def node_text(text: str, node: Node) -> str:
    """The source text a node spans (ranges are `str` indices into the parsed text)."""
    start, end = node["range"]
    return text[start:end]


# --------------------------------------------------------------------------------------
# esprima


def _parse_with_esprima(text: str) -> tuple[Node | None, ParseError | None]:
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

        class Parser(JSXParser):  # type: ignore[misc]
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
_SURROGATE = re.compile("[\ud800-\udbff][\udc00-\udfff]")


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
        kind = node.get("type")
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
        node["value"] = _join_surrogates(node["value"])


def _fix_template_element(node: Node, _text: str) -> None:
    cooked = node["value"].get("cooked")
    if cooked is not None:
        node["value"]["cooked"] = _join_surrogates(cooked)


def _join_surrogates(value: str) -> str:
    """Escaped UTF-16 pairs (`\\ud83d\\ude00`) as the one character JavaScript means."""
    return _SURROGATE.sub(
        lambda m: chr(0x10000 + ((ord(m[0][0]) - 0xD800) << 10) + ord(m[0][1]) - 0xDC00), value
    )


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


# --------------------------------------------------------------------------------------
# tree-sitter: parsing and strictness

_local = threading.local()


def _ts_parser(dialect: Dialect) -> Any:
    """One parser per dialect and thread (tree-sitter parsers are not thread-safe)."""
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    parser = parsers.get(dialect)
    if parser is None:
        import tree_sitter

        parser = parsers[dialect] = tree_sitter.Parser(_ts_language(dialect))
    return parser


_LANGUAGES: dict[str, Any] = {}


def _ts_language(dialect: Dialect) -> Any:
    language = _LANGUAGES.get(dialect)
    if language is None:
        import tree_sitter

        if dialect == "js":
            import tree_sitter_javascript as grammar

            capsule = grammar.language()
        else:
            import tree_sitter_typescript as grammar

            capsule = (
                grammar.language_tsx() if dialect == "tsx" else grammar.language_typescript()
            )
        language = _LANGUAGES[dialect] = tree_sitter.Language(capsule)
    return language


def _ts_tree(text: str, dialect: Dialect) -> Any:
    """tree-sitter's tree for `text`, parsed once for the syntax check and the lowering.

    The engine checks a file's syntax, then migrates it: the same text, one call apart. One
    remembered tree per thread is enough for that, and holds no more than one file.
    """
    last = getattr(_local, "last_tree", None)
    if last is not None and last[0] == dialect and last[1] == text:
        return last[2]
    tree = _ts_parser(dialect).parse(text.encode("utf-8", "surrogatepass"))
    _local.last_tree = (dialect, text, tree)
    return tree


def _arrow_operands(root: Any, dialect: Dialect) -> bool:
    """Whether an arrow function is called or indexed without parentheses (a misread)."""
    return bool(captures(root, dialect, _ARROW_OPERANDS))


_ARROW_OPERANDS = (
    "(call_expression function: (arrow_function) @a)"
    " (member_expression object: (arrow_function) @a)"
    " (subscript_expression object: (arrow_function) @a)"
)


def captures(root: Any, dialect: Dialect, source: str) -> dict[str, list[Any]]:
    """A tree-sitter query's captures under `root`, by name; each query compiled once."""
    import tree_sitter

    query = _QUERIES.get((dialect, source))
    if query is None:
        query = _QUERIES[dialect, source] = tree_sitter.Query(_ts_language(dialect), source)
    return tree_sitter.QueryCursor(query).captures(root)


_QUERIES: dict[tuple[str, str], Any] = {}


def _parse_with_tree_sitter(
    text: str, dialect: Dialect, sliced: bool = False
) -> tuple[ParseResult, bool]:
    """The result, and whether it is an error tree-sitter recovered from (ERROR/MISSING).

    Only such errors have an imprecise position that esprima's may improve on.
    """
    data = text.encode("utf-8", "surrogatepass")
    root = _ts_tree(text, dialect).root_node
    positions = _Positions(text)
    found = _error_node(root)
    if found is not None:
        return _error_at(found, positions, dialect), True
    try:
        program = _Lowerer(text, data, positions, dialect, sliced).run(root)
    except _Misread as exc:
        line, column = positions.line_column(positions.cp(exc.byte))
        message = f"{exc.reason} at {line}:{column + 1} ({dialect})"
        return ParseError(message, line, column + 1), False
    except Exception as exc:  # the contract is "never raises for any text"
        return ParseError(f"cannot lower the {dialect} tree: {exc!r}", 1, 1), False
    return Parsed(program, "tree-sitter", dialect), False


class _Misread(Exception):
    """A tree tree-sitter built without an error node, but not as JavaScript reads the code."""

    def __init__(self, reason: str, byte: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.byte = byte


def _reject_arrow_operand(operand: Any) -> None:
    """An arrow function cannot be called or indexed without parentheses.

    tree-sitter nevertheless reads `const f = () => {}` followed by a line starting with `[`
    or `(` as one expression, where JavaScript inserts a semicolon. Such a tree would hide
    the next statement inside the arrow's declaration, so the file is refused instead.
    """
    if operand is not None and operand.type == "arrow_function":
        raise _Misread("ambiguous line break after an arrow function (add a `;`)", operand.end_byte)


def _error_node(root: Any) -> Any | None:
    """The first ERROR or MISSING node in document order; None if there is none but a bare
    `&` in a JSX attribute string (`_attribute_ampersand`)."""
    if not root.has_error:
        return None
    stack = list(reversed(root.children))
    while stack:
        node = stack.pop()
        if node.is_missing or (node.type == "ERROR" and not _attribute_ampersand(node)):
            return node
        if node.has_error and node.type != "ERROR":
            stack.extend(reversed(node.children))
    return None


def _attribute_ampersand(error: Any) -> bool:
    """An ERROR that is a bare `&` inside a closed JSX attribute string: not a syntax error.

    `<a href="/?a=1&utm_source=x">` is valid JSX (an attribute string holds anything but its
    quote, and an `&` that starts no entity is itself), yet both grammars read `&` not
    followed by a complete entity as an ERROR inside the string (tree-sitter-javascript#304,
    still in tree-sitter-typescript 0.23.2). The string stays one node, and the lowering takes
    its value from its bytes.
    """
    string = error.parent
    if string is None or string.type != "string" or string.parent is None:
        return False
    raw, text = string.text, error.text
    return (string.parent.type == "jsx_attribute" and text.startswith(b"&") and len(raw) >= 2
            and raw[-1:] == raw[:1] and raw[:1] not in text)


def _error_at(found: Any, positions: _Positions, dialect: Dialect) -> ParseError:
    """An ERROR or MISSING node as a ParseError at its 1-based line:column."""
    start = positions.cp(found.start_byte)
    line, column = positions.line_column(start)
    what = f"missing {found.type!r}" if found.is_missing else "syntax error"
    return ParseError(f"{what} at {line}:{column + 1} ({dialect})", line, column + 1)


class _Positions:
    """Byte offsets to `str` indices, and indices to ECMAScript line/column.

    tree-sitter reports UTF-8 byte offsets; edits splice Python strings. ASCII text needs no
    conversion; otherwise a bisect over the non-ASCII characters converts in O(log n).
    """

    __slots__ = ("ascii", "byte_starts", "extra", "lines", "simple")

    def __init__(self, text: str) -> None:
        self.ascii = text.isascii()
        # ASCII with only "\n" line ends: tree-sitter's own points are ESTree's loc.
        self.simple = self.ascii and "\r" not in text
        self.byte_starts: list[int] = []
        self.extra: list[int] = []
        if not self.ascii:
            extra = 0
            for match in _NON_ASCII.finditer(text):
                code = ord(match[0])
                self.byte_starts.append(match.start() + extra)
                extra += 1 if code < 0x800 else 2 if code < 0x10000 else 3
                self.extra.append(extra)
        self.lines = [0]
        self.lines.extend(m.end() for m in _LINE_BREAK.finditer(text))

    def cp(self, byte: int) -> int:
        if self.ascii:
            return byte
        index = bisect_right(self.byte_starts, byte - 1)
        return byte - self.extra[index - 1] if index else byte

    def line_column(self, index: int) -> tuple[int, int]:
        line = bisect_right(self.lines, index)
        return line, index - self.lines[line - 1]

    def loc(self, start: int, end: int) -> dict[str, dict[str, int]]:
        lines = self.lines
        a = bisect_right(lines, start)
        b = bisect_right(lines, end)
        return {
            "start": {"line": a, "column": start - lines[a - 1]},
            "end": {"line": b, "column": end - lines[b - 1]},
        }


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LINE_BREAK = re.compile("\r\n?|[\n\u2028\u2029]")

# --------------------------------------------------------------------------------------
# tree-sitter: lowering to ESTree
#
# Handlers are generators: `yield ts_node` hands a child to the driver and receives its
# lowered dict, so the driver's explicit stack replaces Python recursion (minified bundles
# nest thousands deep). A handler that needs no children may simply return its dict.

_EXTRAS = frozenset({"comment", "html_comment"})
_LOGICAL = frozenset({"&&", "||", "??"})
class _Lowerer:
    """One file's lowering: positions, the source, and the driver loop."""

    __slots__ = ("await_calls", "data", "dialect", "pos", "sliced", "text")

    def __init__(
        self, text: str, data: bytes, positions: _Positions, dialect: Dialect, sliced: bool = False
    ) -> None:
        self.text = text
        self.data = data
        self.pos = positions
        self.dialect = dialect
        self.sliced = sliced
        # id(AwaitExpression) -> str index of its `(`, for `_repair_await` (see there).
        self.await_calls: dict[int, int] = {}

    def run(self, root: Any) -> Node:
        result = _HANDLERS.get(root.type, _lower_generic)(self, root)
        if type(result) is not GeneratorType:
            return result
        stack = [result]
        value: Any = None
        handlers, generic = _HANDLERS, _lower_generic
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

    def each(self, nodes: list[Any]) -> Iterator[Any]:
        """Lower a list of tree-sitter nodes (comments skipped); `yield from` returns the list."""
        out = []
        for c in nodes:
            if c.type not in _EXTRAS:
                out.append((yield c))
        return out

    def opaque(self, n: Any) -> Node:
        """A type-level node: its kind and span only, because types hold no runtime calls."""
        return self.at(n, {"type": _ts_kind(n.type)})


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


def _named(n: Any) -> list[Any]:
    return [c for c in n.named_children if c.type not in _EXTRAS]


def _first_named(n: Any) -> Any:
    for c in n.named_children:
        if c.type not in _EXTRAS:
            return c
    return None


def _tokens(n: Any) -> set[str]:
    """The anonymous tokens of a node: modifiers such as `async`, `static`, `*`, `?.`."""
    return {c.type for c in n.children if not c.is_named}


_TS_KIND_NAMES: dict[str, str] = {}


def _ts_kind(kind: str) -> str:
    name = _TS_KIND_NAMES.get(kind)
    if name is None:
        name = _TS_KIND_NAMES[kind] = "TS" + "".join(p.title() for p in kind.split("_"))
    return name


Handler = Callable[[_Lowerer, Any], Any]
_HANDLERS: dict[str, Handler] = {}


def _handles(*kinds: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for kind in kinds:
            _HANDLERS[kind] = fn
        return fn

    return register


def _lower_generic(lw: _Lowerer, n: Any) -> Any:
    """A kind with no ESTree counterpart: kept with its children so walks reach inside."""
    children = yield from lw.each(n.named_children)
    return lw.at(n, {"type": n.type, "children": children})


# -- program and statements ---------------------------------------------------------------


@_handles("program")
def _lower_program(lw: _Lowerer, n: Any) -> Any:
    statements = [c for c in _named(n) if c.type != "hash_bang_line"]
    if lw.sliced:
        from .slicing import kept_statements

        kept = kept_statements(statements, lw.data, lw.dialect)
        if kept is not None:
            statements = [s for i, s in enumerate(statements) if i in kept]
    body = yield from lw.each(statements)
    _mark_directives(body)
    program = {"type": "Program", "sourceType": "module", "body": body}
    if body:
        start, end = body[0]["range"][0], body[-1]["range"][1]
    else:
        start = end = len(lw.text)
    program["range"] = [start, end]
    program["loc"] = lw.pos.loc(start, end)
    return program


def _mark_directives(body: list[Node]) -> None:
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


@_handles("expression_statement")
def _lower_expression_statement(lw: _Lowerer, n: Any) -> Any:
    expression = yield _first_named(n)
    return lw.at_stmt(n, {"type": "ExpressionStatement", "expression": expression})


@_handles("statement_block")
def _lower_block(lw: _Lowerer, n: Any) -> Any:
    body = yield from lw.each(n.named_children)
    return lw.at_stmt(n, {"type": "BlockStatement", "body": body})


@_handles("empty_statement")
def _lower_empty(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "EmptyStatement"})


@_handles("debugger_statement")
def _lower_debugger(lw: _Lowerer, n: Any) -> Node:
    return lw.at_stmt(n, {"type": "DebuggerStatement"})


@_handles("variable_declaration", "lexical_declaration", "using_declaration")
def _lower_variable_declaration(lw: _Lowerer, n: Any) -> Any:
    if n.type == "using_declaration":
        kind = "await using" if n.child(0).type == "await" else "using"
    else:  # `var`, `let` or `const`, the first token
        kind = n.child(0).type
    declarators = [c for c in n.named_children if c.type == "variable_declarator"]
    declarations = yield from lw.each(declarators)
    return lw.at_stmt(
        n, {"type": "VariableDeclaration", "declarations": declarations, "kind": kind}
    )


@_handles("variable_declarator")
def _lower_variable_declarator(lw: _Lowerer, n: Any) -> Any:
    target = yield n.child_by_field_name("name")
    annotation = n.child_by_field_name("type")
    if annotation is not None:
        target["typeAnnotation"] = lw.opaque(annotation)
    init = yield n.child_by_field_name("value")
    node = {"type": "VariableDeclarator", "id": target, "init": init}
    if "!" in _tokens(n):
        node["definite"] = True
    return lw.at(n, node)


@_handles("return_statement", "throw_statement")
def _lower_return_throw(lw: _Lowerer, n: Any) -> Any:
    argument = yield _first_named(n)
    kind = "ReturnStatement" if n.type == "return_statement" else "ThrowStatement"
    return lw.at_stmt(n, {"type": kind, "argument": argument})


@_handles("break_statement", "continue_statement")
def _lower_jump(lw: _Lowerer, n: Any) -> Any:
    label = yield n.child_by_field_name("label")
    kind = "BreakStatement" if n.type == "break_statement" else "ContinueStatement"
    return lw.at_stmt(n, {"type": kind, "label": label})


@_handles("labeled_statement")
def _lower_labeled(lw: _Lowerer, n: Any) -> Any:
    label = yield n.child_by_field_name("label")
    body = yield n.child_by_field_name("body")
    return lw.at_stmt(n, {"type": "LabeledStatement", "label": label, "body": body})


@_handles("if_statement")
def _lower_if(lw: _Lowerer, n: Any) -> Any:
    test = yield n.child_by_field_name("condition")
    consequent = yield n.child_by_field_name("consequence")
    alternative = n.child_by_field_name("alternative")
    alternate = None
    if alternative is not None:
        alternate = yield _first_named(alternative)
    return lw.at_stmt(
        n, {"type": "IfStatement", "test": test, "consequent": consequent, "alternate": alternate}
    )


@_handles("for_statement")
def _lower_for(lw: _Lowerer, n: Any) -> Any:
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
        if c.is_named and c.type != "empty_statement" and c.type not in _EXTRAS:
            if c.type == "expression_statement":
                return _first_named(c)
            return c
    return None


@_handles("for_in_statement")
def _lower_for_in(lw: _Lowerer, n: Any) -> Any:
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


@_handles("while_statement")
def _lower_while(lw: _Lowerer, n: Any) -> Any:
    test = yield n.child_by_field_name("condition")
    body = yield n.child_by_field_name("body")
    return lw.at_stmt(n, {"type": "WhileStatement", "test": test, "body": body})


@_handles("do_statement")
def _lower_do(lw: _Lowerer, n: Any) -> Any:
    body = yield n.child_by_field_name("body")
    test = yield n.child_by_field_name("condition")
    return lw.at_stmt(n, {"type": "DoWhileStatement", "body": body, "test": test})


@_handles("with_statement")
def _lower_with(lw: _Lowerer, n: Any) -> Any:
    obj = yield n.child_by_field_name("object")
    body = yield n.child_by_field_name("body")
    return lw.at_stmt(n, {"type": "WithStatement", "object": obj, "body": body})


@_handles("try_statement")
def _lower_try(lw: _Lowerer, n: Any) -> Any:
    block = yield n.child_by_field_name("body")
    handler = yield n.child_by_field_name("handler")
    finalizer_node = n.child_by_field_name("finalizer")
    finalizer = None
    if finalizer_node is not None:
        finalizer = yield finalizer_node.child_by_field_name("body")
    return lw.at_stmt(
        n, {"type": "TryStatement", "block": block, "handler": handler, "finalizer": finalizer}
    )


@_handles("catch_clause")
def _lower_catch(lw: _Lowerer, n: Any) -> Any:
    param = yield n.child_by_field_name("parameter")
    annotation = n.child_by_field_name("type")
    if param is not None and annotation is not None:
        param["typeAnnotation"] = lw.opaque(annotation)
    body = yield n.child_by_field_name("body")
    return lw.at(n, {"type": "CatchClause", "param": param, "body": body})


@_handles("switch_statement")
def _lower_switch(lw: _Lowerer, n: Any) -> Any:
    discriminant = yield n.child_by_field_name("value")
    cases = yield from lw.each(n.child_by_field_name("body").named_children)
    return lw.at_stmt(n, {"type": "SwitchStatement", "discriminant": discriminant, "cases": cases})


@_handles("switch_case", "switch_default")
def _lower_switch_case(lw: _Lowerer, n: Any) -> Any:
    test = yield n.child_by_field_name("value")
    consequent = yield from lw.each(n.children_by_field_name("body"))
    return lw.at_stmt(n, {"type": "SwitchCase", "test": test, "consequent": consequent})


# -- modules ------------------------------------------------------------------------------


@_handles("import_statement")
def _lower_import(lw: _Lowerer, n: Any) -> Any:
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
                local = yield _first_named(c)
                specifiers.append(lw.at(c, {"type": "ImportNamespaceSpecifier", "local": local}))
            elif c.type == "named_imports":
                specifiers.extend((yield from lw.each(c.named_children)))
    source = yield n.child_by_field_name("source")
    kind = "type" if "type" in _tokens(n) else "value"
    return lw.at_stmt(
        n,
        {"type": "ImportDeclaration", "specifiers": specifiers, "source": source, "importKind": kind},
    )


def _lower_import_require(lw: _Lowerer, n: Any, clause: Any) -> Any:
    """`import x = require("m")`: a TypeScript import a migration rule must still see."""
    target = yield _first_named(clause)
    source_node = clause.child_by_field_name("source")
    source = yield source_node
    require = _find_token(clause, "require") or source_node
    reference = lw.at_bytes(
        require.start_byte,
        clause.end_byte,
        {"type": "TSExternalModuleReference", "expression": source},
    )
    kind = "type" if "type" in _tokens(n) else "value"
    return lw.at_stmt(
        n,
        {
            "type": "TSImportEqualsDeclaration",
            "id": target,
            "moduleReference": reference,
            "importKind": kind,
        },
    )


def _find_token(n: Any, kind: str) -> Any:
    for c in n.children:
        if c.type == kind:
            return c
    return None


@_handles("import_alias")
def _lower_import_alias(lw: _Lowerer, n: Any) -> Any:
    parts = _named(n)
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


@_handles("import_specifier")
def _lower_import_specifier(lw: _Lowerer, n: Any) -> Any:
    imported = yield n.child_by_field_name("name")
    alias = n.child_by_field_name("alias")
    local = imported if alias is None else (yield alias)
    kind = "type" if "type" in _tokens(n) else "value"
    return lw.at(
        n, {"type": "ImportSpecifier", "local": local, "imported": imported, "importKind": kind}
    )


@_handles("export_statement")
def _lower_export(lw: _Lowerer, n: Any) -> Any:
    tokens = _tokens(n)
    declaration = n.child_by_field_name("declaration")
    value = n.child_by_field_name("value")
    decorators = yield from _decorators(lw, n)  # `@dec export class X {}`
    if "default" in tokens:
        lowered = yield (declaration or value)
        if value is not None and lowered is not None:
            _declaration_from_default(lowered, value.type)
        _add_decorators(lowered, decorators)
        return lw.at_stmt(n, {"type": "ExportDefaultDeclaration", "declaration": lowered})
    if "=" in tokens:
        expression = yield _first_named(n)
        return lw.at_stmt(n, {"type": "TSExportAssignment", "expression": expression})
    if "namespace" in tokens and "as" in tokens and declaration is None:
        target = yield _first_named(n)
        return lw.at_stmt(n, {"type": "TSNamespaceExportDeclaration", "id": target})
    source = yield n.child_by_field_name("source")
    kind = "type" if "type" in tokens else "value"
    if declaration is not None:
        lowered = yield declaration
        _add_decorators(lowered, decorators)
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
            exported = yield _first_named(c)
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


def _add_decorators(node: Node | None, decorators: list[Node]) -> None:
    if decorators and node is not None:
        node["decorators"] = decorators + node.get("decorators", [])


def _declaration_from_default(node: Node, kind: str) -> None:
    """`export default class {}` declares a class (esprima's shape), unless parenthesised."""
    if kind == "class":
        node["type"] = "ClassDeclaration"
    elif kind in ("function_expression", "function", "generator_function"):
        node["type"] = "FunctionDeclaration"


@_handles("export_specifier")
def _lower_export_specifier(lw: _Lowerer, n: Any) -> Any:
    local = yield n.child_by_field_name("name")
    alias = n.child_by_field_name("alias")
    exported = local if alias is None else (yield alias)
    kind = "type" if "type" in _tokens(n) else "value"
    return lw.at(
        n, {"type": "ExportSpecifier", "exported": exported, "local": local, "exportKind": kind}
    )


# -- names and literals -------------------------------------------------------------------


@_handles(
    "identifier",
    "property_identifier",
    "shorthand_property_identifier_pattern",
    "statement_identifier",
    "type_identifier",
    "undefined",
    "default",
    "this_type",
)
def _lower_identifier(lw: _Lowerer, n: Any) -> Node:
    name = lw.src(n)
    if "\\" in name:
        name = _cook(name) or name
    return lw.at(n, {"type": "Identifier", "name": name})


@_handles("private_property_identifier")
def _lower_private_name(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "PrivateIdentifier", "name": lw.src(n)[1:]})


@_handles("this")
def _lower_this(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "ThisExpression"})


@_handles("super")
def _lower_super(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "Super"})


@_handles("import")
def _lower_import_callee(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "Import"})


_CONSTANTS = {"true": True, "false": False, "null": None}


@_handles("true", "false", "null")
def _lower_constant(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "Literal", "value": _CONSTANTS[n.type], "raw": n.type})


@_handles("number")
def _lower_number(lw: _Lowerer, n: Any) -> Node:
    raw = lw.src(n)
    node: Node = {"type": "Literal", "value": _number_value(raw), "raw": raw}
    if raw.endswith("n"):
        node["bigint"] = raw[:-1].replace("_", "")
    return lw.at(n, node)


_RADIX = {"x": 16, "o": 8, "b": 2}


def _number_value(raw: str) -> int | float:
    """A numeric literal's value as esprima computes it: integral decimals become `int`."""
    text = raw.replace("_", "")
    bigint = text.endswith("n")
    if bigint:
        text = text[:-1]
    if len(text) > 1 and text[0] == "0":
        radix = _RADIX.get(text[1].lower())
        if radix is not None:
            return int(text[2:], radix)
        if text.isdigit():  # legacy octal, or decimal when it holds an 8 or a 9
            return int(text, 8) if _OCTAL_DIGITS.issuperset(text) else int(text)
    if bigint:
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return float("nan")
    return int(value) if value.is_integer() else value


_OCTAL_DIGITS = frozenset("01234567")


@_handles("string")
def _lower_string(lw: _Lowerer, n: Any) -> Node:
    raw = lw.src(n)
    body = raw[1:-1]
    value = _cook(body) if "\\" in body else body
    return lw.at(n, {"type": "Literal", "value": value, "raw": raw})


@_handles("regex")
def _lower_regex(lw: _Lowerer, n: Any) -> Node:
    raw = lw.src(n)
    cut = raw.rfind("/")
    regex = {"pattern": raw[1:cut], "flags": raw[cut + 1 :]}
    return lw.at(n, {"type": "Literal", "value": None, "raw": raw, "regex": regex})


_ESCAPE = re.compile(
    r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|\r\n|[\s\S])"
)
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_CONTINUATIONS = frozenset({"\n", "\r", "\r\n", "\u2028", "\u2029"})


def _cook(body: str) -> str | None:
    """A string or template body with JavaScript escapes applied; None if one is malformed."""
    try:
        return _join_surrogates(_ESCAPE.sub(_unescape, body))
    except ValueError:
        return None


def _unescape(match: re.Match[str]) -> str:
    esc = match[1]
    head = esc[0]
    if head == "u" and len(esc) > 1:
        return chr(int(esc[2:-1] if esc[1] == "{" else esc[1:], 16))
    if head == "x" and len(esc) == 3:
        return chr(int(esc[1:], 16))
    if head in "01234567":  # legacy octal: at most \377, so `\477` is `\47` then "7"
        value = int(esc, 8)
        return chr(value) if value < 256 else chr(int(esc[:2], 8)) + esc[2]
    if esc in _CONTINUATIONS:
        return ""
    if head in "ux":
        raise ValueError("malformed escape")
    return _SIMPLE_ESCAPES.get(esc, esc)


@_handles("template_string")
def _lower_template(lw: _Lowerer, n: Any) -> Any:
    """Quasis span their delimiters, as esprima's do: "`a${", "}b${", "}c`"."""
    substitutions = [c for c in n.named_children if c.type == "template_substitution"]
    cuts = [n.start_byte + 1]  # text runs between the delimiters, as byte offsets
    for sub in substitutions:
        cuts.extend((sub.start_byte, sub.end_byte))
    cuts.append(n.end_byte - 1)
    quasis = []
    for index in range(len(substitutions) + 1):
        text_start, text_end = cuts[2 * index], cuts[2 * index + 1]
        tail = index == len(substitutions)
        raw = lw.data[text_start:text_end].decode("utf-8", "surrogatepass")
        cooked = raw.replace("\r\n", "\n").replace("\r", "\n")
        if "\\" in cooked:
            cooked = _cook(cooked)
        element = {"type": "TemplateElement", "value": {"raw": raw, "cooked": cooked}, "tail": tail}
        quasis.append(lw.at_bytes(text_start - 1, text_end + (1 if tail else 2), element))
    expressions = []
    for sub in substitutions:
        expressions.append((yield _first_named(sub)))
    return lw.at(n, {"type": "TemplateLiteral", "quasis": quasis, "expressions": expressions})


@_handles("meta_property")
def _lower_meta_property(lw: _Lowerer, n: Any) -> Node:
    first, last = n.child(0), n.child(n.child_count - 1)
    meta = lw.at(first, {"type": "Identifier", "name": first.type})
    prop = lw.at(last, {"type": "Identifier", "name": last.type})
    return lw.at(n, {"type": "MetaProperty", "meta": meta, "property": prop})


# -- expressions --------------------------------------------------------------------------


@_handles("parenthesized_expression")
def _lower_parenthesized(lw: _Lowerer, n: Any) -> Any:
    """Parentheses are not ESTree nodes: the inner expression keeps its own span."""
    return (yield _first_named(n))


@_handles("call_expression")
def _lower_call(lw: _Lowerer, n: Any) -> Any:
    function = n.child_by_field_name("function")
    _reject_arrow_operand(function)
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


def _await_call(lw: _Lowerer, n: Any, args: Any, arguments: list[Node]) -> Node:
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


def _repair_await(lw: _Lowerer, n: Any, node: Node, field_name: str) -> Node:
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


@_handles("new_expression")
def _lower_new(lw: _Lowerer, n: Any) -> Any:
    callee = yield n.child_by_field_name("constructor")
    args = n.child_by_field_name("arguments")
    arguments = (yield from lw.each(args.named_children)) if args is not None else []
    node = {"type": "NewExpression", "callee": callee, "arguments": arguments}
    type_arguments = n.child_by_field_name("type_arguments")
    if type_arguments is not None:
        node["typeArguments"] = lw.opaque(type_arguments)
    return lw.at(n, node)


@_handles("member_expression", "subscript_expression")
def _lower_member(lw: _Lowerer, n: Any) -> Any:
    computed = n.type == "subscript_expression"
    obj_node = n.child_by_field_name("object")
    _reject_arrow_operand(obj_node)
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


@_handles("assignment_expression", "augmented_assignment_expression")
def _lower_assignment(lw: _Lowerer, n: Any) -> Any:
    left = yield n.child_by_field_name("left")
    right = yield n.child_by_field_name("right")
    operator = n.child_by_field_name("operator")
    op = "=" if operator is None else operator.type
    return lw.at(n, {"type": "AssignmentExpression", "operator": op, "left": left, "right": right})


@_handles("binary_expression")
def _lower_binary(lw: _Lowerer, n: Any) -> Any:
    left = yield n.child_by_field_name("left")
    right = yield n.child_by_field_name("right")
    op = n.child_by_field_name("operator").type
    kind = "LogicalExpression" if op in _LOGICAL else "BinaryExpression"
    return lw.at(n, {"type": kind, "operator": op, "left": left, "right": right})


@_handles("unary_expression")
def _lower_unary(lw: _Lowerer, n: Any) -> Any:
    argument = yield n.child_by_field_name("argument")
    op = n.child_by_field_name("operator").type
    return lw.at(
        n, {"type": "UnaryExpression", "prefix": True, "operator": op, "argument": argument}
    )


@_handles("update_expression")
def _lower_update(lw: _Lowerer, n: Any) -> Any:
    argument = yield n.child_by_field_name("argument")
    op = n.child_by_field_name("operator")
    prefix = op.start_byte < n.child_by_field_name("argument").start_byte
    return lw.at(
        n, {"type": "UpdateExpression", "operator": op.type, "argument": argument, "prefix": prefix}
    )


@_handles("ternary_expression")
def _lower_ternary(lw: _Lowerer, n: Any) -> Any:
    test = yield n.child_by_field_name("condition")
    consequent = yield n.child_by_field_name("consequence")
    alternate = yield n.child_by_field_name("alternative")
    return lw.at(
        n,
        {
            "type": "ConditionalExpression",
            "test": test,
            "consequent": consequent,
            "alternate": alternate,
        },
    )


@_handles("sequence_expression")
def _lower_sequence(lw: _Lowerer, n: Any) -> Any:
    """Flat, whether the grammar nests `a, (b, c)` to the right (older ones do) or not."""
    parts: list[Any] = []
    pending = [n]
    while pending:
        current = pending.pop()
        children = _named(current)
        for index in range(len(children) - 1, -1, -1):
            c = children[index]
            if c.type == "sequence_expression":
                pending.append(c)
            else:
                parts.append(c)
    parts.sort(key=lambda c: c.start_byte)
    expressions = yield from lw.each(parts)
    return lw.at(n, {"type": "SequenceExpression", "expressions": expressions})


@_handles("await_expression")
def _lower_await(lw: _Lowerer, n: Any) -> Any:
    argument = yield _first_named(n)
    return lw.at(n, {"type": "AwaitExpression", "argument": argument})


@_handles("yield_expression")
def _lower_yield(lw: _Lowerer, n: Any) -> Any:
    argument = yield _first_named(n)
    return lw.at(
        n, {"type": "YieldExpression", "argument": argument, "delegate": "*" in _tokens(n)}
    )


@_handles("spread_element")
def _lower_spread(lw: _Lowerer, n: Any) -> Any:
    argument = yield _first_named(n)
    return lw.at(n, {"type": "SpreadElement", "argument": argument})


@_handles("rest_pattern")
def _lower_rest(lw: _Lowerer, n: Any) -> Any:
    argument = yield _first_named(n)
    return lw.at(n, {"type": "RestElement", "argument": argument})


@_handles("assignment_pattern")
def _lower_assignment_pattern(lw: _Lowerer, n: Any) -> Any:
    left = yield n.child_by_field_name("left")
    right = yield n.child_by_field_name("right")
    return lw.at(n, {"type": "AssignmentPattern", "left": left, "right": right})


@_handles("array", "array_pattern")
def _lower_array(lw: _Lowerer, n: Any) -> Any:
    """Elements with holes as None: `[a, , b]` has three elements, `[a, ]` has one."""
    elements: list[Any] = []
    expecting = True
    for c in n.children:
        if c.type == ",":
            if expecting:
                elements.append(None)
            expecting = True
        elif c.is_named and c.type not in _EXTRAS:
            elements.append((yield c))
            expecting = False
    kind = "ArrayExpression" if n.type == "array" else "ArrayPattern"
    return lw.at(n, {"type": kind, "elements": elements})


@_handles("object", "object_pattern")
def _lower_object(lw: _Lowerer, n: Any) -> Any:
    properties = yield from lw.each(n.named_children)
    if n.type == "object":
        return lw.at(n, {"type": "ObjectExpression", "properties": properties})
    return lw.at(n, {"type": "ObjectPattern", "properties": properties})


def _property(key: Node, value: Any, computed: bool = False, shorthand: bool = False) -> Node:
    return {
        "type": "Property",
        "key": key,
        "computed": computed,
        "value": value,
        "kind": "init",
        "method": False,
        "shorthand": shorthand,
    }


@_handles("pair", "pair_pattern")
def _lower_pair(lw: _Lowerer, n: Any) -> Any:
    key_node = n.child_by_field_name("key")
    key, computed = yield from _lower_key(lw, key_node)
    value = yield n.child_by_field_name("value")
    return lw.at(n, _property(key, value, computed))


def _lower_key(lw: _Lowerer, key_node: Any) -> Any:
    """A property key and whether it is computed (`[expr]`)."""
    if key_node.type == "computed_property_name":
        return (yield _first_named(key_node)), True
    return (yield key_node), False


@_handles("shorthand_property_identifier")
def _lower_shorthand(lw: _Lowerer, n: Any) -> Node:
    ident = _lower_identifier(lw, n)
    return lw.at(n, _property(ident, ident, shorthand=True))


@_handles("object_assignment_pattern")
def _lower_object_assignment_pattern(lw: _Lowerer, n: Any) -> Any:
    """`{a = 1}` in a pattern: a shorthand property whose value carries the default."""
    left_node = n.child_by_field_name("left")
    left = yield left_node
    right = yield n.child_by_field_name("right")
    value = lw.at(n, {"type": "AssignmentPattern", "left": left, "right": right})
    if left_node.type == "shorthand_property_identifier_pattern":
        return lw.at(n, _property(left, value, shorthand=True))
    return value


@_handles("shorthand_property_identifier_pattern")
def _lower_shorthand_pattern(lw: _Lowerer, n: Any) -> Node:
    """Alone in an object pattern it is a shorthand property; elsewhere an identifier."""
    ident = _lower_identifier(lw, n)
    if n.parent is not None and n.parent.type == "object_pattern":
        return lw.at(n, _property(ident, ident, shorthand=True))
    return ident


# -- functions and classes ----------------------------------------------------------------


def _function_parts(lw: _Lowerer, n: Any) -> Any:
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


def _signature_types(lw: _Lowerer, n: Any) -> Node:
    """`returnType` and `typeParameters` of a TypeScript function, when it has them."""
    extras: Node = {}
    for field_name, key in (("return_type", "returnType"), ("type_parameters", "typeParameters")):
        extra = n.child_by_field_name(field_name)
        if extra is not None:
            extras[key] = lw.opaque(extra)
    return extras


@_handles(
    "function_declaration",
    "function_expression",
    "function",
    "generator_function_declaration",
    "generator_function",
)
def _lower_function(lw: _Lowerer, n: Any) -> Any:
    ident, params, body, extras = yield from _function_parts(lw, n)
    if body is not None:
        _mark_directives(body["body"])
    tokens = _tokens(n)
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


@_handles("function_signature")
def _lower_function_signature(lw: _Lowerer, n: Any) -> Any:
    ident = yield n.child_by_field_name("name")
    return lw.at_stmt(n, {"type": "TSDeclareFunction", "id": ident})


@_handles("arrow_function")
def _lower_arrow(lw: _Lowerer, n: Any) -> Any:
    _ident, params, body, extras = yield from _function_parts(lw, n)
    is_block = body is not None and body["type"] == "BlockStatement"
    if is_block:
        _mark_directives(body["body"])
    node = {
        "type": "ArrowFunctionExpression",
        "generator": False,
        "async": "async" in _tokens(n),
        "params": params,
        "body": body,
        "expression": not is_block,
        "id": None,
        **extras,
    }
    return lw.at(n, node)


@_handles("required_parameter", "optional_parameter")
def _lower_parameter(lw: _Lowerer, n: Any) -> Any:
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
    decorators = yield from _decorators(lw, n)
    modifiers = _modifiers(n)
    if modifiers:
        wrapper = {"type": "TSParameterProperty", "parameter": param, **modifiers}
        if decorators:
            wrapper["decorators"] = decorators
        return lw.at(n, wrapper)
    if decorators:
        param["decorators"] = decorators
    return param


def _decorators(lw: _Lowerer, n: Any) -> Any:
    nodes = [c for c in n.named_children if c.type == "decorator"]
    if not nodes:
        return []
    return (yield from lw.each(nodes))


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


@_handles("decorator")
def _lower_decorator(lw: _Lowerer, n: Any) -> Any:
    expression = yield _first_named(n)
    return lw.at(n, {"type": "Decorator", "expression": expression})


@_handles("class_declaration", "class", "abstract_class_declaration")
def _lower_class(lw: _Lowerer, n: Any) -> Any:
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
    decorators = yield from _decorators(lw, n)
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


def _lower_heritage(lw: _Lowerer, n: Any) -> Any:
    """`extends X` (JS: the expression itself; TS: an extends_clause) and TS `implements`."""
    super_class = None
    implements = None
    for c in _named(n):
        if c.type == "extends_clause":
            super_class = yield c.child_by_field_name("value")
        elif c.type == "implements_clause":
            implements = lw.opaque(c)
        else:
            super_class = yield c
    return super_class, implements


@_handles("class_body")
def _lower_class_body(lw: _Lowerer, n: Any) -> Any:
    """Members in order; TypeScript's grammar puts a method's decorators before it here."""
    members: list[Node] = []
    pending: list[Node] = []
    for c in n.named_children:
        if c.type in _EXTRAS:
            continue
        lowered = yield c
        if c.type == "decorator":
            pending.append(lowered)
            continue
        if pending:
            _add_decorators(lowered, pending)
            pending = []
        members.append(lowered)
    return lw.at_stmt(n, {"type": "ClassBody", "body": members})


@_handles("method_definition")
def _lower_method(lw: _Lowerer, n: Any) -> Any:
    key, computed = yield from _lower_key(lw, n.child_by_field_name("name"))
    params, body, extras = yield from _method_parts(lw, n)
    tokens = _tokens(n)
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
        _mark_directives(body["body"])
    accessor = "get" if "get" in tokens else "set" if "set" in tokens else None
    if n.parent is not None and n.parent.type == "object":
        node = _property(key, value, computed)
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
    decorators = yield from _decorators(lw, n)
    if decorators:
        node["decorators"] = decorators
    node.update(_modifiers(n))
    if "?" in tokens:
        node["optional"] = True
    return lw.at(n, node)


def _method_parts(lw: _Lowerer, n: Any) -> Any:
    """A method's params, body and TS types: its `name` is the key, not a function id."""
    params = yield from lw.each(n.child_by_field_name("parameters").named_children)
    body = yield n.child_by_field_name("body")
    return params, body, _signature_types(lw, n)


def _is_constructor(key: Node) -> bool:
    return (key["type"] == "Identifier" and key["name"] == "constructor") or (
        key["type"] == "Literal" and key["value"] == "constructor"
    )


@_handles("field_definition", "public_field_definition")
def _lower_field(lw: _Lowerer, n: Any) -> Any:
    key_node = n.child_by_field_name("property") or n.child_by_field_name("name")
    key, computed = yield from _lower_key(lw, key_node)
    value = yield n.child_by_field_name("value")
    tokens = _tokens(n)
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
    decorators = yield from _decorators(lw, n)
    if decorators:
        node["decorators"] = decorators
    node.update(_modifiers(n))
    if "?" in tokens:
        node["optional"] = True
    if "!" in tokens:
        node["definite"] = True
    return lw.at_stmt(n, node)


@_handles("class_static_block")
def _lower_static_block(lw: _Lowerer, n: Any) -> Any:
    block = n.child_by_field_name("body")
    body = yield from lw.each(block.named_children)
    return lw.at(n, {"type": "StaticBlock", "body": body})


# -- JSX ----------------------------------------------------------------------------------


@_handles("jsx_element")
def _lower_jsx_element(lw: _Lowerer, n: Any) -> Any:
    open_tag = n.child_by_field_name("open_tag")
    close_tag = n.child_by_field_name("close_tag")
    children = yield from _jsx_children(lw, n, open_tag, close_tag)
    if open_tag.child_by_field_name("name") is None:
        return lw.at(
            n,
            {
                "type": "JSXFragment",
                "openingFragment": lw.at(open_tag, {"type": "JSXOpeningFragment"}),
                "children": children,
                "closingFragment": lw.at(close_tag, {"type": "JSXClosingFragment"}),
            },
        )
    opening = yield open_tag
    closing = yield close_tag
    return lw.at(
        n,
        {
            "type": "JSXElement",
            "openingElement": opening,
            "children": children,
            "closingElement": closing,
        },
    )


def _jsx_children(lw: _Lowerer, n: Any, open_tag: Any, close_tag: Any) -> Any:
    """Element and expression children, with every run of text between them as JSXText.

    tree-sitter drops whitespace-only text and splits entities out; esprima keeps one
    JSXText per run, so the runs are rebuilt from the gaps.
    """
    children: list[Node] = []
    cursor = open_tag.end_byte
    end = close_tag.start_byte if close_tag is not None else n.end_byte
    for c in n.named_children:
        if c.start_byte < cursor or c.type in _JSX_TEXT_KINDS or c.end_byte > end:
            continue
        if c.start_byte > cursor:
            children.append(_jsx_text(lw, cursor, c.start_byte))
        children.append((yield c))
        cursor = c.end_byte
    if end > cursor:
        children.append(_jsx_text(lw, cursor, end))
    return children


_JSX_TEXT_KINDS = frozenset({"jsx_text", "html_character_reference", "comment", "html_comment"})


def _jsx_text(lw: _Lowerer, start: int, end: int) -> Node:
    raw = lw.data[start:end].decode("utf-8", "surrogatepass")
    # esprima leaves entities in JSXText undecoded (it decodes attribute strings only).
    return lw.at_bytes(start, end, {"type": "JSXText", "value": raw, "raw": raw})


@_handles("jsx_self_closing_element")
def _lower_jsx_self_closing(lw: _Lowerer, n: Any) -> Any:
    opening = yield from _jsx_opening(lw, n, self_closing=True)
    return lw.at(
        n,
        {"type": "JSXElement", "openingElement": opening, "children": [], "closingElement": None},
    )


@_handles("jsx_opening_element")
def _lower_jsx_opening(lw: _Lowerer, n: Any) -> Any:
    return (yield from _jsx_opening(lw, n, self_closing=False))


def _jsx_opening(lw: _Lowerer, n: Any, self_closing: bool) -> Any:
    name = _jsx_name(lw, n.child_by_field_name("name"))
    attributes = yield from lw.each(n.children_by_field_name("attribute"))
    return lw.at(
        n,
        {
            "type": "JSXOpeningElement",
            "name": name,
            "selfClosing": self_closing,
            "attributes": attributes,
        },
    )


@_handles("jsx_closing_element")
def _lower_jsx_closing(lw: _Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "JSXClosingElement", "name": _jsx_name(lw, n.child_by_field_name("name"))})


def _jsx_name(lw: _Lowerer, n: Any) -> Node:
    """Tag and attribute names; JSX names are a few parts deep, so recursion is safe."""
    if n.type in ("member_expression", "nested_identifier"):
        parts = _named(n)
        return lw.at(
            n,
            {
                "type": "JSXMemberExpression",
                "object": _jsx_name(lw, parts[0]),
                "property": _jsx_name(lw, parts[-1]),
            },
        )
    if n.type == "jsx_namespace_name":
        parts = _named(n)
        return lw.at(
            n,
            {
                "type": "JSXNamespacedName",
                "namespace": _jsx_name(lw, parts[0]),
                "name": _jsx_name(lw, parts[-1]),
            },
        )
    return lw.at(n, {"type": "JSXIdentifier", "name": lw.src(n)})


@_handles("jsx_attribute")
def _lower_jsx_attribute(lw: _Lowerer, n: Any) -> Any:
    parts = _named(n)
    name = _jsx_name(lw, parts[0])
    value = None
    if len(parts) > 1:
        value_node = parts[-1]
        if value_node.type == "string":
            raw = lw.src(value_node)
            value = lw.at(
                value_node, {"type": "Literal", "value": _unescape(raw[1:-1]), "raw": raw}
            )
        else:
            value = yield value_node
    return lw.at(n, {"type": "JSXAttribute", "name": name, "value": value})


@_handles("jsx_expression")
def _lower_jsx_expression(lw: _Lowerer, n: Any) -> Any:
    inner = _first_named(n)
    if inner is None:
        empty = lw.at_bytes(n.start_byte + 1, n.end_byte - 1, {"type": "JSXEmptyExpression"})
        return lw.at(n, {"type": "JSXExpressionContainer", "expression": empty})
    if inner.type == "spread_element":
        argument = yield _first_named(inner)
        parent = n.parent
        in_tag = parent is not None and parent.type in (
            "jsx_opening_element",
            "jsx_self_closing_element",
        )
        if in_tag:
            return lw.at(n, {"type": "JSXSpreadAttribute", "argument": argument})
        return lw.at(n, {"type": "JSXSpreadChild", "expression": argument})
    expression = yield inner
    return lw.at(n, {"type": "JSXExpressionContainer", "expression": expression})


# -- TypeScript ---------------------------------------------------------------------------


@_handles("as_expression", "satisfies_expression")
def _lower_as(lw: _Lowerer, n: Any) -> Any:
    parts = _named(n)
    expression = yield parts[0]
    kind = "TSAsExpression" if n.type == "as_expression" else "TSSatisfiesExpression"
    if len(parts) > 1:
        annotation = lw.opaque(parts[-1])
    else:  # `as const`: the type is the keyword itself
        keyword = n.child(n.child_count - 1)
        annotation = lw.at(keyword, {"type": "TSConstKeyword"})
    return lw.at(n, {"type": kind, "expression": expression, "typeAnnotation": annotation})


@_handles("type_assertion")
def _lower_type_assertion(lw: _Lowerer, n: Any) -> Any:
    parts = _named(n)
    expression = yield parts[-1]
    annotation = lw.opaque(parts[0])
    return lw.at(
        n, {"type": "TSTypeAssertion", "typeAnnotation": annotation, "expression": expression}
    )


@_handles("non_null_expression")
def _lower_non_null(lw: _Lowerer, n: Any) -> Any:
    expression = yield _first_named(n)
    return lw.at(n, {"type": "TSNonNullExpression", "expression": expression})


@_handles("instantiation_expression")
def _lower_instantiation(lw: _Lowerer, n: Any) -> Any:
    expression = yield _first_named(n)
    arguments = lw.opaque(n.child_by_field_name("type_arguments"))
    return lw.at(
        n, {"type": "TSInstantiationExpression", "expression": expression, "typeArguments": arguments}
    )


@_handles("enum_declaration")
def _lower_enum(lw: _Lowerer, n: Any) -> Any:
    ident = yield n.child_by_field_name("name")
    members = []
    for c in _named(n.child_by_field_name("body")):
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
    if "const" in _tokens(n):
        node["const"] = True
    return lw.at_stmt(n, node)


@_handles("interface_declaration", "type_alias_declaration")
def _lower_type_declaration(lw: _Lowerer, n: Any) -> Any:
    ident = yield n.child_by_field_name("name")
    return lw.at_stmt(n, {"type": _ts_kind(n.type), "id": ident})


@_handles("internal_module", "module")
def _lower_module(lw: _Lowerer, n: Any) -> Any:
    """`namespace X {}` / `module "m" {}`: their statements run, so they are lowered."""
    ident = yield n.child_by_field_name("name")
    block = n.child_by_field_name("body")
    body = None
    if block is not None:
        statements = yield from lw.each(block.named_children)
        body = lw.at(block, {"type": "TSModuleBlock", "body": statements})
    kind = "namespace" if n.type == "internal_module" else "module"
    return lw.at_stmt(n, {"type": "TSModuleDeclaration", "id": ident, "body": body, "kind": kind})


@_handles("ambient_declaration")
def _lower_ambient(lw: _Lowerer, n: Any) -> Any:
    """`declare ...`: the inner declaration, flagged; `declare global {}` becomes a module."""
    inner = _first_named(n)
    if inner is not None and inner.type == "statement_block":
        statements = yield from lw.each(inner.named_children)
        body = lw.at(inner, {"type": "TSModuleBlock", "body": statements})
        global_token = _find_token(n, "global")
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


def _lower_type(lw: _Lowerer, n: Any) -> Node:
    return lw.at_stmt(n, {"type": _ts_kind(n.type)})


for _kind in _TYPE_KINDS:
    _HANDLERS[_kind] = _lower_type


# --------------------------------------------------------------------------------------
# <script> blocks in .vue and .html files


@dataclass(frozen=True)
class ScriptBlock:
    """The code of one `<script>`: `text[start:end]`, in dialect `lang` ("js"/"jsx"/"ts"/"tsx").

    `attrs` maps lower-cased attribute names to values (None for bare attributes such as
    `setup`). `suffix` is what `parse_js` needs for the block.
    """

    start: int
    end: int
    lang: str
    attrs: dict[str, str | None] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        return "." + self.lang


_JS_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "text/ecmascript",
        "application/ecmascript",
        "application/x-javascript",
        "text/jsx",
        "text/babel",
        "text/typescript",
        "application/typescript",
        "text/tsx",
    }
)
_LANGS = {
    "js": "js",
    "javascript": "js",
    "jsx": "jsx",
    "ts": "ts",
    "typescript": "ts",
    "tsx": "tsx",
}
_TYPE_LANGS = {
    "text/jsx": "jsx",
    "text/babel": "jsx",
    "text/typescript": "ts",
    "application/typescript": "ts",
    "text/tsx": "tsx",
}
_RAW_TEXT_TAGS = ("style", "textarea", "title")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_ATTRIBUTE = re.compile(
    r"""\s*([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)


def extract_script_blocks(text: str) -> list[ScriptBlock]:
    """The JavaScript/TypeScript inside each `<script>` of a Vue or HTML file, in order.

    A small scanner, not an HTML parser: it skips `<!-- -->` comments and the raw text of
    `<style>`, `<textarea>` and `<title>`, reads attributes in either quote style, and ends a
    script at the first `</script` (as browsers do). Data blocks (`type="application/json"`,
    templates), unknown `lang`s and `src=` scripts with an empty body are left out.
    """
    blocks: list[ScriptBlock] = []
    index = 0
    length = len(text)
    while index < length:
        lt = text.find("<", index)
        if lt < 0:
            break
        if text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            index = length if close < 0 else close + 3
            continue
        match = _TAG_NAME.match(text, lt)
        if match is None:
            index = lt + 1
            continue
        name = match[2].lower()
        attrs, gt, self_closing = _read_attributes(text, match.end())
        if gt < 0:
            break
        index = gt + 1
        if match[1]:
            continue
        if name in _RAW_TEXT_TAGS and not self_closing:
            index = _find_close(text, name, index)[1]
        elif name == "script" and not self_closing:
            body_end, index = _find_close(text, "script", index)
            block = _script_block(gt + 1, body_end, attrs, text)
            if block is not None:
                blocks.append(block)
    return blocks


def _read_attributes(text: str, index: int) -> tuple[dict[str, str | None], int, bool]:
    """Attributes up to the tag's `>`: (attrs, index of `>` or -1, whether it ended `/>`)."""
    attrs: dict[str, str | None] = {}
    length = len(text)
    while index < length:
        char = text[index]
        if char == ">":
            return attrs, index, text[index - 1] == "/"
        if char.isspace() or char == "/":
            index += 1
            continue
        match = _ATTRIBUTE.match(text, index)
        if match is None or match.end() == index:
            index += 1
            continue
        value = match[2] if match[2] is not None else match[3] if match[3] is not None else match[4]
        attrs.setdefault(match[1].lower(), value)
        index = match.end()
    return attrs, -1, False


def _find_close(text: str, name: str, index: int) -> tuple[int, int]:
    """(start of `</name`, index after its `>`), or the end of the text when unclosed."""
    pattern = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE)
    match = pattern.search(text, index)
    if match is None:
        return len(text), len(text)
    gt = text.find(">", match.end())
    return match.start(), len(text) if gt < 0 else gt + 1


def _script_block(
    start: int, end: int, attrs: dict[str, str | None], text: str
) -> ScriptBlock | None:
    script_type = (attrs.get("type") or "").strip().lower()
    if script_type not in _JS_TYPES:
        return None
    if "src" in attrs and not text[start:end].strip():
        return None
    lang_attr = (attrs.get("lang") or "").strip().lower()
    lang = _LANGS.get(lang_attr) if lang_attr else _TYPE_LANGS.get(script_type, "js")
    if lang is None:
        return None
    return ScriptBlock(start, end, lang, attrs)


def _unescape(text: str) -> str:
    """JSX attribute strings decode HTML entities; `html` is imported only when one does."""
    import html

    return html.unescape(text)
