"""The core every concept's transforms share: the call site and its outcome, argument
binding, and how a transform finds its row and the ids of the call.

Each transform looks at one Amplitude call site and returns an `Outcome`: the rule row that
applied, the code to put in its place, and what a reviewer must know. A transform that cannot
prove its rewrite keeps the property values the user sent returns a manual outcome instead: a
wrong rewrite that drops properties is worse than none. Transforms name their row by slug
(`row`); the rule TOMLs under rules/python hold the ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import libcst as cst

from ...options import Options
from ...results import Severity
from ...transform_table import TransformTable
from .. import build
from ..analysis import Analysis, is_none_literal

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


class ManualSite(Exception):
    """Raised deep in a transform when the whole site must be left for a human."""

    def __init__(self, rule: str, message: str, *caveats: str) -> None:
        super().__init__(message)
        self.outcome = manual(rule, message, *caveats)


class TransformsCore:
    """What every concept's transforms are bound to: one module's analysis, the run's
    options, and the Python rows by slug."""

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

    def check_manual_fields(self, fields: dict[str, cst.BaseExpression], rule: str) -> None:
        for name in build.MANUAL_FIELDS:
            if name in fields:
                raise ManualSite(self.row("callbacks-and-plans"), f"{name}= has no Mixpanel equivalent",
                                 "ID023")
        del rule

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
