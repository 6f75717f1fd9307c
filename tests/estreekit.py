"""The comparison behind "esprima and tree-sitter give the same ESTree tree".

Rules are written once against ESTree shapes, so where both parsers read a file their trees
must be equal, `loc` included. `shape` drops `loc` to make a failure legible;
`first_difference` names where two trees part.
"""

from __future__ import annotations

from codemod.js.estree import Parsed, parse_js


def shape(node: object) -> object:
    """Type, range, names and values, recursively; loc left out to make failures legible."""
    if isinstance(node, dict):
        return {k: shape(v) for k, v in node.items() if k != "loc"}
    if isinstance(node, list):
        return [shape(v) for v in node]
    return node


def first_difference(a: object, b: object, path: str = "Program") -> str | None:
    """The path of the first place two trees differ, with both values there; None if equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            inner = f"{path}.{key}" if "type" not in a else f"{path}<{a['type']}>.{key}"
            if key not in a or key not in b:
                return f"{inner}: only in {'esprima' if key in a else 'tree-sitter'}"
            found = first_difference(a[key], b[key], inner)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} against {b!r}"


def parsers_disagree(text: str, suffix: str) -> str | None:
    """Where esprima and tree-sitter both parse `text`, where their trees differ (else None)."""
    via_esprima = parse_js(text, suffix, prefer="esprima")
    via_tree_sitter = parse_js(text, suffix)
    if not (isinstance(via_esprima, Parsed) and via_esprima.parser == "esprima"):
        return None
    if not (isinstance(via_tree_sitter, Parsed) and via_tree_sitter.parser == "tree-sitter"):
        return None
    if via_esprima.program == via_tree_sitter.program:
        return None
    return first_difference(via_esprima.program, via_tree_sitter.program) or "trees differ"
