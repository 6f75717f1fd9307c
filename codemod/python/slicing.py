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
Names local to a function never leave its statement, so they need no closure.

What can make the sliced parse differ from the whole one is refused, not guessed: a lone CR
line end, an indented comment between top-level statements (libcst gives it to the previous
block), a placeholder name the source already uses, and (checked by the caller after the
parse) a different default indent or newline.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from dataclasses import dataclass

from ..closure import needed_statements

HOLE = "__amp2mp_hole_{}__"
_IDENT = re.compile(r"[^\W\d]\w*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+")
_LONE_CR = re.compile(r"\r(?!\n)")
_INDENTED_CODE = re.compile(r"[ \t\f]+\S")
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
    """Consecutive lines: the top-level statements sharing them, with the lines above."""

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
    if len(tree.body) < 2:
        return None
    lines = _LINE.findall(text)
    groups = _groups(tree.body, lines)
    if groups is None:
        return None
    words = [_words(lines, g) for g in groups]
    binds = [_module_bindings(g.statements, "global" in w) for g, w in zip(groups, words, strict=True)]
    relevant = _relevant(groups, words, binds)
    if len(relevant) == len(groups):
        return None
    return _build(lines, groups, relevant, _default_indent(tree.body, lines))


def _groups(body: list[ast.stmt], lines: list[str]) -> list[_Group] | None:
    groups: list[_Group] = []
    previous_end = 0
    for statement in body:
        end = statement.end_lineno or statement.lineno
        if groups and statement.lineno <= previous_end:  # `a = 1; b = 2` share a line
            groups[-1].statements.append(statement)
            groups[-1].last = end
        else:
            between = lines[previous_end : _start(statement) - 1]
            if groups and any(_INDENTED_CODE.match(line) for line in between):
                # libcst hands an indented comment to the block above: keep them together.
                groups[-1].statements.append(statement)
                groups[-1].last = end
            else:
                groups.append(_Group(previous_end + 1, end, [statement]))
        previous_end = end
    if not groups or previous_end > len(lines):
        return None
    return groups


def _start(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", ())
    return min([statement.lineno, *(d.lineno for d in decorators)])


def _words(lines: list[str], group: _Group) -> set[str]:
    return set(_IDENT.findall("".join(lines[group.first - 1 : group.last])))


def _module_bindings(statements: list[ast.stmt], has_global: bool) -> set[str]:
    """Names the statements bind in the module's scope (a superset, never a subset)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if has_global:
                names.update(n for sub in ast.walk(node) if isinstance(sub, ast.Global)
                             for n in sub.names)
            stack.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            continue
        if isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Global):
            names.update(node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _seeds(groups: list[_Group], words: list[set[str]]) -> set[str]:
    """What `amplitude` imports bind, wherever they are."""
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
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] == "amplitude":
                            seeds.add(alias.asname or "amplitude")
    return seeds


def _relevant(groups: list[_Group], words: list[set[str]], binds: list[set[str]]) -> set[int]:
    stars = {i for i, bound in enumerate(binds) if "*" in bound}  # a star import hides names
    # The rewrite may add `import os`; it checks the module's top-level imports first.
    imports_os = {i for i, g in enumerate(groups) if any(
        isinstance(s, ast.Import) and any(a.name == "os" and not a.asname for a in s.names)
        for s in g.statements)}
    return needed_statements(words, binds, _seeds(groups, words), stars) | imports_os


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


def _pieces(groups: list[_Group], relevant: set[int]) -> list[tuple[int, int, bool]]:
    """(first line, last line, kept) per piece; a run of irrelevant groups is one piece."""
    pieces: list[tuple[int, int, bool]] = []
    for index, group in enumerate(groups):
        kept = index in relevant
        if not kept and pieces and not pieces[-1][2]:
            pieces[-1] = (pieces[-1][0], group.last, False)
        else:
            pieces.append((group.first, group.last, kept))
    return pieces


def _build(lines: list[str], groups: list[_Group], relevant: set[int], indent: str) -> Slice:
    parts: list[str] = []
    holes: list[tuple[str, str]] = []
    starts: list[int] = []
    origins: list[int] = []
    line = 1
    for first, last, kept in _pieces(groups, relevant):
        text = "".join(lines[first - 1 : last])
        starts.append(line)
        origins.append(first)
        if kept:
            parts.append(text)
            line += last - first + 1
            continue
        end = lines[last - 1]
        ending = "\r\n" if end.endswith("\r\n") else "\n" if end.endswith("\n") else ""
        placeholder = HOLE.format(len(holes)) + ending
        holes.append((text, placeholder))
        parts.append(placeholder)
        line += 1
    tail = "".join(lines[groups[-1].last :])
    if tail:
        starts.append(line)
        origins.append(groups[-1].last + 1)
        parts.append(tail)
    return Slice("".join(parts), tuple(holes), tuple(starts), tuple(origins), indent)
