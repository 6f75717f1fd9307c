"""The named Python transforms that rules refer to when a mapping is more than data.

Each transform looks at one Amplitude call site and returns an `Outcome`: the rule row that
applied, the code to put in its place, and what a reviewer must know. A transform that cannot
prove its rewrite keeps the property values the user sent returns a manual outcome instead: a
wrong rewrite that drops properties is worse than none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import libcst as cst

from ..hosts import amplitude_host, is_eu
from ..options import Options
from ..results import Severity
from ..transform_table import TransformTable
from . import build
from .analysis import Analysis, is_none_literal
from .keys import site_token

# Parameter order of the SDK constructors (amplitude-analytics 1.3.0, `amplitude/event.py`), so
# positional calls such as `BaseEvent("Signed Up", "user-1")` bind like the SDK binds them.
_OPTION_FIELDS = [
    "user_id", "device_id", "time", "event_properties", "user_properties", "groups",
    "group_properties", "app_version", "platform", "os_name", "os_version", "device_brand",
    "device_manufacturer", "device_model", "carrier", "country", "region", "city", "dma",
    "language", "price", "quantity", "revenue", "product_id", "revenue_type", "currency",
    "location_lat", "location_lng", "ip", "idfa", "idfv", "adid", "android_id", "event_id",
    "session_id", "insert_id", "plan", "ingestion_metadata", "partner_id", "user_agent",
    "callback",
]
BASE_EVENT_PARAMS = ["event_type", *_OPTION_FIELDS]
IDENTIFY_EVENT_PARAMS = [f for f in _OPTION_FIELDS if f != "currency"] + ["identify_obj"]
REVENUE_EVENT_PARAMS = [*_OPTION_FIELDS, "revenue_obj"]
EVENT_OPTIONS_PARAMS = [
    "user_id", "device_id", "time", "app_version", "platform", "os_name", "os_version",
    "device_brand", "device_manufacturer", "device_model", "carrier", "country", "region",
    "city", "dma", "language", "price", "quantity", "revenue", "product_id", "revenue_type",
    "currency", "location_lat", "location_lng", "ip", "idfa", "idfv", "adid", "android_id",
    "event_id", "session_id", "insert_id", "plan", "ingestion_metadata", "partner_id",
    "version_name", "user_agent", "callback",
]
REVENUE_PARAMS = [
    "price", "quantity", "product_id", "revenue_type", "receipt", "receipt_sig", "properties",
    "revenue", "currency",
]
CONFIG_PARAMS = [
    "api_key", "flush_queue_size", "flush_interval_millis", "flush_max_retries", "logger",
    "min_id_length", "callback", "server_zone", "use_batch", "server_url", "storage_provider",
    "plan", "ingestion_metadata", "event_log_level",
]

# Identify operations (spec §3.6): Python method -> Mixpanel user-profile method, in the order
# Amplitude's server applies them. `None` means no Mixpanel equivalent.
PEOPLE_OPS: dict[str, str | None] = {
    "unset": "people_unset",
    "set": "people_set",
    "set_once": "people_set_once",
    "add": "people_increment",
    "append": "people_append",
    "prepend": None,
    "pre_insert": "people_union",
    "post_insert": "people_union",
    "remove": "people_remove",
    "clear_all": None,
}
GROUP_OPS: dict[str, str | None] = {
    "unset": "group_unset",
    "set": "group_set",
    "set_once": "group_set_once",
    "add": None,
    "append": None,
    "prepend": None,
    "pre_insert": "group_union",
    "post_insert": "group_union",
    "remove": "group_remove",
    "clear_all": None,
}
# The consumer argument that sends to Mixpanel's EU residency host (ID022).
EU_API_HOST = 'api_host="api-eu.mixpanel.com"'
_OP_ORDER = ["unset", "set", "set_once", "add", "append", "pre_insert", "post_insert", "remove"]


@dataclass
class Site:
    """One Amplitude call, with the statement it stands in."""

    call: cst.Call
    receiver: cst.BaseExpression | None
    method: str
    statement: cst.CSTNode | None
    standalone: bool


@dataclass
class Outcome:
    rule: str
    severity: Severity
    statements: list[str] | None = None
    expression: str | None = None
    consumed_statements: list[cst.CSTNode] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    notes: list[tuple[str | None, str]] = field(default_factory=list)
    message: str = ""
    imports: set[str] = field(default_factory=set)

    @property
    def manual(self) -> bool:
        return self.severity == "manual"


def manual(rule: str, message: str, *caveats: str) -> Outcome:
    return Outcome(rule=rule, severity="manual", message=message, caveats=list(caveats))


class Unsupported(Exception):
    """A shape the transform will not rewrite; carries the reason for the manual finding."""


def bind(call: cst.Call, params: list[str]) -> dict[str, cst.BaseExpression]:
    """Bind a call's arguments to parameter names the way Python would, or raise."""
    bound: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            raise Unsupported("arguments are unpacked with * or **, so their names are unknown")
        if arg.keyword is not None:
            name = arg.keyword.value
            if name not in params:
                raise Unsupported(f"unknown argument {name}=")
        elif index < len(params):
            name = params[index]
        else:
            raise Unsupported("more positional arguments than the SDK accepts")
        bound[name] = arg.value
    return {k: v for k, v in bound.items() if not is_none_literal(v)}


