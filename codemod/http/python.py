"""Requests to Amplitude's HTTP APIs in Python modules, rewritten for Mixpanel (spec §5).

Found: calls of `requests` (module functions and `Session`s), `httpx` (module functions,
`Client`, `AsyncClient`), `aiohttp.ClientSession` and `urllib.request` (`Request`,
`urlopen`), each resolved through the module's imports and the names bound to a client in
the same function (assignment, `with`, `async with`). The URL is a string, an f-string or a
`+` concatenation, directly or through module constants; or a settings attribute (or name)
spelled with `amplitude`, whose value lives in another module: then the payload's shape says
which API it is, and the region is the run's `eu` option.

Rewritten: the URL becomes Mixpanel's endpoint for the payload (`/import?strict=1`,
`/engage`, `/groups`, on the EU host for Amplitude's EU host); the `api_key` leaves the body,
and the project token authenticates instead (HTTP Basic for `/import`, `$token` in profile
messages); the body goes through the converter this package adds to the module once
(`convert.py`), which applies §5.2–§5.4 whatever the payload holds at run time. Where an
event may carry `user_properties`, the same client sends them to `/engage` first. Whatever
the tool cannot follow (the client, the body, a read API, an Amplitude status check) is
reported with what to change, and left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from ..catalogue import Catalogue, Rule
from ..engine import Migration
from ..options import Options
from ..python.migrate import dropped_tail
from ..python.transforms import TRANSFORMS
from ..results import Change, Finding, Severity
from ..tokens import swap_name
from .convert import BEGIN, converter_source
from .endpoints import (
    CAVEAT_NOTES,
    HOST_PATTERN,
    RESPONSE_FIELDS,
    RESPONSE_NOTE,
    Endpoint,
    Kind,
    advice,
    classify,
    mixpanel_url,
)

TODO_PREFIX = "# TODO(amp2mp): "
_AMPLITUDE_NAME = re.compile(r"amplitude", re.IGNORECASE)
_AMPLITUDE_IDENTIFIER = re.compile(r"\w*amplitude\w*", re.IGNORECASE)
_API_KEY = re.compile(r"api_?key", re.IGNORECASE)
_URLISH = re.compile(r"url|endpoint|host|api|uri", re.IGNORECASE)


def _swapped(name: str) -> str:
    """The Mixpanel token's name for the Amplitude key's (`codemod/tokens.py`)."""
    return swap_name(name) or "MIXPANEL_TOKEN"
_CLIENTS = {
    "requests.Session": "requests", "requests.session": "requests", "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx", "aiohttp.ClientSession": "aiohttp",
}
_FUNCTIONS = {"requests", "httpx"}  # libraries whose module-level `post` sends a request
_METHODS = {"post", "get", "put", "patch", "delete", "request"}
_STATUS_ATTRIBUTES = {"status_code", "status", "code"}
_WRITTEN = {
    "time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id", "session_id",
    "$app_version_string", "$os", "$os_version", "$brand", "$manufacturer", "$model",
    "$carrier", "$region", "$city", "$latitude", "$longitude", "product_id", "revenue_type",
    "platform", "country", "dma", "language", "idfa", "idfv", "adid", "android_id",
    "android_app_set_id", "event_id", "user_agent", "price", "quantity", "revenue", "currency",
}


def may_call_amplitude_http(text: str) -> bool:
    """Cheap test, exact for what the planner accepts: the text names an Amplitude host, or
    an HTTP client library beside a setting spelled like an Amplitude URL. Most modules that
    use the SDK also import `requests` or `httpx` for other work; parsing each of them with
    libcst metadata for the planner cost more than their SDK migration."""
    if HOST_PATTERN.search(text):
        return True
    lowered = text.lower()
    return any(lib in lowered for lib in ("requests", "httpx", "aiohttp", "urllib")) and any(
        amplitude_url_name(match.group(0)) for match in _AMPLITUDE_IDENTIFIER.finditer(text))


def amplitude_url_name(name: str) -> bool:
    """A name spelled like an Amplitude URL setting (`AMPLITUDE_URL`, `amplitude_endpoint`):
    its value is unknown here, so a request to it is taken for one to Amplitude. An API key
    (`AMPLITUDE_API_KEY`) says `api` and is not one."""
    return bool(_AMPLITUDE_NAME.search(name) and _URLISH.search(_API_KEY.sub("", name)))


@dataclass
class HttpResult:
    code: str
    changes: list[Change]
    findings: list[Finding]


def migrate_http(text: str, catalogue: Catalogue, options: Options) -> HttpResult:
    """Rewrite one module's requests to Amplitude's HTTP APIs; lines are the text's own."""
    module = cst.parse_module(text)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    planner = _Planner(wrapper, catalogue, options)
    planner.plan()
    disabled = options.disabled_rules
    held = sorted({(c.line, c.rule) for c in planner.changes if c.rule in disabled})
    if held:  # as for the SDK rules: a disabled rewrite leaves the requests as they are
        return HttpResult(text, [], [
            Finding(line, rule, None, "review", f"not rewritten: rule {rule} is disabled, so "
                    "this file's requests to Amplitude's HTTP APIs are left as they are")
            for line, rule in held])
    planner.findings = [f for f in planner.findings if f.rule not in disabled]
    if not planner.changes and not planner.todos and not planner.findings:
        return HttpResult(text, [], [])
    code = text
    if planner.has_edits():  # libcst drops a lone CR that ends the file: put it back
        code = module.visit(_Rewriter(planner)).code + dropped_tail(module, text)
    return HttpResult(code, planner.changes, planner.findings)


