"""Valid code tree-sitter's grammars refuse, read through same-length masks.

A mask replaces a few bytes that the grammar cannot read with as many bytes it can, in places
where both mean the same to JavaScript; offsets do not move, and the lowering reads every
value from the original bytes, never from the masked ones. Only a tree with an error is
masked, and only a masked tree with no ERROR or MISSING node at all is kept: any other error
still means "does not parse", with the position the unmasked tree gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .grammars import captures, first_error_node
from .nodes import Dialect


def masked_tree(parser: Any, tree: Any, data: bytes, dialect: Dialect) -> Any:
    """A clean tree of `data` with the grammar faults masked, or None when it has none.

    The first pass masks every candidate a round finds, which reads a valid file in one or
    two parses. Past the first error, though, tree-sitter's recovery may make code look like
    JSX text; a wrong mask only ever leaves an error (the mask byte is not code), and the
    second pass then masks one JSX run a round, from the first error on. Its rounds are
    bounded so that a file that is really invalid costs a few dozen parses, not one per `&`.
    """
    for one_run in (False, True):
        masked = bytearray(data)
        current = tree
        for _ in range(_ROUNDS):
            changed = False
            for start, replacement in _mask_positions(current.root_node, masked, dialect, one_run):
                end = start + len(replacement)
                if masked[start:end] != replacement:
                    masked[start:end] = replacement
                    changed = True
            if not changed:  # nothing new to mask: this pass is over
                break
            current = parser.parse(bytes(masked))
            if not current.root_node.has_error:
                return current
    return None


_ROUNDS = 48


def _mask_positions(
    root: Any, data: bytearray, dialect: Dialect, one_run: bool
) -> list[tuple[int, bytes]]:
    found: list[tuple[int, bytes]] = []
    if dialect != "ts":
        found.extend((at, _AMPERSAND_MASK) for at in _bare_ampersands(root, data, one_run))
    if dialect != "js":
        found.extend((at, b"_") for at in _keyword_parameters(root, data, dialect))
    return found


# tree-sitter-javascript and -typescript have no token for a bare `&` in JSX text (upstream
# tree-sitter-javascript#366, tree-sitter-typescript#366), though JSX text may hold one:
# `<p>Plans & Pricing</p>`. It is masked with a byte JSX text may hold and code may not.
_AMPERSAND_MASK = b"\x01"
_ENTITY = re.compile(rb"&(?:#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,5})|[A-Za-z]{1,30});")
_JSX_TAGS = frozenset({"jsx_opening_element", "jsx_closing_element", "jsx_self_closing_element"})


def _bare_ampersands(root: Any, data: bytearray, one_run: bool) -> list[int]:
    """The bare `&`s of the JSX texts and attribute strings at or after the first error.

    An `&` token there must come right after JSX text, an entity, a tag's `>` or a child
    expression's `}` (the run then ends at the next `<` or `{`, where JSX text ends), or
    inside a JSX attribute's string (the run ends at its closing quote), where the grammar
    has the same fault. An `&` after anything else (a TypeScript intersection, bitwise AND,
    `&&`) is code, and is left for the error it is. With `one_run`, only the first run.
    """
    error_start = first_error_node(root).start_byte
    found: list[int] = []
    previous = None
    for leaf in _leaves(root):
        if (
            previous is not None
            and leaf.start_byte >= error_start
            and data[leaf.start_byte] == 0x26  # "&"
            and leaf.type != "html_character_reference"
            and (not found or leaf.start_byte > found[-1])
        ):
            string = _attribute_string(previous)
            run = None
            if string is not None:
                quote = data[string.start_byte : string.start_byte + 1]
                run = _run_ampersands(data, leaf.start_byte, quote)
            elif _ends_jsx(previous):
                run = _run_ampersands(data, leaf.start_byte, b"<{>}")
            if run:
                found.extend(run)
                if one_run:
                    return found
        previous = leaf
    return found


def _attribute_string(leaf: Any) -> Any:
    """The JSX attribute string `leaf` is inside of, short of its closing quote, if any."""
    string = leaf.parent
    while string is not None and string.type == "ERROR":
        string = string.parent
    if string is None or string.type != "string" or leaf.end_byte >= string.end_byte:
        return None
    parent = string.parent
    return string if parent is not None and parent.type == "jsx_attribute" else None


def _ends_jsx(leaf: Any) -> bool:
    kind = leaf.type
    if kind in ("jsx_text", "html_character_reference"):
        return True
    parent = leaf.parent
    if parent is None:
        return False
    return (kind == ">" and parent.type in _JSX_TAGS) or (
        kind == "}" and parent.type == "jsx_expression"
    )


def _run_ampersands(data: bytearray, index: int, stops: bytes | bytearray) -> list[int]:
    """Offsets of the `&`s from `index` up to the first of `stops` that start no entity."""
    found = []
    length = len(data)
    while index < length:
        byte = data[index]
        if byte in stops:
            break
        if byte == 0x26:
            entity = _ENTITY.match(data, index)
            if entity is not None:
                index = entity.end()
                continue
            found.append(index)
        index += 1
    return found


def _leaves(root: Any) -> Iterator[Any]:
    """The tokens under `root` in document order, comments and zero-width ones left out."""
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.child_count == 0:
            if node.end_byte > node.start_byte and not node.is_extra:
                yield node
        elif cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


# tree-sitter-typescript reads `(any) => void` as a parenthesised type `any` followed by a
# stray `=>`, and refuses `unknown` and `never` as parameter names: a function type whose
# parameter is named like a predefined type (`extend: (any) => any`, common in `.d.ts`
# files) does not parse. The name is a parameter's, so the mask turns its first letter into
# `_`; types are opaque in the lowering, so nothing reads the masked name.
_PARAMETER_NAMES = frozenset(
    {b"any", b"number", b"boolean", b"string", b"symbol", b"object", b"bigint", b"unknown",
     b"never", b"undefined"}
)
_PREDEFINED_TYPES = "[(predefined_type) (literal_type)] @t"
_SPACE = b" \t\r\n"


def _keyword_parameters(root: Any, data: bytearray, dialect: Dialect) -> list[int]:
    """Predefined type names that stand where a function type's parameter name does."""
    found = []
    for node in captures(root, dialect, _PREDEFINED_TYPES).get("t", []):
        start, end = node.start_byte, node.end_byte
        if bytes(data[start:end]) not in _PARAMETER_NAMES:
            continue
        before = _skip_space_back(data, start)
        if before < 0 or data[before] not in b"(,":
            continue
        after = _skip_space(data, end)
        if after < len(data) and data[after] in b",?:":
            found.append(start)
        elif data[after : after + 1] == b")":
            arrow = _skip_space(data, after + 1)
            if data[arrow : arrow + 2] == b"=>":
                found.append(start)
    return found


def _skip_space(data: bytearray, index: int) -> int:
    while index < len(data) and data[index] in _SPACE:
        index += 1
    return index


def _skip_space_back(data: bytearray, index: int) -> int:
    """The index of the last non-space byte before `index`, or -1."""
    index -= 1
    while index >= 0 and data[index] in _SPACE:
        index -= 1
    return index
