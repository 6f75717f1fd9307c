"""The part of a module the migration can need, as a smaller module libcst parses instead.

libcst's parse, scope metadata and code generation cost about 0.4 s for a 250-line module,
and in a typical module that imports Amplitude nearly all of it is spent on statements that
never touch it. The planner only asks about names: what an Amplitude import binds, what a
client or an event variable is bound to, who else reads those names. So a top-level
statement is kept when it could answer one of those questions, and every other one is
replaced by a one-line placeholder that `restore` swaps back, byte for byte, after the
rewrite.

Kept ("relevant") statements, computed from CPython's `ast` (a C parse, ~4 ms) by the
closure in `codemod/closure.py`:
- core: the statements that mention (as any identifier-like word, strings and comments
  included, so over-inclusive) a seed name (what `amplitude` imports bind, `amplitude`,
  `mixpanel`, `Mixpanel`), or a name a core statement binds at module level, to a fixpoint:
  every binding and every read of a client, an event or an Identify variable stays visible,
  as do the imports the rewrite edits;
- their binders: any statement binding at module level a word a core statement mentions, so
  "assigned exactly once" and "built in this scope" count every assignment, as in the whole
  module;
- `import os`, which the rewrite looks for before adding it (Mixpanel imports are seeds).

The same closure then runs inside every kept `def` and `class`, one block at a time, seeded
with the names that mattered outside: a function keeps the statements that track, build or
read what they use, a class the methods that touch its client (a method binds the
attributes it assigns, since `self.x = other` decides whether `self.x` is a client). An
irrelevant run inside a block becomes a placeholder at the block's indentation.

What can make the sliced parse differ from the whole one is refused, not guessed: a lone CR
line end, a comment indented deeper than its block between two statements (libcst gives it
to the nested block above, so the two stay together), a placeholder name the source already
uses, and (checked by the caller after the parse) a different default indent or newline.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from dataclasses import dataclass

from ..closure import closure
from .analysis import CLIENT_MEMBERS, SDK_NAMES

HOLE = "__amp2mp_hole_{}__"
_IDENT = re.compile(r"[^\W\d]\w*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+")
_LONE_CR = re.compile(r"\r(?!\n)")
# Always relevant: the imports the rewrite edits and the names of a Mixpanel client the
# planner inspects (PY-MIXPANEL-ALIAS, existing `from mixpanel import ...`).
_FIXED_SEEDS = frozenset({"amplitude", "mixpanel", "Mixpanel"})
FALLBACK_INDENT = "    "  # libcst's default when a module has no indented block


@dataclass(frozen=True)
class Slice:
    """A reduced module, and what maps it back to the original."""

    text: str
    holes: tuple[tuple[str, str], ...]  # (original text, placeholder line) per hole
    starts: tuple[int, ...]  # first line of each piece in the reduced text
    origins: tuple[int, ...]  # first line of the same piece in the original
    indent: str  # the original module's default indent, as libcst would detect it

    def original_line(self, line: int) -> int:
        index = bisect_right(self.starts, line) - 1
        return self.origins[index] + line - self.starts[index]

    def restore(self, code: str) -> str | None:
        """`code` (the rewritten reduced module) with every placeholder swapped back.

        None when a placeholder is missing, out of order or not on a line of its own: the
        caller then migrates the whole module instead.
        """
        out: list[str] = []
        pos = 0
        for original, line in self.holes:
            index = code.find(line, pos)
            if index < 0 or (index > 0 and code[index - 1] not in "\r\n"):
                return None
            if not line.endswith(("\n", "\r")) and index + len(line) != len(code):
                return None
            out.append(code[pos:index])
            out.append(original)
            pos = index + len(line)
        out.append(code[pos:])
        result = "".join(out)
        return None if "__amp2mp_hole_" in code[pos:] else result


@dataclass
class _Group:
    """Consecutive lines of one block: the statements sharing them, with the lines above."""

    first: int  # 1-based, inclusive
    last: int
    statements: list[ast.stmt]


def slice_module(text: str) -> Slice | None:
    """The reduced module, or None when slicing would not help or might not be faithful."""
    if "__amp2mp_hole_" in text or _LONE_CR.search(text):
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None  # the caller's own parse reports it
    lines = _LINE.findall(text)
    holes: list[tuple[int, int, str]] = []
    _slice_block(tree.body, lines, "", 1, None, holes)
    if not holes:
        return None
    return _build(lines, sorted(holes), _default_indent(tree.body, lines))


def _slice_block(
    body: list[ast.stmt], lines: list[str], indent: str, first: int, outer: set[str] | None,
    holes: list[tuple[int, int, str]],
) -> None:
    """Add the line ranges of `body` (a block) the migration cannot need to `holes`.

    The module's block is sliced first (`outer` None); then, recursively, the body of every
    kept `def` and `class`, with the names that made statements relevant outside as seeds.
    A class's units are its methods, which bind the attributes they assign (`self.x = ...`
    decides whether `self.x` is a client).
    """
    groups = _groups(body, lines, first - 1, indent)
    if groups is None:
        return
    words = [_words(lines, g) for g in groups]
    if outer is None:
        binds = [_bindings(g.statements, attributes=False, scan_defs="global" in w)
                 for g, w in zip(groups, words, strict=True)]
        stars = {i for i, bound in enumerate(binds) if "*" in bound}  # a star import hides names
        kept, names = closure(words, binds, _seeds(groups, words), stars)
        # The rewrite may add `import os`; it checks the module's top-level imports first.
        kept |= {i for i, g in enumerate(groups) if any(
            isinstance(s, ast.Import) and any(a.name == "os" and not a.asname for a in s.names)
            for s in g.statements)}
    else:
        binds = [_bindings(g.statements, attributes=True, scan_defs=True) for g in groups]
        kept, names = closure(words, binds, outer)
    run: list[int] | None = None
    for index, group in enumerate(groups):
        if index not in kept:
            if run is None:
                run = [group.first, group.last]
            else:
                run[1] = group.last
            continue
        if run is not None:
            holes.append((run[0], run[1], indent))
            run = None
        if len(group.statements) == 1 and isinstance(
            group.statements[0], (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            inner = group.statements[0].body
            inner_indent = _block_indent(group.statements[0], lines)
            if inner_indent is not None and len(inner) > 1:
                _slice_block(inner, lines, inner_indent, _start(inner[0]), set(names), holes)
    if run is not None:
        holes.append((run[0], run[1], indent))


def _block_indent(statement: ast.stmt, lines: list[str]) -> str | None:
    """The indentation of a def's or class's body, when the body starts on a line of its own."""
    first = statement.body[0]  # type: ignore[attr-defined]
    line = lines[_start(first) - 1]
    indent = line[: len(line) - len(line.lstrip(" \t\f"))]
    if _start(first) <= statement.lineno or not indent or len(indent) != first.col_offset:
        return None
    return indent


def _groups(
    body: list[ast.stmt], lines: list[str], previous_end: int, indent: str
) -> list[_Group] | None:
    groups: list[_Group] = []
    for statement in body:
        end = statement.end_lineno or statement.lineno
        if groups and statement.lineno <= previous_end:  # `a = 1; b = 2` share a line
            groups[-1].statements.append(statement)
            groups[-1].last = end
        else:
            between = lines[previous_end : _start(statement) - 1]
            if groups and any(_deeper(line, indent) for line in between):
                # libcst hands a comment indented deeper than the block to the block above.
                groups[-1].statements.append(statement)
                groups[-1].last = end
            else:
                groups.append(_Group(previous_end + 1, end, [statement]))
        previous_end = end
    if not groups or previous_end > len(lines):
        return None
    return groups


def _deeper(line: str, indent: str) -> bool:
    stripped = line.lstrip(" \t\f")
    return bool(stripped.strip()) and len(line) - len(stripped) > len(indent)


def _start(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", ())
    return min([statement.lineno, *(d.lineno for d in decorators)])


def _words(lines: list[str], group: _Group) -> set[str]:
    return set(_IDENT.findall("".join(lines[group.first - 1 : group.last])))


def _bindings(statements: list[ast.stmt], attributes: bool, scan_defs: bool) -> set[str]:
    """Names the statements bind in their scope (a superset, never a subset).

    `scan_defs` looks inside nested functions and classes for `global`/`nonlocal` names
    (and, with `attributes`, for assigned attributes); `attributes` also counts `x.attr = ...`
    as binding `attr`, which is what decides a `self.attr` client inside a class.
    """
    names: set[str] = set()
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if scan_defs:
                for sub in ast.walk(node):
                    if isinstance(sub, (ast.Global, ast.Nonlocal)):
                        names.update(sub.names)
                    elif attributes and isinstance(sub, ast.Attribute) and not isinstance(
                        sub.ctx, ast.Load
                    ):
                        names.add(sub.attr)
            stack.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            continue
        if attributes and isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _seeds(groups: list[_Group], words: list[set[str]]) -> set[str]:
    """What `amplitude` imports bind, wherever they are (a star import: every SDK name)."""
    seeds = set(_FIXED_SEEDS)
    for group, found in zip(groups, words, strict=True):
        if "amplitude" not in found:
            continue
        for statement in group.statements:
            for node in ast.walk(statement):
                if isinstance(node, ast.ImportFrom) and not node.level and (
                    (node.module or "").split(".")[0] == "amplitude"
                ):
                    seeds.update(a.asname or a.name for a in node.names)
                    if any(a.name == "*" for a in node.names):
                        seeds |= SDK_NAMES
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] == "amplitude":
                            seeds.add(alias.asname or "amplitude")
    return seeds | _imported_clients(groups)


def _imported_clients(groups: list[_Group]) -> set[str]:
    """Names imported from another module and called like a client (`client.track(...)`).

    The planner reports each such call as decided with the module that creates the client,
    so the calls must stay in view.
    """
    imported: set[str] = set()
    for group in groups:
        for statement in group.statements:
            if isinstance(statement, ast.ImportFrom) and (statement.module or "").split(".")[
                0
            ] not in ("amplitude", "mixpanel"):
                imported.update(a.asname or a.name for a in statement.names if a.name != "*")
    if not imported:
        return set()
    called: set[str] = set()
    for group in groups:
        for statement in group.statements:
            for node in ast.walk(statement):
                if (isinstance(node, ast.Attribute) and node.attr in CLIENT_MEMBERS
                        and isinstance(node.value, ast.Name) and node.value.id in imported):
                    called.add(node.value.id)
    return called


def _default_indent(body: list[ast.stmt], lines: list[str]) -> str:
    """The first INDENT token's text, as libcst's tokenizer finds it (see `Slice.indent`).

    The first indented block of the file belongs to the first top-level compound statement
    that has one; its first line is the earliest statement (or `case`) starting a line of its
    own with leading whitespace.
    """
    for statement in body:
        if not hasattr(statement, "body") and not isinstance(statement, ast.Match):
            continue
        best: tuple[int, str] | None = None
        for node in ast.walk(statement):
            if node is statement:
                continue
            if isinstance(node, ast.stmt):
                line = _start(node)
                column = node.col_offset if line == node.lineno else None
            elif isinstance(node, ast.match_case):
                line, column = node.pattern.lineno, None
            else:
                continue
            text = lines[line - 1]
            indent = text[: len(text) - len(text.lstrip(" \t\f"))]
            if not indent or (column is not None and len(indent) != column):
                continue  # on its header's line, or the column is not the line's first
            if best is None or line < best[0]:
                best = (line, indent)
        if best is not None:
            return best[1]
    return FALLBACK_INDENT


def _build(lines: list[str], holes: list[tuple[int, int, str]], indent: str) -> Slice:
    parts: list[str] = []
    out: list[tuple[str, str]] = []
    starts: list[int] = []
    origins: list[int] = []
    line = next_line = 1
    for first, last, hole_indent in holes:
        if next_line < first:
            starts.append(line)
            origins.append(next_line)
            parts.append("".join(lines[next_line - 1 : first - 1]))
            line += first - next_line
        end = lines[last - 1]
        ending = "\r\n" if end.endswith("\r\n") else "\n" if end.endswith("\n") else ""
        placeholder = hole_indent + HOLE.format(len(out)) + ending
        out.append(("".join(lines[first - 1 : last]), placeholder))
        starts.append(line)
        origins.append(first)
        parts.append(placeholder)
        line += 1
        next_line = last + 1
    if next_line <= len(lines):
        starts.append(line)
        origins.append(next_line)
        parts.append("".join(lines[next_line - 1 :]))
    return Slice("".join(parts), tuple(out), tuple(starts), tuple(origins), indent)