@dataclass
class Identity:
    user: str | None
    device: str | None
    setup: list[str]

    @property
    def did(self) -> str:
        return build.distinct_id(self.user, self.device)

    def entries(self) -> list[str]:
        guarded = self.user is not None and self.device is not None
        return build.identity_entries(self.user, self.device, guarded)


TRANSFORMS = TransformTable("python")


class Transforms:
    """The transform functions, bound to one module's analysis and the run's options."""

    def __init__(self, analysis: Analysis, options: Options, mixpanel_name: str,
                 rows: Mapping[str, str]) -> None:
        self.a = analysis
        self.rows = rows  # slug -> rule id of the Python rules: the ids live in rules/python
        self.options = options
        self.mixpanel_name = mixpanel_name
        self.temp_count = 0
        # `Amplitude(...)` calls rewritten to a BufferedConsumer client: their flush() stays.
        self.buffered: set[int] = set()
        # Sites whose ids are number literals: Amplitude dropped such events (ID021).
        self.id_validity_sites: set[int] = set()

    # --- shared pieces ------------------------------------------------------------------------
    def row(self, slug: str) -> str:
        """The id of the table row a transform picks, named by its slug (`rules/python`)."""
        return self.rows[slug]

    def receiver(self, site: Site) -> str:
        assert site.receiver is not None
        return self.a.code(site.receiver)

    def identity(self, fields: dict[str, cst.BaseExpression], site: Site) -> Identity:
        """`DID`/`IDPROPS` inputs, hoisting calls so each id is evaluated once (spec §0.3)."""
        user, device = fields.get("user_id"), fields.get("device_id")
        if any(isinstance(node, (cst.Integer, cst.Float)) for node in (user, device)):
            self.id_validity_sites.add(id(site.call))
        setup: list[str] = []
        texts: list[str | None] = []
        for label, node in (("user_id", user), ("device_id", device)):
            if node is None:
                texts.append(None)
            elif build.is_simple(node) or (user is None or device is None):
                texts.append(self.a.code(node))
            elif site.standalone:
                self.temp_count += 1
                name = f"amp2mp_{label}" + ("" if self.temp_count == 1 else str(self.temp_count))
                setup.append(f"{name} = {self.a.code(node)}")
                texts.append(name)
            else:
                raise Unsupported(f"{label} is a computed expression inside a larger expression")
        return Identity(texts[0], texts[1], setup)

    def resolve_value(self, node: cst.BaseExpression, site: Site, *symbols: str) -> tuple[
        cst.Call, list[cst.CSTNode]
    ]:
        """An SDK object built inline, or in one earlier `x = Sdk(...)` statement used once.

        Anything else (built in another function, mutated, used twice) cannot be rewritten
        without guessing what the object holds at the call.
        """
        if self.a.sdk_call(node, *symbols):
            assert isinstance(node, cst.Call)
            return node, []
        if not isinstance(node, cst.Name):
            raise Unsupported(f"the {'/'.join(symbols)} object is not built at this call")
        found = self.a.single_assignment(node)
        if found is None:
            raise Unsupported(f"{node.value} is not assigned exactly once in this scope")
        line, assign = found
        if not self.a.sdk_call(assign.value, *symbols):
            raise Unsupported(f"{node.value} is not a {'/'.join(symbols)} built in this scope")
        references = self.a.references_of(node)
        if len(references) != 1:
            raise Unsupported(self.changed_after(node, references, site))
        self.require_same_block(line, site, node.value)
        assert isinstance(assign.value, cst.Call)
        return assign.value, [line]

    def changed_after(self, node: cst.Name, references: list[cst.CSTNode], site: Site) -> str:
        """Why an object used more than once is not inlined, naming the fields its later
        statements set (`event.user_id = uid` on line 8: the id is there, the tool does not
        fold it in)."""
        call_line = self.a.line(site.call)
        fields = []
        for ref in references:
            attribute = self.a.parent(ref)
            target = self.a.parent(attribute) if attribute is not None else None
            if (isinstance(attribute, cst.Attribute) and attribute.value is ref
                    and isinstance(target, cst.AssignTarget) and self.a.line(ref) < call_line):
                fields.append(f"{node.value}.{attribute.attr.value} on line {self.a.line(ref)}")
        if not fields:
            return f"{node.value} is used elsewhere, so it may be changed before the call"
        return (f"{node.value} is changed after it is built ({', '.join(fields)}): the tool "
                f"rewrites only an object built in one call; move those fields into the "
                f"constructor call, or write the Mixpanel call by hand")

    def require_same_block(self, earlier: cst.CSTNode, site: Site, name: str) -> None:
        block = self.a.parent(earlier)
        statement = site.statement
        body = getattr(block, "body", None)
        if statement is None or not isinstance(body, (list, tuple)) or statement not in body:
            raise Unsupported(f"{name} is built in another block than the call")
        if body.index(earlier) > body.index(statement):
            raise Unsupported(f"{name} is assigned after the call")

    def event_properties(
        self, fields: dict[str, cst.BaseExpression], outcome: Outcome
    ) -> list[str]:
        """`EVPROPS` (spec §5.2) for the option fields present, noting their caveats."""
        entries: list[str] = []
        for name, node in fields.items():
            if name not in build.EVENT_PROPERTY_NAMES:
                continue
            target = build.EVENT_PROPERTY_NAMES[name]
            if target is None:
                outcome.notes.append((None, f"{name} has no Mixpanel equivalent and was dropped"))
                continue
            if name == "session_id" and self.a.code(node).strip() == "-1":
                continue
            if name == "ip" and self.a.code(node).strip() in ('"$remote"', "'$remote'"):
                continue
            if name == "version_name" and "app_version" in fields:
                continue
            entries.append(f'"{target}": {self.a.code(node)}')
            caveat = build.FIELD_CAVEATS.get(name)
            if caveat and caveat not in outcome.caveats:
                outcome.caveats.append(caveat)
        return entries

    def properties(
        self, node: cst.BaseExpression | None, extra: list[str], outcome: Outcome
    ) -> str:
        """Event properties plus Mixpanel keys, following spec §3.0's merge rule."""
        if node is None:
            return build.dict_text(extra)
        if isinstance(node, cst.Dict):
            written = {entry.split(":", 1)[0].strip().strip('"') for entry in extra}
            clashes = [k for k in build.literal_keys(node) if k in build.RESERVED_KEYS | written]
            if clashes:
                raise Unsupported(
                    f"event property {clashes[0]!r} collides with a key Mixpanel sets itself"
                )
            kept = [e for e in node.elements
                    if not (isinstance(e, cst.DictElement) and is_none_literal(e.value))]
            if len(kept) != len(node.elements):
                # Amplitude's wire body drops None-valued properties; Mixpanel would send null.
                outcome.notes.append((None, "None-valued event properties were dropped, as "
                                      "Amplitude never sent them"))
                entries = [self.a.code(e).strip().rstrip(",").strip() for e in kept]
                return build.dict_text([*entries, *extra])
            return build.splice_dict(node, self.a.code(node), extra)
        outcome.severity = "review" if outcome.severity == "info" else outcome.severity
        outcome.notes.append((None, "event properties are not a literal; merged with ** unpacking"))
        never_none = (isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or)
                      and isinstance(node.right, cst.Dict) and not node.right.elements)
        return build.merged_properties(self.a.code(node), extra, never_none)

    def check_manual_fields(self, fields: dict[str, cst.BaseExpression], rule: str) -> None:
        for name in build.MANUAL_FIELDS:
            if name in fields:
                raise ManualSite(self.row("callbacks-and-plans"), f"{name}= has no Mixpanel equivalent",
                                 "ID023")
        del rule

    # --- AP02-AP08, AP13: track ---------------------------------------------------------------
    @TRANSFORMS.register("track")
    def track(self, site: Site) -> Outcome:
        call = site.call
        if len(call.args) != 1 or call.args[0].star or (
            call.args[0].keyword is not None and call.args[0].keyword.value != "event"
        ):
            return manual(self.row("track-event-variable"), "track() is not called with one event")
        event_node = call.args[0].value
        try:
            event, consumed = self.resolve_value(
                event_node, site, "BaseEvent", "IdentifyEvent", "GroupIdentifyEvent", "RevenueEvent"
            )
        except Unsupported as exc:
            return manual(self.row("track-event-variable"),
                          f"event cannot be resolved statically: {exc}", "ID006")
        symbol = self.a.sdk_symbol(event.func)
        via_variable = bool(consumed)
        if symbol == "BaseEvent":
            outcome = self.track_event(site, event)
        elif symbol == "IdentifyEvent":
            outcome = self.identify_from(site, event, IDENTIFY_EVENT_PARAMS, "identify_obj")
        elif symbol == "RevenueEvent":
            outcome = self.revenue_from(site, event, REVENUE_EVENT_PARAMS, "revenue_obj")
        else:
            outcome = self.group_identify_event(site, event)
        if outcome.manual:
            return outcome
        if symbol != "BaseEvent":
            outcome.rule = self.row("special-events")
        elif via_variable:
            outcome.rule = self.row("track-event-variable")
            outcome.severity = "review"
            outcome.notes.append((None, "event built in an earlier statement was inlined here"))
        outcome.consumed_statements.extend(consumed)
        return outcome

    def track_event(self, site: Site, event: cst.Call) -> Outcome:
        try:
            fields = bind(event, BASE_EVENT_PARAMS)
            self.check_manual_fields(fields, self.row("track-user-event"))
        except Unsupported as exc:
            return manual(self.row("track-event-variable"), str(exc), "ID006")
        except ManualSite as exc:
            return exc.outcome
        if "event_type" not in fields:
            return manual(self.row("track-event-variable"), "BaseEvent has no event_type", "ID006")
        if "user_id" not in fields and "device_id" not in fields:
            built = "" if event is site.call.args[0].value else f" (built on line {self.a.line(event)})"
            return manual(
                self.row("track-without-identity"),
                f"{self.a.code(site.call.func)}(): the event {self.a.code(fields['event_type'])}"
                f"{built} has neither user_id nor device_id: Amplitude rejected it, Mixpanel "
                "would invent a user from the request IP; give it a user_id or device_id, or "
                "track it with distinct_id \"\" on purpose",
                "ID006",
                "ID021",
            )
        outcome = Outcome(rule=self.row("track-user-event"), severity="info", caveats=["ID006"])
        try:
            identity = self.identity(fields, site)
            extra: list[str] = []
            groups = fields.get("groups")
            if groups is not None:
                outcome.rule = self.row("track-groups")
                outcome.caveats.append("ID011")
                if isinstance(groups, cst.Dict):
                    extra.extend(self.a.code(e).strip().rstrip(",") for e in groups.elements)
                else:
                    extra.append(f"**{self.a.code(groups)}")
            extra.extend(identity.entries())
            options = self.event_properties(fields, outcome)
            if "price" in fields and "revenue" not in fields:
                options.append(self.computed_revenue(fields))
            extra.extend(options)
            props = self.properties(fields.get("event_properties"), extra, outcome)
        except Unsupported as exc:
            return manual(self.row("track-event-properties"), str(exc), "ID006")
        if "group_properties" in fields:
            outcome.notes.append((None, "group_properties on a plain event were ignored by "
                                  "Amplitude and are dropped"))
        if options and outcome.rule == self.row("track-user-event"):
            outcome.rule = self.row("track-event-options")
        elif outcome.rule == self.row("track-user-event") and (
            "device_id" in fields or "event_properties" in fields
        ):
            outcome.rule = self.row("track-event-properties")
        if outcome.rule in (self.row("track-event-options"), self.row("track-groups")):
            outcome.severity = "review"
        receiver = self.receiver(site)
        name = self.a.code(fields["event_type"])
        track = self.call(f"{receiver}.track", [identity.did, name, props], site)
        statements = [*identity.setup, track]
        user_properties = fields.get("user_properties")
        if user_properties is not None:
            outcome.rule = self.row("track-user-properties")
            outcome.severity = "review"
            outcome.caveats.append("ID008")
            if identity.user is None:
                outcome.caveats.append("ID007")
            statements.append(
                self.call(f"{receiver}.people_set", [identity.did, self.a.code(user_properties)],
                          site)
            )
        return self.place(site, outcome, statements)

    def call(self, func: str, args: list[str], site: Site) -> str:
        return build.call_text(func, args, "", self.a.indent_unit())

    def place(self, site: Site, outcome: Outcome, statements: list[str]) -> Outcome:
        """Put the new code at the site: as an expression when it is one call, else statements."""
        if len(statements) == 1 and not site.standalone:
            outcome.expression = statements[0]
        elif site.standalone:
            outcome.statements = statements
        else:
            return manual(outcome.rule, "the rewrite needs several statements but the call is "
                          "part of a larger expression", *outcome.caveats)
        return outcome

    # --- identify / group identify --------------------------------------------------------------
    def identify_ops(
        self, node: cst.BaseExpression, site: Site
    ) -> tuple[list[tuple[str, cst.Arg, cst.Arg | None]], list[cst.CSTNode]]:
        """The Identify operations in Amplitude order of calls, and the statements consumed."""
        chain, consumed = self.identify_chain(node)
        if chain is not None:
            return chain, consumed
        if not isinstance(node, cst.Name):
            raise Unsupported("the Identify object is not built at this call")
        found = self.a.single_assignment(node)
        if found is None:
            raise Unsupported(f"{node.value} is not assigned exactly once in this scope")
        line, assign = found
        ops, _ = self.identify_chain(assign.value)
        if ops is None:
            raise Unsupported(f"{node.value} is not an Identify() built in this scope")
        self.require_same_block(line, site, node.value)
        consumed = [line]
        block_body = self.a.parent(line).body  # type: ignore[union-attr]
        for reference in self.a.references_of(node):
            if site.call in _ancestors(self.a, reference):
                continue
            statement = self.a.statement_of(reference)
            if (
                not isinstance(statement, cst.SimpleStatementLine)
                or len(statement.body) != 1
                or not isinstance(statement.body[0], cst.Expr)
                or statement not in block_body
                or not block_body.index(line) < block_body.index(statement)
                or block_body.index(statement) > block_body.index(site.statement)
            ):
                raise Unsupported(f"{node.value} is changed under a condition or used elsewhere")
            more, _ = self.identify_chain(statement.body[0].value, root=node.value)
            if more is None:
                raise Unsupported(f"{node.value} is used by something other than Identify calls")
            ops.extend(more)
            consumed.append(statement)
        return ops, consumed

    def identify_chain(
        self, node: cst.BaseExpression, root: str | None = None
    ) -> tuple[list[tuple[str, cst.Arg, cst.Arg | None]] | None, list[cst.CSTNode]]:
        ops: list[tuple[str, cst.Arg, cst.Arg | None]] = []
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            name = node.func.attr.value
            if name not in PEOPLE_OPS:
                return None, []
            args = list(node.args)
            if any(a.star or a.keyword for a in args):
                raise Unsupported(f"Identify.{name}() uses keyword or unpacked arguments")
            if name == "clear_all":
                ops.append((name, cst.Arg(cst.SimpleString('""')), None))
            elif name == "unset" and len(args) == 1:
                ops.append((name, args[0], None))
            elif len(args) == 2:
                ops.append((name, args[0], args[1]))
            else:
                raise Unsupported(f"Identify.{name}() has an unexpected number of arguments")
            node = node.func.value
        ops.reverse()
        if root is not None:
            return (ops if isinstance(node, cst.Name) and node.value == root and ops else None), []
        if self.a.sdk_call(node, "Identify") and not node.args:
            return ops, []
        return None, []

    def expand(
        self,
        ops: list[tuple[str, cst.Arg, cst.Arg | None]],
        table: dict[str, str | None],
        func: Callable[[str], str],
        target: list[str],
        site: Site,
        outcome: Outcome,
    ) -> list[str]:
        """EXPAND (spec §3.6): replay first-op-wins, group by operator, emit in server order."""
        seen: set[str] = set()
        grouped: dict[str, list[tuple[str, str | None]]] = {}
        for op, key_arg, value_arg in ops:
            if op == "clear_all":
                raise ManualSite(outcome.rule, "clear_all() has no Mixpanel equivalent", "ID012")
            key = self.a.code(key_arg.value)
            if key in seen:
                outcome.notes.append(
                    ("ID012", f"{op}({key}) ignored: Amplitude keeps the first operation per key")
                )
                continue
            seen.add(key)
            if table[op] is None:
                raise ManualSite(outcome.rule, f"{op}() has no Mixpanel equivalent", "ID012")
            value = None if value_arg is None else value_arg.value
            if op == "add" and isinstance(value, (cst.SimpleString, cst.FormattedString)):
                outcome.notes.append(("ID012", f"add({key}, ...) with a string was dropped by "
                                      "Amplitude and is not migrated"))
                continue
            grouped.setdefault(op, []).append((key, None if value is None else self.a.code(value)))
            if op in ("append", "remove", "pre_insert", "post_insert"):
                outcome.caveats.append("ID012")
            if op in ("pre_insert", "post_insert") and value is not None:
                grouped[op][-1] = (key, self.union_value(value))
        statements = []
        unions: list[tuple[str, str | None]] = []
        for op in _OP_ORDER:
            entries = grouped.get(op)
            if not entries:
                continue
            if op in ("pre_insert", "post_insert"):
                unions.extend(entries)
                if op == "pre_insert" and "post_insert" in grouped:
                    continue
                entries, unions = unions, []
            method = table[op]
            assert method is not None
            if op == "unset":
                payload = "[" + ", ".join(key for key, _ in entries) + "]"
            else:
                payload = build.dict_text([f"{key}: {value}" for key, value in entries])
            statements.append(self.call(func(method), [*target, payload], site))
        return statements

    def union_value(self, value: cst.BaseExpression) -> str:
        if isinstance(value, (cst.List, cst.Tuple)):
            return self.a.code(value)
        if isinstance(value, (cst.SimpleString, cst.Integer, cst.Float, cst.FormattedString)):
            return f"[{self.a.code(value)}]"
        if build.is_simple(value):
            code = self.a.code(value)
            return f"{code} if isinstance({code}, list) else [{code}]"
        raise Unsupported("a computed pre_insert/post_insert value cannot be wrapped in a list")

    def options_identity(
        self, node: cst.BaseExpression | None, site: Site, outcome: Outcome
    ) -> tuple[Identity, list[cst.CSTNode], dict[str, cst.BaseExpression]]:
        if node is None:
            raise Unsupported("no EventOptions with a user_id or device_id")
        options, consumed = self.resolve_value(node, site, "EventOptions")
        fields = bind(options, EVENT_OPTIONS_PARAMS)
        self.check_manual_fields(fields, outcome.rule)
        if "user_id" not in fields and "device_id" not in fields:
            raise Unsupported("EventOptions has neither user_id nor device_id")
        return self.identity(fields, site), consumed, fields

    def event_identity(
        self,
        site: Site,
        event: cst.Call | None,
        params: list[str] | None,
        fields: dict[str, cst.BaseExpression] | None,
        outcome: Outcome,
        label: str,
    ) -> tuple[Identity, list[cst.CSTNode], dict[str, cst.BaseExpression],
               dict[str, cst.BaseExpression]]:
        """Ids from a special event's own fields (AP13), or from the call's `EventOptions`.

        Returns the identity, the statements consumed, the call's fields and the option fields.
        """
        if event is not None:
            assert params is not None
            fields = bind(event, params)
            self.check_manual_fields(fields, self.row("special-events"))
            if "user_id" not in fields and "device_id" not in fields:
                raise Unsupported(f"{label} has neither user_id nor device_id")
            return self.identity(fields, site), [], fields, fields
        assert fields is not None
        identity, consumed, option_fields = self.options_identity(
            fields.get("event_options"), site, outcome
        )
        return identity, consumed, fields, option_fields

    @TRANSFORMS.register("identify")
    def identify(self, site: Site) -> Outcome:
        try:
            fields = bind(site.call, ["identify_obj", "event_options", "event_properties"])
        except Unsupported as exc:
            return manual(self.row("identify-expansion"), str(exc), "ID007")
        return self.identify_from(site, None, fields=fields)

    def identify_from(
        self,
        site: Site,
        event: cst.Call | None,
        params: list[str] | None = None,
        key: str = "identify_obj",
        fields: dict[str, cst.BaseExpression] | None = None,
    ) -> Outcome:
        outcome = Outcome(rule=self.row("identify-expansion"), severity="review", caveats=[])
        try:
            identity, consumed, fields, option_fields = self.event_identity(
                site, event, params, fields, outcome, "IdentifyEvent"
            )
            if key not in fields:
                raise Unsupported("no Identify object")
            ops, more = self.identify_ops(fields[key], site)
            consumed.extend(more)
            statements = self.expand(
                ops, PEOPLE_OPS, lambda m: f"{self.receiver(site)}.{m}", [identity.did], site,
                outcome,
            )
        except Unsupported as exc:
            return manual(self.row("identify-expansion"), f"Identify cannot be expanded: {exc}", "ID012")
        except ManualSite as exc:
            return exc.outcome
        if identity.user is None:
            outcome.caveats.append("ID007")
        if fields.get("event_properties") is not None:
            outcome.notes.append((None, "event_properties of an identify call have no Mixpanel "
                                  "equivalent and were dropped"))
        dropped = [name for name in option_fields if name not in ("user_id", "device_id")
                   and name in build.EVENT_PROPERTY_NAMES]
        if dropped:
            outcome.notes.append((None, f"event options {', '.join(dropped)} do not apply to "
                                  "profile updates and were dropped"))
        outcome.consumed_statements.extend(consumed)
        if not statements:
            outcome.notes.append((None, "the Identify has no operations; Amplitude sent nothing"))
        return self.place(site, outcome, [*identity.setup, *statements] if statements else [])

    @TRANSFORMS.register("group_identify")
    def group_identify(self, site: Site) -> Outcome:
        try:
            fields = bind(site.call, ["group_type", "group_name", "identify_obj", "event_options",
                                      "event_properties", "user_properties"])
            if "group_type" not in fields or "group_name" not in fields:
                raise Unsupported("group_type and group_name are required")
        except Unsupported as exc:
            return manual(self.row("group-identify"), f"group identify cannot be expanded: {exc}",
                          "ID011", "ID012")
        outcome = self.group_expand(site, self.row("group-identify"), fields["group_type"],
                                    fields["group_name"], fields.get("identify_obj"))
        for extra in ("event_properties", "user_properties"):
            if extra in fields and not outcome.manual:
                outcome.notes.append((None, f"{extra} of group_identify were dropped"))
        return outcome

    def group_identify_event(self, site: Site, event: cst.Call) -> Outcome:
        """AP13: `GroupIdentifyEvent(groups={T: N}, identify_obj=I)` is AP11 in disguise."""
        try:
            fields = bind(event, IDENTIFY_EVENT_PARAMS)
            groups = fields.get("groups")
            if not isinstance(groups, cst.Dict) or len(groups.elements) != 1 or not isinstance(
                groups.elements[0], cst.DictElement
            ):
                raise Unsupported("groups is not a literal with exactly one group")
        except Unsupported as exc:
            return manual(self.row("special-events"), f"GroupIdentifyEvent cannot be expanded: {exc}",
                          "ID011")
        element = groups.elements[0]
        assert isinstance(element, cst.DictElement)
        return self.group_expand(site, self.row("special-events"), element.key, element.value,
                                 fields.get("identify_obj"))

    def group_expand(
        self,
        site: Site,
        rule: str,
        group_type: cst.BaseExpression,
        group_name: cst.BaseExpression,
        identify: cst.BaseExpression | None,
    ) -> Outcome:
        """Group-profile calls (`group_set`, `group_set_once`, ...) for one group's Identify."""
        outcome = Outcome(rule=rule, severity="review", caveats=["ID011"])
        try:
            if isinstance(group_name, (cst.List, cst.Tuple)):
                raise Unsupported("a list of group names has no single Mixpanel group profile")
            if identify is None:
                raise Unsupported("no Identify object")
            ops, consumed = self.identify_ops(identify, site)
            group = [self.a.code(group_type), self.a.code(group_name)]
            statements = self.expand(
                ops, GROUP_OPS, lambda m: f"{self.receiver(site)}.{m}", group, site, outcome
            )
        except Unsupported as exc:
            return manual(rule, f"group identify cannot be expanded: {exc}", "ID011", "ID012")
        except ManualSite as exc:
            exc.outcome.caveats = ["ID011", *exc.outcome.caveats]
            return exc.outcome
        outcome.consumed_statements.extend(consumed)
        return self.place(site, outcome, statements)

    # --- AP10: set_group ----------------------------------------------------------------------
    @TRANSFORMS.register("set_group")
    def set_group(self, site: Site) -> Outcome:
        outcome = Outcome(rule=self.row("set-group"), severity="review", caveats=["ID011"])
        try:
            fields = bind(site.call, ["group_type", "group_name", "event_options"])
            if "group_type" not in fields or "group_name" not in fields:
                raise Unsupported("group_type and group_name are required")
            identity, consumed, _ = self.options_identity(fields.get("event_options"), site,
                                                          outcome)
            name = fields["group_name"]
            if isinstance(name, (cst.List, cst.Tuple)):
                value = self.a.code(name)
            elif build.is_string_literal(name):
                value = f"[{self.a.code(name)}]"
            elif build.is_simple(name):
                code = self.a.code(name)
                value = f"{code} if isinstance({code}, list) else [{code}]"
            else:
                raise Unsupported("a computed group name cannot be wrapped in a list")
        except Unsupported as exc:
            return manual(self.row("set-group"), f"set_group cannot be rewritten: {exc}", "ID011")
        except ManualSite as exc:
            return exc.outcome
        if identity.user is None:
            outcome.caveats.append("ID007")
        outcome.consumed_statements.extend(consumed)
        payload = build.dict_text([f"{self.a.code(fields['group_type'])}: {value}"])
        statement = self.call(f"{self.receiver(site)}.people_set", [identity.did, payload], site)
        return self.place(site, outcome, [*identity.setup, statement])

    # --- AP12: revenue ------------------------------------------------------------------------
    @TRANSFORMS.register("revenue")
    def revenue(self, site: Site) -> Outcome:
        try:
            fields = bind(site.call, ["revenue_obj", "event_options"])
        except Unsupported as exc:
            return manual(self.row("revenue"), str(exc), "ID013")
        return self.revenue_from(site, None, fields=fields)

    def revenue_from(
        self,
        site: Site,
        event: cst.Call | None,
        params: list[str] | None = None,
        key: str = "revenue_obj",
        fields: dict[str, cst.BaseExpression] | None = None,
    ) -> Outcome:
        outcome = Outcome(rule=self.row("revenue"), severity="review", caveats=["ID013", "ID006"])
        try:
            identity, consumed, fields, option_fields = self.event_identity(
                site, event, params, fields, outcome, "RevenueEvent"
            )
            if key not in fields:
                raise Unsupported("no Revenue object")
            revenue_fields = {"price", "quantity", "revenue", "product_id", "revenue_type",
                              "currency"}
            option_props = self.event_properties(
                {k: v for k, v in option_fields.items()
                 if k not in revenue_fields}, outcome
            )
            revenue_call, more = self.resolve_value(fields[key], site, "Revenue")
            consumed.extend(more)
            entries = self.revenue_properties(revenue_call, outcome)
            extra = [*entries, *identity.entries(), *option_props]
            props_node = bind(revenue_call, REVENUE_PARAMS).get("properties")
            if isinstance(props_node, cst.Dict):
                extra = [self.a.code(e).strip().rstrip(",") for e in props_node.elements] + extra
            elif props_node is not None:
                extra = [f"**({self.a.code(props_node)} or {{}})", *extra]
        except Unsupported as exc:
            return manual(self.row("revenue"), f"revenue cannot be rewritten: {exc}", "ID013")
        except ManualSite as exc:
            return exc.outcome
        outcome.consumed_statements.extend(consumed)
        name = repr(self.options.revenue_event).replace("'", '"')
        statement = self.call(
            f"{self.receiver(site)}.track", [identity.did, name, build.dict_text(extra)], site
        )
        return self.place(site, outcome, [*identity.setup, statement])

    def computed_revenue(self, fields: dict[str, cst.BaseExpression]) -> str:
        """§5.2/§3.7: with a price, Amplitude's revenue is price × quantity (quantity 1 if unset)."""
        price, quantity = fields["price"], fields.get("quantity")
        if not build.is_simple(price) or (quantity is not None and not build.is_simple(quantity)):
            raise Unsupported("price or quantity is computed; revenue = price * quantity would "
                              "evaluate it twice")
        if quantity is None:
            return f'"revenue": {self.a.code(price)}'
        return f'"revenue": {self.a.code(price)} * {self.a.code(quantity)}'

    def revenue_properties(self, call: cst.Call, outcome: Outcome) -> list[str]:
        """`REV` (spec §3.7): Mixpanel's plain revenue properties, revenue = price × quantity."""
        fields = bind(call, REVENUE_PARAMS)
        if "price" not in fields:
            raise Unsupported("Revenue has no price")
        price = fields["price"]
        quantity = fields.get("quantity")
        entries = [f'"price": {self.a.code(price)}']
        entries.append(f'"quantity": {self.a.code(quantity) if quantity is not None else "1"}')
        entries.append(self.computed_revenue(fields))
        if "revenue" in fields:
            outcome.notes.append(("ID013", "Amplitude uses price * quantity when a price is set; "
                                  "the explicit revenue value was not sent"))
        for name, target in (("product_id", "product_id"), ("revenue_type", "revenue_type"),
                             ("currency", "currency"), ("receipt", "receipt"),
                             ("receipt_sig", "receipt_sig")):
            if name in fields:
                entries.append(f'"{target}": {self.a.code(fields[name])}')
        if "receipt" in fields:
            outcome.notes.append(("ID013", "Mixpanel does not verify receipts"))
        return entries

    # --- AP01: the client -----------------------------------------------------------------------
    @TRANSFORMS.register("init")
    def init(self, site: Site) -> Outcome:
        outcome = Outcome(rule=self.row("amplitude-client"), severity="review", caveats=["ID010"])
        consumer = None
        consumer_args: list[str] = []
        try:
            fields = bind(site.call, ["api_key", "configuration"])
            config = fields.get("configuration")
            if config is not None:
                config_call, consumed = self.resolve_value(config, site, "Config")
                outcome.consumed_statements.extend(consumed)
                consumer, consumer_args = self.config(config_call, outcome)
        except Unsupported as exc:
            return manual(self.row("amplitude-client"), f"the configuration cannot be mapped: {exc}", "ID010")
        except ManualSite as exc:
            return exc.outcome
        if self.options.eu and not any(arg.startswith("api_host=") for arg in consumer_args):
            consumer = consumer or "Consumer"
            consumer_args.append(EU_API_HOST)
            outcome.caveats.append("ID022")
        token = site_token(self.a, fields.get("api_key"), self.options.token,
                           self.options.token_explicit)
        outcome.notes.insert(0, ("ID010", token.note))
        args = [token.expression]
        outcome.imports.add("Mixpanel")
        if token.expression.startswith("os.") and not token.derived:
            outcome.imports.add("os")
        if consumer == "BufferedConsumer":
            self.buffered.add(id(site.call))
        if consumer is not None:
            outcome.imports.add(consumer)
            args.append(f"consumer={self.mixpanel_name}{consumer}({', '.join(consumer_args)})")
        outcome.expression = f"{self.mixpanel_name}Mixpanel({', '.join(args)})"
        # Said at every client: Mixpanel's Consumer sends in the caller's thread and raises
        # (ID023), and sends ip=0, so no event is geolocated (ID024).
        outcome.caveats += ["ID023", "ID024"]
        return outcome

    def config(self, call: cst.Call, outcome: Outcome) -> tuple[str | None, list[str]]:
        """Spec §3.9.3: the few `Config` fields a Mixpanel consumer can express."""
        fields = bind(call, CONFIG_PARAMS)
        consumer: str | None = None
        args: list[str] = []
        for name, node in fields.items():
            code = self.a.code(node)
            if name == "server_zone":
                value = node.evaluated_value if isinstance(node, cst.SimpleString) else None
                if value == "US":
                    continue
                if value != "EU":
                    raise Unsupported(f"server_zone={code} is not a literal 'US' or 'EU'")
                consumer = consumer or "Consumer"
                args.append(EU_API_HOST)
                outcome.caveats.append("ID022")
            elif name == "flush_queue_size":
                consumer = "BufferedConsumer"
                size = (str(min(int(node.value), 50)) if isinstance(node, cst.Integer)
                        else f"min({code}, 50)")
                args.insert(0, f"max_size={size}")
                outcome.caveats.append("ID023")
            elif name == "flush_max_retries":
                consumer = consumer or "Consumer"
                args.append(f"retry_limit={code}")
                outcome.caveats.append("ID023")
            elif name == "callback":
                raise ManualSite(self.row("callbacks-and-plans"),
                                 "Config(callback=...) has no Mixpanel equivalent: "
                                 "Mixpanel raises MixpanelException instead", "ID023")
            elif name == "server_url":
                host = server_url_host(node, outcome)
                if host is not None:
                    consumer = consumer or "Consumer"
                    args.append(f"api_host={host}")
            elif name == "api_key":
                continue
            else:
                outcome.notes.append(
                    ("ID023", f"Config option {name} has no Mixpanel equivalent and was dropped")
                )
        if "ID023" in outcome.caveats or consumer == "BufferedConsumer":
            outcome.notes.append(("ID023", "Mixpanel's consumers send synchronously and raise "
                                  "MixpanelException; BufferedConsumer needs an explicit flush()"))
        return consumer, args