@dataclass
class _Body:
    """A request body: the expression holding the Amplitude payload and how it is sent."""

    arg: cst.Arg  # the call argument that carries it
    payload: cst.BaseExpression  # the Amplitude dict (or what evaluates to it)
    form: bool  # form-encoded (`data=` dict), else JSON
    wrap: str  # "{}" or e.g. "json.dumps({})" around the payload in the argument


@dataclass
class _Fields:
    """What is statically known of a dict: its keys and their value nodes."""

    values: dict[str, cst.BaseExpression] = field(default_factory=dict)
    complete: bool = True  # no `**spread`, no key that is not a string literal
    literal: cst.Dict | None = None
    assigns: dict[str, cst.SimpleStatementLine] = field(default_factory=dict)


class _Planner:
    def __init__(self, wrapper: MetadataWrapper, catalogue: Catalogue, options: Options) -> None:
        self.module = wrapper.module
        self.positions = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.options = options
        self.rules = {rule.detector: rule for rule in catalogue.for_language("python")
                      if rule.detector and rule.detector.startswith("http-")}
        self.names: dict[str, str] = {}  # local name -> qualified name
        self.constants: dict[str, cst.BaseExpression] = {}
        self.changes: list[Change] = []
        self.findings: list[Finding] = []
        self.todos: dict[int, list[str]] = {}  # id(statement) -> TODO texts
        self.calls: dict[int, cst.BaseExpression] = {}  # id(call) -> new call
        self.dicts: dict[int, cst.Dict] = {}  # id(dict) -> new dict
        self.strings: dict[int, str] = {}  # id(string) -> new string literal
        self.removed: set[int] = set()  # ids of statements to delete
        self.before: dict[int, list[str]] = {}  # id(statement) -> statements to insert above
        self.used_strings: set[int] = set()
        self.needs_converter = False
        self.needs_os = False

    # -- analysis -------------------------------------------------------------------------

    def has_edits(self) -> bool:
        return bool(self.calls or self.dicts or self.strings or self.removed or self.before
                    or self.todos)

    def rule(self, detector: str) -> Rule:
        return self.rules[f"http-{detector}"]

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def plan(self) -> None:
        self._bindings()
        for node in _walk(self.module):
            if isinstance(node, cst.Call):
                TRANSFORMS.run("http_request", self, node)
        self._report_loose_urls()
        if self.needs_converter and BEGIN not in self.module.code:
            self.converter = converter_source(self.options.revenue_event)
        else:
            self.needs_converter = False

    def _bindings(self) -> None:
        assigned: dict[str, int] = {}
        for statement in self.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign):
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                name = target.target.value
                                assigned[name] = assigned.get(name, 0) + 1
                                self.constants[name] = small.value
        for name, count in assigned.items():
            if count > 1:
                del self.constants[name]
        for node in _walk(self.module):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    full = _dotted(alias.name)
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        self.names[alias.asname.name.value] = full
                    else:
                        top = full.split(".")[0]
                        self.names[top] = top
            elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
                base = _dotted(node.module)
                if isinstance(node.names, cst.ImportStar):
                    continue
                for alias in node.names:
                    local = alias.asname.name if alias.asname is not None else alias.name
                    if isinstance(local, cst.Name):
                        self.names[local.value] = f"{base}.{_dotted(alias.name)}"

    def qualified(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name):
            return self.names.get(node.value)
        if isinstance(node, cst.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def _client(self, node: cst.BaseExpression, scope: cst.CSTNode) -> str | None:
        """The library of a client object: a name bound in the call's function (or module)
        to `requests.Session()`, `httpx.Client()`, `httpx.AsyncClient()` or
        `aiohttp.ClientSession()`, by assignment, `with` or `async with`."""
        if isinstance(node, cst.Call):
            return _CLIENTS.get(self.qualified(node.func) or "")
        if not isinstance(node, cst.Name):
            return None
        found: set[str | None] = set()
        for inner in _walk(scope):
            value: cst.BaseExpression | None = None
            if isinstance(inner, cst.Assign):
                if any(isinstance(t.target, cst.Name) and t.target.value == node.value
                       for t in inner.targets):
                    value = inner.value
            elif isinstance(inner, cst.WithItem) and inner.asname is not None:
                if isinstance(inner.asname.name, cst.Name) and inner.asname.name.value == node.value:
                    value = inner.item
            elif isinstance(inner, cst.Param) and inner.name.value == node.value:
                found.add(None)
            if value is not None:
                found.add(_CLIENTS.get(self.qualified(value.func) or "")
                          if isinstance(value, cst.Call) else None)
        if len(found) == 1:
            return found.pop()
        return None

    def function_of(self, node: cst.CSTNode) -> cst.CSTNode:
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, cst.FunctionDef):
                return current
            current = self.parents.get(current)
        return self.module

    def statement_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The statement in a block (module or indented) that holds a node."""
        current: cst.CSTNode = node
        while True:
            parent = self.parents.get(current)
            if parent is None or isinstance(parent, (cst.Module, cst.IndentedBlock)):
                return current
            current = parent

    # -- URLs -----------------------------------------------------------------------------

    def url_text(self, node: cst.BaseExpression, depth: int = 0) -> str | None:
        """A URL expression's text, through module constants; `{amplitude_setting}` stands
        for a settings attribute or name spelled with `amplitude` (value unknown here)."""
        if depth > 8:
            return None
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if isinstance(value, str):
                self.used_strings.add(id(node))
                return value
            return None
        if isinstance(node, cst.ConcatenatedString):
            left = self.url_text(node.left, depth + 1)
            right = self.url_text(node.right, depth + 1)
            return None if left is None or right is None else left + right
        if isinstance(node, cst.FormattedString):
            parts: list[str] = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    parts.append(part.value)
                elif isinstance(part, cst.FormattedStringExpression) and part.format_spec is None:
                    inner = self.url_text(part.expression, depth + 1)
                    if inner is None:
                        return None
                    parts.append(inner)
                else:
                    return None
            return "".join(parts)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self.url_text(node.left, depth + 1)
            right = self.url_text(node.right, depth + 1)
            return None if left is None or right is None else left + right
        if isinstance(node, cst.Name):
            if node.value in self.constants and node.value not in self.names:
                return self.url_text(self.constants[node.value], depth + 1)
            if amplitude_url_name(node.value):
                return "{amplitude_setting}"
            return None
        if isinstance(node, cst.Attribute) and amplitude_url_name(node.attr.value):
            return "{amplitude_setting}"
        return None

    def endpoint(self, url: cst.BaseExpression) -> Endpoint | None:
        text = self.url_text(url)
        if text is None:
            return None
        if text.startswith("{amplitude_setting}"):
            path = text[len("{amplitude_setting}"):].split("?")[0].rstrip("/")
            kinds: dict[str, Kind] = {"": "other", "/2/httpapi": "events", "/batch": "events",
                                      "/identify": "identify", "/groupidentify": "groupidentify"}
            kind = kinds.get(path)
            if kind is None:
                return None
            # "other": the payload decides; the region is the run's choice
            return Endpoint(text, kind, self.options.eu)
        return classify(text)

    # -- calls ----------------------------------------------------------------------------

    @TRANSFORMS.register("http_request")
    def _visit_call(self, call: cst.Call) -> None:
        """HP01-HP06: a request to an Amplitude endpoint, rewritten or reported."""
        lib, method = self._request(call)
        if lib is None:
            func = call.func
            if isinstance(func, cst.Attribute) and func.attr.value in _METHODS \
                    and _url_index(call) is not None:
                endpoint = self.endpoint(call.args[_url_index(call) or 0].value)
                if endpoint is not None and not endpoint.url.startswith("{"):
                    self.manual(call, "unresolved", f"a request to Amplitude ({endpoint.url}) "
                                "through a client the tool cannot follow: " + advice(endpoint))
            return
        url = _url_arg(call, lib, method)
        if url is None:
            return
        endpoint = self.endpoint(url)
        if endpoint is None:
            return
        statement = self.statement_of(call)
        if endpoint.kind == "read":
            self.manual(call, "read-api", "a read (dashboard or export) API of Amplitude: "
                        "Mixpanel's query APIs differ; rewrite this request by hand")
            return
        if lib == "urllib" and method == "urlopen":
            self.manual(call, "unresolved", "urlopen() with an Amplitude URL: build a "
                        "urllib.request.Request with the Mixpanel endpoint, body and auth")
            return
        if method != "post" and method != "Request":
            if endpoint.kind == "other" and not endpoint.url.startswith("{"):
                self.manual(call, "read-api", f"an Amplitude API the tool does not map "
                            f"({endpoint.url}): no Mixpanel counterpart; rewrite by hand")
            else:
                self.manual(call, "unresolved", f"a {method.upper()} request to Amplitude: "
                            "only POST requests are rewritten")
            return
        if endpoint.kind == "other" and not endpoint.url.startswith("{"):
            self.manual(call, "read-api", f"an Amplitude API the tool does not map "
                        f"({endpoint.url}): no Mixpanel counterpart; rewrite by hand")
            return
        body = self._body(call, lib)
        if body is None:
            self.manual(call, "unresolved", "a request to Amplitude's HTTP API whose body the "
                        "tool cannot find: " + advice(endpoint))
            return
        scope = self.function_of(call)
        fields = self.fields(body.payload, scope, body.arg, call)
        kind: Kind = endpoint.kind
        if kind == "other":
            kind = _kind_from_fields(fields)
            if kind == "other":
                self.manual(call, "unresolved", "a request to a URL from settings the tool "
                            "cannot read, with a body whose API it cannot tell")
                return
        if kind == "events":
            self._events(call, statement, lib, endpoint, body, fields, scope, kind)
        else:
            self._identify(call, lib, endpoint, body, fields, kind)

    def _request(self, call: cst.Call) -> tuple[str | None, str]:
        func = call.func
        qualified = self.qualified(func) or ""
        if qualified in ("urllib.request.Request", "urllib.request.urlopen"):
            return "urllib", qualified.rsplit(".", 1)[1]
        if not isinstance(func, cst.Attribute) or func.attr.value not in _METHODS:
            return None, ""
        method = func.attr.value
        base = self.qualified(func.value)
        if base in _FUNCTIONS:
            return base, method
        lib = self._client(func.value, self.function_of(call))
        return lib, method

    def _body(self, call: cst.Call, lib: str) -> _Body | None:
        if lib == "urllib":
            arg = _keyword(call, "data") or (call.args[1] if len(call.args) > 1
                                             and call.args[1].keyword is None else None)
        else:
            arg = _keyword(call, "json") or _keyword(call, "data") or _keyword(call, "content")
        if arg is None:
            return None
        keyword = arg.keyword.value if arg.keyword is not None else "data"
        value = arg.value
        wrap = "{}"
        # `.encode(...)` of a text body (urllib)
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                and value.func.attr.value == "encode" and not value.args:
            value = value.func.value
            wrap = "{}.encode()"
        if isinstance(value, cst.Call) and len(value.args) == 1 and value.args[0].keyword is None:
            name = self.qualified(value.func)
            if name == "json.dumps":
                return _Body(arg, value.args[0].value, False, wrap.replace("{}", "json.dumps({})"))
            if name == "urllib.parse.urlencode":
                return _Body(arg, value.args[0].value, True, wrap.replace("{}", "urlencode"))
        if wrap != "{}":
            return None
        if keyword == "json":
            return _Body(arg, value, False, "{}")
        if keyword == "data" and lib != "urllib":
            return _Body(arg, value, True, "{}")
        return None

    def fields(self, node: cst.BaseExpression, scope: cst.CSTNode, use: cst.CSTNode,
               call: cst.CSTNode) -> _Fields:
        """The keys of a dict literal, or of a name assigned one once in the function and
        then set key by key (`payload["events"] = [...]`) in the same block before the
        request. A name read anywhere else in the function may be changed there: unknown."""
        if isinstance(node, cst.Dict):
            return self._dict_fields(node)
        if not isinstance(node, cst.Name):
            return _Fields(complete=False)
        name = node.value
        assignments: list[tuple[cst.Assign, cst.SimpleStatementLine]] = []
        subscripts: list[tuple[str, cst.BaseExpression, cst.SimpleStatementLine]] = []
        allowed = {id(inner) for inner in _walk(use) if isinstance(inner, cst.Name)}
        for inner in _walk(scope):
            if not isinstance(inner, cst.Assign) or len(inner.targets) != 1:
                continue
            line = self.parents.get(inner)
            target = inner.targets[0].target
            if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                continue
            if isinstance(target, cst.Name) and target.value == name:
                assignments.append((inner, line))
                allowed.add(id(target))
            elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) \
                    and target.value.value == name:
                key = _subscript_key(target)
                if key is not None:
                    subscripts.append((key, inner.value, line))
                    allowed.add(id(target.value))
        if any(isinstance(inner, cst.Name) and inner.value == name and id(inner) not in allowed
               for inner in _walk(scope)):
            return _Fields(complete=False)
        if len(assignments) != 1 or not isinstance(assignments[0][0].value, cst.Dict):
            return _Fields(complete=False)
        assign, line = assignments[0]
        block = self.parents.get(line)
        if self.line(line) > self.line(call) or not isinstance(block, (cst.Module,
                                                                        cst.IndentedBlock)):
            return _Fields(complete=False)
        assert isinstance(assign.value, cst.Dict)
        fields = self._dict_fields(assign.value)
        for key, value, where in subscripts:
            if self.parents.get(where) is not block or self.line(where) > self.line(call):
                return _Fields(complete=False)
            fields.values[key] = value
            fields.assigns[key] = where
        return fields

    def _dict_fields(self, node: cst.Dict) -> _Fields:
        fields = _Fields(literal=node)
        for element in node.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                key = element.key.evaluated_value
                if isinstance(key, str):
                    fields.values[key] = element.value
                    continue
            fields.complete = False
        return fields

    # -- rewrites -------------------------------------------------------------------------

    def _events(self, call: cst.Call, statement: cst.CSTNode, lib: str, endpoint: Endpoint,
                body: _Body, fields: _Fields, scope: cst.CSTNode, kind: Kind) -> None:
        if body.form:
            self.manual(call, "unresolved", "events sent form-encoded to Amplitude: "
                        + advice(endpoint))
            return
        events = self._event_list(fields, scope, call)
        profiles = True  # whether events may carry user properties (or be $identify)
        notes: list[tuple[cst.CSTNode, str, str | None]] = []
        if events is not None:
            profiles = False
            for event in events:
                if not event.complete:
                    profiles = True
                    continue
                name = event.values.get("event_type")
                value = name.evaluated_value if isinstance(name, cst.SimpleString) else None
                if value == "$groupidentify":
                    self.manual(call, "unresolved", "a $groupidentify event in an event batch: "
                                "send it to Mixpanel's /groups as group profile updates")
                    return
                if "user_properties" in event.values or value == "$identify":
                    profiles = True
                if not ({"user_id", "device_id"} & event.values.keys()):
                    notes.append((call, "an event with neither user_id nor device_id: "
                                  "Mixpanel receives distinct_id \"\"", "ID006"))
                props = event.values.get("event_properties")
                if isinstance(props, cst.Dict):
                    for key in self._dict_fields(props).values:
                        if key in _WRITTEN:
                            notes.append((props, f"event property {key!r} collides with a "
                                          f"Mixpanel property: sent as 'amp_{key}'", None))
        token = self.token(fields)
        eu = endpoint.eu or self.options.eu
        payload = self._strip_api_key(body, fields)
        new_args: list[tuple[str, str]] = []
        auth = self._auth(call, lib, token)
        if auth is None:
            self.manual(call, "unresolved", "a request to Amplitude that already sets "
                        "authentication: the tool cannot add Mixpanel's")
            return
        if profiles:
            sent = self._engage_statement(call, lib, body, payload, token, eu)
            if sent is None:
                self.manual(call, "unresolved", "events whose user_properties need a second "
                            "request to Mixpanel's /engage, which the tool cannot add here: "
                            "send the events' user_properties to /engage as profile updates (spec §5.3)")
                return
            self.before.setdefault(id(statement), []).extend(sent)
            if not isinstance(body.payload, cst.Name):
                payload = "amp2mp_body"
        converted = body.wrap.replace("{}", f"amp2mp_import_events({payload})")
        new_args.append(("body", converted))
        url = self._url(call, mixpanel_url(kind, eu))
        if url is None:
            return
        new_args.extend(url)
        new_args.extend(auth)
        self._replace_call(call, lib, body, new_args)
        rule = self.rule("events")
        self.change(call, rule)
        caveats = ["ID006", "ID010", "ID014", "ID015", "ID024"]
        if profiles:
            caveats.append("ID008")
        if eu:
            caveats.append("ID022")
        for caveat in sorted(caveats):
            self.finding(call, rule, caveat, CAVEAT_NOTES[caveat])
        for node, message, noted in notes:
            self.finding(node, rule, noted, message)
        self.needs_converter = True
        self._responses(call, statement, rule)

    def _identify(self, call: cst.Call, lib: str, endpoint: Endpoint, body: _Body,
                  fields: _Fields, kind: Kind) -> None:
        detector = "identify" if kind == "identify" else "group-identify"
        identification = fields.values.get("identification")
        if identification is None:
            self.manual(call, "unresolved", f"a request to Amplitude's {kind} API whose "
                        "`identification` the tool cannot find")
            return
        token = self.token(fields)
        eu = endpoint.eu or self.options.eu
        function = "amp2mp_engage_updates" if kind == "identify" else "amp2mp_group_updates"
        source = self.module.code_for_node(identification)
        if fields.literal is not body.payload:  # a name: read its field where it is sent
            source = f'{self.module.code_for_node(body.payload)}["identification"]'
        converted = f"{function}({source}, {token})"
        url = self._url(call, mixpanel_url(kind, eu))
        if url is None:
            return
        new_args: list[tuple[str, str]] = list(url)
        if lib == "urllib":
            if "json" not in self.names or self.names["json"] != "json":
                self.manual(call, "unresolved", f"a form-encoded {kind} request sent with "
                            "urllib in a module without `import json`: send "
                            f"json.dumps({function}(identification, token)) to Mixpanel")
                return
            new_args.append(("body", f"json.dumps({converted}).encode()"))
            header = self._header(call, lib, "Content-Type", '"application/json"')
            if header is None:
                self.manual(call, "unresolved", "a request whose headers the tool cannot extend")
                return
            new_args.extend(header)
        else:
            new_args.append(("json", converted))
        if fields.literal is not body.payload and fields.literal is not None:
            self._strip_api_key(body, fields)
        self._replace_call(call, lib, body, new_args)
        rule = self.rule(detector)
        self.change(call, rule)
        caveats = ["ID010", "ID012"] + (["ID007"] if kind == "identify" else ["ID011"])
        if eu:
            caveats.append("ID022")
        for caveat in sorted(caveats):
            self.finding(call, rule, caveat, CAVEAT_NOTES[caveat])
        self.needs_converter = True
        self._responses(call, self.statement_of(call), rule)

    def _event_list(self, fields: _Fields, scope: cst.CSTNode, use: cst.CSTNode
                    ) -> list[_Fields] | None:
        events = fields.values.get("events")
        if not fields.complete or events is None:
            return None
        if not isinstance(events, cst.List):
            return None
        result: list[_Fields] = []
        for element in events.elements:
            if not isinstance(element, cst.Element):
                return None
            result.append(self.fields(element.value, scope, element, use))
        return result

    def token(self, fields: _Fields) -> str:
        """The project token, spelled like the Amplitude key it replaces where the project's
        convention is visible (`settings.AMPLITUDE_API_KEY` -> `settings.MIXPANEL_TOKEN`,
        `os.environ["AMPLITUDE_API_KEY"]` -> `os.environ["MIXPANEL_TOKEN"]`)."""
        key = fields.values.get("api_key")
        if self.options.token_explicit:
            key = None
        if isinstance(key, cst.Attribute) and _AMPLITUDE_NAME.search(key.attr.value):
            return f"{self.module.code_for_node(key.value)}.{_swapped(key.attr.value)}"
        if isinstance(key, cst.Subscript) and self.qualified(key.value) == "os.environ":
            name = _subscript_key(key)
            if name is not None and _AMPLITUDE_NAME.search(name):
                return f'{self.module.code_for_node(key.value)}["{_swapped(name)}"]'
        if isinstance(key, cst.Call) and self.qualified(key.func) in ("os.getenv",
                                                                       "os.environ.get"):
            first = key.args[0].value if key.args else None
            variable = first.evaluated_value if isinstance(first, cst.SimpleString) else None
            if isinstance(variable, str) and _AMPLITUDE_NAME.search(variable):
                return f'{self.module.code_for_node(key.func)}("{_swapped(variable)}")'
        if self.options.token.startswith("os.") and self.names.get("os") != "os":
            self.needs_os = True
        return self.options.token

    def _strip_api_key(self, body: _Body, fields: _Fields) -> str:
        """The payload's source without its `api_key` (the body's auth moves to the request)."""
        literal = fields.literal
        if "api_key" in fields.assigns:
            self.removed.add(id(fields.assigns["api_key"]))
        if literal is not None and "api_key" in fields.values:
            kept = [e for e in literal.elements
                    if not (isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
                            and e.key.evaluated_value == "api_key")]
            if len(kept) != len(literal.elements):
                if kept:
                    last = literal.elements[-1]
                    kept[-1] = kept[-1].with_changes(comma=last.comma)
                new = literal.with_changes(elements=kept)
                if literal is body.payload:
                    return self.module.code_for_node(new)
                self.dicts[id(literal)] = new
        return self.module.code_for_node(body.payload)

    def _url(self, call: cst.Call, target: str) -> list[tuple[str, str]] | None:
        """The new URL argument; or none, when the URL is a module constant holding one
        string: then that string is rewritten where it is defined (two requests that need
        different Mixpanel endpoints from one constant are left to a human)."""
        index = _url_index(call)
        assert index is not None
        node = call.args[index].value
        if isinstance(node, cst.Name) and node.value not in self.names:
            constant = self.constants.get(node.value)
            if isinstance(constant, cst.SimpleString):
                planned = self.strings.get(id(constant))
                new = f"{constant.prefix}{constant.quote}{target}{constant.quote}"
                if planned is not None and planned != new:
                    self.manual(call, "unresolved", f"the constant {node.value} also names "
                                "another Amplitude API: give this request its own Mixpanel URL "
                                f"({target})")
                    return None
                self.strings[id(constant)] = new
                return []
        return [("url", repr_url(target))]

    def _auth(self, call: cst.Call, lib: str, token: str) -> list[tuple[str, str]] | None:
        if lib in ("requests", "httpx"):
            if _keyword(call, "auth") is not None:
                return None
            return [("auth", f'({token}, "")')]
        return self._header(call, lib, "Authorization", f"amp2mp_basic_auth({token})")

    def _header(self, call: cst.Call, lib: str, name: str, value: str
                ) -> list[tuple[str, str]] | None:
        arg = _keyword(call, "headers")
        if arg is None and lib == "urllib" and len(call.args) > 2 and call.args[2].keyword is None:
            arg = call.args[2]
        if arg is None:
            return [("headers", f'{{"{name}": {value}}}')]
        if isinstance(arg.value, cst.Dict):
            current = self._dict_fields(arg.value)
            if any(k.lower() == name.lower() for k in current.values):
                if name == "Content-Type":
                    return []
                return None
            source = self.module.code_for_node(arg.value).rstrip()
            inner = source[1:-1].rstrip().rstrip(",")
            separator = ", " if inner.strip() else ""
            return [("headers", f'{{{inner}{separator}"{name}": {value}}}')]
        return [("headers", f'{{**{self.module.code_for_node(arg.value)}, "{name}": {value}}}')]

    def _engage_statement(self, call: cst.Call, lib: str, body: _Body, payload: str,
                          token: str, eu: bool) -> list[str] | None:
        """Statements that send an event batch's profile updates to /engage with the same
        client, placed above the request; None where the tool cannot place them."""
        hoist: list[str] = []
        if not isinstance(body.payload, cst.Name):
            hoist = [f"amp2mp_body = {payload}"]
            payload = "amp2mp_body"
        url = repr_url(mixpanel_url("identify", eu))
        if lib == "urllib":
            return None
        func = self.module.code_for_node(call.func)
        parent = self.parents.get(call)
        send = f"{func}({url}, json=amp2mp_profiles)"
        if isinstance(parent, cst.Await):
            send = f"await {send}"
        elif isinstance(parent, cst.WithItem):
            with_node = self.parents.get(parent)
            if not isinstance(with_node, cst.With):
                return None
            prefix = "async with" if with_node.asynchronous is not None else "with"
            send = f"{prefix} {send}:\n        pass"
        elif lib == "aiohttp":
            return None
        return [*hoist, f"amp2mp_profiles = amp2mp_profile_updates({payload}, {token})",
                f"if amp2mp_profiles:\n    {send}"]

    def _replace_call(self, call: cst.Call, lib: str, body: _Body,
                      new_args: list[tuple[str, str]]) -> None:
        config = self.module.config_for_parsing
        args = list(call.args)
        url_index = _url_index(call)
        added: list[cst.Arg] = []
        for kind, source in new_args:
            value = cst.parse_expression(source, config=config)
            if kind == "url":
                assert url_index is not None
                args[url_index] = args[url_index].with_changes(value=value)
            elif kind == "body":
                index = args.index(body.arg)
                args[index] = args[index].with_changes(value=value)
            elif kind == "json":
                index = args.index(body.arg)
                args[index] = args[index].with_changes(keyword=cst.Name("json"), value=value)
            else:
                existing = next((a for a in args if a.keyword is not None
                                 and a.keyword.value == kind), None)
                if existing is None and kind == "headers" and lib == "urllib" \
                        and len(args) > 2 and args[2].keyword is None:
                    existing = args[2]
                if existing is not None:
                    index = args.index(existing)
                    args[index] = existing.with_changes(value=value)
                else:
                    added.append(cst.Arg(value=value, keyword=cst.Name(kind),
                                         equal=cst.AssignEqual(
                                             whitespace_before=cst.SimpleWhitespace(""),
                                             whitespace_after=cst.SimpleWhitespace(""))))
        if added:
            last = args[-1]
            if isinstance(last.comma, cst.Comma):  # a trailing comma: one argument a line
                args.extend(arg.with_changes(comma=last.comma) for arg in added)
            else:
                space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                args[-1] = last.with_changes(comma=space)
                args.extend(arg.with_changes(comma=space) for arg in added[:-1])
                args.append(added[-1])
        self.calls[id(call)] = call.with_changes(args=args)

    def _responses(self, call: cst.Call, statement: cst.CSTNode, rule: Rule) -> None:
        """Report code that reads Amplitude's answer: its status codes or response fields."""
        names: set[str] = set()
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    names.update(t.target.value for t in small.targets
                                 if isinstance(t.target, cst.Name))
        parent = self.parents.get(call)
        if isinstance(parent, cst.Await):
            parent = self.parents.get(parent)
        if isinstance(parent, cst.WithItem) and parent.asname is not None \
                and isinstance(parent.asname.name, cst.Name):
            names.add(parent.asname.name.value)
        if not names:
            return
        scope = self.function_of(call)
        start = self.line(call)
        for node in _walk(scope):
            if node not in self.positions or self.line(node) < start:
                continue
            reads = False
            if isinstance(node, cst.Comparison):
                for side in (node.left, *(c.comparator for c in node.comparisons)):
                    if isinstance(side, cst.Attribute) and isinstance(side.value, cst.Name) \
                            and side.value.value in names and side.attr.value in _STATUS_ATTRIBUTES:
                        reads = True
            elif isinstance(node, cst.Subscript):
                key = _subscript_key(node)
                if key in RESPONSE_FIELDS and _mentions(node.value, names):
                    reads = True
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
                    and node.func.attr.value == "get" and node.args \
                    and isinstance(node.args[0].value, cst.SimpleString) \
                    and node.args[0].value.evaluated_value in RESPONSE_FIELDS \
                    and _mentions(node.func.value, names):
                reads = True
            if reads:
                self.finding(node, self.rule("responses"), "ID023", RESPONSE_NOTE)

    def _report_loose_urls(self) -> None:
        """Amplitude URLs the tool did not follow to a request it knows are reported; an SDK
        `Config(server_url=...)` is the SDK's endpoint, which its init rule maps (§3.9.3)."""
        options = {id(node.value) for node in _walk(self.module) if isinstance(node, cst.Arg)
                   and node.keyword is not None and node.keyword.value == "server_url"}
        for node in _walk(self.module):
            if isinstance(node, cst.SimpleString) and id(node) not in self.used_strings | options:
                value = node.evaluated_value
                if isinstance(value, str) and HOST_PATTERN.search(value) and classify(value):
                    endpoint = classify(value)
                    assert endpoint is not None
                    if not re.search(r"amplitude\.com/.", value):
                        continue  # a host alone: the requests that use it are what counts
                    if endpoint.kind == "read" or endpoint.kind == "other":
                        message = (f"an Amplitude API URL ({value}) with no Mixpanel "
                                   "counterpart in this tool: rewrite its requests by hand")
                        self.manual(node, "read-api", message)
                    else:
                        self.manual(node, "unresolved", f"an Amplitude endpoint ({value}) "
                                    "the tool could not follow to a request it rewrites: "
                                    + advice(endpoint))

    # -- report ---------------------------------------------------------------------------

    def change(self, node: cst.CSTNode, rule: Rule) -> None:
        self.changes.append(Change(self.line(node), rule.id, rule.amplitude, rule.mixpanel))

    def finding(self, node: cst.CSTNode, rule: Rule, caveat: str | None, message: str) -> None:
        severity: Severity = "manual" if rule.safety == "manual" else (
            "info" if rule.safety == "safe" else "review")
        self.findings.append(Finding(self.line(node), rule.id, caveat, severity, message))

    def manual(self, node: cst.CSTNode, detector: str, message: str) -> None:
        rule = self.rule(detector)
        if rule.id in self.options.disabled_rules:
            return
        line = self.line(node)
        self.findings.append(Finding(line, rule.id, None, "manual", message))
        if self.options.todo_comments:
            statement = self.statement_of(node)
            self.todos.setdefault(id(statement), []).append(f"{rule.id} {message}")


