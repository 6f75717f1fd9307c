"""JavaScript/TypeScript migration of one parsed program: find sites, plan, splice.

Sites are calls whose receiver `bindings` proves to be an Amplitude client; each is handed to
the rule the catalogue names for its (SDK family, method), and the outcome becomes span edits
on the original text. Imports go last: an Amplitude import is replaced or removed only when
every reference to its names was inside a rewritten span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..catalogue import Catalogue, Rule
from ..clients import HELD_USE, Client, Decision, Use, held_use
from ..engine import disabled_finding
from ..messages import site_facts
from ..options import Options, injected_as
from ..results import Change, Finding, Severity
from . import react_native_legacy  # noqa: F401  (registers its transforms)
from .awaiting import dropped_message, settle
from .bindings import (
    CASTS,
    Binding,
    Bindings,
    Decl,
    instance_name,
    member_name,
    react_function,
    require_source,
    string_value,
)
from .context import RuntimeContext, context_outcome, moved_message, server_families
from .edits import Edit, apply_edits
from .estree import Node
from .outcome import Outcome, Site, manual
from .shared import read_key, set_key, spelled
from .targets import TARGETS, JsTarget
from .text import Source
from .transforms import TRANSFORMS, Transforms

TODO_MARK = "TODO(amp2mp)"
_BLOCK_PARENTS = ("Program", "BlockStatement", "StaticBlock")
_SNIPPET_HINTS = ("getInstance(", "logRevenueV2", "logEventWithTimestamp")
_LINE_REST = re.compile(r"[ \t]*(\r\n|\r|\n|$)")  # what may follow a statement alone on its line
_BLANK_LINE = re.compile(r"[ \t]*(\r\n|\r|\n)")
_OWN_CLIENTS = ("createInstance", "init", "constructor")  # clients kept in their own variable
_MADE = ("init", "constructor")  # forms whose client is made by one expression: migrated whole
_DEPENDENT = ("useEffect", "useLayoutEffect", "useInsertionEffect", "useCallback", "useMemo",
              "useImperativeHandle")  # React hooks taking a dependency array second


@dataclass
class Result:
    """Edits relative to the migrated text, with the changes and findings they carry."""

    edits: list[Edit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class Lines:
    """1-based line numbers of str indices in the whole file (any newline style)."""

    def __init__(self, full: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", full)]

    def line(self, index: int) -> int:
        return bisect_right(self.starts, index)


class Migrator:
    """Plans the edits for one program (a file, or one `<script>` block of it)."""

    def __init__(self, program: Node, text: str, base: int, lines: Lines, newline: str,
                 catalogue: Catalogue, options: Options, typed: bool = False,
                 skip: list[list[int]] | None = None, decision: Decision | None = None,
                 context: RuntimeContext | None = None, page: bool = False,
                 page_text: str | None = None, quote: str | None = None) -> None:
        self.program = program
        self.context = context  # where the module runs, when not in a browser (`context.py`)
        self.page = page  # a script of an HTML page, which no bundler processes: see `keys.py`
        # All or nothing per client (`codemod/clients.py`): each client's uses as planned,
        # and the clients a first plan found blocked, whose uses all stay on Amplitude.
        self.decision = decision or Decision(frozenset(), ())
        self.uses: dict[object, Client] = {}
        self.quiet: list[tuple[int, int]] = []  # spans of held uses: no leftover reported
        self.skip = skip or []  # vendor code (the snippet loader) nothing may touch
        self.typed = typed  # TypeScript: type annotations are opaque to the scope analysis
        self.src = Source(text)
        self.base = base
        self.lines = lines
        self.newline = newline
        self.catalogue = catalogue
        self.options = options
        self.registry = catalogue.sdks
        self.b = Bindings(program, self.registry, server_families(self.registry) if (
            context is not None and context.kind == "server") else None, options.clients)
        # This module's own clients other modules import (the project plan's facts).
        self.exported = {f.name: f for f in options.clients if not f.module}
        # Clients shared by a name (`shared.py`), by the name this module reads them by
        # (`$amplitude`, `locals.amplitude`), and the names this module's setters share.
        self.injected = {f.injected: f for f in options.clients if f.module and f.injected}
        self.injects = {f.injected for f in options.clients if not f.module and f.injected}
        self.globals = {id(node) for node in self.b.scopes.unresolved}
        # React contexts this module hands its clients out through (`createContext(client)`).
        self.contexts = {f.context for f in options.clients if not f.module and f.context}
        self.parents = self.b.scopes.parents
        self.result = Result()
        self.handled: set[int] = set()
        self.rewritten: set[int] = set()  # calls whose rewrite was applied
        self.replaced: list[tuple[int, int]] = []
        # Each TODO planned, by (line start, text); `notes` pairs each with its edit, which
        # is also in `src.notes` so that an enclosing rewrite carries it (see `_todo`).
        self.todo: set[tuple[int, str]] = set()
        self.notes: list[tuple[Edit, str]] = []
        self.targets: set[str] = set()
        self.node_config: str | None = None
        self.module_token: str | None = None  # the module-level client's, from its init
        self.rn_group: tuple[object, object] | None = None  # the one group getGroup() addresses (ID026)
        self.kept_clients: set[int] = set()
        self.module_client = False  # whether a rewrite uses the target's module-level client
        self.held_clients: dict[int, str] = {}  # id(decl) -> why its client stays on Amplitude
        self.deferred_on_init: dict[int, Site] = {}  # id(init call) -> the onInit site before it
        # One snippet global per HTML page: its scripts and handlers read it as one family.
        hints = page_text if page_text is not None else text
        self.snippet_family = "amplitude-js" if any(h in hints for h in _SNIPPET_HINTS) else "browser"
        self.snippet_used = False
        # Per family, the rule reporting a dropped `.promise` or await (`detector = "promise"`).
        family_of = {p: sdk.family for sdk in self.registry.sdks.values() for p in sdk.packages}
        self.promise_rules = {family_of[rule.sdk]: rule.id
                              for rule in catalogue.for_language("javascript")
                              if rule.detector == "promise" and rule.sdk in family_of}
        self.rules: dict[str, list[Rule]] = {}
        for rule in catalogue.for_language("javascript"):
            for method in rule.methods:
                self.rules.setdefault(method, []).append(rule)
        quotes = [b.source for b in self.b.by_decl.values() if b.source is not None]
        if quotes and self.src.of(quotes[0])[:1] in "'\"":
            self.src.quote = self.src.of(quotes[0])[0]
        if quote is not None:  # an HTML attribute's code: the quote that does not end it
            self.src.quote = quote
        self.t = Transforms(self)

    # --- positions -------------------------------------------------------------------------
    def line(self, node: Node) -> int:
        return self.lines.line(self.base + node["range"][0])

    def parent(self, node: Node) -> Node | None:
        return self.parents.get(id(node))

    # --- discovery -------------------------------------------------------------------------
    def run(self) -> Result:
        calls = [node for node, _ in self.b.scopes.nodes
                 if node["type"] == "CallExpression" and not self.skipped(node)]
        self.held_clients = self._hold_clients()
        calls += [node for node, _ in self.b.scopes.nodes
                  if node["type"] == "NewExpression" and not self.skipped(node)]
        calls.sort(key=lambda n: (n["range"][1], -n["range"][0]))  # innermost first
        for node in calls:
            if id(node) in self.handled:
                continue
            if node["type"] == "NewExpression":
                self._visit_new(node)
            else:
                self._visit_call(node)
        for site in self.deferred_on_init.values():
            if id(site.call) not in self.handled:
                rule = self.t.family_rule(site.family, "on-init")
                assert rule is not None  # only an on-init rule defers a site
                self.apply(site, manual(rule.id, "onInit() could not be folded into init(): "
                                        "init was not migrated"))
        self._rewrite_exports()
        self._report_carried()
        self._remove_client_variables()
        self._plan_imports()
        self._report_context()
        self._report_packages()
        self._report_leftovers()
        self._report_held()
        self.result.edits = list(self.src.pending)
        self._place_todos()
        return self.result

    def snippet_client(self, expr: Node) -> Binding | None:
        """`window.amplitude` or an undeclared global `amplitude` (the CDN snippet)."""
        global_ident = expr["type"] == "Identifier" and expr["name"] == "amplitude" and (
            self.b.scopes.resolve(expr) is None)
        window = (
            expr["type"] == "MemberExpression" and member_name(expr) == "amplitude"
            and expr["object"]["type"] == "Identifier" and expr["object"]["name"] == "window"
            and self.b.scopes.resolve(expr["object"]) is None
        )
        if not (global_ident or window) or self.b.imports:
            return None
        decl = Decl("amplitude", self.program, "global", expr)
        return Binding(decl, self.snippet_family, "module", "window" if window else "global")

    def injected_client(self, expr: Node) -> Binding | None:
        """`this.$amplitude`, `context.app.$amplitude`, `req.app.locals.amplitude`,
        `window.amplitude`: a client another module shares by that name (`shared.py`), read
        under the name the plan renames it to (`this.$mixpanel`). In a module reading
        `window.amplitude`, a bare global `amplitude` is that client too."""
        if not self.injected or expr["type"] not in ("MemberExpression", "Identifier"):
            return None
        key = read_key(expr, self.is_global)
        if key is None and expr["type"] == "Identifier" and self.is_global(expr):
            key = "window." + expr["name"]
        fact = self.injected.get(key or "")
        if fact is None:
            return None
        name = injected_as(expr["name"]) if expr["type"] == "Identifier" else (
            f"{self.src.of(expr['object'])}.{injected_as(member_name(expr) or '')}")
        return Binding(Decl(name, self.program, "injected", expr), fact.family, fact.role,
                       fact.member, fact.instance, fact=fact)

    def is_global(self, ident: Node) -> bool:
        """Whether `ident` reads an undeclared global (not a declared name, not a property)."""
        return id(ident) in self.globals

    def receiver_client(self, expr: Node) -> Binding | None:
        found = self.b.client_of(expr) or self.injected_client(expr)
        if found is not None:
            return found
        if expr["type"] == "CallExpression" and expr["callee"]["type"] == "MemberExpression":
            injected = self.injected_client(expr["callee"]["object"])
            if injected is not None and injected.role == "module" and member_name(
                expr["callee"]
            ) == "getInstance":
                # Another instance than the plugin's is one nothing here initialises: a blocker.
                instance = instance_name(expr["arguments"])
                return None if instance != injected.instance else Binding(
                    injected.decl, injected.family, "client", "", instance, fact=injected.fact)
            owner = self.snippet_client(expr["callee"]["object"])
            if owner is not None and member_name(expr["callee"]) == "getInstance":
                return Binding(owner.decl, "amplitude-js", "client", owner.member,
                               instance_name(expr["arguments"]))
        return self.snippet_client(expr)

    def _visit_call(self, call: Node) -> None:
        callee = call["callee"]
        if callee["type"] == "MemberExpression":
            method = member_name(callee)
            client = self.receiver_client(callee["object"])
            if client is None or method is None or method in ("getInstance", "createInstance"):
                return
        elif callee["type"] == "Identifier":
            client = self.b.binding(callee)
            if client is None or client.role != "function" or client.member == "createInstance":
                return
            method = client.member
        else:
            return
        if client.decl.kind == "global":
            self.snippet_used = True
        if client.member == "createInstance" and method != "init" and (
            id(client.decl) not in self.kept_clients
        ) and client_key(client) not in self.decision.held:
            self.use(client, call, "this instance's init() is not migrated here")
            self.report(call, manual("JS-UNRESOLVED", f"{client.decl.name} is an Amplitude instance "
                                     "whose init() this module does not migrate; migrate it with "
                                     "that init"))
            return
        site = self._site(call, client, method)
        outcome = self.decide(site)
        if outcome is None:
            return  # deferred: a later site decides (onInit folded into init)
        held = self.held_clients.get(id(client.decl) if client.role == "client" else id(call))
        if held is not None and not outcome.manual:
            outcome = manual(outcome.rule, held)
        self.apply(site, outcome)

    def _visit_new(self, node: Node) -> None:
        """`new X(KEY)` of an SDK whose client is constructed: its method is `new`."""
        made = self.b.client_of(node)
        if made is None or made.member != "constructor":
            return
        owner = self.b.binding(node["callee"])
        assert owner is not None
        outcome = self.decide(self._site(node, owner, "new"))
        held = self.held_clients.get(id(node))
        if outcome is not None and held is not None and not outcome.manual:
            outcome = manual(outcome.rule, held)
        if outcome is not None:
            self.apply(self._site(node, owner, "new"), outcome)

    def decide(self, site: Site) -> Outcome | None:
        """The outcome of the rule the catalogue names for the site's `family:method`."""
        if self.context is not None:
            placed = context_outcome(self.context, self.registry, site, set(self.rules))
            if placed is not None:
                return placed
        rules = self.rules.get(f"{site.family}:{site.method}")
        if not rules:
            return manual("JS-UNRESOLVED", f"{site.method}() is not an Amplitude {site.family} "
                          "method the tool knows; migrate this call by hand")
        rule = rules[0]
        if rule.action == "transform":
            return TRANSFORMS.run(rule.transform or "", self.t, site, rule)
        if rule.action == "template":
            return self._template(site, rule)
        if rule.action == "delete":
            return self.t.delete(site, rule)
        return manual(rule.id, self.manual_message(rule, site.method), *rule.caveats[:1])

    def _hold_clients(self) -> dict[int, str]:
        """Clients made by `init()` (legacy-sdks §1.1) are migrated all or nothing: when one
        use of such a client, or its init, stays manual, every call on it stays on Amplitude."""
        held: dict[int, str] = {}
        for binding in self.b.by_decl.values():
            if binding.role != "client" or binding.member not in _MADE or binding.fact is not None:
                continue
            decl = binding.decl
            reason = None
            init = decl.node["init"]
            checks: list[tuple[Node, Binding, str]] = []
            made = "new" if binding.member == "constructor" else "init"
            if init["type"] not in ("CallExpression", "NewExpression"):  # a cast, an alias
                what = "an init() call" if made == "init" else "a new expression"
                reason = f"it is not made by {what} of its own (a cast, another client's alias)"
            else:
                owner = init["callee"]["object"] if init["callee"]["type"] == (
                    "MemberExpression") else init["callee"]
                first = self.b.client_of(owner) or self.b.binding(owner)
                checks += [(init, first, made)] if first is not None else []
            for ref in decl.refs if reason is None else []:
                member = self.parent(ref)
                call = self.parent(member) if member is not None else None
                if not (member and member["type"] == "MemberExpression" and member["object"] is ref
                        and call and call["type"] == "CallExpression" and call["callee"] is member):
                    reason = (f"it is used on line {self.line(ref)} where the tool cannot follow it "
                              "(passed on, stored or read)")
                    break
                checks.append((call, binding, member_name(member) or ""))
            for call, client, method in checks if reason is None else []:
                outcome = self.decide(self._site(call, client, method))
                if outcome is not None and outcome.manual:
                    reason = (f"its {method}() on line {self.line(call)} is left for a human, and a "
                              "client is migrated whole")
                    break
            if reason is not None:
                held[id(decl)] = held[id(init)] = f"{decl.name} stays on Amplitude: {reason}"
        return held

    def manual_message(self, rule: Rule, method: str) -> str:
        why = rule.docs.why.strip().split(". ")[0].rstrip(".")
        why = re.sub(r"\s*\(ID\d{3}(, ID\d{3})*\)$", "", why)
        return f"{method}() has no Mixpanel equivalent: {why}"

    def target(self, family: str) -> JsTarget:
        """How the Mixpanel SDK an Amplitude family migrates to spells its calls."""
        return TARGETS[self.registry.target_of(family).name]

    def mp_text(self, client: Binding) -> str:
        """The Mixpanel receiver for an Amplitude client: its own variable, or the module's."""
        target = self.target(client.family)
        if client.fact is not None or (client.role == "client" and client.member in _OWN_CLIENTS):
            return client.decl.name  # its own variable, or the name another module's has here
        base = "window.mixpanel" if client.decl.kind == "global" and client.member == "window" else (
            "mixpanel")
        if target.named_instances and client.instance and client.instance != "?":
            return f"{base}[{self.src.string(client.instance)}]"
        return base

    def _site(self, call: Node, client: Binding, method: str) -> Site:
        wrapper = call
        promise = awaited = False
        parent = self.parent(call)
        if parent and parent["type"] == "MemberExpression" and parent["object"] is call and (
            member_name(parent) == "promise"
        ):
            promise = True
            wrapper = parent
            parent = self.parent(parent)
        if parent and parent["type"] == "AwaitExpression":
            awaited = True
            wrapper = parent
            parent = self.parent(parent)
        statement = parent if parent and parent["type"] == "ExpressionStatement" else None
        block = None
        if statement is not None:
            holder = self.parent(statement)
            if holder and holder["type"] in _BLOCK_PARENTS:
                block = holder["body"]
            elif holder and holder["type"] == "SwitchCase":
                block = holder["consequent"]
        return Site(call, client.family, method, client, self.mp_text(client), wrapper, promise,
                    awaited, statement, block)

    def _template(self, site: Site, rule: Rule) -> Outcome:
        """The rule's template, filled with the call's arguments when they are as many as it
        takes (`setDomain( )` must not become `set_config({cookie_domain: })`)."""
        assert rule.template is not None
        args = site.call["arguments"]
        if len(args) != rule.arity or any(a["type"] == "SpreadElement" for a in args):
            return manual(rule.id, f"{site.method}() is called with {_count(args)}; its Mixpanel "
                          f"form takes {_arguments(rule.arity or 0)}", *rule.caveats[:1])
        text = rule.template.format(mp=site.mp, args=self.src.args(args))
        return Outcome(rule.id, _severity(rule), list(rule.caveats), expression=text)

    # --- applying --------------------------------------------------------------------------
    def statement_text(self, site: Site, statements: list[str]) -> str:
        """Statements in place of `site.statement`, in its indentation and semicolon style."""
        assert site.statement is not None
        semi = ";" if self.src.of(site.statement).rstrip().endswith(";") else ""
        indent = self.indent(site.statement)
        return (self.newline + indent).join(s + semi for s in statements)

    def indent(self, node: Node) -> str:
        start = node["range"][0]
        line_start = _line_start(self.src.text, start)
        prefix = self.src.text[line_start:start]
        return prefix if not prefix.strip() else _leading_blanks(prefix)

    def apply(self, site: Site, outcome: Outcome) -> None:
        self.handled.add(id(site.call))
        outcome = settle(self, site, outcome)
        line = self.line(site.call)
        if outcome.initialises is not None and outcome.initialises in self.kept_clients:
            # The instance's declaration was already rewritten by the first init().
            outcome = manual(outcome.rule, "init() again on an instance an earlier init() already "
                             "made a Mixpanel client; Mixpanel's is created once: delete or merge "
                             "this call by hand", "ID018")
        if outcome.manual:
            self.use(site.client, site.call, outcome.message)
            self.report(site.call, outcome)
            return
        self.use(site.client, site.call, None)
        held = self.decision.clients.get(client_key(site.client))
        if outcome.rule in self.options.disabled_rules:
            # The whole file is left as it is (`engine.hold_disabled`); a held client says so.
            self.result.findings.append(disabled_finding(line, outcome.rule))
            if held is not None:
                self.result.findings.append(held_use(held, line, self.src.of(site.call)))
            return
        if held is not None:
            # This use has a rewrite, but its client stays on Amplitude: a finding, no edit.
            self.result.findings.append(held_use(held, line, self.src.of(site.call)))
            self.quiet += [n["range"] for n in (site.wrapper, site.statement, *outcome.consumed,
                                                *(node for node, _ in outcome.edits))
                           if n is not None]
            return
        before = self.src.of(site.wrapper)
        if outcome.statements is not None:
            if site.statement is None or site.block is None:
                self.report(site.call, manual(outcome.rule, f"{site.method}() is used as a value or "
                                              "outside a block; its rewrite needs statements of its "
                                              "own", *outcome.caveats[:1]))
                return
            if outcome.statements:
                self.replace(site.statement, self.statement_text(site, outcome.statements))
            else:
                self.delete_statement(site.statement)
            after = "\n".join(outcome.statements) or "(deleted)"
        else:
            assert outcome.expression is not None
            span = site.wrapper if site.statement is not None else site.call
            if site.promise and site.statement is None:
                promise_member = self.parent(site.call)
                holder = self.parent(promise_member) if promise_member else None
                if promise_member is None or holder is None or (
                        holder["type"] != "AwaitExpression" and not outcome.awaits):
                    self.report(site.call, manual(
                        self.promise_rules.get(site.family, outcome.rule), "the returned .promise is "
                        "used (chained or stored); Mixpanel calls return no promise: migrate this by hand"))
                    return
                span = promise_member
            self.replace(span, outcome.expression)
            after = outcome.expression
        if not outcome.awaits and (site.promise or (
                site.awaited and site.statement is not None and not self.target(site.family).server)):
            self.result.findings.append(Finding(line, self.promise_rules.get(site.family, outcome.rule),
                                                None, "review", dropped_message(self, site, outcome)))
        self.targets.add(self.registry.target_of(site.family).name)
        own = site.client.role == "client" and site.client.member in _OWN_CLIENTS
        if not own and not set(_MADE) & set(self.registry.sdks[site.family].clients):
            self.module_client = True  # the rewrite calls the module-level client (`mp_text`)
        for call, rule_id in outcome.also:
            self.handled.add(id(call))
            self.result.changes.append(Change(self.line(call), rule_id, self.src.text[
                call["range"][0]:call["range"][1]], "(folded into " + outcome.rule + ")"))
            self.result.findings.append(Finding(
                self.line(call), rule_id, None, "review",
                f"folded into the {outcome.rule} init call; it now runs as Mixpanel's loaded()"))
        if outcome.initialises is not None:
            self.kept_clients.add(outcome.initialises)
        for node, text in outcome.edits:
            self.replace(node, text)
        for statement in outcome.consumed:
            self.delete_statement(statement)
        self.rewritten.update([id(site.call), *(id(call) for call, _ in outcome.also)])
        self.record(line, outcome, before, after)

    def _report_held(self) -> None:
        """Each held client's blocking uses that nothing reported on their line (one inside a
        held call's arguments, which the leftover report passes over)."""
        said = {f.line for f in self.result.findings
                if f.severity == "manual" and HELD_USE not in f.message}
        for client in self.decision.clients.values():
            for use in client.blockers():
                if use.line not in said and use.blocker is not None:
                    said.add(use.line)
                    self.result.findings.append(Finding(use.line, "CLIENT-KEPT", None, "manual",
                                                        use.blocker))

    def use(self, client: Binding, node: Node, blocker: str | None) -> None:
        """Note one use of a client, and why it blocks the client (None: it has a rewrite)."""
        key = client_key(client)
        line = self.line(node)
        found = self.uses.get(key)
        if found is None:
            package = string_value(client.source) if client.source is not None else None
            name = package if client.role == "function" and package else client.decl.name
            if client.decl.kind == "injected" and client.fact is not None:
                name = client.fact.name  # `$amplitude`, as every module reads it
            where = line if client.decl.kind == "global" else self.line(client.decl.node)
            found = self.uses[key] = Client(key, name, where, fact=client.fact)
        if found.fact is None and client.decl.name in self.exported:
            found.fact = self.exported[client.decl.name]
        callee = node["callee"] if node["type"] == "CallExpression" else None
        if callee is not None and (member_name(callee) if callee["type"] == "MemberExpression"
                                   else client.member) == "init":
            found.line = line  # the client is said at its init
        found.uses.append(Use(line, blocker))

    def record(self, line: int, outcome: Outcome, before: str, after: str) -> None:
        self.result.changes.append(Change(line, outcome.rule, before, after))
        severity: Severity = "info" if outcome.severity == "info" else "review"
        specific = {caveat for caveat, _ in outcome.notes}  # a note says it for this site
        facts = site_facts(before, after, self.options.js_token)
        for caveat in dict.fromkeys(c for c in outcome.caveats if c not in specific):
            self.result.findings.append(Finding(
                line, outcome.rule, caveat, severity,
                self.catalogue.site_message(outcome.rule, caveat, facts)))
        for noted, note in outcome.notes:
            self.result.findings.append(Finding(line, outcome.rule, noted, "review", note))
        if severity == "review" and not outcome.caveats and not outcome.notes:
            rule = self.catalogue.rules.get(outcome.rule)
            why = rule.docs.why.strip().split(". ")[0].rstrip(".") if rule else outcome.rule
            self.result.findings.append(Finding(line, outcome.rule, None, "review",
                                                f"review `{facts['code']}`: {why}"))

    def replace(self, node: Node, text: str) -> None:
        start, end = node["range"]
        self.src.plan(Edit(start, end, text))
        self.replaced.append((start, end))

    def delete_statement(self, statement: Node) -> None:
        """Remove a statement, and its whole line when nothing else is on it.

        A line between two blank lines takes the blank line above it too, so that the
        paragraphs around it stay one blank line apart.
        """
        text = self.src.text
        start, end = statement["range"]
        line_start = _line_start(text, start)
        match = _LINE_REST.match(text, end)
        if not text[line_start:start].strip() and match:
            self.src.plan(Edit(self._blank_above(line_start, match.end()), match.end(), ""))
        else:
            self.src.plan(Edit(start, end, ""))
        self.replaced.append((start, end))

    def _blank_above(self, line_start: int, line_end: int) -> int:
        """Where the blank line above `line_start` starts, when a blank line also follows the
        line ending at `line_end` and no other edit touches it; else `line_start`."""
        text = self.src.text
        if line_start == 0 or line_end >= len(text) or _BLANK_LINE.match(text, line_end) is None:
            return line_start
        newline = 2 if text.startswith("\r\n", line_start - 2) else 1
        above = _line_start(text, line_start - newline)
        if text[above:line_start].strip() or any(
            e.start < line_start and above < e.end for e in self.src.pending
        ):
            return line_start
        return above

    def report(self, node: Node, outcome: Outcome) -> None:
        caveat = outcome.caveats[0] if outcome.caveats else None
        self.result.findings.append(Finding(self.line(node), outcome.rule, caveat, "manual",
                                            outcome.message))
        if self.options.todo_comments:
            todo = f"{caveat or outcome.rule} {' '.join(outcome.message.split())}"
            note = self._todo(self.enclosing_statement(node)["range"][0], todo)
            if note is not None:  # planned now: a rewrite around it carries it in its text
                self.notes.append((note, todo))
                self.src.notes.append(note)

    def enclosing_statement(self, node: Node) -> Node:
        """The statement a TODO goes above: the innermost one that starts its own line.

        A statement that shares its line with code before it (`onClick={() => { x(); }}` in
        JSX, `if (a) x();`) takes the TODO above the enclosing statement instead, where a
        line comment is always legal.
        """
        current = node
        found = node
        while True:
            parent = self.parent(current)
            if parent is None:
                return found
            if parent["type"] in _BLOCK_PARENTS or parent["type"] == "SwitchCase":
                found = current
                if self._starts_line(current):
                    return current
            current = parent

    def _starts_line(self, node: Node) -> bool:
        """Whether nothing but blanks, and code a planned deletion removes, comes before
        `node` on its line: a TODO placed above it then stays put on the next run."""
        text = self.src.text
        start = node["range"][0]
        line_start = _line_start(text, start)
        before = text[line_start:start]
        if not before.strip():
            return True
        deleted = [Edit(e.start - line_start, e.end - line_start, "") for e in self.src.pending
                   if not e.replacement and line_start <= e.start and e.end <= start]
        return bool(deleted) and not apply_edits(before, deleted).strip()

    def _todo(self, start: int, todo: str) -> Edit | None:
        """The TODO comment to insert above the line where `start` is, once per text.

        None when the line above already is a TODO (reruns stay no-ops) or when the same
        text was planned there.
        """
        text = self.src.text
        line_start = _line_start(text, start)
        previous = text[:line_start].rstrip("\r\n")
        previous_line = previous[_line_start(previous, len(previous)) :]
        if TODO_MARK in previous_line and previous_line.strip().startswith("//"):
            return None
        if (line_start, todo) in self.todo:
            return None
        self.todo.add((line_start, todo))
        indent = _leading_blanks(text[line_start:])
        return Edit(line_start, line_start, f"{indent}// {TODO_MARK}: {todo}{self.newline}")

    def _place_todos(self) -> None:
        """Add the TODO comments no rewrite has carried in its text to the edits.

        A comment planned after a rewrite around it was made (a reference reported once the
        sites are done) is put into that rewrite's text above its own line, as the next run
        would place it; when the line cannot be found there, above the rewrite.
        """
        inserts: dict[int, list[tuple[int, str]]] = {}  # edit index -> (position, comment)
        for note, todo in self.notes:
            outer = [e for e in self.result.edits if e.start < note.start < e.end]
            if not outer:
                self.result.edits.append(note)
                continue
            if any(note.replacement in e.replacement for e in outer):
                continue  # carried: the rewrite's text was made after the comment was planned
            edit = min(outer, key=lambda e: e.start)
            position = self.src.position_in(edit.replacement, note.start)
            if position is not None:
                inserts.setdefault(self.result.edits.index(edit), []).append(
                    (position, note.replacement))
                continue
            moved = self._todo(edit.start, todo)
            if moved is not None:
                self.result.edits.append(moved)
        for index, found in inserts.items():
            edit = self.result.edits[index]
            text = edit.replacement
            for position, comment in sorted(found, reverse=True):
                text = text[:position] + comment + text[position:]
            self.result.edits[index] = Edit(edit.start, edit.end, text)

    # --- after the sites -------------------------------------------------------------------
    def skipped(self, node: Node) -> bool:
        start, end = node["range"]
        return any(s <= start and end <= e for s, e in self.skip)

    def consumed(self, ref: Node) -> bool:
        """Whether a rewrite took `ref` away.

        The receiver or callee of a call that was rewritten is what the rewrite replaced by
        Mixpanel's. Any other reference in a replaced span is gone only when the text that
        replaces the span does not carry it on: an argument or a callback copied into the
        Mixpanel call keeps the variables it reads, which then still need their binding.
        """
        start, end = ref["range"]
        if not any(s <= start and end <= e for s, e in self.replaced):
            return False
        if id(self._chain_top(ref)) in self.rewritten:
            return True
        return not any(self.src.survives(start, end, ref["name"], edit)
                       for edit in self.src.pending if edit.start <= start and end <= edit.end)

    def _chain_top(self, ref: Node) -> Node:
        """The outermost call `ref` is the receiver or callee of (`a.getInstance().init()`)."""
        current = ref
        while True:
            parent = self.parent(current)
            if parent is None or not (
                (parent["type"] == "MemberExpression" and parent["object"] is current)
                or (parent["type"] == "CallExpression" and parent["callee"] is current)
            ):
                return current
            current = parent

    def _remove_client_variables(self) -> None:
        """`const instance = amplitude.getInstance()` goes once nothing reads `instance`."""
        for binding in list(self.b.by_decl.values()):
            decl = binding.decl
            if binding.role != "client" or decl.statement is None or id(decl) in self.kept_clients:
                continue
            if binding.fact is not None:
                continue  # another module's client: its import stays
            if binding.member in _OWN_CLIENTS:
                continue
            exported = self.parent(decl.statement)
            if exported is not None and exported["type"] == "ExportNamedDeclaration":
                self._export_client(binding)
                continue
            if decl.refs and all(self.consumed(r) for r in decl.refs) and len(
                decl.statement["declarations"]) == 1:
                self.delete_statement(decl.statement)
                rule = self.catalogue.rules["JS-CLIENT"]
                self.record(self.line(decl.statement), Outcome(rule.id, _severity(rule)),
                            self.src.of(decl.statement), "(deleted)")

    def _export_client(self, binding: Binding) -> None:
        """`export const instance = amplitude.getInstance()`: other modules import the name,
        so it stays, bound to the Mixpanel client, when the plan migrates the client."""
        fact = self.exported.get(binding.decl.name)
        init = binding.decl.node["init"]
        if fact is None or client_key(binding) in self.decision.held:
            self.quiet.append(init["range"])
            return
        self.use(binding, init, None)
        self._export(init, binding)

    def _rewrite_exports(self) -> None:
        """The module's exports of a client other modules import (`export default amplitude`,
        `export { client }`, `module.exports = { client }`, `exports.client = client`) name
        the Mixpanel client once the plan migrates it; held, they are uses with a rewrite."""
        if not self.exported:
            return
        for binding in list(self.b.by_decl.values()):
            if binding.role not in ("module", "client") or binding.fact is not None:
                continue
            for ref in binding.decl.refs:
                if not self._is_export(ref):
                    continue
                self.use(binding, ref, None)
                if client_key(binding) in self.decision.held:
                    self.quiet.append(ref["range"])
                    continue
                self._export(ref, binding)

    def _export(self, node: Node, binding: Binding) -> None:
        parent = self.parent(node)
        text = self.mp_text(binding)
        if parent is not None and parent["type"] == "Property" and parent.get("shorthand"):
            text = f"{node['name']}: {text}"
        if text == self.src.of(node):
            return
        self.replace(node, text)
        self.rewritten.add(id(node))
        shared = None if parent is None else set_key(parent, self.is_global)
        if shared is not None:  # inject('amplitude', x), app.locals.amplitude = x: renamed
            named = shared[2]
            self.replace(named, self.src.string(injected_as(string_value(named) or "")) if named[
                "type"] != "Identifier" else injected_as(named["name"]))
        own = binding.role == "client" and binding.member in _OWN_CLIENTS
        if not own and not set(_MADE) & set(self.registry.sdks[binding.family].clients):
            self.module_client = True
        self.targets.add(self.registry.target_of(binding.family).name)
        rule = self.catalogue.rules["JS-CLIENT"]
        self.record(self.line(node), Outcome(rule.id, _severity(rule)), self.src.of(node), text)

    def _is_export(self, ref: Node) -> bool:
        """Whether `ref` is what the module exports (directly, or as a property of it)."""
        parent = self.parent(ref)
        if parent is None:
            return False
        kind = parent["type"]
        if kind == "ExportDefaultDeclaration" or (kind == "ExportSpecifier"
                                                  and parent.get("local") is ref):
            return True
        shared = set_key(parent, self.is_global)
        if shared is not None and shared[1] is ref:  # shared by a name (`shared.py`)
            return shared[0] in self.injects
        if kind == "Property" and parent.get("value") is ref:
            holder = self.parent(parent)
            return holder is not None and self._is_export(holder)
        if kind in ("CallExpression", "JSXExpressionContainer"):
            return self._context_value(ref, parent)
        if kind == "AssignmentExpression" and parent["right"] is ref:
            left = parent["left"]
            text = self.src.of(left)
            return text == "module.exports" or text.startswith(("module.exports.", "exports."))
        return False

    def _context_value(self, ref: Node, parent: Node) -> bool:
        """Whether `ref` is what a context other modules read holds: `createContext(ref)`
        declaring it, or `<Ctx.Provider value={ref}>`."""
        if parent["type"] == "CallExpression":
            declarator = self.parent(parent)
            return parent["arguments"][:1] == [ref] and declarator is not None and (
                react_function(parent["callee"]) == "createContext"
                and declarator["type"] == "VariableDeclarator"
                and declarator["id"].get("name") in self.contexts)
        attribute = self.parent(parent)
        element = self.parent(attribute) if attribute is not None else None
        tag = element.get("name") if element is not None else None
        return attribute is not None and attribute["type"] == "JSXAttribute" and attribute[
            "name"].get("name") == "value" and tag is not None and tag[
            "type"] == "JSXMemberExpression" and tag["object"].get("name") in self.contexts and (
            tag["property"]["name"] == "Provider")

    def _declaring(self, init: Node) -> Node | None:
        """The declarator of the client variable `init` (through TypeScript casts) sets."""
        holder = self.parent(init)
        while holder is not None and holder["type"] in CASTS:
            holder = self.parent(holder)
        if holder is not None and holder["type"] == "VariableDeclarator" and any(
                b.decl.node is holder and b.role == "client" for b in self.b.by_decl.values()):
            return holder
        return None

    def _dependency(self, ref: Node, binding: Binding) -> bool:
        """Whether `ref` only lists a client read from a React context among a hook's
        dependencies (`useEffect(..., [analytics])`): React compares it, calls nothing on it,
        and the variable keeps its name."""
        if binding.fact is None or not binding.fact.via:
            return False
        array = self.parent(ref)
        call = self.parent(array) if array is not None else None
        return array is not None and array["type"] == "ArrayExpression" and call is not None and (
            call["type"] == "CallExpression" and call["arguments"][1:2] == [array]
            and react_function(call["callee"]) in _DEPENDENT)

    def _report_carried(self) -> None:
        """Each read of a client another module's React context hands out (`const a =
        useAmplitude()`, `useContext(AmplitudeContext)`): a use with nothing to rewrite, as the
        hook and context keep their names. Held, it says so; migrated, it says the name now
        gives the Mixpanel client, in this module and in the one creating the context."""
        for node, _ in self.b.scopes.nodes:
            if node["type"] != "CallExpression" or self.skipped(node):
                continue
            client = self.b.carried(node)
            if client is not None:
                self._carried_read(node, client)
                continue
            argument = node["arguments"][0] if len(node["arguments"]) == 1 else None
            if argument is not None and react_function(node["callee"]) == "useContext" and any(
                f.context == argument.get("name") and not f.held for f in self.options.clients
            ):
                self.result.findings.append(self._gives_mixpanel(node))

    def _carried_read(self, call: Node, client: Binding) -> None:
        declarator = self._declaring(call)
        if declarator is None:
            return  # `useAmplitude().track(...)` is a site; `const { track } = ...` a leftover
        if declarator["id"].get("typeAnnotation") or declarator["init"] is not call:
            what = (f"{declarator['id']['name']} is given a type here (an annotation or a cast) "
                    "that names what the context held, which the tool does not retype for "
                    "Mixpanel's client; drop or retype it by hand")
            self.use(client, call, what)
            self.report(call, manual("JS-UNRESOLVED", what))
            return
        self.use(client, call, None)
        held = self.decision.clients.get(client_key(client))
        self.result.findings.append(self._gives_mixpanel(call) if held is None else held_use(
            held, self.line(call), self.src.of(call)))
        self.quiet.append(call["range"])

    def _gives_mixpanel(self, call: Node) -> Finding:
        return Finding(self.line(call), "JS-CLIENT", None, "info",
                       f"`{self.src.of(call)}` gives the Mixpanel client now; the hook and "
                       "context keep the names the project gave them")

    def _plan_imports(self) -> None:
        from .imports import plan_imports

        plan_imports(self)

    def _report_context(self) -> None:
        """A browser SDK's import whose module moved to the Node SDK (`context.py`)."""
        if self.context is None:
            return
        families = self.registry.families()
        for statement, family in self.b.imports:
            package = _module_source(statement["declarations"][0]["init"] if statement[
                "type"] == "VariableDeclaration" else statement) or ""
            if families.get(package, family) != family and (
                    self.registry.target_of(family).name in self.targets):
                self.result.findings.append(Finding(self.line(statement), "JS-CONTEXT", None,
                                                    "review", moved_message(package, self.context)))
                return

    def _report_packages(self) -> None:
        """Imports of Amplitude packages whose calls the tool does not migrate (the registry's
        reported SDKs and detect-only packages): each is left to a human, with the reason and
        what Mixpanel offers, so such a file is never reported unchanged without a word."""
        for node, _ in self.b.scopes.nodes:
            source = _module_source(node)
            found = self.registry.reported(source) if source else None
            if found is None or self.skipped(node):
                continue
            message = (f"{found.package} is imported here: {found.reason}. Mixpanel: "
                       f"{found.alternative}")
            self.report(node, manual("JS-PACKAGE", message, *found.caveats))

    def _report_leftovers(self) -> None:
        """References to Amplitude names no rewrite consumed: the code that still needs a human."""
        flagged = {f.line for f in self.result.findings if f.severity == "manual"}
        # A client variable's initialiser is not a use of its own: the variable's uses are.
        sources = [init["range"] for b in self.b.by_decl.values()
                   if b.role == "client" and b.decl.statement is not None and (
                       b.fact is None or b.decl.kind != "import") and (
                       init := b.decl.node.get("init")) is not None]
        for binding in self.b.by_decl.values():
            if binding.role in ("type",):
                continue
            for ref in binding.decl.refs:
                line = self.line(ref)
                start, end = ref["range"]
                if self.consumed(ref) or self.skipped(ref) or line in flagged or any(
                    s <= start and end <= e for s, e in [*sources, *self.quiet]
                ) or self._dependency(ref, binding):
                    continue
                parent = self.parent(ref)
                what, rule = self._leftover(ref, parent, binding)
                if binding.role in ("module", "function", "client", "carrier"):
                    self.use(binding, ref, what)
                flagged.add(line)
                self.report(ref, manual(rule, what))
        self._report_injected(flagged)
        if self.snippet_used and (self.context is None or self.context.kind != "worker"):
            # (a worker's sites say why no Mixpanel snippet can replace it: `context.py`)
            snippet = self.catalogue.rules["JS-SNIPPET"]
            self.result.findings.append(Finding(
                1 if self.base == 0 else self.lines.line(self.base), snippet.id, None, "review",
                "the page loads Amplitude's snippet: replace it with the Mixpanel snippet"))

    def _report_injected(self, flagged: set[int]) -> None:
        """Reads of a client shared by a name no rewrite consumed (`const a = this.$amplitude`):
        each blocks the client in every module, as a leftover of an imported one does."""
        if not self.injected:
            return
        seen: set[int] = set()  # where each read the loop below saw ends
        for node, _ in self.b.scopes.nodes:
            binding = self.injected_client(node)
            if binding is None:
                continue
            seen.add(node["range"][1])
            if self.skipped(node) or id(self._chain_top(node)) in self.handled:
                continue
            what = (f"{self.src.of(node)} reads the client another module shares by this name "
                    "where the tool cannot follow it (passed on, stored or called "
                    "conditionally); migrate this by hand")
            self.use(binding, node, what)
            if self.line(node) not in flagged:
                flagged.add(self.line(node))
                self.report(node, manual("JS-UNRESOLVED", what))
        # Any other spelling (a type's `$amplitude: AmplitudeClient`, a destructured
        # `{ $amplitude }`, a comment) is one no rule follows: it blocks too, to be safe.
        for name, fact in self.injected.items():
            for match in spelled(name).finditer(self.src.text):
                if match.end() in seen:
                    continue
                node = {"type": "Identifier", "name": name,
                        "range": [match.start(), match.end()]}
                what = (f"{name} is named here in a way the tool does not follow (a type, a "
                        "destructuring, a comment); migrate this by hand")
                self.use(Binding(Decl(name, self.program, "injected", node), fact.family,
                                 fact.role, fact.member, fact.instance, fact=fact), node, what)
                if self.line(node) not in flagged:
                    flagged.add(self.line(node))
                    self.result.findings.append(Finding(self.line(node), "JS-UNRESOLVED", None,
                                                        "manual", what))

    def _leftover(self, ref: Node, parent: Node | None, binding: Binding) -> tuple[str, str]:
        name = ref["name"]
        if (parent and parent["type"] == "NewExpression") or (
            parent and parent["type"] == "MemberExpression" and member_name(parent) in (
                "Identify", "Revenue")
        ):
            # the browser SDK reports its leftover builders under its catch-all row
            slugs = ("identify-unconsumed", "unconsumed-builder") + (
                ("other",) if binding.family == "browser" else ())
            found = next((r for slug in slugs
                          if (r := self.t.family_rule(binding.family, slug)) is not None), None) if (
                binding.family in self.registry.sdks) else None
            rule = found.id if found else "JS-UNRESOLVED"
            return ("an Amplitude Identify/Revenue object is built here but not consumed by a call "
                    "the tool can follow; migrate it by hand"), rule
        if binding.role == "carrier" and binding.fact is not None:
            return (f"{name} hands out the Amplitude client of {binding.fact.origin} through a "
                    "React context, and is used here in a way the tool cannot follow (the "
                    "result destructured, passed on or stored, or a shape the context's module "
                    "does not allow); migrate this by hand"), "JS-UNRESOLVED"
        options = self.t.family_rule(binding.family, "client-options") if (
            binding.family in self.registry.sdks) else None
        if parent and parent["type"] == "MemberExpression" and member_name(parent) in (
            "options", "__VERSION__"
        ) and options is not None:
            return f"{name}.{member_name(parent)} has no Mixpanel equivalent", options.id
        return (f"{name} is used where the tool cannot follow it (passed on, stored or called "
                "conditionally); migrate this by hand"), "JS-UNRESOLVED"


