"""Ampli wrappers: the typed tracking module Amplitude's code generator writes.

Application code calls `ampli.songPlayed({...})` and never touches the SDK; the generated
module is the one place that does. So the wrapper's SDK plumbing (`load`, `identify`,
`setGroup`, `groupIdentify`, `track`, `flush`, the `client` getter) is rewritten to the
Mixpanel target the SDK registry names, from the templates in `rules/ampli.toml`, and every
typed call site keeps working unchanged.

Recognition fails safe: a file is migrated as a wrapper only when its generated header, its
one Amplitude SDK family, its `Ampli` class and every plumbing method match the generated
shapes, and when nothing of the SDK is left in the result. Anything else returns a reason,
the file goes through the normal rules as any other file, and AX02 says why.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..catalogue import Catalogue, _load_toml
from ..options import Options
from ..results import Change, Finding
from .bindings import require_source
from .edits import Edit, apply_edits
from .estree import Node
from .keys import file_default_token
from .targets import TARGETS
from .transforms import TRANSFORMS

TODO_MARK = "TODO(amp2mp)"
_BLANKS = re.compile(r"\s+")
_COMMENTS_AND_STRINGS = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`", re.S)
# `ampli.client.<method>(` in application code: a reach through the wrapper to the SDK.
_CLIENT_REACH = re.compile(r"\bampli\s*\.\s*client\s*(?:\?\.|!?\.)\s*(\w+)")
# `ampli.load({ client: { instance } })`: the application hands the wrapper its own client.
_LOAD_INSTANCE = re.compile(r"\bampli\s*\.\s*load\s*\([^;]*?\binstance\b", re.S)


@functools.cache
def _data() -> dict[str, Any]:
    return _load_toml(resources.files("codemod.rules") / "ampli.toml", "rules/ampli.toml")


def _children(node: Any) -> Iterator[Node]:
    for key, value in node.items():
        if key in ("range", "loc"):
            continue
        if isinstance(value, dict) and "type" in value:
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, dict) and "type" in v)


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in _children(node):
        yield from _walk(child)


@dataclass
class WrapperResult:
    """The wrapper's migration: edits on the chunk, with their changes and findings."""

    edits: list[Edit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Wrapper:
    """What recognition found: the SDK imports, their family and target, the class."""

    imports: list[tuple[Node, dict[str, str]]]  # statement, local name -> exported ("" = SDK)
    family: str
    target: str
    klass: Node
    methods: dict[str, Node]


class NotAWrapper(Exception):
    """The file is not an Ampli wrapper of a known shape; the message says why."""


def looks_generated(text: str) -> bool:
    """The generated header's marks, in the file's first lines (a cheap test before parsing)."""
    head = text[:2000]
    return all(mark in head for mark in _data()["header_marks"])


@TRANSFORMS.register("ampli_wrapper")
def migrate_wrapper(program: Node, text: str, line_of: Callable[[int], int],
                    catalogue: Catalogue, options: Options, newline: str, typed: bool) -> WrapperResult:
    """The wrapper's plumbing rewritten to Mixpanel, or NotAWrapper with the reason."""
    wrapper = _recognise(program, text, catalogue)
    return _Rewriter(wrapper, program, text, line_of, catalogue, options, newline, typed).run()


def ampli_row(catalogue: Catalogue, slug: str) -> str:
    """The id of the Ampli wrapper rule with `slug`: the code names the row, rules/js holds the id."""
    return next(r.id for r in catalogue.for_language("javascript") if r.slug == slug)


def _recognise(program: Node, text: str, catalogue: Catalogue) -> _Wrapper:
    data = _data()
    families = {p: s.family for s in catalogue.sdks.sdks.values() if s.language == "javascript"
                for p in s.packages}
    imports: list[tuple[Node, dict[str, str]]] = []
    found: set[str] = set()
    klass = None
    for statement in program["body"]:
        source, names = _sdk_import(statement)
        if source is not None and source in families:
            imports.append((statement, names))
            found.add(families[source])
        declaration = statement.get("declaration") if statement["type"] == "ExportNamedDeclaration" \
            else statement
        if declaration and declaration["type"] == "ClassDeclaration" and (
            declaration["id"] or {}).get("name") == "Ampli":
            klass = declaration
    if len(found) != 1 or not found <= set(data["families"]):
        raise NotAWrapper(f"it imports {', '.join(sorted(found)) or 'no'} Amplitude SDK family; an "
                          "Ampli wrapper imports one")
    if klass is None or not re.search(r"\bnew\s+Ampli\s*\(", text):
        raise NotAWrapper("it has no class Ampli with an exported `new Ampli()` instance")
    methods: dict[str, Node] = {}
    for member in klass["body"]["body"]:
        if member["type"] == "MethodDefinition" and member["key"]["type"] == "Identifier":
            key = member["key"]["name"] if member["kind"] == "method" else f"{member['kind']} " \
                f"{member['key']['name']}"
            methods[key] = member
    missing = [m for m in [*data["required"], "get client"] if m not in methods]
    if missing:
        raise NotAWrapper(f"class Ampli has no {', '.join(missing)}")
    family = found.pop()
    return _Wrapper(imports, family, catalogue.sdks.target_of(family).name, klass, methods)


def _sdk_import(statement: Node) -> tuple[str | None, dict[str, str]]:
    """(package, local name -> exported name) of an import or `const x = require(...)`."""
    if statement["type"] == "ImportDeclaration":
        names = {}
        for spec in statement["specifiers"]:
            imported = spec.get("imported")
            names[spec["local"]["name"]] = imported["name"] if imported else ""
        return statement["source"]["value"], names
    if statement["type"] == "VariableDeclaration" and len(statement["declarations"]) == 1:
        declarator = statement["declarations"][0]
        source = require_source(declarator["init"])
        target = declarator["id"]
        if source is None:
            return None, {}
        if target["type"] == "Identifier":
            return source, {target["name"]: ""}
        if target["type"] == "ObjectPattern":
            return source, {p["value"]["name"]: p["key"]["name"] for p in target["properties"]
                            if p["type"] == "Property" and p["value"]["type"] == "Identifier"}
    return None, {}


class _Rewriter:
    """Plans the wrapper's edits; any shape it does not know raises NotAWrapper."""

    def __init__(self, wrapper: _Wrapper, program: Node, text: str, line_of: Callable[[int], int],
                 catalogue: Catalogue, options: Options, newline: str, typed: bool) -> None:
        self.w = wrapper
        self.program = program
        self.text = text
        self.line_of = line_of
        self.catalogue = catalogue
        self.options = options
        self.newline = newline
        self.data = _data()
        self.target = self.data["target"][wrapper.target]
        self.field = f"this.{self.data['mixpanel_field']}"
        self.client = self.field + ("!" if typed else "")  # the field, once load() has set it
        # The token the ApiKey table and load() read, as any rewritten init in this module would.
        self.token = file_default_token(text, options, typed)[0]
        self.sdk_names = {name for _, names in wrapper.imports for name in names}
        self.result = WrapperResult()
        self.replaced: list[tuple[int, int]] = []

    # --- helpers -----------------------------------------------------------------------------
    def of(self, node: Node) -> str:
        return self.text[node["range"][0]:node["range"][1]]

    def line(self, node: Node) -> int:
        return self.line_of(node["range"][0])

    def edit(self, start: int, end: int, replacement: str) -> None:
        self.result.edits.append(Edit(start, end, replacement))
        self.replaced.append((start, end))

    def finding(self, node: Node, rule: str, caveat: str | None, severity: str, message: str) -> None:
        self.result.findings.append(Finding(self.line(node), rule, caveat, severity,  # type: ignore[arg-type]
                                            message))

    def compact(self, node: Node) -> str:
        """A call as the `calls` patterns spell it (see `rules/ampli.toml`)."""
        new = node["type"] == "NewExpression"
        code = _BLANKS.sub("", self.of(node)[3:] if new else self.of(node))
        code = re.sub(r",([)}\]])", r"\1", code).replace("?.", ".").replace("!.", ".")
        code = re.sub(rf"\bthis\.{self.data['field']}\b", "CLIENT", code)
        names = {name: exported for _, names in self.w.imports for name, exported in names.items()}

        def sdk(match: re.Match[str]) -> str:
            exported = names[match.group(0)]
            return f"SDK.{exported}" if exported else "SDK"

        if names:
            code = re.sub(rf"(?<![.\w$])(?:{'|'.join(map(re.escape, names))})\b", sdk, code)
        return "new " + code if new else code

    # --- plan --------------------------------------------------------------------------------
    def run(self) -> WrapperResult:
        plumbing = [m for m in self.data["plumbing"] if m in self.w.methods]
        for name in plumbing:
            self._check(name, self.w.methods[name])
        for name, method in self.w.methods.items():
            if name not in plumbing:
                self._check_no_sdk(name, method)
        head = self.w.imports[0][0]
        self._imports()
        self._load(self.w.methods["load"])
        for name in plumbing:
            if name != "load":
                self._method(name, self.w.methods[name])
        self._rename_field()
        self._types()
        self._drop_dead_helpers()
        self._check_nothing_left()
        self.finding(head, ampli_row(self.catalogue, "ampli-wrapper"), None, "review",
                     "an Ampli wrapper (generated by Amplitude's `ampli` code generator) "
                     f"migrated to {self._package()}: its typed event methods are unchanged; "
                     "re-running `ampli pull` regenerates Amplitude code and undoes this migration")
        return self.result

    def _package(self) -> str:
        return self.catalogue.sdks.targets[self.w.target].package

    def _check(self, name: str, method: Node) -> None:
        """Every call of a plumbing method is one the generator writes (else: hand-edited)."""
        patterns = [*self.data["common"]["calls"], *self.data["method"][name]["calls"]]
        reaches = False
        for node in _walk(method["value"]["body"]):
            if node["type"] not in ("CallExpression", "NewExpression"):
                continue
            code = self.compact(node)
            if not any(re.fullmatch(p, code) for p in patterns):
                raise NotAWrapper(f"its {name}() calls `{' '.join(self.of(node).split())[:80]}` "
                                  f"on line {self.line(node)}, which the generated {name}() does "
                                  "not (hand-edited)")
            reaches = reaches or code.startswith(("CLIENT.", "SDK.", "new SDK."))
        if not reaches:
            raise NotAWrapper(f"its {name}() does not call the SDK as the generated one does "
                              "(hand-edited)")

    def _check_no_sdk(self, name: str, method: Node) -> None:
        """A method the migration keeps (an event method, a hand-added one) must not call the
        SDK client: after the migration it would call Mixpanel's, which has other methods."""
        for node in _walk(method):
            if node["type"] in ("CallExpression", "NewExpression") and self.compact(node).startswith(
                    ("CLIENT.", "SDK.", "new SDK.")):
                raise NotAWrapper(f"its {name.split()[-1]}() calls the SDK on line {self.line(node)}, "
                                  "and it is no generated plumbing the tool has a template for")

    def _imports(self) -> None:
        """The first SDK import becomes the target's, under the migration note; the rest go."""
        head, _ = self.w.imports[0]
        esm = head["type"] == "ImportDeclaration"
        kind = "" if esm else head["kind"]
        literal = self.of(head["source"] if esm else head["declarations"][0]["init"]["arguments"][0])
        quote = literal[0]
        semi = ";" if self.of(head).rstrip().endswith(";") else ""
        target = TARGETS[self.w.target]
        package = f"{quote}{self._package()}{quote}"
        statement = target.import_text(package, esm, kind, semi, self.newline, "", None,
                                       with_client=False)
        row = ampli_row(self.catalogue, "ampli-no-equivalent")
        todo = (f"// {TODO_MARK}: {row} {self._manual_text()}")
        note = self.newline.join(f"// {line}" for line in self.data["note"])
        self.edit(head["range"][0], head["range"][1],
                  f"{todo}{self.newline}{note}{self.newline}{statement}")
        self.finding(head, row, None, "manual", self._manual_text())
        for statement_node, _ in self.w.imports[1:]:
            self._delete_statement(statement_node)

    def _manual_text(self) -> str:
        return ("Ampli's tracking-plan validation, `ampli status` and its observe/validation "
                "plugin have no Mixpanel equivalent: use Mixpanel Lexicon and Data Standards")

    def _delete_helper(self, node: Node) -> None:
        """A module helper with the doc comment right above it, and the blank line after it."""
        start, end = node["range"]
        line_start = self.text.rfind("\n", 0, start) + 1
        if self.text[line_start:start].strip():
            self.edit(start, end, "")
            return
        above = self.text[:line_start].rstrip(" \t\r\n")
        opening = above.rfind("/**") if above.endswith("*/") else -1
        comment_line = self.text.rfind("\n", 0, opening) + 1
        if opening >= 0 and not self.text[comment_line:opening].strip():
            line_start = comment_line
        rest = re.match(r"[ \t]*(\r\n|\r|\n)(?:[ \t]*(\r\n|\r|\n))?", self.text[end:])
        self.edit(line_start, end + (rest.end() if rest else 0), "")

    def _delete_statement(self, node: Node) -> None:
        start, end = node["range"]
        line_start = self.text.rfind("\n", 0, start) + 1
        rest = re.match(r"[ \t]*(\r\n|\r|\n|$)", self.text[end:])
        if not self.text[line_start:start].strip() and rest:
            self.edit(line_start, end + rest.end(), "")
        else:
            self.edit(start, end, "")

    # --- methods -----------------------------------------------------------------------------
    def _params(self, method: Node) -> list[str]:
        names = []
        for param in method["value"]["params"]:
            node = param.get("parameter", param)
            node = node["left"] if node["type"] == "AssignmentPattern" else node
            if node["type"] != "Identifier":
                raise NotAWrapper(f"a parameter of {method['key']['name']}() is not a plain name")
            names.append(node["name"])
        return names

    def _fill(self, template: str, method: Node, ret: str, indent: str) -> str:
        params = self._params(method)

        def param(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if index >= len(params):
                raise NotAWrapper(f"its {method['key']['name']}() takes {len(params)} parameters; "
                                  "the generated one takes more")
            return params[index]

        template = template.strip("\n")
        done = ret if ret in self.data["void_results"] else self.data["return_default"]
        if not done and template.endswith("\nreturn @done@;"):  # a void method ends without one
            template = template[: -len("\nreturn @done@;")]
        filled = re.sub(r"@p(\d)@", param, template)
        clash = set(re.findall(r"\bconst (\w+)", filled)) & set(params)
        if clash:
            raise NotAWrapper(f"a parameter of its {method['key']['name']}() is named "
                              f"{', '.join(sorted(clash))}, as a variable the migration declares")
        filled = filled.replace("@mp@", self.client).replace("return @ret@;", f"return {ret};" if ret
                                                              else "return;").replace(
            "@done@", done)
        return self.newline.join(indent + line if line else line for line in filled.split("\n"))

    def _indent(self, node: Node) -> str:
        start = node["range"][0]
        line_start = self.text.rfind("\n", 0, start) + 1
        prefix = self.text[line_start:start]
        return prefix[: len(prefix) - len(prefix.lstrip(" \t"))]

    def _guard_value(self, method: Node) -> str:
        """What the generated method returns when Ampli is not loaded or disabled."""
        for node in _walk(method["value"]["body"]):
            if node["type"] == "IfStatement" and "isInitializedAndEnabled" in self.of(node["test"]):
                for inner in _walk(node["consequent"]):
                    if inner["type"] == "ReturnStatement":
                        return self.of(inner["argument"]) if inner["argument"] else ""
        return str(self.target["not_loaded"])

    def _method(self, name: str, method: Node) -> None:
        body = method["value"]["body"]
        middleware = "this.runMiddleware(" in _BLANKS.sub("", self.of(body))
        templates = self.target.get("middleware", {}) if middleware else {
            **self.target["body"], **self.data.get("family", {}).get(self.w.family, {}).get("body", {})}
        template = templates.get(name)
        if template is None:
            raise NotAWrapper(f"its {name}() runs middleware, which the {self.w.target} migration "
                              "does not carry")
        indent = self._indent(method)
        unit = self._unit(body, indent)
        text = self._fill(template, method, self._guard_value(method), indent + unit)
        self.edit(body["range"][0], body["range"][1], "{" + self.newline + text + self.newline
                  + indent + "}")
        self._record(method, name, self.of(body), text)

    def _unit(self, body: Node, indent: str) -> str:
        statements = body["body"]
        if statements:
            inner = self._indent(statements[0])
            if inner.startswith(indent) and len(inner) > len(indent):
                return inner[len(indent):]
        return "  "

    def _record(self, node: Node, method: str, before: str, after: str) -> None:
        """The change of one plumbing method, with the caveats and note of its target."""
        rule = self.data["rules"][method]
        caveats = self.target.get("caveats", {}).get(method, [])
        line = self.line(node)
        self.result.changes.append(Change(line, rule, before, after))
        for caveat in caveats:
            self.result.findings.append(Finding(line, rule, caveat, "review",
                                                self.catalogue.caveats[caveat].title))
        note = self.target.get("notes", {}).get(rule)
        if note is not None:
            self.result.findings.append(Finding(line, rule, None, "review", note))

    def _load(self, method: Node) -> None:
        """The `else if (apiKey) { ... }` block that makes the SDK client creates Mixpanel's."""
        block = None
        for node in _walk(method["value"]["body"]):
            if node["type"] == "IfStatement" and node["test"]["type"] == "Identifier" and (
                node["test"]["name"] == "apiKey"
            ) and node["consequent"]["type"] == "BlockStatement":
                block = node["consequent"]
        if block is None:
            raise NotAWrapper("its load() has no `else if (apiKey) { ... }` block creating the "
                              "client (hand-edited)")
        start, end = block["range"]
        for node in _walk(method["value"]["body"]):
            inside = start <= node["range"][0] and node["range"][1] <= end
            if not inside and node["type"] in ("CallExpression", "NewExpression") and \
                    self.compact(node).startswith(("CLIENT.", "SDK.", "new SDK.")):
                raise NotAWrapper(f"its load() calls the SDK outside the block that creates the "
                                  f"client (line {self.line(node)}, hand-edited)")
        table = self._api_key_table() if "ApiKey[" in self.of(method) else None
        token = "apiKey" if table is not None else self.token
        indent = self._indent(block["body"][0]) if block["body"] else self._indent(block) + "  "
        create = self.target["create"].strip("\n").replace("@mp@", self.field).replace(
            "@token@", token)
        if block["body"] and block["body"][-1]["type"] == "ReturnStatement":
            create += f"\nreturn {self.data['return_default']};"  # the block ended the method
        text = self.newline.join(indent + line for line in create.split("\n"))
        self.edit(start, end, "{" + self.newline + text + self.newline + self._indent(block) + "}")
        self._record(method, "load", self.of(block), text.strip())
        row = ampli_row(self.catalogue, "ampli-load")
        self.finding(method, row, None, "review",
                     "load() no longer passes `client.configuration` or the tracking-plan "
                     "defaults (Amplitude options) to the client, and `client.instance` must now "
                     f"be a {self._package()} client")
        if table is not None:
            for prop in table["properties"]:
                self.edit(prop["value"]["range"][0], prop["value"]["range"][1], self.token)
            self.finding(table, row, "ID010", "review",
                         "the ApiKey table held Amplitude API keys: each environment now reads "
                         f"{self.token}; set the Mixpanel project token of each "
                         "environment there")

    def _api_key_table(self) -> Node | None:
        for statement in self.program["body"]:
            declaration = statement.get("declaration") if statement["type"] == (
                "ExportNamedDeclaration") else statement
            if not declaration or declaration["type"] != "VariableDeclaration":
                continue
            for declarator in declaration["declarations"]:
                if declarator["id"].get("name") == "ApiKey" and declarator["init"] and (
                    declarator["init"]["type"] == "ObjectExpression"
                ) and all(p["type"] == "Property" for p in declarator["init"]["properties"]):
                    return declarator["init"]
        return None

    # --- the rest of the file ------------------------------------------------------------------
    def _rename_field(self) -> None:
        """`this.amplitude` (the SDK client field) becomes `this.mixpanel` in the whole class."""
        old, new = self.data["field"], self.data["mixpanel_field"]
        for node in _walk(self.w.klass):
            start, end = node["range"]
            if any(s <= start and end <= e for s, e in self.replaced):
                continue
            if node["type"] == "MemberExpression" and node["object"]["type"] == "ThisExpression" \
                    and not node.get("computed") and node["property"].get("name") == old:
                self.result.edits.append(Edit(node["property"]["range"][0],
                                              node["property"]["range"][1], new))
            elif node["type"] == "PropertyDefinition" and node["key"].get("name") == old:
                self.result.edits.append(Edit(node["key"]["range"][0], node["key"]["range"][1], new))

    def _types(self) -> None:
        """`amplitude.Types.X` and `typeof amplitude` in TypeScript name Mixpanel's types."""
        namespaces = [name for _, names in self.w.imports for name, exported in names.items()
                      if not exported]
        if not namespaces:
            return
        pattern = re.compile(rf"\btypeof\s+({'|'.join(namespaces)})\b|"
                             rf"(?<![.\w$])({'|'.join(namespaces)})\.Types\.(\w+)")
        client = self.target["client_type"]

        def swap(match: re.Match[str]) -> str:
            if match.group(1):
                return client
            mapped = self.data["types"].get(match.group(3))
            if mapped is None:
                raise NotAWrapper(f"it uses the SDK type {match.group(0)}, which has no mapping")
            return client if mapped == "client" else mapped

        for statement in self.program["body"]:
            start, end = statement["range"]
            if any(s <= start < e for s, e in self.replaced) or statement is self.w.klass:
                continue
            code = self.of(statement)
            if pattern.search(_strip(code)):
                self.edit(start, end, pattern.sub(swap, code))

    def _drop_dead_helpers(self) -> None:
        """Module helpers only the generated plumbing used (`getDefaultPromiseResponse`)."""
        output = apply_edits(self.text, self.result.edits)
        for statement in self.program["body"]:
            name = _declared_name(statement)
            if name is None or any(s <= statement["range"][0] < e for s, e in self.replaced):
                continue
            own = self.of(statement)
            pattern = re.compile(rf"(?<![.\w$]){re.escape(name)}\b")
            before = len(pattern.findall(_strip(self.text))) - len(pattern.findall(_strip(own)))
            after = len(pattern.findall(_strip(output))) - len(pattern.findall(_strip(own)))
            if before > 0 and after == 0:
                self._delete_helper(statement)

    def _check_nothing_left(self) -> None:
        """Nothing the SDK import bound may be left in the output: never a partial template."""
        output = _strip(apply_edits(self.text, self.result.edits))
        for name in sorted(self.sdk_names):
            match = re.search(rf"(?<![.\w$]){re.escape(name)}\b", output)
            if match:
                raise NotAWrapper(f"`{name}` from the Amplitude import would still be used "
                                  "outside the plumbing the tool rewrites")


def _declared_name(statement: Node) -> str | None:
    """The one name a top-level, unexported `const`/`function` declares."""
    if statement["type"] == "FunctionDeclaration":
        return statement["id"]["name"] if statement.get("id") else None
    if statement["type"] == "VariableDeclaration" and len(statement["declarations"]) == 1:
        target = statement["declarations"][0]["id"]
        return target["name"] if target["type"] == "Identifier" else None
    return None


def _strip(code: str) -> str:
    """Code with its comments and string literals blanked (names in them are not references);
    every offset and line stays where it was."""
    return _COMMENTS_AND_STRINGS.sub(lambda m: re.sub(r"[^\r\n]", " ", m.group(0)), code)


def reaches_client(text: str) -> bool:
    """Whether application code may reach the SDK through `ampli` (a cheap test before parsing)."""
    return "ampli" in text and (_CLIENT_REACH.search(text) is not None
                                or _LOAD_INSTANCE.search(text) is not None)


def client_reaches(program: Node, text: str, catalogue: Catalogue) -> list[Finding]:
    """`ampli.client.<method>(...)` in application code: after the wrapper's migration,
    `ampli.client` is the Mixpanel client, whose methods are not Amplitude's. Lines are the
    text's own, from 1."""
    imported = any(
        s["type"] == "ImportDeclaration" and any(spec["local"]["name"] == "ampli"
                                                 for spec in s["specifiers"])
        for s in program["body"]) or re.search(r"\bampli\b[^\n]*=\s*require\(", text)
    if not imported:
        return []
    findings = []
    row = ampli_row(catalogue, "ampli-client-reach")
    for match in _CLIENT_REACH.finditer(_strip(text)):
        line = len(re.findall(r"\r\n|\r|\n", text[:match.start()])) + 1
        findings.append(Finding(line, row, None, "manual",
                                f"ampli.client.{match.group(1)}() reaches through the Ampli "
                                "wrapper to the SDK: once the wrapper is migrated, ampli.client is "
                                "the Mixpanel client; call its equivalent (`amp2mp-codemod rules` "
                                f"lists the rule for {match.group(1)}) or a method of the wrapper"))
    for node in _walk(program):
        if node["type"] == "CallExpression" and _is_ampli_load(node) and any(
            _object_key(arg, "client") is not None and _object_key(_object_key(arg, "client"),
                                                                   "instance") is not None
            for arg in node["arguments"]
        ):
            line = len(re.findall(r"\r\n|\r|\n", text[:node["range"][0]])) + 1
            findings.append(Finding(line, row, None, "manual",
                                    "ampli.load() is given a client instance: once the wrapper is "
                                    "migrated it must be a Mixpanel client, made with the "
                                    "Mixpanel SDK the wrapper now imports"))
    return findings


def _is_ampli_load(call: Node) -> bool:
    callee = call["callee"]
    return callee["type"] == "MemberExpression" and not callee.get("computed") and (
        callee["object"].get("name") == "ampli") and callee["property"].get("name") == "load"


def _object_key(node: Node | None, key: str) -> Node | None:
    """The value of `key` in an object literal, if it has one."""
    if node is None or node["type"] != "ObjectExpression":
        return None
    for prop in node["properties"]:
        if prop["type"] == "Property" and not prop.get("computed") and (
            prop["key"].get("name") == key or prop["key"].get("value") == key
        ):
            value: Node = prop["value"]
            return value
    return None


