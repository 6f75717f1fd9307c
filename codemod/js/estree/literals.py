"""Lowering names and literals, with JavaScript string escapes decoded."""

from __future__ import annotations

import re
from typing import Any

from .lowering import (
    NAME_KINDS,
    RESERVED_WORDS,
    Lowerer,
    Misread,
    first_named,
    handles,
    reserved_misread,
)
from .nodes import Node

_SURROGATE = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def join_surrogates(value: str) -> str:
    """Escaped UTF-16 pairs (`\\ud83d\\ude00`) as the one character JavaScript means."""
    return _SURROGATE.sub(
        lambda m: chr(0x10000 + ((ord(m[0][0]) - 0xD800) << 10) + ord(m[0][1]) - 0xDC00), value
    )


@handles(
    "identifier",
    "property_identifier",
    "shorthand_property_identifier_pattern",
    "statement_identifier",
    "type_identifier",
    "undefined",
    "default",
    "this_type",
)
def lower_identifier(lw: Lowerer, n: Any) -> Node:
    name = lw.src(n)
    if "\\" in name:
        name = cook(name) or name
    if name in RESERVED_WORDS and n.type in NAME_KINDS and reserved_misread(n):
        raise Misread(f"reserved word {name!r} read as a name", n.start_byte)
    return lw.at(n, {"type": "Identifier", "name": name})


@handles("private_property_identifier")
def _lower_private_name(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "PrivateIdentifier", "name": lw.src(n)[1:]})


@handles("this")
def _lower_this(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "ThisExpression"})


@handles("super")
def _lower_super(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "Super"})


@handles("import")
def _lower_import_callee(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "Import"})


_CONSTANTS = {"true": True, "false": False, "null": None}


@handles("true", "false", "null")
def _lower_constant(lw: Lowerer, n: Any) -> Node:
    return lw.at(n, {"type": "Literal", "value": _CONSTANTS[n.type], "raw": n.type})


@handles("number")
def _lower_number(lw: Lowerer, n: Any) -> Node:
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


@handles("string")
def _lower_string(lw: Lowerer, n: Any) -> Node:
    raw = lw.src(n)
    body = raw[1:-1]
    value = cook(body) if "\\" in body else body
    return lw.at(n, {"type": "Literal", "value": value, "raw": raw})


@handles("regex")
def _lower_regex(lw: Lowerer, n: Any) -> Node:
    raw = lw.src(n)
    cut = raw.rfind("/")
    regex = {"pattern": raw[1:cut], "flags": raw[cut + 1 :]}
    return lw.at(n, {"type": "Literal", "value": None, "raw": raw, "regex": regex})


_ESCAPE = re.compile(
    r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|\r\n|[\s\S])"
)
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_CONTINUATIONS = frozenset({"\n", "\r", "\r\n", "\u2028", "\u2029"})


def cook(body: str) -> str | None:
    """A string or template body with JavaScript escapes applied; None if one is malformed."""
    try:
        return join_surrogates(_ESCAPE.sub(_unescape, body))
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


@handles("template_string")
def _lower_template(lw: Lowerer, n: Any) -> Any:
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
        normalised = raw.replace("\r\n", "\n").replace("\r", "\n")
        cooked = cook(normalised) if "\\" in normalised else normalised
        element = {"type": "TemplateElement", "value": {"raw": raw, "cooked": cooked}, "tail": tail}
        quasis.append(lw.at_bytes(text_start - 1, text_end + (1 if tail else 2), element))
    expressions = []
    for sub in substitutions:
        expressions.append((yield first_named(sub)))
    return lw.at(n, {"type": "TemplateLiteral", "quasis": quasis, "expressions": expressions})


@handles("meta_property")
def _lower_meta_property(lw: Lowerer, n: Any) -> Node:
    first, last = n.child(0), n.child(n.child_count - 1)
    meta = lw.at(first, {"type": "Identifier", "name": first.type})
    prop = lw.at(last, {"type": "Identifier", "name": last.type})
    return lw.at(n, {"type": "MetaProperty", "meta": meta, "property": prop})
