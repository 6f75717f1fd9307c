"""Named transforms: the rewrites a data template cannot express (spec §3.1-3.4, 3.6, 3.7).

Each takes a `Site` and the rule the catalogue dispatched it to, and returns an `Outcome`
whose rule id is the table row that applies (a method's rules share one transform, which
picks the row by its slug within the SDK family: `logEvent` with callbacks is the
`log-event-callbacks` row, without them `log-event`). The ids live in the rule TOMLs only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalogue import Rule
from ..transform_table import TransformTable
from .bindings import member_name, string_value
from .estree import Node
from .event_ids import event_variable, ids_set_message, no_identity_message
from .expand import resolve
from .keys import site_token
from .options_map import (
    EU_HOST,
    Mapped,
    browser_config,
    community_config,
    event_props,
    legacy_node_config,
    node_config,
)
from .outcome import Outcome, Site, manual
from .text import (
    function_arity,
    identify_when_set,
    is_nullish,
    is_stringish,
    merge_props,
    obj,
    prop_key,
    spread,
)

if TYPE_CHECKING:
    from .migrate import Migrator

TRANSFORMS = TransformTable("javascript")

# Said where a server client is created: Mixpanel's Node SDK sends each call at once, with
# no queue, retries or flush (ID023), and geolocates nothing unless given the client's ip (ID024).
SERVER_CAVEATS = ("ID023", "ID024")
_NULL_THROWS = ("set", "setOnce", "append", "prepend", "preInsert", "postInsert", "setGroup")
_REVENUE_FIELDS = ("price", "quantity", "revenue", "productId", "revenueType")
_USER_OPS = ("unset", "set", "setOnce", "add", "append", "prepend", "preInsert", "postInsert",
             "remove", "clearAll")


def _review(rule: str, *caveats: str, **fields) -> Outcome:
    return Outcome(rule, "review", list(caveats), **fields)


def _safe(rule: str, *caveats: str, **fields) -> Outcome:
    return Outcome(rule, "info", list(caveats), **fields)


def _unknown_user(rule: str) -> Outcome:
    """init's user id comes from a call: it cannot be both tested and passed on unchanged."""
    return manual(rule, "the user id passed to init() is computed by a call: identify() must "
                  "run only when it is set (Mixpanel's identify(undefined) erases the distinct "
                  "id), so migrate this by hand", "ID002")


