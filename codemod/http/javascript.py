"""Requests to Amplitude's HTTP APIs in JavaScript and TypeScript, rewritten for Mixpanel.

Found, on the ESTree dicts of a whole chunk: `fetch` (the global, or `node-fetch`),
`axios.post`, `got.post`, `request-promise`'s `rp.post({uri, body, json: true})` and
`navigator.sendBeacon`, each resolved through the module's imports and `require`s; the URL
a string or template literal, directly or through a `const`. Event batches (HTTP v2, Batch,
EU host) posted as JSON are rewritten like Python's (`python.py`): Mixpanel's `/import` URL,
the project token as HTTP Basic authorization instead of the body's `api_key`, the body
through the converter added to the module once (`convert.ts`), and, where events may carry
user properties, the same client sending them to `/engage` first. `sendBeacon` cannot send
an authorization header, the Identify and Group Identify APIs' form bodies, read APIs and
whatever the tool cannot follow are reported with what to change.

Edits are byte-range splices on the chunk's text (`codemod.js.edits.Edit`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue, Rule
from ..js.edits import Edit
from ..js.transforms import TRANSFORMS
from ..options import Options
from ..results import Change, Finding, Severity
from ..tokens import swap_name
from .endpoints import (
    CAVEAT_NOTES,
    HOST_PATTERN,
    RESPONSE_FIELDS,
    RESPONSE_NOTE,
    Endpoint,
    advice,
    classify,
    mixpanel_url,
)

Node = dict[str, Any]
TODO_PREFIX = "// TODO(amp2mp): "
_AMPLITUDE = re.compile(r"amplitude", re.IGNORECASE)
_PACKAGES = {"axios": "axios", "got": "got", "node-fetch": "fetch", "request-promise": "rp",
             "request-promise-native": "rp"}
_WRITTEN = {"time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id",
            "session_id", "platform", "country", "price", "quantity", "revenue", "currency"}


def may_call_amplitude_http_js(text: str) -> bool:
    return HOST_PATTERN.search(text) is not None


def converter_source(typed: bool, revenue_event: str, newline: str) -> str:
    """The block copied into a migrated module: TypeScript keeps its `: any` annotations."""
    text = (Path(__file__).with_name("convert.ts")).read_text(encoding="utf-8")
    begin = text.index("// --- amp2mp converter: begin ---")
    end = text.index("// --- amp2mp converter: end ---")
    block = text[begin:end] + "// --- amp2mp converter: end ---\n"
    if not typed:
        block = re.sub(r": any\b", "", block)
    default = 'revenueEvent: any = "Revenue"' if typed else 'revenueEvent = "Revenue"'
    assert default in block
    import json

    block = block.replace(default, default.replace('"Revenue"', json.dumps(revenue_event)), 1)
    return block.replace("\n", newline)


@dataclass
class HttpEdits:
    edits: list[Edit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def migrate_http_js(program: Node, text: str, line_of: Callable[[int], int],
                    catalogue: Catalogue, options: Options, typed: bool,
                    newline: str) -> HttpEdits:
    """Edits (offsets in `text`) for one chunk's requests to Amplitude's HTTP APIs."""
    planner = _Planner(program, text, line_of, catalogue, options, typed, newline)
    planner.plan()
    return planner.out


def _walk(node: Any, parent: Node | None = None) -> Iterator[tuple[Node, Node | None]]:
    stack: list[tuple[Any, Node | None]] = [(node, parent)]
    while stack:
        current, above = stack.pop()
        if isinstance(current, list):
            stack.extend((item, above) for item in reversed(current))
        elif isinstance(current, dict) and "type" in current:
            yield current, above
            for key, value in reversed(list(current.items())):
                if key not in ("range", "loc") and isinstance(value, (dict, list)):
                    stack.append((value, current))


def _string(node: Node | None) -> str | None:
    if node is None:
        return None
    if node["type"] == "Literal" and isinstance(node.get("value"), str):
        return str(node["value"])
    if node["type"] == "TemplateLiteral" and not node["expressions"]:
        return str(node["quasis"][0]["value"]["cooked"])
    return None


def _key(prop: Node) -> str | None:
    if prop.get("type") != "Property" or prop.get("computed"):
        return _string(prop.get("key")) if prop.get("type") == "Property" else None
    key = prop["key"]
    return str(key["name"]) if key["type"] == "Identifier" else _string(key)


def _prop(obj: Node | None, name: str) -> Node | None:
    if obj is None or obj["type"] != "ObjectExpression":
        return None
    return next((p for p in obj["properties"] if _key(p) == name), None)


@dataclass
class _Fields:
    values: dict[str, Node] = field(default_factory=dict)
    complete: bool = True
    literal: Node | None = None
    assigns: dict[str, Node] = field(default_factory=dict)  # key -> statement


class _Planner:
    def __init__(self, program: Node, text: str, line_of: Callable[[int], int],
                 catalogue: Catalogue, options: Options, typed: bool, newline: str) -> None:
        self.program = program
        self.text = text
        self.line_of = line_of
        self.options = options
        self.typed = typed
        self.newline = newline
        self.rules = {rule.detector: rule for rule in catalogue.for_language("javascript")
                      if rule.detector and rule.detector.startswith("http-")}
        self.parents: dict[int, Node | None] = {}
        self.nodes: list[Node] = []
        for node, parent in _walk(program):
            self.parents[id(node)] = parent
            self.nodes.append(node)
        self.libs: dict[str, str] = {}
        self.constants: dict[str, Node] = {}
        self.out = HttpEdits()
        self.used: set[int] = set()
        self.needs_converter = False
        self.sites = 0
        self.token_text = options.js_token
        self.constant_urls: dict[tuple[int, int], str] = {}

    def src(self, node: Node) -> str:
        return self.text[node["range"][0]:node["range"][1]]

    def rule(self, detector: str) -> Rule:
        return self.rules[f"http-{detector}"]

    def plan(self) -> None:
        self._bindings()
        for node in self.nodes:
            if node["type"] == "CallExpression":
                TRANSFORMS.run("http_request", self, node)
        for node in self.nodes:
            value = _string(node) if node["type"] in ("Literal", "TemplateLiteral") else None
            if value and id(node) not in self.used and re.search(r"amplitude\.com/.", value) and (
                not self._sdk_option(node)
            ):
                endpoint = classify(value)
                if endpoint is not None:
                    self.manual(node, "unresolved" if endpoint.ingestion else "read-api",
                                f"an Amplitude endpoint ({value}) the tool could not follow to "
                                "a request it rewrites: " + advice(endpoint))
        if self.needs_converter and "amp2mpImportEvents" not in self.text:
            self._insert_converter()

    def _sdk_option(self, node: Node) -> bool:
        """A `serverUrl` option of an SDK's init: the SDK's endpoint, which its init rule maps."""
        parent = self.parents.get(id(node))
        return bool(parent and parent["type"] == "Property" and parent["value"] is node and (
            parent["key"].get("name") or parent["key"].get("value")) == "serverUrl")

    def _bindings(self) -> None:
        for statement in self.program["body"]:
            if statement["type"] == "ImportDeclaration":
                package = _PACKAGES.get(str(statement["source"].get("value")))
                for spec in statement["specifiers"]:
                    if package and spec["type"] in ("ImportDefaultSpecifier",
                                                    "ImportNamespaceSpecifier"):
                        self.libs[spec["local"]["name"]] = package
            declarations = statement.get("declarations") if statement["type"] == \
                "VariableDeclaration" else None
            for declarator in declarations or []:
                init = declarator.get("init")
                if declarator["id"]["type"] != "Identifier" or init is None:
                    continue
                name = declarator["id"]["name"]
                if init["type"] == "CallExpression" and init["callee"].get("name") == "require" \
                        and init["arguments"]:
                    package = _PACKAGES.get(str(_string(init["arguments"][0])))
                    if package:
                        self.libs[name] = package
                elif statement["kind"] == "const" and init["type"] in ("Literal",
                                                                       "TemplateLiteral"):
                    self.constants[name] = init
        if "fetch" not in self.libs and not any(
            n["type"] == "VariableDeclarator" and n["id"].get("name") == "fetch"
            for n in self.nodes
        ):
            self.libs["fetch"] = "fetch"

    def url(self, node: Node) -> str | None:
        if node["type"] == "Identifier" and node["name"] in self.constants:
            node = self.constants[node["name"]]
        if node["type"] == "TemplateLiteral" and node["expressions"]:
            parts = []
            for index, quasi in enumerate(node["quasis"]):
                parts.append(str(quasi["value"]["cooked"]))
                if index < len(node["expressions"]):
                    inner = node["expressions"][index]
                    value = self.url(inner)
                    parts.append("{}" if value is None else value)  # classified by the rest
            return "".join(parts)
        value = _string(node)
        if value is not None:
            self.used.add(id(node))
        return value

    # -- calls ----------------------------------------------------------------------------

    @TRANSFORMS.register("http_request")
    def _visit_call(self, call: Node) -> None:
        """HJ01-HJ06: a request to an Amplitude endpoint, rewritten or reported."""
        callee = call["callee"]
        args = call["arguments"]
        lib = method = None
        if callee["type"] == "Identifier" and self.libs.get(callee["name"]) in ("fetch", "rp",
                                                                                 "got"):
            lib, method = self.libs[callee["name"]], "call"
        elif callee["type"] == "MemberExpression" and not callee.get("computed"):
            base, prop = callee["object"], callee["property"].get("name")
            if base["type"] == "Identifier" and base["name"] in self.libs:
                lib, method = self.libs[base["name"]], prop
            elif base["type"] == "Identifier" and base["name"] == "navigator" \
                    and prop == "sendBeacon":
                lib, method = "beacon", "sendBeacon"
        if lib is None or not args:
            return
        options = args[0] if lib == "rp" and args[0]["type"] == "ObjectExpression" else None
        url_node = options and (_prop(options, "uri") or _prop(options, "url"))
        url_node = url_node["value"] if url_node else args[0]
        text = self.url(url_node)
        endpoint = classify(text) if text else None
        if endpoint is None:
            return
        if endpoint.kind in ("read", "other"):
            self.manual(call, "read-api", f"an Amplitude API without a Mixpanel counterpart in "
                        f"this tool ({endpoint.url}): rewrite this request by hand")
            return
        if lib == "beacon":
            self.manual(call, "unresolved", "navigator.sendBeacon cannot send the "
                        "authorization header Mixpanel's /import needs: track these events "
                        "with mixpanel-browser, or send them from a server")
            return
        if endpoint.kind != "events":
            if not self._identify(call, lib, method, options, url_node, endpoint):
                self.manual(call, "unresolved", f"a request to Amplitude's {endpoint.kind} API "
                            "whose form body the tool cannot read: " + advice(endpoint))
            return
        body, holder, wrap = self._body(call, lib, method, options)
        if body is None or holder is None:
            self.manual(call, "unresolved", "a request to Amplitude whose JSON body the tool "
                        "cannot find: " + advice(endpoint))
            return
        self._events(call, lib, endpoint, url_node, body, holder, wrap)

    def _body(self, call: Node, lib: str, method: str | None, options: Node | None
              ) -> tuple[Node | None, Node | None, str]:
        """(payload node, the options object that carries headers, wrapper text)."""
        args = call["arguments"]
        if lib == "fetch" and method == "call" and len(args) > 1 \
                and args[1]["type"] == "ObjectExpression":
            body = _prop(args[1], "body")
            value = body["value"] if body else None
            if value and value["type"] == "CallExpression" and len(value["arguments"]) == 1 \
                    and self.src(value["callee"]) == "JSON.stringify":
                return value["arguments"][0], args[1], "json"
        if lib == "axios" and method == "post" and len(args) in (2, 3):
            holder = args[2] if len(args) == 3 else call
            if holder is call or holder["type"] == "ObjectExpression":
                return args[1], holder, "axios"
        if lib == "got" and method == "post" and len(args) == 2 \
                and args[1]["type"] == "ObjectExpression":
            body = _prop(args[1], "json")
            return (body["value"] if body else None), args[1], "plain"
        if lib == "rp" and method in ("post", "call") and options is not None:
            body = _prop(options, "body")
            json_flag = _prop(options, "json")
            if body and json_flag and self.src(json_flag["value"]) == "true":
                if method == "call" and _string((_prop(options, "method") or {}).get("value")) \
                        not in ("POST", "post"):
                    return None, None, ""
                return body["value"], options, "plain"
        return None, None, ""

    def fields(self, node: Node, use: Node) -> _Fields:
        if node["type"] == "ObjectExpression":
            return self._object(node)
        if node["type"] != "Identifier":
            return _Fields(complete=False)
        name = node["name"]
        scope = self._function(use)
        declarators: list[Node] = []
        assigns: list[tuple[str, Node, Node]] = []
        allowed = {id(n) for n, _ in _walk(use) if n["type"] == "Identifier"}
        for inner, parent in _walk(scope):
            if inner["type"] == "VariableDeclarator" and inner["id"].get("name") == name:
                declarators.append(inner)
                allowed.add(id(inner["id"]))
            elif inner["type"] == "AssignmentExpression" and inner["operator"] == "=" \
                    and inner["left"]["type"] == "MemberExpression" \
                    and inner["left"]["object"].get("name") == name \
                    and parent is not None and parent["type"] == "ExpressionStatement":
                left = inner["left"]
                key = _string(left["property"]) if left.get("computed") else \
                    left["property"].get("name")
                if key is not None:
                    assigns.append((key, inner["right"], parent))
                    allowed.add(id(left["object"]))
        for inner, _ in _walk(scope):
            if inner["type"] == "Identifier" and inner["name"] == name and id(inner) not in allowed:
                return _Fields(complete=False)
        if len(declarators) != 1 or (declarators[0].get("init") or {}).get("type") != \
                "ObjectExpression":
            return _Fields(complete=False)
        fields = self._object(declarators[0]["init"])
        for key, value, statement in assigns:
            if statement["range"][0] > use["range"][0]:
                return _Fields(complete=False)
            fields.values[key] = value
            fields.assigns[key] = statement
        return fields

    def _object(self, node: Node) -> _Fields:
        fields = _Fields(literal=node)
        for prop in node["properties"]:
            key = _key(prop)
            if key is None or (prop.get("shorthand") and key != "events"):
                fields.complete = fields.complete and key is not None
                if key is None:
                    continue
            fields.values[key] = prop["value"]
        return fields

    def _function(self, node: Node) -> Node:
        current: Node | None = node
        while current is not None:
            if current["type"] in ("FunctionDeclaration", "FunctionExpression",
                                   "ArrowFunctionExpression"):
                return current
            current = self.parents.get(id(current))
        return self.program

    def _statement(self, node: Node) -> Node:
        current = node
        while True:
            parent = self.parents.get(id(current))
            if parent is None or parent["type"] in ("Program", "BlockStatement"):
                return current
            current = parent

    def _events(self, call: Node, lib: str, endpoint: Endpoint, url_node: Node, body: Node,
                holder: Node, wrap: str) -> None:
        fields = self.fields(body, call)
        profiles = True
        events = fields.values.get("events") if fields.complete else None
        if events is not None and events["type"] == "ArrayExpression":
            profiles = False
            for element in events["elements"]:
                event = self.fields(element, call) if element else _Fields(complete=False)
                name = _string(event.values.get("event_type"))
                if name == "$groupidentify":
                    self.manual(call, "unresolved", "a $groupidentify event in an event batch: "
                                "send it to Mixpanel's /groups as group profile updates")
                    return
                if not event.complete or "user_properties" in event.values or name == "$identify":
                    profiles = True
        token = self.token(fields)
        eu = endpoint.eu or self.options.eu
        edits: list[Edit] = []
        payload = self.src(body)
        literal = fields.literal
        if literal is not None and "api_key" in fields.values:
            prop = _prop(literal, "api_key")
            if prop is not None:
                removal = self._remove_property(literal, prop)
                if literal is body:
                    start, end = body["range"]
                    payload = self.text[start:removal.start] + removal.replacement + \
                        self.text[removal.end:end]
                else:
                    edits.append(removal)
        if "api_key" in fields.assigns:
            statement = fields.assigns["api_key"]
            start = self.text.rfind("\n", 0, statement["range"][0]) + 1
            end = statement["range"][1]
            end = end + 1 if self.text[end:end + 1] == "\n" else end
            if self.text[start:statement["range"][0]].strip() == "":
                edits.append(Edit(start, end, ""))
        if profiles:
            if body["type"] != "Identifier":
                self.manual(call, "unresolved", "events that may carry user_properties, built "
                            "inline: name the body in a const so the tool can also send its "
                            "profile updates to /engage, or " + advice(endpoint))
                return
            edits.append(self._engage(call, lib, payload, token, eu))
        url = self._url_edits(url_node, mixpanel_url("events", eu))
        if url is None:
            self.manual(call, "unresolved", "a URL constant that other requests read for "
                        "another Amplitude API: give this request its own Mixpanel URL")
            return
        edits.extend(url)
        start, end = body["range"]
        converted = f"amp2mpImportEvents({payload})"
        parent = self.parents.get(id(body))
        if parent is not None and parent["type"] == "Property" and parent.get("shorthand"):
            start, end = parent["range"]  # `{ body }` becomes `{ body: amp2mp...(body) }`
            converted = f"{self.src(body)}: {converted}"
        edits.append(Edit(start, end, converted))
        auth = f"amp2mpBasicAuth({token})"
        header = self._header(holder, call, auth)
        if header is None:
            self.manual(call, "unresolved", "a request whose headers the tool cannot extend: "
                        + advice(endpoint))
            return
        edits.append(header)
        if not self._claim(edits):
            self.manual(call, "unresolved", "a request whose body or URL another rewritten "
                        "request also uses: " + advice(endpoint))
            return
        rule = self.rule("events")
        self.out.changes.append(Change(self.line_of(call["range"][0]), rule.id, rule.amplitude,
                                       rule.mixpanel))
        caveats = ["ID006", "ID010", "ID014", "ID015", "ID024"] + (["ID008"] if profiles else []) \
            + (["ID022"] if eu else [])
        for caveat in sorted(caveats):
            self.finding(call, rule, caveat, CAVEAT_NOTES[caveat])
        if events is not None and events["type"] == "ArrayExpression":
            for element in events["elements"]:
                event = self.fields(element, call) if element else _Fields(complete=False)
                props = event.values.get("event_properties")
                if props is None or props["type"] != "ObjectExpression":
                    continue
                for key in self._object(props).values:
                    if key in _WRITTEN:
                        self.finding(props, rule, None, f"event property {key!r} collides with "
                                     f"a Mixpanel property: sent as 'amp_{key}'")
        self.needs_converter = True
        self._responses(call)

    def _responses(self, call: Node) -> None:
        """Report code after the request that reads Amplitude's answer: a status compared
        with a number, or a field of Amplitude's response body."""
        parent = self.parents.get(id(call))
        if parent is not None and parent["type"] == "AwaitExpression":
            parent = self.parents.get(id(parent))
        if parent is None or parent["type"] != "VariableDeclarator" \
                or parent["id"]["type"] != "Identifier":
            return
        name = parent["id"]["name"]
        after = call["range"][1]
        for node, _ in _walk(self._function(call)):
            if node["range"][0] < after:
                continue
            reads = False
            if node["type"] == "BinaryExpression" and node["operator"] in (
                    "===", "==", "!==", "!=", "<", "<=", ">", ">="):
                sides = (node["left"], node["right"])
                reads = any(s["type"] == "MemberExpression" and s["object"].get("name") == name
                            and s["property"].get("name") in ("status", "statusCode")
                            for s in sides) and any(
                    s["type"] == "Literal" and isinstance(s.get("value"), (int, float))
                    for s in sides)
            elif node["type"] == "MemberExpression" and not node.get("computed") \
                    and node["property"].get("name") in RESPONSE_FIELDS:
                reads = any(n["type"] == "Identifier" and n["name"] == name
                            for n, _ in _walk(node["object"]))
            if reads:
                self.finding(node, self.rule("responses"), "ID023", RESPONSE_NOTE)

    def _claim(self, edits: list[Edit]) -> bool:
        """Plan a site's edits unless one overlaps an edit another site planned (an edit
        both need, such as a shared constant's, is planned once)."""
        new = [e for e in edits if e not in self.out.edits]
        for edit in new:
            for other in self.out.edits:
                overlaps = edit.start < other.end and other.start < edit.end
                if overlaps or edit.start == edit.end == other.start == other.end:
                    return False
        self.out.edits.extend(new)
        return True

    def _url_edits(self, node: Node, target: str) -> list[Edit] | None:
        """The URL's edit: a `const` holding one string is rewritten where it is declared,
        once for every request that reads it; None when two of them need other endpoints."""
        if node["type"] == "Identifier" and node["name"] in self.constants:
            constant = self.constants[node["name"]]
            if constant["type"] == "Literal" or not constant["expressions"]:
                start, end = constant["range"]
                planned = self.constant_urls.setdefault((start, end), target)
                if planned != target:
                    return None
                edit = Edit(start + 1, end - 1, target)
                return [] if edit in self.out.edits else [edit]
        start, end = node["range"]
        return [Edit(start, end, f'"{target}"')]

    def _remove_property(self, obj: Node, prop: Node) -> Edit:
        props = obj["properties"]
        index = props.index(prop)
        start, end = prop["range"]
        if index + 1 < len(props):
            return Edit(start, props[index + 1]["range"][0], "")
        if index > 0:
            return Edit(props[index - 1]["range"][1], end, "")
        return Edit(start, end, "")

    def _header(self, holder: Node, call: Node, auth: str, name: str = "Authorization"
                ) -> Edit | None:
        """An edit that adds a header `name: auth` to a request's options; a header of that
        name already there is replaced only when it is the content type."""
        key = name if name.isidentifier() else f'"{name}"'
        if holder is call:  # axios.post(url, data): a config argument of its own
            end = call["arguments"][-1]["range"][1]
            return Edit(end, end, f", {{ headers: {{ {key}: {auth} }} }}")
        headers = _prop(holder, "headers")
        if headers is None:
            start = holder["range"][0] + 1
            return Edit(start, start, f" headers: {{ {key}: {auth} }},")
        value = headers["value"]
        if value["type"] != "ObjectExpression":
            start, end = value["range"]
            return Edit(start, end, f"{{ ...{self.src(value)}, {key}: {auth} }}")
        same = [p for p in value["properties"] if (_key(p) or "").lower() == name.lower()]
        if same:
            if name != "Content-Type":
                return None
            start, end = same[0]["value"]["range"]
            return Edit(start, end, auth)
        if not value["properties"]:
            return Edit(value["range"][0] + 1, value["range"][0] + 1, f" {key}: {auth} ")
        last = value["properties"][-1]["range"][1]
        return Edit(last, last, f", {key}: {auth}")

    def _identify(self, call: Node, lib: str, method: str | None, options: Node | None,
                  url_node: Node, endpoint: Endpoint) -> bool:
        """The Identify or Group Identify API's form body, sent as Mixpanel's JSON messages;
        False when the tool cannot read the form."""
        args = call["arguments"]
        target: Node | None = None  # the node the JSON body replaces
        form: Node | None = None
        style = ""
        if lib == "fetch" and method == "call" and len(args) > 1 \
                and args[1]["type"] == "ObjectExpression":
            body = _prop(args[1], "body")
            target, style = (body["value"] if body else None), "fetch"
        elif lib == "axios" and method == "post" and len(args) in (2, 3):
            target, style = args[1], "axios"
        elif lib in ("got", "rp") and method in ("post", "call"):
            holder = options if lib == "rp" else (args[1] if len(args) == 2 else None)
            prop = _prop(holder, "form")
            if prop is not None and (lib == "got" or _prop(holder, "json") is None):
                target, form, style = prop, prop["value"], lib
        if target is None:
            return False
        identification: str | None = None
        fields = _Fields(complete=False)
        if style in ("fetch", "axios"):
            if target["type"] == "NewExpression" and self.src(target["callee"]) == \
                    "URLSearchParams" and len(target["arguments"]) == 1:
                form = target["arguments"][0]
            elif target["type"] == "Identifier" and self._is_search_params(target, call):
                identification = f'{self.src(target)}.get("identification")'
        if form is not None and form["type"] == "ObjectExpression":
            fields = self._object(form)
            node = fields.values.get("identification")
            identification = self.src(node) if node is not None else None
        if identification is None:
            return False
        token = self.token(fields)
        eu = endpoint.eu or self.options.eu
        kind = endpoint.kind
        function = "amp2mpEngageUpdates" if kind == "identify" else "amp2mpGroupUpdates"
        converted = f"{function}({identification}, {token})"
        edits = self._url_edits(url_node, mixpanel_url(kind, eu))
        if edits is None:
            return False
        start, end = target["range"]
        if style == "fetch":
            header = self._header(args[1], call, '"application/json"', "Content-Type")
            if header is None:
                return False
            edits += [Edit(start, end, f"JSON.stringify({converted})"), header]
        elif style == "axios":
            edits.append(Edit(start, end, converted))
        elif style == "got":
            edits.append(Edit(start, end, f"json: {converted}"))
        else:
            edits.append(Edit(start, end, f"body: {converted}, json: true"))
        if not self._claim(edits):
            return False
        rule = self.rule("identify" if kind == "identify" else "group-identify")
        self.out.changes.append(Change(self.line_of(call["range"][0]), rule.id, rule.amplitude,
                                       rule.mixpanel))
        caveats = ["ID010", "ID012"] + (["ID007"] if kind == "identify" else ["ID011"]) \
            + (["ID022"] if eu else [])
        for caveat in sorted(caveats):
            self.finding(call, rule, caveat, CAVEAT_NOTES[caveat])
        self.needs_converter = True
        return True

    def _is_search_params(self, name: Node, call: Node) -> bool:
        """A name declared once in the call's function as `new URLSearchParams(...)`."""
        found = [n for n, _ in _walk(self._function(call)) if n["type"] == "VariableDeclarator"
                 and n["id"].get("name") == name["name"]]
        init = found[0].get("init") if len(found) == 1 else None
        return init is not None and init["type"] == "NewExpression" \
            and self.src(init["callee"]) == "URLSearchParams"

    def _engage(self, call: Node, lib: str, payload: str, token: str, eu: bool) -> Edit:
        self.sites += 1
        name = "amp2mpProfiles" + ("" if self.sites == 1 else str(self.sites))
        url = f'"{mixpanel_url("identify", eu)}"'
        callee = self.src(call["callee"])
        send = {
            "fetch": f'{callee}({url}, {{ method: "POST", headers: {{ "Content-Type": '
                     f'"application/json" }}, body: JSON.stringify({name}) }})',
            "axios": f"{callee}({url}, {name})",
            "got": f"{callee}({url}, {{ json: {name} }})",
            "rp": f"{callee}({{ method: \"POST\", uri: {url}, body: {name}, json: true }})",
        }[lib]
        parent = self.parents.get(id(call))
        if parent is not None and parent["type"] == "AwaitExpression":
            send = f"await {send}"
        statement = self._statement(call)
        start = statement["range"][0]
        line_start = self.text.rfind("\n", 0, start) + 1
        indent = self.text[line_start:start]
        if indent.strip():
            indent = ""
        nl = self.newline
        text = (f"const {name} = amp2mpProfileUpdates({payload}, {self.token_text});{nl}"
                f"{indent}if ({name}.length > 0) {{{nl}{indent}  {send};{nl}{indent}}}{nl}{indent}")
        return Edit(start, start, text)

    def token(self, fields: _Fields) -> str:
        key = fields.values.get("api_key")
        token = self.options.js_token
        if self.options.js_token_explicit:
            key = None
        if key is not None and key["type"] == "MemberExpression" and not key.get("computed"):
            prop = key["property"].get("name", "")
            if _AMPLITUDE.search(prop):
                token = f"{self.src(key['object'])}.{swap_name(prop) or 'MIXPANEL_TOKEN'}"
        self.token_text = token
        return token

    def _insert_converter(self) -> None:
        position = 0
        for statement in self.program["body"]:
            is_import = statement["type"] == "ImportDeclaration" or (
                statement["type"] == "VariableDeclaration" and any(
                    (d.get("init") or {}).get("type") == "CallExpression"
                    and d["init"]["callee"].get("name") == "require"
                    for d in statement["declarations"]))
            directive = statement["type"] == "ExpressionStatement" and "directive" in statement
            if is_import or directive:
                position = statement["range"][1]
            else:
                break
        block = converter_source(self.typed, self.options.revenue_event, self.newline)
        if position or self.text.startswith("#!"):  # after the imports, or a shebang line
            end = self.text.find("\n", position)
            position = len(self.text) if end < 0 else end + 1
            if end < 0:
                block = self.newline + block
        self.out.edits.append(Edit(position, position, block))

    # -- report ---------------------------------------------------------------------------

    def finding(self, node: Node, rule: Rule, caveat: str | None, message: str) -> None:
        severity: Severity = "manual" if rule.safety == "manual" else (
            "info" if rule.safety == "safe" else "review")
        self.out.findings.append(Finding(self.line_of(node["range"][0]), rule.id, caveat,
                                         severity, message))

    def manual(self, node: Node, detector: str, message: str) -> None:
        rule = self.rule(detector)
        self.out.findings.append(Finding(self.line_of(node["range"][0]), rule.id, None,
                                         "manual", message))
        if not self.options.todo_comments:
            return
        statement = self._statement(node)
        start = statement["range"][0]
        line_start = self.text.rfind("\n", 0, start) + 1
        indent = self.text[line_start:start]
        if indent.strip():
            return
        previous = self.text[:line_start].rstrip("\r\n").rsplit("\n", 1)[-1]
        if previous.strip().startswith(TODO_PREFIX.strip()):
            return
        if any(e.start == line_start and e.replacement.lstrip().startswith(TODO_PREFIX)
               for e in self.out.edits):
            return
        comment = TODO_PREFIX + " ".join(f"{rule.id} {message}".split())
        self.out.edits.append(Edit(line_start, line_start, f"{indent}{comment}{self.newline}"))
