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

The package, one job a module: `nodes` (the result types and walks), `esprima_adapter`,
the tree-sitter front end (`grammars`, `masks`, `frontend`), the lowering driver and its
handler registry (`lowering`), and the handlers by syntax area (`statements`, `literals`,
`expressions`, `functions`, `jsx`, `typescript`).
"""

from __future__ import annotations

# Imported for their `@handles` registrations: the lowering finds every handler by kind.
from . import expressions, functions, jsx, literals, statements, typescript  # noqa: F401
from .esprima_adapter import parse_with_esprima
from .frontend import ts_tree
from .grammars import captures
from .lowering import arrow_operands, parse_with_tree_sitter, reserved_names
from .nodes import (
    Dialect,
    Node,
    Parsed,
    ParseError,
    ParseResult,
    ParserName,
    iter_nodes,
    node_text,
    parent_map,
    walk,
)

__all__ = [
    "Dialect",
    "Node",
    "ParseError",
    "ParseResult",
    "Parsed",
    "ParserName",
    "captures",
    "dialect_of",
    "iter_nodes",
    "node_text",
    "parent_map",
    "parse_js",
    "syntax_error",
    "walk",
]

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
    """Parse `text` as the dialect its file `suffix` names; no text makes it raise.

    tree-sitter goes first (about 3x cheaper than esprima, same trees); plain JavaScript it
    rejects goes to esprima, which still reads a few files tree-sitter does not (see
    `reject_arrow_operand`). `prefer="esprima"` tries esprima first, for the tests that
    compare the two. A tree-sitter tree with any ERROR or MISSING node is a `ParseError`,
    never a `Parsed`. `sliced=True` lowers only the top-level statements the migration can
    need (`slicing.py`): the `Program`'s body then holds just those, ranges unchanged.
    Raises `ValueError` for a suffix this module does not handle (a caller bug); any other
    exception is a fault of the tool, never of the text, and is left to the engine, which
    reports it as an internal error instead of blaming the user's code.
    """
    dialect = dialect_of(suffix)
    if dialect == "js" and prefer == "esprima":
        program, esprima_error = parse_with_esprima(text)
        if program is not None:
            return Parsed(program, "esprima", "js")
        result, recovered = parse_with_tree_sitter(text, dialect)
        if recovered and esprima_error and isinstance(result, ParseError):
            return _both_failed(result, esprima_error)
        return result
    result, recovered = parse_with_tree_sitter(text, dialect, sliced)
    if isinstance(result, Parsed) or dialect != "js":
        return result
    program, esprima_error = parse_with_esprima(text)
    if program is not None:
        return Parsed(program, "esprima", "js")
    return _both_failed(result, esprima_error) if recovered and esprima_error else result


def syntax_error(text: str, suffix: str) -> ParseError | None:
    """What `parse_js` would reject, without building the ESTree dicts when it would not.

    A clean tree-sitter tree is lowered without complaint except for the arrow-function
    operands `reject_arrow_operand` refuses and the reserved words `lower_identifier`
    refuses as names; queries find those in C. Only a file with an error pays for the full
    `parse_js` (esprima's second opinion and the message).
    """
    dialect = dialect_of(suffix)
    tree = ts_tree(text, dialect)
    root = tree.root_node
    if not root.has_error and not arrow_operands(root, dialect) and not reserved_names(root, dialect):
        return None
    result = parse_js(text, suffix)
    return result if isinstance(result, ParseError) else None


def dialect_of(suffix: str) -> Dialect:
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