def client_key(client: Binding) -> object:
    """Which client a binding reaches: an instance variable of its own (`createInstance`),
    else the SDK's shared instance of its family (by name for amplitude-js)."""
    if client.fact is not None:
        return ("shared", client.fact.module, client.fact.name)
    if client.member == "createInstance":
        return ("instance", id(client.decl))
    return (client.family, client.instance or "")


def _module_source(node: Node) -> str | None:
    """The module an import, re-export, `require()` or `import()` names, if it is a literal."""
    kind = node["type"]
    if kind in ("ImportDeclaration", "ExportNamedDeclaration", "ExportAllDeclaration"):
        return string_value(node.get("source"))
    if kind == "TSImportEqualsDeclaration":
        return string_value(node["moduleReference"].get("expression"))
    if kind == "CallExpression" and node["callee"]["type"] == "Import" and node["arguments"]:
        return string_value(node["arguments"][0])
    return require_source(node)


def _count(args: list[Node]) -> str:
    """How many arguments a call passes, in words: `a spread argument` when unknown."""
    if any(a["type"] == "SpreadElement" for a in args):
        return "a spread argument"
    return _arguments(len(args))


def _arguments(count: int) -> str:
    """`no arguments`, `1 argument`, `2 arguments`."""
    return "no arguments" if not count else f"{count} argument{'s' if count > 1 else ''}"


def _line_start(text: str, position: int) -> int:
    """Where the line holding `position` starts (any of the three line ends)."""
    return max(text.rfind("\n", 0, position), text.rfind("\r", 0, position)) + 1


def _leading_blanks(text: str) -> str:
    """The spaces and tabs `text` starts with."""
    return text[: len(text) - len(text.lstrip(" \t"))]


def _severity(rule: Rule) -> str:
    return "info" if rule.safety == "safe" else "review"


