"""The Python side of `codemod/tokens.py`: read an Amplitude key argument into a `KeyRef`.

`settings.AMPLITUDE_API_KEY` (Django), `os.environ["AMPLITUDE_API_KEY"]`,
`os.getenv("AMPLITUDE_API_KEY")` and a parameter of the function around the client are read;
a default around them (`os.getenv(...) or ""`) stays around the derived name.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment

from ..tokens import KeyRef, Token, token_for
from .analysis import Analysis

BUILT_IN_VARIABLE = "MIXPANEL_TOKEN"


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString) and not node.prefix.strip("rR"):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _core(node: cst.BaseExpression) -> cst.BaseExpression:
    """The expression that reads the key, under an `or` default."""
    while isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        node = node.left
    return node


def _named(text: str, core: str, base: str, name: str, literal: str | None) -> KeyRef:
    """A `name` key whose name is the last `name` (or quoted `literal`) inside `core`."""
    at = text.find(core)
    start = at + len(core) - len(name) if literal is None else at + core.rfind(literal) + 1
    return KeyRef("name", text, base=base, start=start, end=start + len(name))


def key_ref(a: Analysis, node: cst.BaseExpression | None) -> KeyRef | None:
    """What `node`, the key given to `Amplitude(...)`, reads."""
    if node is None:
        return None
    text = a.code(node)
    core = _core(node)
    core_text = a.code(core)
    if isinstance(core, (cst.SimpleString, cst.ConcatenatedString)) or (
            isinstance(core, cst.FormattedString) and not any(
                isinstance(p, cst.FormattedStringExpression) for p in core.parts)):
        return KeyRef("literal", text)
    if isinstance(core, cst.Name):
        found = [s for s in a.assignments(core) if isinstance(s, Assignment)]
        if found and all(isinstance(s.node, cst.Param) for s in found):
            return KeyRef("parameter", text, function=_function_name(a, core))
        return KeyRef("other", text)
    if isinstance(core, cst.Attribute):
        return _named(text, core_text, a.code(core.value), core.attr.value, None)
    if isinstance(core, cst.Subscript) and len(core.slice) == 1 and isinstance(
            core.slice[0].slice, cst.Index):
        element = core.slice[0].slice.value
        name = _string(element)
        if name is not None:
            return _named(text, core_text, a.code(core.value), name, a.code(element))
    if isinstance(core, cst.Call) and core.args and core.args[0].keyword is None:
        name = _string(core.args[0].value)
        if name is not None:
            return _named(text, core_text, a.code(core.func), name, a.code(core.args[0].value))
    return KeyRef("other", text)


def _function_name(a: Analysis, node: cst.CSTNode) -> str:
    """The name of the function `node` is a parameter of."""
    current = a.parent(node)
    while current is not None and not isinstance(current, cst.FunctionDef):
        current = a.parent(current)
    return current.name.value if isinstance(current, cst.FunctionDef) else ""


def site_token(a: Analysis, key: cst.BaseExpression | None, default: str,
               explicit: bool) -> Token:
    """The token the Mixpanel client replacing `Amplitude(key)` is created with."""
    variable = None if explicit else BUILT_IN_VARIABLE
    return token_for(key_ref(a, key), default, variable, explicit)
