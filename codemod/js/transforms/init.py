"""Creating the client: `init` (rows `init`, `init-user`, `init-user-callback`,
`init-named-instance`, `create-instance`, `constructor-ids`) and `on_init` (row `on-init`),
which folds an `onInit(cb)` right before `init()` into init's `loaded` option.

Browser, React Native, Node and client-returning SDKs each create Mixpanel differently (spec
§3.1, legacy-sdks §1.3), so this is the largest concept; it lives alone so its option mapping
and token handling stay in one place."""

from __future__ import annotations

from ...catalogue import Rule
from ..estree import Node
from ..keys import site_token
from ..options_map import (
    EU_HOST,
    Mapped,
    browser_config,
    community_config,
    legacy_node_config,
    node_config,
)
from ..outcome import Outcome, Site, manual
from ..text import function_arity, identify_when_set, is_nullish, obj, prop_key
from .base import TRANSFORMS, TransformsCore, _key, _review

# Said where a server client is created: Mixpanel's Node SDK sends each call at once, with
# no queue, retries or flush (ID023), and geolocates nothing unless given the client's ip (ID024).
SERVER_CAVEATS = ("ID023", "ID024")


def _unknown_user(rule: str) -> Outcome:
    """init's user id comes from a call: it cannot be both tested and passed on unchanged."""
    return manual(rule, "the user id passed to init() is computed by a call: identify() must "
                  "run only when it is set (Mixpanel's identify(undefined) erases the distinct "
                  "id), so migrate this by hand", "ID002")


def _add_loaded(init_call: str, callback: str) -> str:
    """Add `loaded: cb` to a generated `X.init(TOKEN[, {...}][, name])` call."""
    head, _, rest = init_call.partition("(")
    if "{" in rest:
        brace = rest.index("{")
        inner = rest[brace + 1 :]
        sep = "" if inner.startswith("}") else ", "
        return f"{head}({rest[:brace]}{{loaded: {callback}{sep}{inner}"
    return f"{init_call[:-1]}, {{loaded: {callback}}})"


class InitTransforms(TransformsCore):
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
        # A client another module exports is Mixpanel's module there: initialised through the
        # name this module imports it by (this module has no `mixpanel` of its own).
        init_target = site.mp if client.fact is not None and name is None else (
            "window.mixpanel" if site.mp.startswith("window.") else "mixpanel")
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
