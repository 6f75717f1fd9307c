"""The tree-sitter front end: one parse a text, positions, and the first error's place."""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from typing import Any

from .grammars import first_error_node, ts_parser
from .masks import masked_tree
from .nodes import Dialect, ParseError

_trees = threading.local()


def ts_tree(text: str, dialect: Dialect) -> Any:
    """tree-sitter's tree for `text`, parsed once for the syntax check and the lowering.

    The engine checks a file's syntax, then migrates it: the same text, one call apart. One
    remembered tree per thread is enough for that, and holds no more than one file.
    """
    last = getattr(_trees, "last_tree", None)
    if last is not None and last[0] == dialect and last[1] == text:
        return last[2]
    parser = ts_parser(dialect)
    data = text.encode("utf-8", "surrogatepass")
    tree = parser.parse(data)
    if tree.root_node.has_error:
        tree = masked_tree(parser, tree, data, dialect) or tree
    _trees.last_tree = (dialect, text, tree)
    return tree


def first_error(root: Any, positions: Positions, dialect: Dialect) -> ParseError:
    """The first ERROR or MISSING node in document order, as a 1-based line:column."""
    found = first_error_node(root)
    start = positions.cp(found.start_byte)
    line, column = positions.line_column(start)
    what = f"missing {found.type!r}" if found.is_missing else "syntax error"
    return ParseError(f"{what} at {line}:{column + 1} ({dialect})", line, column + 1)


class Positions:
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