class Transforms:
    def __init__(self, m: Migrator) -> None:
        self.m = m
        self.src = m.src

    # --- delete ----------------------------------------------------------------------------
    def delete(self, site: Site, rule: Rule) -> Outcome:
        if site.statement is None:
            return manual(rule.id, f"the result of {site.method}() is used; Mixpanel has nothing "
                          "to wait for", *rule.caveats[:1])
        if site.awaited and site.family == "browser":
            return manual(rule.id, "flush() is awaited: mixpanel-browser has no public flush, so "
                          "decide what this code should wait for")
        return Outcome(rule.id, "review", list(rule.caveats), statements=[])

    # --- init ------------------------------------------------------------------------------
    @TRANSFORMS.register("init")
    def init(self, site: Site, rule: Rule) -> Outcome:
        target = self.m.target(site.family)
        if {"init", "constructor"} & set(self.m.registry.sdks[site.family].clients):
            return self._init_client(site, rule)
        if target.server:
            return self._init_node(site)
        if target.instance:
            return self._init_rn(site)
        return self._init_browser(site, rule)

    @TRANSFORMS.register("on_init")
    def on_init(self, site: Site, rule: Rule) -> Outcome | None:
        """`c.onInit(cb)` right before `c.init(...)` becomes init's `loaded: cb`."""
        args = site.call["arguments"]
        following = self._next_call(site, "init")
        if following is None or len(args) != 1 or function_arity(args[0]) != 0:
            return manual(self._row(site.family, "on-init"),
                          "onInit() after init, or with a callback that reads its "
                          "argument: Mixpanel only has init's loaded(mixpanel) option")
        self.m.deferred_on_init[id(following)] = site
        return None

    def _next_call(self, site: Site, method: str) -> Node | None:
        """The call `<same receiver>.method(...)` forming the statement right after the site's."""
        if site.statement is None or site.block is None or site.call["callee"]["type"] != (
            "MemberExpression"
        ):
            return None
        index = next(i for i, s in enumerate(site.block) if s is site.statement)
        if index + 1 >= len(site.block) or site.block[index + 1]["type"] != "ExpressionStatement":
            return None
        expr = site.block[index + 1]["expression"]
        if expr["type"] != "CallExpression" or expr["callee"]["type"] != "MemberExpression":
            return None
        callee = expr["callee"]
        if callee["property"].get("name") != method or self.src.of(callee["object"]) != self.src.of(
            site.call["callee"]["object"]
        ):
            return None
        return expr

    def _init_browser(self, site: Site, rule: Rule) -> Outcome:
        outcome = self._init_browser_call(site, rule)
        on_init = self.m.deferred_on_init.get(id(site.call))
        if on_init is None or outcome.manual:
            return outcome
        if any(k == "loaded" for k, _ in outcome.notes) or "loaded:" in (outcome.expression or ""):
            return outcome  # init has its own callback: the deferred onInit is reported
        callback = self.src.of(on_init.call["arguments"][0])
        if outcome.expression is not None:
            outcome.expression = _add_loaded(outcome.expression, callback)
        elif outcome.statements:
            outcome.statements[0] = _add_loaded(outcome.statements[0], callback)
        else:
            return outcome
        assert on_init.statement is not None  # on_init() defers only a call that is a statement
        outcome.consumed.append(on_init.statement)
        outcome.also.append((on_init.call, self._row(on_init.family, "on-init")))
        return outcome

    def _init_browser_call(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        js = site.family == "amplitude-js"
        row = rule.id  # the first rule claiming the method: its plain case
        if not args:
            return manual(row, "init() without an API key")
        user = opts = callback = None
        if js:
            user = args[1] if len(args) > 1 else None
            opts = args[2] if len(args) > 2 else None
            callback = args[3] if len(args) > 3 else None
        elif len(args) > 1 and args[1]["type"] == "ObjectExpression":
            opts = args[1]
        elif len(args) > 1:
            user, opts = args[1], args[2] if len(args) > 2 else None
        if opts is not None and is_nullish(opts):
            opts = None
        if user is not None and is_nullish(user):
            user = None
        mapped = browser_config(self.src, opts, self.m.options.eu)
        caveats = ["ID010"]
        if mapped.problem:
            return manual(row, mapped.problem, "ID010")
        token = site_token(self.m, args[0])
        mapped.notes.insert(0, ("ID010", token.note))
        if user is not None:
            row = self._row(site.family, "init-user", "init-user-callback")
            caveats.append("ID002")
        if callback is not None:
            row = self._row(site.family, "init-user-callback")
            if function_arity(callback) != 0:
                return manual(row, "the init callback takes the client as an argument; "
                              "Mixpanel's loaded(mixpanel) passes a Mixpanel instance")
            mapped.pairs.append(("loaded", self.src.of(callback)))
        name = site.client.instance if js else mapped.instance
        client = site.client
        init_target = "window.mixpanel" if site.mp.startswith("window.") else "mixpanel"
        mp = site.mp
        consumed_edits: list[tuple[Node, str]] = []
        statements_instead = False
        if client.role == "client" and client.member == "createInstance":
            row = self._row(site.family, "create-instance")
            if name is None or name == "?":
                return manual(row, "createInstance() without a literal instanceName: Mixpanel "
                              "needs a name for a second instance", "ID018")
            declarator = client.decl.node
            init_text = self._browser_init_call(init_target, token.expression, mapped, name)
            consumed_edits.append((declarator["init"], init_text))
            statements_instead = True
        elif name == "?" or name == "mixpanel":
            # either SDK's unusable instance name is reported under amplitude-js's named-instance row
            return manual(self._row("amplitude-js", "init-named-instance"),
                          "the instance name is not a literal, or is 'mixpanel' (reserved "
                          "by Mixpanel)", "ID018")
        elif name is not None:
            row = self._row(site.family, "init-named-instance", "create-instance")
        if name is not None:
            caveats.append("ID018")
        caveats += mapped.caveats
        after: list[str] = []
        for kind, value in ([("identify", user)] if user is not None else []) + mapped.after:
            if kind == "register":
                after.append(f"{mp}.register({{$app_version_string: {self.src.of(value)}}})")
                continue
            identify = identify_when_set(self.src, mp, value)
            if identify is None:
                return _unknown_user(row)
            after.append(identify)
        notes = list(mapped.notes)
        if statements_instead:
            return _review(row, *caveats, statements=after, notes=notes, edits=consumed_edits,
                           initialises=id(client.decl))
        call = self._browser_init_call(init_target, token.expression, mapped, name)
        if after:
            return _review(row, *caveats, statements=[call, *after], notes=notes)
        return _review(row, *caveats, expression=call, notes=notes)

    def _browser_init_call(self, target: str, token: str, mapped: Mapped, name: str | None) -> str:
        config = obj(mapped.pairs) if mapped.pairs or name else ""
        parts = [token] + ([config] if config else []) + ([self.src.string(name)] if name else [])
        return f"{target}.init({', '.join(parts)})"

    def _init_client(self, site: Site, rule: Rule) -> Outcome:
        """`const client = Amplitude.init(KEY, OPTS)`: `init()` returns the client, so the
        variable keeps its name and holds `Mixpanel.init(TOKEN, CONFIG)` (legacy-sdks §1.3)."""
        parent = self.m.parent(site.call)
        kept = parent is not None and parent["type"] == "VariableDeclarator" and (
            parent["init"] is site.call) and any(
            b.decl.node is parent and b.role == "client" for b in self.m.b.by_decl.values())
        if not kept:
            made = "init() returns" if site.method == "init" else (
                f"new {self.src.of(site.call['callee'])}() makes")
            return manual(rule.id, f"the client {made} is not kept in a variable the tool "
                          "can follow (a class field, an argument, a reassigned variable); migrate "
                          "this client by hand", "ID010")
        args = site.call["arguments"]
        config_of = community_config if site.method == "new" else legacy_node_config
        if site.method == "new" and args[1:] and args[1]["type"] == "ObjectExpression" and any(
            _key(p, True) in ("user_id", "device_id", "session_id") for p in args[1]["properties"]
        ):
            return manual(self._pick(site.family, "constructor-ids").id, "the constructor's "
                          "user, device or session id filled every event Amplitude sent: put it "
                          "into each event by hand", "ID006")
        mapped = config_of(self.src, args[1] if len(args) > 1 else None, self.m.options.eu)
        if mapped.problem and args[1:] and args[1]["type"] == "ObjectExpression" and any(
            prop_key(p) == "optOut" for p in args[1]["properties"]
        ):
            return manual(self._pick(site.family, "opt-out").id, mapped.problem, "ID019")
        if mapped.problem:
            return manual(rule.id, mapped.problem, "ID010")
        config = f", {obj(mapped.pairs)}" if mapped.pairs else ""
        server = SERVER_CAVEATS if self.m.target(site.family).server else ()
        token = site_token(self.m, args[0] if args else None)
        return _review(rule.id, "ID010", *mapped.caveats, *server,
                       notes=[("ID010", token.note), *mapped.notes],
                       expression=f"Mixpanel.init({token.expression}{config})")

    def family_rule(self, family: str, slug: str) -> Rule | None:
        """The rule of `family` with `slug`: the row a transform picks by what it names."""
        packages = self.m.registry.sdks[family].packages
        return next((r for r in self.m.catalogue.for_language("javascript")
                     if r.slug == slug and r.sdk in packages), None)

    def _pick(self, family: str, *slugs: str) -> Rule:
        """The first of `slugs` the family has a rule for."""
        found = [r for r in (self.family_rule(family, s) for s in slugs) if r is not None]
        return found[0]

    def _row(self, family: str, *slugs: str) -> str:
        """The id of the first of `slugs` the family has a rule for: transforms name the
        concept, the rule TOMLs hold the ids."""
        return self._pick(family, *slugs).id

    def _init_node(self, site: Site) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "init")
        mapped = node_config(self.src, args[1] if len(args) > 1 else None, self.m.options.eu)
        if mapped.problem:
            return manual(row, mapped.problem, "ID010")
        config = obj(mapped.pairs) if mapped.pairs else ""
        client = site.client
        instance = client.role == "client" and client.member == "createInstance"
        token = site_token(self.m, args[0] if args else None, module_level=not instance)
        if instance:
            text = f"Mixpanel.init({token.expression}{', ' + config if config else ''})"
            return _review(self._row(site.family, "create-instance"),
                           "ID018", "ID010", *mapped.caveats, *SERVER_CAVEATS, statements=[],
                           notes=[("ID010", token.note), *mapped.notes],
                           edits=[(client.decl.node["init"], text)], initialises=id(client.decl))
        if site.statement is None:
            return manual(row, "init() is used as a value; Mixpanel's client is created once "
                          "at module level", "ID010")
        self.m.node_config = config or None
        self.m.module_token = self.m.module_token or token.expression
        notes = [("ID010", token.note), *mapped.notes]
        if site.block is not self.m.program["body"]:
            notes.append(("ID023", "init() ran only when this code ran (under a condition, in a "
                          "function); the Mixpanel client is created when the module loads, so "
                          "tracking calls send whether or not it did"))
        return _review(row, "ID010", *mapped.caveats, *SERVER_CAVEATS, statements=[],
                       notes=notes)

    def _init_rn(self, site: Site) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "init")
        user = args[1] if len(args) > 1 and args[1]["type"] != "ObjectExpression" else None
        opts = args[2] if len(args) > 2 else (args[1] if len(args) > 1 and user is None else None)
        if user is not None and is_nullish(user):
            user = None
        opt_out = None
        server = None
        notes: list[tuple[str | None, str]] = []
        caveats = ["ID010"]
        if opts is not None:
            if opts["type"] != "ObjectExpression":
                return manual(row, "the init options are not an object literal", "ID010")
            for prop in opts["properties"]:
                key = prop_key(prop)
                if key == "optOut":
                    opt_out = self.src.of(prop["value"])
                elif key == "serverZone" and prop["value"].get("value") == "EU":
                    server = self.src.string(EU_HOST)
                    caveats.append("ID022")
                else:
                    notes.append((None, f"init option {key} dropped: no Mixpanel equivalent"))
        if server is None and self.m.options.eu:
            server = self.src.string(EU_HOST)
            caveats.append("ID022")
        init_args = [opt_out or "false"] + (["undefined", server] if server else [])
        if opt_out is None and server is None:
            init_args = []
        mp = site.mp
        statements = [f"{mp}.init({', '.join(init_args)})"]
        if user is not None:
            caveats.append("ID002")
            identify = identify_when_set(self.src, mp, user)
            if identify is None:
                return _unknown_user(row)
            statements.append(identify)
        client = site.client
        edits: list[tuple[Node, str]] = []
        instance = client.role == "client" and client.member == "createInstance"
        token = site_token(self.m, args[0] if args else None, module_level=not instance)
        notes.insert(0, ("ID010", token.note))
        if not instance:
            self.m.module_token = self.m.module_token or token.expression
        if instance:
            edits.append((client.decl.node["init"], f"new Mixpanel({token.expression}, false)"))
            row = self._row(site.family, "create-instance")
            caveats.append("ID018")
        bound = id(client.decl) if edits else None
        if len(statements) == 1:
            return _review(row, *caveats, expression=statements[0], notes=notes, edits=edits,
                           initialises=bound)
        return _review(row, *caveats, statements=statements, notes=notes, edits=edits,
                       initialises=bound)

    # --- track -----------------------------------------------------------------------------
    @TRANSFORMS.register("track")
    def track(self, site: Site, rule: Rule) -> Outcome:
        if self.m.target(site.family).server:
            return self._track_node(site, rule)
        args = site.call["arguments"]
        row = rule.id
        if not args:
            return manual(row, "track() without an event")
        mp = site.mp
        if site.family == "amplitude-js":
            if len(args) <= 2:
                return _safe(self._row(site.family, "log-event"),
                             expression=f"{mp}.track({self.src.args(args)})")
            callback = args[2]
            callback_row = self._row(site.family, "log-event-callbacks")
            keep = [args[0], args[1]]
            notes: list[tuple[str | None, str]] = []
            if len(args) > 3:
                notes.append(("ID017" if len(args) > 4 else None,
                              "the error callback and outOfSession flag were dropped"))
            if is_nullish(callback):
                text = f"{mp}.track({self.src.args(keep)})"
            elif function_arity(callback) == 0:
                text = f"{mp}.track({self.src.args(keep)}, {self.src.of(callback)})"
            else:
                return manual(callback_row, "the callback reads Amplitude's response arguments; "
                              "Mixpanel calls back with 1/0 or {status, error}")
            return _review(callback_row, expression=text, notes=notes)
        event = args[0]
        if event["type"] == "ObjectExpression":
            return self._track_event_object(site, event, args[1:])
        props = args[1] if len(args) > 1 else None
        if len(args) <= 2:
            return _safe(row, expression=f"{mp}.track({self.src.args(args)})")
        options = args[2]
        options_row = self._row(site.family, "track-event-options")
        if options["type"] != "ObjectExpression":
            return manual(options_row, "the event options are not an object literal the tool can map")
        if any(prop_key(p) in ("user_id", "device_id") for p in options["properties"]):
            return manual(options_row,
                          "a per-event user_id/device_id cannot be sent from the web or RN client",
                          "ID020")
        mapped = event_props(self.src, options["properties"])
        if mapped.problem:
            return manual(options_row, mapped.problem)
        merged = merge_props(self.src, props, mapped.pairs) or "{}"
        return _review(options_row, *mapped.caveats,
                       expression=f"{mp}.track({self.src.of(event)}, {merged})", notes=mapped.notes)

    def _track_event_object(self, site: Site, event: Node, rest: list[Node]) -> Outcome:
        row = self._row(site.family, "track-event-object", "track-event-options")
        fields = {prop_key(p): p for p in event["properties"]}
        if None in fields or "event_type" not in fields or rest:
            return manual(row, "the event object is not a literal the tool can map")
        if "user_id" in fields or "device_id" in fields:
            return manual(row, "a per-event user_id/device_id cannot be sent from the web or RN "
                          "client", "ID020")
        skip = ("event_type", "event_properties", "user_properties", "groups",
                "group_properties")
        mapped = event_props(self.src, event["properties"], skip)
        if mapped.problem:
            return manual(row, mapped.problem)
        extra = list(mapped.pairs)
        if "groups" in fields:
            extra[:0] = spread(self.src, fields["groups"]["value"])
            mapped.caveats.append("ID011")
        props = fields.get("event_properties")
        merged = merge_props(self.src, props["value"] if props else None, extra)
        mp = site.mp
        name = self.src.of(fields["event_type"]["value"])
        call = f"{mp}.track({name}{', ' + merged if merged else ''})"
        if "user_properties" in fields:
            people = self.m.target(site.family).people
            statements = [call, f"{mp}.{people}.set({self.src.of(fields['user_properties']['value'])})"]
            return _review(row, "ID008", *mapped.caveats, statements=statements, notes=mapped.notes)
        return _review(row, *mapped.caveats, expression=call, notes=mapped.notes)

    def _identity(self, options: Node | None, camel: bool = False,
                  ) -> tuple[str | None, str | None, list[Node]] | None:
        """(user_id, device_id, other option properties) from a literal options object."""
        if options is None:
            return None, None, []
        if options["type"] != "ObjectExpression":
            return None
        user = device = None
        rest = []
        for prop in options["properties"]:
            key = _key(prop, camel)
            if key == "user_id":
                user = self.src.of(prop["value"])
            elif key == "device_id":
                device = self.src.of(prop["value"])
            else:
                rest.append(prop)
        return user, device, rest

    @staticmethod
    def did(user: str | None, device: str | None) -> str:
        """DID(u, d) of spec §0.3, JS form."""
        if user and device:
            return f"{user} ? {user} : `$device:${{{device}}}`"
        if user:
            return user
        return f"`$device:${{{device}}}`"

    @staticmethod
    def idprops(user: str | None, device: str | None) -> list[tuple[str, str]]:
        return ([("$user_id", user)] if user else []) + ([("$device_id", device)] if device else [])

    def _track_node(self, site: Site, rule_of_site: Rule) -> Outcome:
        """Server events; the row is picked by slug among the family's rules, so that one
        transform serves the SDKs whose events are objects only (`logEvent(event)`) too."""
        family = site.family
        objects_only = any(self.family_rule(family, slug) is not None
                           for slug in ("track-unresolved-event", "track-array"))
        args = site.call["arguments"]
        no_id = self._pick(family, "track-without-identity").id
        if not args:
            return manual(no_id, "track() without an event")
        event = args[0]
        extra_statements: list[str] = []
        caveats = ["ID006"]
        row = self._pick(family, "track-user")
        camel = self.m.registry.sdks[family].camel_keys
        if objects_only and event["type"] == "ArrayExpression" and self.family_rule(
            family, "track-array"
        ):
            return manual(self._pick(family, "track-array").id, "several events in one call: "
                          "write one track() per event by hand")
        if objects_only and event["type"] != "ObjectExpression":
            called = member_name(event["callee"]) if event["type"] == "CallExpression" and (
                event["callee"]["type"] == "MemberExpression") else None
            if called == "identifyGroup" and self.family_rule(family, "group-identify"):
                return manual(self._pick(family, "group-identify").id, "a group profile update "
                              "built by identifyGroup(): write groups.set(T, V, {...}) and its "
                              "siblings by hand (operations Amplitude dropped stay dropped)", "ID011")
            if called == "identifyUser" and self.family_rule(family, "identify-expansion"):
                return manual(self._pick(family, "identify-expansion").id, "a profile update built "
                              "by identifyUser(): call identify(U, D, identify) instead, which the "
                              "tool migrates", "ID012")
            return manual(self._pick(family, "track-unresolved-event", "track-without-identity").id,
                          "the event is not an "
                          "object literal the tool can map (a variable, a parameter); migrate this "
                          "by hand")
        awaited = self._pick(family, "track-awaited", "track-awaited-rejecting") if (
            objects_only) else rule_of_site
        if objects_only and (site.statement is None or site.promise):
            return manual(awaited.id, f"the result of {site.method}() is used: Mixpanel's track() "
                          "returns nothing and reports to a callback")
        options_row = None
        if objects_only and len(args) == 2 and args[1]["type"] == "ObjectExpression" and [
            prop_key(p) for p in args[1]["properties"]
        ] == ["min_id_length"] and self.family_rule(family, "track-min-id-length"):
            options_row = self._pick(family, "track-min-id-length")
            args = args[:1]
        if event["type"] == "ObjectExpression":
            fields = {_key(p, camel): p for p in event["properties"]}
            if None in fields or "event_type" not in fields or len(args) > 1:
                return manual(self._pick(family, "track-event-object", "track-unresolved-event",
                                         "track-without-identity").id,
                              "the event object is not a literal the tool can map")
            if objects_only and any(k in fields for k in _REVENUE_FIELDS):
                return manual(self._pick(family, "track-revenue", "track-user-properties").id,
                              "revenue fields: compute price, quantity and revenue as the revenue "
                              "rows do, by hand", "ID013")
            identity = self._identity(event, camel)
            assert identity is not None
            user, device, _ = identity
            skip: tuple[str, ...] = ("event_type", "event_properties", "user_properties", "groups",
                                     "group_properties", "user_id", "device_id")
            skip += tuple(k for k, v in _CAMEL.items() if camel and v in skip)
            mapped = event_props(self.src, event["properties"], skip)
            name = self.src.of(fields["event_type"]["value"])
            props = fields["event_properties"]["value"] if "event_properties" in fields else None
            groups = fields.get("groups")
            slugs = ["track-event-object"]
            if "user_properties" in fields:
                slugs.append("track-user-properties")
            if groups is not None:
                slugs += ["track-groups", "track-user-properties"]
            if mapped.pairs or mapped.notes:
                slugs.append("track-event-options")
            row = self._pick(family, *slugs, "track-user")
            if "user_properties" in fields and (user or device):
                extra_statements.append(
                    f"{site.mp}.people.set({self.did(user, device)}, "
                    f"{self.src.of(fields['user_properties']['value'])})")
                caveats.append("ID008")
            if objects_only and row.safety == "safe" and not all(
                is_stringish(fields[k]["value"]) for k in ("user_id", "device_id") if k in fields
            ):
                row = self._pick(family, "track-event-options")
                caveats.append("ID021")
        else:
            identity = self._identity(args[2] if len(args) > 2 else None)
            if identity is None:
                return manual(self._pick(family, "track-event-options").id,
                              "the event options are not an object literal the tool can map")
            user, device, rest = identity
            mapped = event_props(self.src, rest)
            name = self.src.of(event)
            props = args[1] if len(args) > 1 else None
            groups = None
            if rest:
                row = self._pick(family, "track-event-options")
        if not user and not device:
            return self._no_identity(site, event, no_id)
        if mapped.problem:
            return manual(row.id, mapped.problem)
        extra: list[tuple[str, str]] = []
        if groups is not None:
            extra += spread(self.src, groups["value"])
            caveats.append("ID011")
        extra += [("distinct_id", self.did(user, device)), *self.idprops(user, device), *mapped.pairs]
        merged = merge_props(self.src, props, extra)
        caveats += mapped.caveats
        mapped.notes += _twice(user, device)
        call = f"{site.mp}.track({name}, {merged})"
        if options_row is not None:
            row = options_row
            caveats.append("ID021")
            mapped.notes.append(("ID021", "min_id_length dropped: Mixpanel has no minimum id length"))
        safety = _safe if row.safety == "safe" else _review
        if objects_only and site.awaited:
            # The legacy Node SDK's promise resolved even when sending failed: resolve-only on
            # purpose; the community package's rejected on HTTP errors, and so does the wrapper.
            done = "(err) => (err ? reject(err) : resolve())" if awaited.slug.endswith(
                "rejecting") else "() => resolve()" if self.m.typed else "resolve"
            head = "(resolve, reject)" if awaited.slug.endswith("rejecting") else "(resolve)"
            wrapped = f"await {self._new_promise()}({head} => {call[:-1]}, {done}))"
            return _review(awaited.id, *caveats, "ID023",
                           statements=[wrapped, *extra_statements], notes=mapped.notes)
        if site.awaited and site.promise and not extra_statements:
            wrapped = (f"await {self._new_promise()}((resolve, reject) => "
                       f"{call[:-1]}, (err) => (err ? reject(err) : resolve())))")
            out = _review(row.id, *caveats, notes=mapped.notes)
            out.statements = [wrapped] if site.statement is not None else None
            out.expression = None if site.statement is not None else call
            out.notes.append(("ID023", "the awaited .promise became a callback-wrapped Promise"))
            return out
        if extra_statements:
            return safety(row.id, *caveats, statements=[call, *extra_statements], notes=mapped.notes)
        return safety(row.id, *caveats, expression=call, notes=mapped.notes)

    def _no_identity(self, site: Site, event: Node, no_id: str) -> Outcome:
        """A server event the call gives no id: said from what built the event, when a
        variable names it (its id may be set in the statements above)."""
        shown = self.src.of(event)
        if len(shown) > 40:
            kind = [p["value"] for p in event.get("properties") or []
                    if prop_key(p) in ("event_type", "eventType")]
            shown = f"{{ event_type: {self.src.of(kind[0])}, ... }}" if kind else "..."
        said = f"{self.src.of(site.call['callee'])}({shown})"
        if event["type"] != "Identifier":
            return manual(no_id, no_identity_message(event, said, None), "ID006")
        variable = event_variable(self.m.b.scopes, event, site.call, self.m.line)
        if variable.ids:
            row = self._pick(site.family, "track-event-object", "track-without-identity")
            return manual(row.id, ids_set_message(said, variable), "ID006")
        return manual(no_id, no_identity_message(event, said, variable), "ID006")

    def _new_promise(self) -> str:
        """`new Promise<void>` in TypeScript, where a Promise of unknown whose resolve() gets
        no value fails strict type checking (TS2794)."""
        return "new Promise<void>" if self.m.typed else "new Promise"

    @TRANSFORMS.register("track_with_timestamp")
    def track_with_timestamp(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "log-event-with-timestamp")
        if len(args) < 3:
            return manual(row, "logEventWithTimestamp() without a timestamp")
        if len(args) > 3 and not is_nullish(args[3]):
            return manual(row, "the callback cannot be carried over", "ID014")
        merged = merge_props(self.src, None if is_nullish(args[1]) else args[1],
                             [("time", self.src.of(args[2]))])
        return _review(row, "ID014", expression=f"{site.mp}.track({self.src.of(args[0])}, {merged})")

    @TRANSFORMS.register("track_with_groups")
    def track_with_groups(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "log-event-with-groups")
        if len(args) < 3 or len(args) > 3:
            return manual(row, "logEventWithGroups() with callbacks or without groups", "ID011")
        props = "{}" if is_nullish(args[1]) else (
            self.src.of(args[1]) if args[1]["type"] == "ObjectExpression"
            else f"{self.src.operand(args[1])} || {{}}")
        return _safe(row, "ID011", expression=(
            f"{site.mp}.track_with_groups({self.src.of(args[0])}, {props}, {self.src.of(args[2])})"))

    # --- identity --------------------------------------------------------------------------
    @TRANSFORMS.register("set_user_id")
    def set_user_id(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        js = site.family == "amplitude-js"
        rn = site.family == "react-native"
        mp = site.mp
        if not args or is_nullish(args[0]):
            pair = self._regenerate_next(site)
            if pair is not None:
                return _safe(self._row(site.family, "logout-pair"),
                             "ID003", statements=[f"{mp}.reset()"], consumed=[pair])
            row = self._row(site.family, "set-user-id-null", "set-user-id-undefined")
            return _review(row, "ID003", expression=f"{mp}.reset()")
        user = args[0]
        if js and len(args) > 1:
            return _review(self._row(site.family, "set-user-id-new-session"),
                           "ID002", "ID017", expression=f"{mp}.identify({self.src.of(user)})")
        if rn:
            return _safe(self._row(site.family, "set-user-id"),
                         "ID002", expression=f"{mp}.identify({self.src.of(user)})")
        if is_stringish(user):
            return _safe(self._row(site.family, "set-user-id-literal"), "ID001", "ID002",
                         expression=f"{mp}.identify({self.src.of(user)})")
        return _review(self._row(site.family, "set-user-id-variable"), "ID002", "ID003",
                       expression=f"{mp}.identify({self.src.of(user)})")

    def _regenerate_next(self, site: Site) -> Node | None:
        """The `regenerateDeviceId()` statement right after `setUserId(null)`, same receiver."""
        if site.statement is None or site.block is None:
            return None
        index = next(i for i, s in enumerate(site.block) if s is site.statement)
        if index + 1 >= len(site.block):
            return None
        following = site.block[index + 1]
        expr = following.get("expression") if following["type"] == "ExpressionStatement" else None
        if not expr or expr["type"] != "CallExpression" or expr["callee"]["type"] != "MemberExpression":
            return None
        callee = expr["callee"]
        receiver = site.call["callee"].get("object") if site.call["callee"]["type"] == (
            "MemberExpression") else None
        if receiver is None or callee["property"].get("name") != "regenerateDeviceId":
            return None
        if self.src.of(callee["object"]) != self.src.of(receiver):
            return None
        self.m.handled.add(id(expr))
        return following

    @TRANSFORMS.register("set_identity")
    def set_identity(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "set-identity")
        if len(args) != 1 or args[0]["type"] != "ObjectExpression":
            return manual(row, "setIdentity() without an object literal")
        fields = {prop_key(p): p for p in args[0]["properties"]}
        if "deviceId" in fields or None in fields:
            return manual(row, "setIdentity() sets a device id", "ID005")
        statements = []
        if "userId" in fields:
            statements.append(f"{site.mp}.identify({self.src.of(fields['userId']['value'])})")
        if "userProperties" in fields:
            statements.append(f"{site.mp}.people.set({self.src.of(fields['userProperties']['value'])})")
        return _review(row, "ID002", "ID004", statements=statements)

    @TRANSFORMS.register("set_group")
    def set_group(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "set-group")
        if self.m.target(site.family).server:
            identity = self._identity(args[2] if len(args) > 2 else None)
            if len(args) < 2 or identity is None or not (identity[0] or identity[1]):
                return manual(row, "setGroup() without a literal user_id/device_id", "ID011")
            user, device, _ = identity
            group = args[1]
            value = (self.src.of(group) if group["type"] == "ArrayExpression"
                     else f"[{self.src.of(group)}]" if is_stringish(group)
                     else f"[].concat({self.src.of(group)})")
            key = self.src.of(args[0])
            key = key if args[0]["type"] == "Literal" else f"[{key}]"
            caveats = ["ID011"] + (["ID007"] if not user else [])
            return _review(row, *caveats, expression=(
                f"{site.mp}.people.set({self.did(user, device)}, {{{key}: {value}}})"))
        if len(args) != 2:
            return manual(row, "setGroup() with event options", "ID011")
        return _safe(row, "ID011", expression=f"{site.mp}.set_group({self.src.args(args)})")

    @TRANSFORMS.register("opt_out")
    def opt_out(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        target = self.m.target(site.family)
        row = rule.id
        if not args:
            return manual(row, "setOptOut() without an argument", "ID019")
        out_call = f"{site.mp}.{target.opt_out}"
        in_call = f"{site.mp}.{target.opt_in}"
        value = args[0].get("value") if args[0]["type"] == "Literal" else None
        if value is True:
            return _review(row, "ID019", expression=out_call)
        opt_in = self.family_rule(site.family, "opt-in")
        in_row = opt_in.id if opt_in is not None else row
        if value is False:
            return _review(in_row, "ID019", expression=in_call)
        return _review(in_row, "ID019",
                       expression=f"{_condition(self.src, args[0])} ? {out_call} : {in_call}")

    @TRANSFORMS.register("transport")
    def transport(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = rule.id
        value = args[0].get("value") if args and args[0]["type"] == "Literal" else None
        names = {"beacon": "sendBeacon", "http": "XHR", "xhr": "XHR", "fetch": "XHR"}
        if value not in names:
            return manual(row, "setTransport() with a value the tool cannot map")
        return _review(row, expression=(
            f"{site.mp}.set_config({{api_transport: {self.src.string(names[value])}}})"))

    @TRANSFORMS.register("server_zone")
    def server_zone(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "server-zone")
        value = args[0].get("value") if args and args[0]["type"] == "Literal" else None
        if site.method != "setServerZone" or value != "EU":
            return manual(row, "a custom server URL (proxy) cannot be carried over as is", "ID022")
        return _review(row, "ID022", expression=(
            f"{site.mp}.set_config({{api_host: {self.src.string(EU_HOST)}}})"))

    @TRANSFORMS.register("screen_view")
    def screen_view(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "track-screen-view")
        if not args or len(args) > 2:
            return manual(row, "trackScreenView() with event options", "ID025")
        props = merge_props(self.src, args[1] if len(args) > 1 else None,
                            [("screen_name", self.src.of(args[0]))])
        return _review(row, "ID025", expression=(
            f"{site.mp}.track({self.src.string('Screen Viewed')}, {props})"))

    # --- revenue ---------------------------------------------------------------------------
    @TRANSFORMS.register("log_revenue")
    def log_revenue(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "log-revenue")
        if not args or len(args) > 3:
            return manual(row, "logRevenue() without a price", "ID013")
        price = self.src.operand(args[0])
        pairs = [("price", self.src.of(args[0]))]
        if len(args) > 1 and args[1]["type"] == "Literal" and isinstance(args[1]["value"], int | float):
            quantity = self.src.of(args[1])
            pairs.append(("quantity", quantity))
        elif len(args) > 1:
            quantity = f"({self.src.of(args[1])} || 1)"
            pairs.append(("quantity", f"{self.src.operand(args[1])} || 1"))
        else:
            quantity = ""
        if len(args) > 2:
            pairs.append(("product_id", self.src.of(args[2])))
        pairs.append(("revenue", f"{price} * {quantity}" if quantity else self.src.of(args[0])))
        event = self.src.string(self.m.options.revenue_event)
        return _review(row, "ID013", expression=f"{site.mp}.track({event}, {obj(pairs)})")

    @TRANSFORMS.register("revenue")
    def revenue(self, site: Site, rule: Rule) -> Outcome:
        row = rule.id
        args = site.call["arguments"]
        builder = resolve(self.m, args[0] if args else None, "Revenue", site.statement, site.block)
        if builder is None:
            return manual(row, "the Revenue object is not built where the tool can follow it",
                          "ID013")
        values: dict[str, Node] = {}
        spreads: list[tuple[str, str]] = []
        names = {"setPrice": "price", "setQuantity": "quantity", "setRevenue": "revenue",
                 "setProductId": "product_id", "setRevenueType": "revenue_type",
                 "setCurrency": "currency", "setReceipt": "receipt", "setReceiptSig": "receipt_sig"}
        for op, op_args in builder.ops:
            if op == "setEventProperties" and op_args:
                spreads += spread(self.src, op_args[0])
            elif op in names and op_args:
                values.setdefault(names[op], op_args[0])
            else:
                return manual(row, f"Revenue.{op}() has no mapping", "ID013")
        pairs: list[tuple[str, str]] = [(k, self.src.of(values[k])) for k in ("price", "quantity")
                                         if k in values]
        if "price" in values:
            total = self.src.operand(values["price"])
            if "quantity" in values:
                total += f" * {self.src.operand(values['quantity'])}"
            pairs.append(("revenue", total))
        elif "revenue" in values:
            pairs.append(("revenue", self.src.of(values["revenue"])))
        pairs += [(k, self.src.of(values[k])) for k in ("product_id", "revenue_type", "currency",
                                                        "receipt", "receipt_sig") if k in values]
        pairs += spreads
        notes: list[tuple[str | None, str]] = []
        if "receipt" in values:
            notes.append(("ID013", "Mixpanel does not verify receipts"))
        caveats = ["ID013"]
        if self.m.target(site.family).server:
            identity = self._identity(args[1] if len(args) > 1 else None)
            if identity is None or not (identity[0] or identity[1]):
                return manual(self._row(site.family, "revenue"),
                              "revenue() without a literal user_id/device_id", "ID006")
            user, device, _ = identity
            pairs += [("distinct_id", self.did(user, device)), *self.idprops(user, device)]
            caveats.append("ID006")
        elif len(args) > 1:
            return manual(row, "revenue() with event options", "ID020")
        event = self.src.string(self.m.options.revenue_event)
        call = f"{site.mp}.track({event}, {obj(pairs)})"
        if builder.statements:
            return _review(row, *caveats, statements=[call], consumed=builder.statements, notes=notes)
        return _review(row, *caveats, expression=call, notes=notes)

    # --- identify --------------------------------------------------------------------------
    @TRANSFORMS.register("identify")
    def identify(self, site: Site, rule: Rule) -> Outcome:
        row = rule.id
        args = site.call["arguments"]
        server = self.m.target(site.family).server
        if server and self.family_rule(site.family, "identify-skipped") is not None:
            return self._identify_ids(site)
        if server and self.family_rule(site.family, "identify-plain-keys") is not None:
            return self._identify_object(site)
        caveats = [] if server else ["ID004"]
        did = None
        callbacks = False
        notes: list[tuple[str | None, str]] = []
        if server:
            identity = self._identity(args[1] if len(args) > 1 else None)
            if identity is None or not (identity[0] or identity[1]):
                return manual(self._row(site.family, "identify-expansion"),
                              "identify() without a literal user_id/device_id", "ID006")
            did = self.did(identity[0], identity[1])
            notes = _twice(*identity[:2])
            if not identity[0]:
                caveats.append("ID007")
        elif site.family == "amplitude-js" and len(args) > 1:
            row = self._row(site.family, "identify-callbacks")
            callbacks = True
            if any(not is_nullish(a) and function_arity(a) != 0 for a in args[1:3]):
                return manual(row, "identify() with callbacks that read Amplitude's response")
        elif len(args) > 1:
            return manual(row, "identify() with event options", "ID020")
        builder = resolve(self.m, args[0] if args else None, "Identify", site.statement, site.block)
        if builder is None:
            return manual(row, "the Identify object is not built where the tool can follow it "
                          "(conditionally, in a loop, passed around)", "ID012")
        grouped, problem = _group_ops(self.src, builder.ops)
        if problem:
            return manual(row, problem, "ID012")
        statements, approx = self._emit_user(site, grouped, did)
        if approx:
            caveats.append("ID012")
        if not statements:
            return manual(row, "the Identify object sets nothing", "ID012")
        if callbacks:
            notes.append((None, "identify() callbacks were dropped: people calls are queued"))
        return _review(row, *caveats, statements=statements, consumed=builder.statements,
                       notes=notes)

    def _identify_object(self, site: Site) -> Outcome:
        """`a.identify({user_id, device_id, user_properties: {k: v}})`: plain keys, which
        Amplitude's Identify API set, become one `people.set`; operators and other fields are
        reported."""
        family = site.family
        camel = self.m.registry.sdks[family].camel_keys
        args = site.call["arguments"]
        unresolved = self._pick(family, "identify-unresolved").id
        if len(args) != 1 or args[0]["type"] != "ObjectExpression":
            return manual(unresolved, "identify() without one identification object literal "
                          "(an array, a variable)")
        fields = {_key(p, camel): p for p in args[0]["properties"]}
        if None in fields or set(fields) - {"user_id", "device_id", "user_properties"}:
            return manual(unresolved, "identification fields other than the ids and "
                          "user_properties: Mixpanel profiles have no device fields", "ID012")
        user, device, _ = self._identity(args[0], camel) or (None, None, [])
        props = fields.get("user_properties")
        if not (user or device) or props is None or props["value"]["type"] != "ObjectExpression":
            return manual(unresolved, "identify() without a literal id and user_properties "
                          "object", "ID006")
        keys = [prop_key(p) for p in props["value"]["properties"]]
        if None in keys or not keys:
            return manual(unresolved, "user_properties with a spread, a computed key or nothing")
        operators = [k for k in keys if k and k.startswith("$")]
        if operators and len(operators) < len(keys):
            return manual(unresolved, "user_properties mix operators and plain keys", "ID012")
        if operators:
            return manual(self._pick(family, "identify-operators").id, "user_properties "
                          f"operators ({', '.join(operators)}): write the people calls by hand",
                          "ID012")
        if site.statement is None or site.promise:
            return manual(self._pick(family, "track-awaited-rejecting").id, "the result of "
                          "identify() is used: Mixpanel's people.set() returns nothing")
        call = f"{site.mp}.people.set({self.did(user, device)}, {self.src.of(props['value'])})"
        caveats = [] if user else ["ID007"]
        row = self._pick(family, "identify-plain-keys").id
        if site.awaited:
            call = (f"await {self._new_promise()}((resolve, reject) => {call[:-1]}, "
                    "(err) => (err ? reject(err) : resolve())))")
            return _review(self._pick(family, "track-awaited-rejecting").id, *caveats, "ID023",
                           statements=[call], notes=_twice(user, device))
        return _review(row, *caveats, expression=call, notes=_twice(user, device))

    def _identify_ids(self, site: Site) -> Outcome:
        """`c.identify(U, D, identify)`: the ids lead, the Identify object follows, and
        Amplitude's builder validation is replayed (first operation per property wins, `add`
        of a non-number is dropped, a `null` value threw, `setGroup` sets the group key)."""
        family = site.family
        args = site.call["arguments"]
        row = self._pick(family, "identify-expansion")
        skipped = self._pick(family, "identify-skipped").id
        if len(args) != 3 or any(a["type"] == "SpreadElement" for a in args):
            return manual(skipped, "identify() takes (userId, deviceId, identify); Amplitude "
                          "skipped any other call")
        user, device = (None if is_nullish(a) else self.src.of(a) for a in args[:2])
        if not user and not device:
            return manual(skipped, "identify() with neither a user id nor a device id: Amplitude "
                          "skipped it", "ID006")
        if site.statement is None or site.awaited:
            return manual(self._pick(family, "track-awaited").id, "the result of identify() is "
                          "waited for or used: Mixpanel's people calls report to callbacks")
        builder = resolve(self.m, args[2], "Identify", site.statement, site.block)
        if builder is None:
            return manual(self._pick(family, "identify-unconsumed").id, "the Identify object is "
                          "not built where the tool can follow it (conditionally, in a loop, "
                          "passed around)", "ID012")
        ops: list[tuple[str, list[Node]]] = []
        groups: list[tuple[str, str]] = []
        notes: list[tuple[str | None, str]] = list(_twice(user, device))
        for op, op_args in builder.ops:
            value = op_args[1] if len(op_args) > 1 else None
            if value is not None and op in _NULL_THROWS and value["type"] == "Literal" and (
                value["value"] is None
            ):
                return manual(row.id, f"Identify.{op}() with a null value threw a TypeError in "
                              "Amplitude; the rewrite would start sending it", "ID012")
            if op == "add" and value is not None and value["type"] == "Literal" and not isinstance(
                value["value"], (int, float)
            ):
                notes.append((None, f"Identify.add({self.src.of(op_args[0])}, ...) with a "
                              "non-number was dropped by Amplitude and is dropped here"))
                continue
            if op == "setGroup" and value is not None:
                groups.append((self.src.of(op_args[0]), f"[].concat({self.src.of(value)})"))
                continue
            ops.append((op, op_args))
        grouped, problem = _group_ops(self.src, ops)
        if problem:
            return manual(row.id, problem, "ID012")
        caveats = ["ID012"] + ([] if user else ["ID007"])
        if groups:
            keys = {k for pairs in grouped.values() for k, _ in pairs}
            if len({k for k, _ in groups}) < len(groups) or keys & {k for k, _ in groups}:
                return manual(row.id, "setGroup() and another operation name one property: "
                              "Amplitude kept the first; order them by hand", "ID011")
            grouped.setdefault("set", []).extend(groups)
            row = self._pick(family, "identify-set-group")
            caveats.append("ID011")
        statements, _ = self._emit_user(site, grouped, self.did(user, device))
        if not statements:
            return manual(row.id, "the Identify object sets nothing", "ID012")
        return _review(row.id, *caveats, statements=statements, consumed=builder.statements,
                       notes=notes)

    @TRANSFORMS.register("group_identify")
    def group_identify(self, site: Site, rule: Rule) -> Outcome:
        row = rule.id
        args = site.call["arguments"]
        if len(args) < 3:
            return manual(row, "groupIdentify() without an Identify object", "ID011")
        if args[1]["type"] == "ArrayExpression":
            return manual(row, "several group names: Mixpanel updates one group profile at a time",
                          "ID011")
        if len(args) > 3:
            return manual(row, "groupIdentify() with event options or callbacks", "ID011")
        builder = resolve(self.m, args[2], "Identify", site.statement, site.block)
        if builder is None:
            return manual(row, "the Identify object is not built where the tool can follow it",
                          "ID012")
        grouped, problem = _group_ops(self.src, builder.ops)
        if problem is None and any(op in grouped for op in ("add", "append")):
            problem = "group profiles have no increment/append in Mixpanel"
        if problem:
            return manual(row, problem, "ID011")
        t, n = self.src.of(args[0]), self.src.of(args[1])
        caveats = ["ID011"] + (["ID012"] if "union" in grouped or "remove" in grouped else [])
        if self.m.target(site.family).group_cached:
            problem = self._one_group(args)
            if problem:
                return manual(row, problem, "ID026")
            caveats.append("ID026")
        statements = self._emit_group(site, grouped, t, n)
        return _review(row, *caveats, statements=statements, consumed=builder.statements)

    def _one_group(self, args: list[Node]) -> str | None:
        """ID026: mixpanel-react-native's getGroup() returns its first group for any arguments,
        so a module's instance may address one (key, name) pair, and only a literal one."""
        pair = group_pair(args)
        if pair is None:
            return ("the group key or name is not a literal: mixpanel-react-native's getGroup() "
                    "returns its first group whatever it is asked for")
        first = self.m.rn_group
        if first is None:
            # A getGroup() already in the module (an earlier run's) came first.
            first = next((p for node, _ in self.m.b.scopes.nodes
                          if node["type"] == "CallExpression"
                          and node["callee"]["type"] == "MemberExpression"
                          and member_name(node["callee"]) == "getGroup"
                          and (p := group_pair(node["arguments"])) is not None), None)
        if first is not None and first != pair:
            return (f"getGroup() returns the group {first[0]!r}/{first[1]!r} in this module: "
                    "mixpanel-react-native would update that group instead")
        self.m.rn_group = pair
        return None

    def _emit_user(self, site: Site, g: dict[str, list[tuple[str, str]]],
                   did: str | None) -> tuple[list[str], bool]:
        mp = site.mp
        target = self.m.target(site.family)
        rn = target.per_key
        people = f"{mp}.{target.people}"
        pre = f"{did}, " if did else ""
        out: list[str] = []
        approx = False
        names = {"set": "set", "setOnce": target.set_once, "add": "increment"}
        for op in ("unset", "set", "setOnce", "add", "append", "union", "remove"):
            pairs = g.get(op)
            if not pairs:
                continue
            if op == "unset":
                keys = [k for k, _ in pairs]
                if rn:
                    out += [f"{people}.unset({k})" for k in keys]
                else:
                    out.append(f"{people}.unset({pre}[{', '.join(keys)}])")
            elif op in names:
                out.append(f"{people}.{names[op]}({pre}{_dict(pairs)})")
            elif rn:
                approx = approx or op != "append"
                out += [f"{people}.{op}({k}, {v})" for k, v in pairs]
            else:
                approx = approx or op != "append"
                out.append(f"{people}.{op}({pre}{_dict(pairs)})")
        return out, approx

    def _emit_group(self, site: Site, g: dict[str, list[tuple[str, str]]], t: str, n: str) -> list[str]:
        mp = site.mp
        out: list[str] = []
        target = self.m.target(site.family)
        if target.server:
            names = {"set": "set", "setOnce": target.set_once, "union": "union", "remove": "remove"}
            for op in ("unset", "set", "setOnce", "union", "remove"):
                pairs = g.get(op)
                if not pairs:
                    continue
                if op == "unset":
                    out.append(f"{mp}.groups.unset({t}, {n}, [{', '.join(k for k, _ in pairs)}])")
                else:
                    out.append(f"{mp}.groups.{names[op]}({t}, {n}, {_dict(pairs)})")
            return out
        group = f"{mp}.{target.group}({t}, {n})"
        for op in ("unset", "set", "setOnce", "union", "remove"):
            pairs = g.get(op)
            if not pairs:
                continue
            name = target.set_once if op == "setOnce" else op
            if op == "unset":
                out += [f"{group}.unset({k})" for k, _ in pairs]
            elif op in ("set", "setOnce") and not target.per_key:
                out.append(f"{group}.{name}({_dict(pairs)})")
            else:
                out += [f"{group}.{name}({k}, {v})" for k, v in pairs]
        return out


# Keys an SDK with `camel_keys` also accepts, in the spelling the rules read.
_CAMEL = {"userId": "user_id", "deviceId": "device_id", "eventType": "event_type",
          "eventProperties": "event_properties", "userProperties": "user_properties",
          "sessionId": "session_id"}


def _key(prop: Node, camel: bool) -> str | None:
    key = prop_key(prop)
    return _CAMEL.get(key, key) if camel and key is not None else key


def group_pair(args: list[Node]) -> tuple[object, object] | None:
    """The literal (group key, group name) of a call's first two arguments, if both are."""
    values = []
    for arg in args[:2]:
        value = string_value(arg)
        if value is None and arg["type"] == "Literal" and isinstance(arg.get("value"), (int, float)) \
                and not isinstance(arg.get("value"), bool):
            value = arg["value"]
        if value is None:
            return None
        values.append(value)
    return (values[0], values[1]) if len(values) == 2 else None


def _dict(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{_obj_key(k)}: {v}" for k, v in pairs) + "}"


def _obj_key(key_source: str) -> str:
    """An object key from the source of an Identify key argument."""
    if key_source[:1] in "'\"" and key_source[1:-1].replace("_", "a").replace("$", "a").isalnum() and (
        not key_source[1:2].isdigit()
    ):
        return key_source[1:-1]
    if key_source[:1] in "'\"":
        return key_source
    return f"[{key_source}]"


def _group_ops(src, ops: list[tuple[str, list[Node]]]) -> tuple[dict[str, list[tuple[str, str]]], str | None]:
    """Replay Amplitude's Identify validation (first op per key wins) and group by operator."""
    seen: set[str] = set()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for op, args in ops:
        if op not in _USER_OPS:
            return grouped, f"Identify.{op}() is not an operation the tool knows"
        if op == "clearAll":
            return grouped, "clearAll() has no Mixpanel equivalent (delete_user removes the profile)"
        if op == "prepend":
            return grouped, "prepend() has no Mixpanel equivalent"
        if not args or (op != "unset" and len(args) < 2):
            return grouped, f"Identify.{op}() without its arguments"
        key = src.of(args[0])
        value = src.of(args[1]) if op != "unset" else ""
        if key in seen:
            continue  # Amplitude drops a second operation on one property
        seen.add(key)
        if op in ("preInsert", "postInsert"):
            node = args[1]
            value = value if node["type"] == "ArrayExpression" else (
                f"[{value}]" if node["type"] == "Literal" else f"[].concat({value})")
            op = "union"
        grouped.setdefault(op, []).append((key, value))
    return grouped, None


def _add_loaded(init_call: str, callback: str) -> str:
    """Add `loaded: cb` to a generated `X.init(TOKEN[, {...}][, name])` call."""
    head, _, rest = init_call.partition("(")
    if "{" in rest:
        brace = rest.index("{")
        inner = rest[brace + 1 :]
        sep = "" if inner.startswith("}") else ", "
        return f"{head}({rest[:brace]}{{loaded: {callback}{sep}{inner}"
    return f"{init_call[:-1]}, {{loaded: {callback}}})"


def _twice(user: str | None, device: str | None) -> list[tuple[str | None, str]]:
    """DID(u, d) reads `u` twice: a call there runs twice (spec §0.3 says hoist it)."""
    if user and device and "(" in user:
        return [("ID006", f"{user} is evaluated twice in the distinct id: hoist it into a "
                 "variable if it has side effects or is slow")]
    return []


_LOOSER_THAN_CONDITIONAL = ("AssignmentExpression", "SequenceExpression", "ConditionalExpression",
                            "ArrowFunctionExpression", "YieldExpression")


def _condition(src, node: Node) -> str:
    """A conditional's test that never starts with `(`: a statement starting with a paren
    would continue the previous line in files without semicolons."""
    text = src.of(node)
    return f"Boolean({text})" if node["type"] in _LOOSER_THAN_CONDITIONAL else text