def server_url_host(node: cst.BaseExpression, outcome: Outcome) -> str | None:
    """§3.9.3 `server_url`: the Consumer's `api_host` it becomes (quoted), or None to drop it.

    An Amplitude endpoint is never a Mixpanel host (its EU one becomes Mixpanel's EU host);
    an https proxy keeps its host and path, to which the Consumer appends `/track`,
    `/engage`, `/groups` and `/import`."""
    url = node.evaluated_value if isinstance(node, cst.SimpleString) else None
    if not isinstance(url, str):
        raise Unsupported("server_url is not a literal URL; point a Consumer(api_host=...) at "
                          "Mixpanel or your proxy by hand")
    host = amplitude_host(url)
    if host is not None and is_eu(host):
        outcome.caveats.append("ID022")
        outcome.notes.append(("ID022", f"server_url {url!r} is Amplitude's EU endpoint: the "
                              "Consumer sends to Mixpanel's EU host instead"))
        return '"api-eu.mixpanel.com"'
    if host is not None:
        outcome.notes.append((None, f"Config option server_url dropped: {url!r} is Amplitude's "
                              "own endpoint, and Mixpanel sends to its own host"))
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "") or not (parts.netloc or parts.path):
        raise Unsupported(f"server_url {url!r} is not an https proxy the Consumer can reach "
                          "(it always sends over https); set events_url and the other URLs "
                          "by hand")
    target = (parts.netloc + parts.path).rstrip("/")
    outcome.notes.append((None, f"server_url {url!r} is kept as the Consumer's api_host "
                          f"{target!r}, a proxy: Mixpanel posts form-encoded batches to "
                          f"https://{target}/track, /engage, /groups and /import, not "
                          "Amplitude's /2/httpapi JSON; point those routes at api.mixpanel.com "
                          "(or api-eu.mixpanel.com) before deploying"))
    return json.dumps(target)


class ManualSite(Exception):
    """Raised deep in a transform when the whole site must be left for a human."""

    def __init__(self, rule: str, message: str, *caveats: str) -> None:
        super().__init__(message)
        self.outcome = manual(rule, message, *caveats)


def _ancestors(analysis: Analysis, node: cst.CSTNode) -> list[cst.CSTNode]:
    chain = []
    current = analysis.parent(node)
    while current is not None:
        chain.append(current)
        current = analysis.parent(current)
    return chain
