"""Small helpers that turn source spans into Mixpanel code text."""

from __future__ import annotations

import re

from .edits import Edit, apply_edits
from .estree import Node

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_SIMPLE = ("Identifier", "Literal", "MemberExpression", "CallExpression", "ThisExpression",
           "TemplateLiteral", "ArrayExpression", "ObjectExpression", "UnaryExpression")


class Source:
    """The text being migrated, with what the rewrites need to match its style."""

    def __init__(self, text: str, quote: str = "'") -> None:
        self.text = text
        self.quote = quote
        # Rewrites already planned, innermost calls first: an outer rewrite that reuses an
        # argument's text gets the argument as rewritten (`setOptOut(!getOptOut())`).
        self.pending: list[Edit] = []
        # TODO comments planned above statements, kept apart from the rewrites: one that
        # lies inside an outer rewrite's span (a manual call in an init callback) is carried
        # into its text like a rewrite, but one at either end of a span stays outside it.
        self.notes: list[Edit] = []

        # Every span read (start, end, text, edits planned so far, the edits applied in it),
        # and every edit planned, in order: a rewrite whose replacement holds a read's text
        # carried that span, and what it reads, into the migrated code, unless an edit inside
        # the span took it away.
        self.reads: list[tuple[int, int, str, int, list[Edit]]] = []
        self.history: list[Edit] = []

    def span(self, start: int, end: int) -> str:
        """`text[start:end]` with the planned edits and TODO comments inside it applied."""
        inner = [e for e in self.pending if start <= e.start and e.end <= end]
        # A comment inside a rewrite applied here is that rewrite's to carry, or to drop.
        inner += [n for n in self.notes if start < n.start < end
                  and not any(e.start < n.start < e.end for e in inner)]
        out = apply_edits(self.text[start:end], [
            Edit(e.start - start, e.end - start, e.replacement) for e in inner])
        self.reads.append((start, end, out, len(self.history), inner))
        return out

    def position_in(self, replacement: str, at: int) -> int | None:
        """Where the original text's line start `at` is in `replacement`, or None.

        Found through a span read around it whose text the replacement holds once, so a
        line that occurs twice there is still placed exactly.
        """
        for start, end, out, _, inner in self.reads:
            if not start < at < end or replacement.count(out) != 1:
                continue
            if any(e.start < at < e.end for e in inner):
                continue  # the line was itself rewritten inside the read
            shift = sum(len(e.replacement) - (e.end - e.start) for e in inner if e.end <= at)
            position = replacement.find(out) + at - start + shift
            if position == 0 or replacement[position - 1] in "\r\n":
                return position
        return None

    def survives(self, start: int, end: int, name: str, edit: Edit) -> bool:
        """Whether the variable `name` read at `text[start:end]` is still read once `edit`
        (whose span holds it) is applied: its replacement names it, or holds the text of a
        wider span read around it, as code of its own (`track(x)` is not carried by
        `mixpanel.track(x)`) and unless an edit already applied in that read removed it."""
        if mentions(edit.replacement, name):
            return True
        # Only edits planned before this one can be inside its text: the recursion ends.
        before = self.history.index(edit) if edit in self.history else len(self.history)
        for s, e, out, planned, _ in self.reads:
            if s <= start and end <= e and (s, e) != (start, end) and _holds(edit.replacement, out):
                inner = [h for h in self.history[:min(planned, before)]
                         if s <= h.start and h.end <= e and h.start <= start and end <= h.end]
                if not inner or any(self.survives(start, end, name, h) for h in inner):
                    return True
        return False

    def of(self, node: Node) -> str:
        start, end = node["range"]
        return self.span(start, end)

    def args(self, nodes: list[Node]) -> str:
        """The arguments' source from the first to the last (drops a trailing comma)."""
        if not nodes:
            return ""
        return self.span(nodes[0]["range"][0], nodes[-1]["range"][1])

    def plan(self, edit: Edit) -> None:
        """Add an edit; edits inside its span are now part of its replacement text."""
        self.history.append(edit)
        self.pending = [e for e in self.pending
                        if not (edit.start <= e.start and e.end <= edit.end and e != edit)]
        self.pending.append(edit)

    def string(self, value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace(self.quote, "\\" + self.quote)
        return f"{self.quote}{escaped}{self.quote}"

    def operand(self, node: Node) -> str:
        """Source text safe as an operand of `*` or `||`."""
        text = self.of(node)
        return text if node["type"] in _SIMPLE else f"({text})"


# Not glued to a name or a member access before it.
_UNGLUED = r"(?<![\w$.])"


def _holds(code: str, part: str) -> bool:
    """Whether `part` occurs in `code` not glued to a name or a member access before it."""
    return re.search(_UNGLUED + re.escape(part), code) is not None


def name_pattern(name: str) -> re.Pattern[str]:
    """`name` as a variable read: not a property, nor part of a longer name."""
    return re.compile(rf"{_UNGLUED}{re.escape(name)}(?![\w$])")


def key_text(name: str) -> str:
    """An object key for `name`: bare when it is an identifier, quoted otherwise."""
    return name if _IDENT.match(name) else "'" + name.replace("'", "\\'") + "'"


def _part(key: str, value: str) -> str:
    if key == "...":
        return f"...{value}"
    return value if key == "" else f"{key}: {value}"


def obj(pairs: list[tuple[str, str]]) -> str:
    """`{k: v, ...}` from key/value source pairs; a key of `...` spreads the value, an empty
    key inserts the value as a property's own source text."""
    return "{" + ", ".join(_part(k, v) for k, v in pairs) + "}"


def spread(src: Source, node: Node) -> list[tuple[str, str]]:
    """Pairs that merge an object into another: a literal's properties, else `...value`."""
    if node["type"] == "ObjectExpression":
        return [("", src.of(prop)) for prop in node["properties"]]
    return [("...", src.of(node))]


def prop_key(prop: Node) -> str | None:
    """The static name of an object property's key, or None (computed or spread)."""
    if prop["type"] != "Property" or prop.get("computed"):
        return None
    key = prop["key"]
    if key["type"] == "Identifier":
        return key["name"]
    if key["type"] == "Literal":
        return str(key["value"])
    return None


def merge_props(src: Source, props: Node | None, extra: list[tuple[str, str]]) -> str | None:
    """Spec §3.0's properties merge: splice into a literal, else `{...P, extra}`.

    Returns None when nothing is to be passed (no props and no extras).
    """
    if props is not None and is_nullish(props):
        props = None
    if not extra:
        return src.of(props) if props is not None else None
    if props is None:
        return obj(extra)
    if props["type"] == "ObjectExpression":
        added = ", ".join(_part(k, v) for k, v in extra)
        if not props["properties"]:
            return "{" + added + "}"
        last_end = props["properties"][-1]["range"][1]
        start, end = props["range"]
        return src.text[start:last_end] + ", " + added + src.text[last_end:end]
    return obj([("...", src.of(props)), *extra])


# Quoted strings and comments of a code fragment, which cannot hold a reference.
_NOT_CODE = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/""", re.S)


def mentions(code: str, name: str) -> bool:
    """Whether a code fragment may read the variable `name` (not a property, string or comment).

    Errs on the side of yes (a regex literal, an object key or a template's text count).
    """
    return name_pattern(name).search(_NOT_CODE.sub(" ", code)) is not None


def is_nullish(node: Node | None) -> bool:
    """`null`, `undefined` or `void 0`."""
    if node is None:
        return False
    if node["type"] == "Literal" and node["value"] is None and node.get("raw") == "null":
        return True
    if node["type"] == "Identifier" and node["name"] == "undefined":
        return True
    return node["type"] == "UnaryExpression" and node["operator"] == "void"


# Expressions that read values without calling anything (a getter aside), so evaluating one
# twice gives the same value twice.
_READS = frozenset({"Identifier", "Literal", "ThisExpression", "TemplateLiteral",
                    "MemberExpression", "ConditionalExpression", "LogicalExpression",
                    "BinaryExpression", "UnaryExpression", "TSNonNullExpression",
                    "TSAsExpression", "TSSatisfiesExpression"})


def only_reads(node: Node) -> bool:
    """Whether evaluating `node` calls, assigns, creates or awaits nothing."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current["type"] not in _READS or (
            current["type"] == "UnaryExpression" and current["operator"] == "delete"
        ):
            return False
        for key in ("object", "property", "test", "consequent", "alternate", "left", "right",
                    "argument", "expression"):
            child = current.get(key)
            if isinstance(child, dict) and "type" in child:
                stack.append(child)
        stack.extend(current.get("expressions") or ())
    return True


def identify_when_set(src: Source, mp: str, user: Node) -> str | None:
    """`mp.identify(USER)` for the user id Amplitude's `init(KEY, USER)` was given, or None.

    Amplitude leaves the user id unset when USER is null or undefined; mixpanel-browser's
    `identify(undefined)` instead replaces the distinct id with undefined (2.83.0), and the
    events after it no longer carry the device's. So unless USER is a string the call is
    guarded, which evaluates USER twice: only an expression that just reads values
    qualifies, and None (the caller reports the site manual) stands for any other.
    `x ?? undefined` is guarded as `x`, which is null or undefined exactly when it is.
    """
    if is_stringish(user):
        return f"{mp}.identify({src.of(user)})"
    if not only_reads(user):
        return None
    if user["type"] == "LogicalExpression" and user["operator"] == "??" and is_nullish(user["right"]):
        user = user["left"]
    text = src.of(user)
    test = text if user["type"] in ("Identifier", "MemberExpression") else f"({text})"
    return f"if ({test} != null) {mp}.identify({text})"


def is_stringish(node: Node) -> bool:
    return (node["type"] == "Literal" and isinstance(node["value"], str)) or node[
        "type"
    ] == "TemplateLiteral"


def function_arity(node: Node) -> int | None:
    """Number of declared parameters of a function literal; None when not a literal."""
    if node["type"] in ("FunctionExpression", "ArrowFunctionExpression"):
        return len(node["params"])
    return None
