"""Which top-level statements of a JS/TS program the migration can need.

Lowering tree-sitter's tree to ESTree dicts and resolving its scopes cost about 20 ms for a
300-line module, in Python, and in a typical module that uses Amplitude most statements never
touch it. tree-sitter has already parsed the whole file (in C); only the statements chosen
here are lowered, and the rules see a `Program` whose body holds just those. Edits are ranges
into the original text, so nothing has to be put back.

Kept statements (the closure of `codemod/closure.py`, as for Python):
- core: statements mentioning, as any identifier-like word (strings and comments included,
  so over-inclusive), a seed (`amplitude`, `mixpanel`, `Mixpanel`, the snippet's `_iq`, the
  names other packages export an SDK by, such as Expo's `Amplitude`) or a
  name a core statement binds, to a fixpoint. Bindings are the top-level declarations, every
  `var` declarator, every import (the scope analysis puts imports in the program's scope at
  any depth) and every identifier assigned or updated anywhere in the statement (a function
  may assign a module variable);
- their binders: statements binding a word a core statement mentions, so references resolve
  to the same declarations as in the whole program;
- every import statement (the rewrite looks for an existing Mixpanel import) and the
  directive prologue.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Any

from ..closure import closure
from ..sdks import load_registry
from .estree import Dialect, captures

_WORD = re.compile(rb"[A-Za-z_$][A-Za-z0-9_$]*")
_SEEDS = frozenset({b"amplitude", b"mixpanel", b"Mixpanel", b"_iq"})
_DECLARATIONS = frozenset({
    "function_declaration", "generator_function_declaration", "class_declaration",
    "abstract_class_declaration", "enum_declaration", "module", "internal_module",
    "interface_declaration", "type_alias_declaration", "function_signature", "ambient_declaration",
})
# Writes anywhere in a statement, found by one query over the whole tree; and imports at any
# depth, which the scope analysis declares in the program's scope wherever they stand.
_NESTED = (
    "(assignment_expression left: (identifier) @w)"
    " (augmented_assignment_expression left: (identifier) @w)"
    " (update_expression argument: (identifier) @w)"
    " (variable_declaration (variable_declarator name: (_) @w))"
    " (import_statement) @i"
)


@cache
def _hosted_exports() -> frozenset[bytes]:
    """Names another package exports an SDK by (`Amplitude` from `expo`): seeds as well."""
    return frozenset(export.encode() for _, export in load_registry().hosted())


def kept_statements(statements: list[Any], data: bytes, dialect: Dialect) -> set[int] | None:
    """Indices of the statements to lower, or None when every one is kept anyway."""
    if len(statements) < 2:
        return None
    words = [_words(s, data) for s in statements]
    binds = [_declared(s, data) for s in statements]
    _add_nested(statements, binds, data, dialect)
    kept = closure(words, binds, _SEEDS | _hosted_exports())[0]
    kept |= {i for i, s in enumerate(statements) if s.type.startswith("import")}
    for index, statement in enumerate(statements):  # "use strict" and friends
        if not _is_directive(statement):
            break
        kept.add(index)
    return None if len(kept) == len(statements) else kept


def _words(node: Any, data: bytes) -> set[bytes]:
    return set(_WORD.findall(data[node.start_byte : node.end_byte]))


def _declared(statement: Any, data: bytes) -> set[bytes]:
    """Names a top-level statement declares in the program's scope (a superset)."""
    node = statement
    if node.type == "export_statement":
        declaration = node.child_by_field_name("declaration")
        if declaration is None:
            return set()
        node = declaration
    if node.type == "import_statement":
        return {w for c in node.named_children if c.type != "string" for w in _words(c, data)}
    if node.type in ("lexical_declaration", "variable_declaration"):
        names: set[bytes] = set()
        for declarator in node.named_children:
            name = declarator.child_by_field_name("name")
            if name is not None:
                names |= _words(name, data)
        return names
    if node.type in _DECLARATIONS:
        name = node.child_by_field_name("name")
        if name is None and node.type == "ambient_declaration":
            return {w for c in node.named_children for w in _declared(c, data)}
        return _words(name, data) if name is not None else set()
    return set()


def _add_nested(statements: list[Any], binds: list[set[bytes]], data: bytes, dialect: Dialect) -> None:
    """Add the writes and the imports found at any depth to their top-level statement."""
    starts = [s.start_byte for s in statements]
    found = captures(statements[0].parent, dialect, _NESTED)
    for name, bound in (("w", _words), ("i", _declared)):
        for node in found.get(name, ()):
            index = bisect_right(starts, node.start_byte) - 1
            if index >= 0:
                binds[index] |= bound(node, data)


def _is_directive(statement: Any) -> bool:
    if statement.type != "expression_statement":
        return False
    expression = statement.named_children[0] if statement.named_children else None
    return expression is not None and expression.type == "string"