def _kind_from_fields(fields: _Fields) -> Kind:
    if "events" in fields.values:
        return "events"
    identification = fields.values.get("identification")
    if identification is None:
        return "other"
    text = cst.Module([]).code_for_node(identification)
    if "group_type" in text:
        return "groupidentify"
    if "user_id" in text or "device_id" in text:
        return "identify"
    return "other"


def repr_url(url: str) -> str:
    return f'"{url}"'


def _mentions(node: cst.BaseExpression, names: set[str]) -> bool:
    return any(isinstance(inner, cst.Name) and inner.value in names for inner in _walk(node))


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _url_index(call: cst.Call) -> int | None:
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == "url":
            return index
    if call.args and call.args[0].keyword is None and not call.args[0].star:
        return 0
    return None


def _url_arg(call: cst.Call, lib: str, method: str) -> cst.BaseExpression | None:
    if method == "request":
        return None
    index = _url_index(call)
    return None if index is None else call.args[index].value


def _subscript_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
        value = index.value.evaluated_value
        return value if isinstance(value, str) else None
    return None


class _Rewriter(cst.CSTTransformer):
    def __init__(self, planner: _Planner) -> None:
        super().__init__()
        self.p = planner

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        return self.p.calls.get(id(original), updated)

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString
                           ) -> cst.BaseExpression:
        new = self.p.strings.get(id(original))
        return updated if new is None else updated.with_changes(value=new)

    def leave_Dict(self, original: cst.Dict, updated: cst.Dict) -> cst.BaseExpression:
        return self.p.dicts.get(id(original), updated)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body = self._block(original.body, updated.body, original.header)
        if self.p.needs_converter or self.p.needs_os:
            body = self._add_converter(body)
        return updated.with_changes(body=body)

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock
                            ) -> cst.IndentedBlock:
        body = self._block(original.body, updated.body, ())
        if not body:
            body = [cst.SimpleStatementLine([cst.Pass()])]
        return updated.with_changes(body=body)

    def _block(self, originals: Sequence[cst.BaseStatement],
               updates: Sequence[cst.BaseStatement], header: Sequence[cst.EmptyLine]
               ) -> list[cst.BaseStatement]:
        config = self.p.module.config_for_parsing
        body: list[cst.BaseStatement] = []
        for original, updated in zip(originals, updates, strict=True):
            key = id(original)
            if key in self.p.removed:
                continue
            assert isinstance(updated, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
            lead = list(updated.leading_lines)
            todos = self.p.todos.get(key, [])
            above = [*header, *lead] if original is originals[0] else lead
            if todos and not any(line.comment is not None
                                 and line.comment.value.startswith(TODO_PREFIX)
                                 for line in above):
                lead.extend(cst.EmptyLine(comment=cst.Comment(TODO_PREFIX + " ".join(t.split())))
                            for t in todos)
            inserted = [cst.parse_statement(code + "\n", config=config)
                        for code in self.p.before.get(key, [])]
            if inserted:
                inserted[0] = inserted[0].with_changes(leading_lines=lead)
                lead = []
            body.extend(inserted)
            body.append(updated.with_changes(leading_lines=lead))
        return body

    def _add_converter(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        index = 0
        for position, statement in enumerate(body):
            imports = isinstance(statement, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
            if imports or (position == 0 and _is_docstring(statement)):
                index = position + 1
            elif index or position > 0:
                break
        config = self.p.module.config_for_parsing
        rest = body[index:]
        # No blank line is added or moved around the block: every line of the file keeps its
        # place and its own line ending (the block's lines take the file's first one).
        added: list[cst.BaseStatement] = []
        if self.p.needs_os:
            added.append(cst.parse_statement("import os\n", config=config))
        if self.p.needs_converter:
            block = cst.parse_module(self.p.converter)
            statements = list(block.body)
            first = statements[0]
            statements[0] = first.with_changes(leading_lines=[*block.header,
                                                              *first.leading_lines])
            added.extend(statements)
        return [*body[:index], *added, *rest]


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and \
        isinstance(statement.body[0], cst.Expr) and isinstance(
            statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))


def with_http(text: str, catalogue: Catalogue, options: Options,
              sdk: Callable[[str, Catalogue, Options], Migration]) -> Migration:
    """The HTTP rewrite, then the SDK migration (`sdk`) of its output, with the SDK's lines
    mapped back to lines of `text` (a line the HTTP rewrite added counts as the line it was
    added above)."""
    http = migrate_http(text, catalogue, options)
    after = sdk(http.code, catalogue, options)
    if http.code == text or not (after.changes or after.findings):
        return Migration(after.code, [*http.changes, *after.changes],
                         [*http.findings, *after.findings],
                         after.clients if http.code == text else [])
    lines = _line_map(text, http.code)
    changes = [replace(c, line=lines(c.line)) for c in after.changes]
    findings = [replace(f, line=lines(f.line)) for f in after.findings]
    return Migration(after.code, [*http.changes, *changes], [*http.findings, *findings])


def _line_map(before: str, after: str) -> Callable[[int], int]:
    """1-based lines of `after` to the lines of `before` they came from."""
    import difflib

    old = before.splitlines()
    new = after.splitlines()
    table: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            table[j + 1] = (i1 + min(offset, max(i2 - i1 - 1, 0))) + 1 if tag != "insert" \
                else i1 + 1
    return lambda line: min(table.get(line, line), max(len(old), 1))
