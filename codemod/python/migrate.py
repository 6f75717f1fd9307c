"""Python migration: find Amplitude call sites, plan their rewrites, apply them losslessly.

Two passes over one parse. The planning pass resolves receivers and asks the transforms what
each site becomes; the rewriting pass is a libcst transformer that only swaps the planned
statements and calls, so everything else (comments, quoting, line endings) is reproduced by
libcst's lossless code generation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Assignment, MetadataWrapper, QualifiedNameSource

from ..catalogue import Catalogue, Rule
from ..clients import Client, Decision, Use, decide, held_use, with_project
from ..engine import Migration, disabled_finding
from ..messages import site_facts
from ..options import ClientFact, Options
from ..results import Change, Finding, Severity
from ..sdks import load_registry
from ..source import detect_newline
from .ampli import deviations, migrate_ampli
from .analysis import CLIENT_MEMBERS, Analysis, names_in, walk
from .slicing import Slice, slice_module
from .transforms import TRANSFORMS, Outcome, Site, Transforms, manual

TODO_PREFIX = "# TODO(amp2mp): "
# Client methods distinctive enough that a call on an imported name is worth a finding
# (`add`, `remove` and `configuration` are everyday names on other objects).
IMPORTED_CLIENT_CALLS = CLIENT_MEMBERS - {"add", "remove", "configuration"}
AMPLITUDE_DISTRIBUTION = load_registry().python_sdk.packages[0]


class SkipFile(Exception):
    """The module is left whole by design; the message is the reason for the report."""


class NotTheSdk(SkipFile):
    """The module's `amplitude` is another package."""


@dataclass
class StatementPlan:
    replace: list[str] | None = None
    after: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)


def migrate_python(text: str, catalogue: Catalogue, options: Options,
                   package: bool = False) -> Migration:
    """Rewrite one module's Amplitude usage; raises libcst's ParserSyntaxError on bad input.

    libcst sees only the statements the migration can need (`slicing.py`), unless slicing
    is refused or its result cannot be put back, when it sees the whole module. A generated
    Ampli wrapper is migrated as one (`ampli.py`); one that deviates from what Ampli
    generates goes through the rules like any module, reported as such.
    """
    wrapper = migrate_ampli(text, catalogue, options)
    if wrapper is not None:
        return wrapper
    result = _migrate_module(text, catalogue, options, package)
    result.findings.extend(deviations(text, catalogue))
    return result


def _migrate_module(text: str, catalogue: Catalogue, options: Options,
                    package: bool) -> Migration:
    # A module that reads a client of another module is seen whole: the slicer's seeds are
    # this module's own Amplitude names.
    sliced = None if any(f.module for f in options.clients) else slice_module(text)
    if sliced is not None:
        try:
            result = _migrate(text, catalogue, options, sliced, package)
        except (cst.ParserSyntaxError, NotLossless):
            result = None  # the whole module reports its own error, with its own lines
        if result is not None:
            return result
    result = _migrate(text, catalogue, options, None, package)
    assert result is not None
    return result


def _migrate(
    text: str, catalogue: Catalogue, options: Options, sliced: Slice | None,
    package: bool = False,
) -> Migration | None:
    source = text if sliced is None else sliced.text
    module = cst.parse_module(source)
    if sliced is not None and (
        # Without a lone CR (slicing refuses those) libcst's default newline, the file's
        # first line ending, is what `detect_newline` finds.
        module.default_indent != sliced.indent or module.default_newline != detect_newline(text)
    ):
        return None  # new code would be indented or ended unlike the rest of the file
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    analysis = Analysis(wrapper, sliced.original_line if sliced else None, facts=options.clients)
    planner = _Planner(analysis, catalogue, options, package=package)
    planner.plan()
    # All or nothing per client (`clients.py`): a client with a use that has no rewrite
    # keeps every use on Amplitude, so the module is planned again holding it back; so does
    # a client the project plan holds because of a use in another module.
    clients = planner.clients()
    decision = with_project(decide(clients), clients)
    if decision.held:
        planner = _Planner(analysis, catalogue, options, decision, package)
        planner.plan()
    if any(f.rule in options.disabled_rules for f in planner.findings):
        # left whole: see `engine.hold_disabled`
        return Migration(text, [], planner.findings, clients)
    if not planner.plans and not planner.expressions:
        return Migration(text, planner.changes, planner.findings, clients)
    rewritten = module.visit(_Rewriter(planner))
    code = rewritten.code + dropped_tail(module, source)
    if sliced is not None:
        restored = sliced.restore(code)
        if restored is None:
            return None
        code = restored
    return Migration(code, planner.changes, planner.findings, clients)


class NotLossless(Exception):
    """libcst's code generation does not reproduce this file; rewriting it would damage it."""


def dropped_tail(module: cst.Module, text: str) -> str:
    """What libcst's codegen drops from the original text, which the rewrite must put back.

    libcst (1.x) loses a lone CR that ends the file, whatever the file's other line endings
    (`"x = 1\r"` comes back as `"x = 1"`). Any other difference means codegen is not lossless
    for this input, and the file must not be rewritten at all.
    """
    code = module.code
    if code == text:
        return ""
    if text == code + "\r":
        return "\r"
    raise NotLossless("libcst does not reproduce this file byte for byte")


# What a write to `client.configuration.<name>` becomes a question of with Mixpanel (spec
# 3.9.3): the caveat that explains it, and what to do instead.
_CONFIGURATION_ADVICE: dict[str, tuple[str, ...]] = {
    "opt_out": ("has no Mixpanel equivalent: guard the tracking calls with an if instead",
                "ID019"),
    **dict.fromkeys(
        ("flush_queue_size", "flush_interval_millis", "flush_max_retries", "use_batch"),
        ("sets Amplitude's batching or retries: with Mixpanel, choose a Consumer or "
         "BufferedConsumer where the client is created", "ID023")),
    **dict.fromkeys(
        ("server_zone", "server_url"),
        ("sets where events go: with Mixpanel, give the consumer an api_host where the "
         "client is created", "ID022")),
}
_OTHER_SETTING = ("has no Mixpanel equivalent: drop it, or do what it did where the Mixpanel "
                  "client is created",)


class _Planner:
    def __init__(self, analysis: Analysis, catalogue: Catalogue, options: Options,
                 decision: Decision | None = None, package: bool = False) -> None:
        self.a = analysis
        # A package's `__init__.py`: what it imports, it re-exports (`from pkg import X`),
        # so an Amplitude import there is never "unused".
        self.package = package
        self.decision = decision or Decision(frozenset(), ())
        self.held: frozenset[object] = self.decision.held
        self.catalogue = catalogue
        self.options = options
        self.rules = catalogue.by_method("python")
        self.plans: dict[int, StatementPlan] = {}
        self.expressions: dict[int, str] = {}
        self.consumed: set[int] = set()
        self.changes: list[Change] = []
        self.findings: list[Finding] = []
        self.imports: set[str] = set()
        self.flagged_lines: set[int] = set()
        self.flagged_statements: set[int] = set()
        self.disabled_lines: set[int] = set()
        self.module_style = self._module_style()
        rows = {rule.slug: rule.id for rule in catalogue.for_language("python")}
        self.t = Transforms(analysis, options, "mixpanel." if self.module_style else "", rows)

    # --- discovery ------------------------------------------------------------------------------
    def _module_style(self) -> bool:
        """`import amplitude` + `amplitude.Amplitude(...)` keeps the module-attribute style."""
        uses_from = uses_module = False
        for node in self.a.parents:
            if isinstance(node, cst.ImportFrom) and _module_name(node.module).startswith(
                "amplitude"
            ):
                uses_from = True
            elif isinstance(node, cst.Import) and any(
                _module_name(alias.name) == "amplitude" for alias in node.names
            ):
                uses_module = True
        return uses_module and not uses_from

    def rule(self, rule_id: str) -> Rule:
        return self.catalogue.rules[rule_id]

    def plan(self) -> None:
        self._check_sdk()
        nodes = list(self.a.parents)
        # Clients first: how a client was built (manual, buffered) decides its calls' fate.
        for node in nodes:
            if isinstance(node, cst.Call) and self.a.sdk_symbol(node.func) == "Amplitude":
                site = self.site(node, None, "Amplitude")
                self._apply(site, self.t.init(site))
        for node in nodes:
            if isinstance(node, cst.Call):
                self._visit_call(node)
            elif isinstance(node, (cst.Assign, cst.AugAssign)):
                self._visit_assign(node)
            elif isinstance(node, cst.ClassDef):
                self._visit_class(node)
        self._report_held()
        self._plan_imports()
        self._report_unresolved()

    def _check_sdk(self) -> None:
        dist = self.options.python_distribution
        # Any name an `amplitude` import binds counts, not only the SDK's: amplitude-python's
        # `amplitude.AmplitudeLogger` is no SDK symbol, and the manifest says whose it is.
        if dist is not None and dist != AMPLITUDE_DISTRIBUTION and (
            self.a.amplitude_locals or any(True for _ in self.a.sdk_references())
        ):
            raise NotTheSdk(
                f"amplitude-not-sdk: the project's manifest names {dist}, so `amplitude` here "
                f"may be another package than {AMPLITUDE_DISTRIBUTION}; migrate it by hand"
            )
        for reference in self.a.client_references():
            parent = self.a.parent(reference)
            if isinstance(parent, cst.Attribute) and parent.value is reference:
                member = parent.attr.value
                if member not in CLIENT_MEMBERS:
                    raise NotTheSdk(
                        f"amplitude-not-sdk: {reference.value}.{member} (line "
                        f"{self.a.line(reference)}) is not a member of {AMPLITUDE_DISTRIBUTION}'s "
                        "Amplitude client, so `amplitude` here is another package"
                    )

    def site(self, call: cst.Call, receiver: cst.BaseExpression | None, method: str) -> Site:
        statement = self.a.statement_of(call)
        standalone = (
            isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and statement.body[0].value is call
        )
        return Site(call, receiver, method, statement, standalone)

    def _visit_call(self, call: cst.Call) -> None:
        func = call.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in ("alias", "merge") and self.a.is_mixpanel_client(func.value):
            self.findings.append(Finding(
                self.a.line(call), "PY-MIXPANEL-ALIAS", "ID016", "review",
                f"Mixpanel {method}() has no effect under Simplified ID Merge"))
            return
        if not self.a.is_client(func.value):
            self._visit_foreign_receiver(call, func, method)
            return
        site = self.site(call, func.value, method)
        if method not in self.rules:
            raise NotTheSdk(
                f"amplitude-not-sdk: {self.a.code(func)} (line {self.a.line(call)}) is not a "
                f"method of {AMPLITUDE_DISTRIBUTION}'s Amplitude client, so `amplitude` here "
                "is another package"
            )
        constructors = self.a.client_constructors(func.value)
        if method in ("flush", "shutdown") and any(id(c) in self.t.buffered for c in constructors):
            rule = self.rule(self.t.row(method))  # the flush / shutdown rows
            self._apply(site, manual(rule.id, "this client sends through a BufferedConsumer: keep "
                                     "a reference to the consumer and call its flush() here",
                                     *rule.caveats))
            return
        rule = self.rules[method][0]
        if rule.action == "transform":
            outcome = TRANSFORMS.run(rule.transform or "", self.t, site)
        elif rule.action == "delete":
            outcome = self._delete(site, rule)
        elif rule.action == "template":
            outcome = self._template(site, rule)
        else:
            why = rule.docs.why.strip().split(". ")[0].rstrip(".")
            outcome = manual(rule.id, f"{method}() has no Mixpanel equivalent: {why}", *rule.caveats)
        self._apply(site, outcome)

    def _visit_foreign_receiver(self, call: cst.Call, func: cst.Attribute, method: str) -> None:
        """A client method called with SDK objects on a receiver this module did not build.

        Typically the client was imported from another module or passed in: the call is one
        manual site, reported once with the receiver named, not once per SDK object in it.
        """
        if method not in CLIENT_MEMBERS:
            return
        if not any(self.a.sdk_symbol(node) for arg in call.args for node in walk(arg.value)):
            origin = self._imported_from(func.value)
            if origin is not None and method in IMPORTED_CLIENT_CALLS:
                receiver = self.a.code(func.value)
                self.findings.append(Finding(
                    self.a.line(call), "PY-UNRESOLVED", None, "review",
                    f"{receiver}.{method}() uses {receiver} imported from {origin}: if it is an "
                    "Amplitude client, it is migrated or kept with the module that creates it; "
                    "check this call agrees with that module"))
            return
        site = self.site(call, func.value, method)
        receiver = self.a.code(func.value)
        origin = self._imported_from(func.value)
        where = (f"is imported from {origin}, which decides whether it is migrated" if origin
                 else "is not built in this module (imported or passed in)")
        self._report(site, self.a.line(call), manual(
            "PY-UNRESOLVED", f"{receiver}.{method}() is called with Amplitude objects but "
            f"{receiver} {where}; migrate this call by hand"))

    def _imported_from(self, receiver: cst.BaseExpression) -> str | None:
        """The module a receiver name is imported from, unless it is Amplitude or Mixpanel."""
        if not isinstance(receiver, cst.Name) or not any(
            isinstance(a.node, cst.ImportFrom) for a in self.a.assignments(receiver)
        ):
            return None  # only `from module import name`, as `slicing.py` keeps in view
        for qualified in self.a.qualified_names(receiver):
            if qualified.source is not QualifiedNameSource.IMPORT:
                continue
            module = qualified.name.rsplit(".", 1)[0] if "." in qualified.name else qualified.name
            if module.lstrip(".").split(".")[0] not in ("amplitude", "mixpanel"):
                return module
        return None

    def _delete(self, site: Site, rule: Rule) -> Outcome:
        if not site.standalone:
            return manual(rule.id, f"the result of {site.method}() is used; Mixpanel's default "
                          "consumer has nothing to wait for", *rule.caveats)
        outcome = Outcome(rule=rule.id, severity=_severity(rule), caveats=list(rule.caveats))
        outcome.statements = []
        return outcome

    def _template(self, site: Site, rule: Rule) -> Outcome:
        assert rule.template is not None and site.receiver is not None
        args = ", ".join(self.a.code(arg).strip().rstrip(",") for arg in site.call.args)
        text = rule.template.format(receiver=self.a.code(site.receiver), args=args)
        return Outcome(rule=rule.id, severity=_severity(rule), caveats=list(rule.caveats),
                       expression=text)

    def _visit_assign(self, node: cst.Assign | cst.AugAssign) -> None:
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [
            node.target
        ]
        for target in targets:
            if (
                isinstance(target, cst.Attribute)
                and isinstance(target.value, cst.Attribute)
                and target.value.attr.value == "configuration"
                and self.a.is_client(target.value.value)
            ):
                rule = self.rule(self.t.row("opt-out-configuration"))
                statement = self.a.statement_of(node)
                site = Site(cst.Call(func=cst.Name("x")), None, "", statement, False)
                advice, *caveats = _CONFIGURATION_ADVICE.get(target.attr.value, _OTHER_SETTING)
                self._report(site, self.a.line(node), manual(
                    rule.id, f"configuration.{target.attr.value} {advice}", *caveats))

    def _visit_class(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            if self.a.sdk_symbol(base.value) in ("EventPlugin", "DestinationPlugin"):
                rule = self.rule(self.t.row("plugins"))
                site = Site(cst.Call(func=cst.Name("x")), None, "", node, False)
                self._report(site, self.a.line(node), manual(
                    rule.id, "Amplitude plugins have no Mixpanel equivalent; consider a wrapper "
                    "around the Mixpanel client or a custom consumer", *rule.caveats))

    # --- recording ----------------------------------------------------------------------------
    def _apply(self, site: Site, outcome: Outcome) -> None:
        line = self.a.line(site.call)
        if outcome.manual:
            self._report(site, line, outcome)
            return
        client = self._held_client(site)
        if outcome.rule in self.options.disabled_rules:
            # The whole file is left as it is (`engine.hold_disabled`), so this use does not
            # block its client; a held client still says so here.
            self.flagged_lines.add(line)
            self.disabled_lines.add(line)
            self.findings.append(disabled_finding(line, outcome.rule))
            if client is not None and site.receiver is not None:
                self.findings.append(held_use(client, line, self.a.code(site.call)))
            return
        if client is not None:
            # This use has a rewrite, but its client stays on Amplitude: one finding, no TODO,
            # and the statements the rewrite would have taken stay too, unreported.
            self.flagged_lines.add(line)
            for statement in (site.statement, *outcome.consumed_statements):
                if statement is not None:
                    self.flagged_statements.add(id(statement))
            if site.receiver is not None:
                self.findings.append(held_use(client, line, self.a.code(site.call)))
            return
        before = self.a.code(site.call)
        if outcome.expression is not None:
            self.expressions[id(site.call)] = outcome.expression
            after = outcome.expression
        else:
            assert site.statement is not None and outcome.statements is not None
            plan = self.plans.setdefault(id(site.statement), StatementPlan())
            plan.replace = outcome.statements
            before = self.a.code(site.statement).strip()
            after = "\n".join(outcome.statements) or "(deleted)"
            for name in names_in(site.statement):
                self.consumed.add(id(name))
        for name in names_in(site.call):
            self.consumed.add(id(name))
        for statement in outcome.consumed_statements:
            self.plans.setdefault(id(statement), StatementPlan()).replace = []
            for name in names_in(statement):
                self.consumed.add(id(name))
        if id(site.call) in self.t.id_validity_sites:
            outcome.caveats.append("ID021")
        self.imports |= outcome.imports
        self.changes.append(Change(line, outcome.rule, before, after))
        severity: Severity = "info" if outcome.severity == "info" else "review"
        rule = self.catalogue.rules.get(outcome.rule)
        specific = {caveat for caveat, _ in outcome.notes}  # a note says it for this site
        facts = site_facts(before, after if after != "(deleted)" else "", self.options.token)
        for caveat in dict.fromkeys(c for c in outcome.caveats if c not in specific):
            self.findings.append(Finding(line, outcome.rule, caveat, severity,
                                         self.catalogue.site_message(outcome.rule, caveat, facts)))
        for noted, note in outcome.notes:
            self.findings.append(Finding(line, outcome.rule, noted, "review", note))
        if severity == "review" and not outcome.caveats and not outcome.notes and rule:
            why = rule.docs.why.strip().split(". ")[0].rstrip(".")
            self.findings.append(Finding(line, outcome.rule, None, "review",
                                         f"review `{facts['code']}`: {why}"))
        for note_caveat, note in outcome.notes:
            if note_caveat == "ID023" and self.options.todo_comments and site.statement:
                self._todo(site.statement, f"{note_caveat} {note}")

    def _report(self, site: Site, line: int, outcome: Outcome) -> None:
        caveat = outcome.caveats[0] if outcome.caveats else None
        self.findings.append(Finding(line, outcome.rule, caveat, "manual", outcome.message))
        self.flagged_lines.add(line)
        if site.statement is not None:
            self.flagged_statements.add(id(site.statement))
        if self.options.todo_comments and site.statement is not None:
            self._todo(site.statement, f"{caveat or outcome.rule} {outcome.message}")

    def _todo(self, statement: cst.CSTNode, text: str) -> None:
        comment = TODO_PREFIX + " ".join(text.split())
        plan = self.plans.setdefault(id(statement), StatementPlan())
        if comment not in plan.todo:
            plan.todo.append(comment)

    # --- what is left ---------------------------------------------------------------------------
    def clients(self) -> list[Client]:
        """Each `Amplitude(...)` client of the module and every use of it, after planning.

        A use blocks its client when no rewrite consumed it: a manual site, an init that
        cannot be mapped, a client passed on or stored, a member no rule rewrites.
        """
        said: dict[int, str] = {}
        rewritable = self.disabled_lines  # a disabled rule's site would have been rewritten
        for finding in self.findings:
            if finding.severity == "manual":
                said.setdefault(finding.line, finding.message)
        found: list[Client] = []
        for call, name, uses in self.a.client_uses():
            line = self.a.line(call)
            client = Client(id(call), name, line)
            if line not in rewritable and not all(id(n) in self.consumed
                                                  for n in names_in(call)):
                client.uses.append(Use(line, said.get(line, "the client's creation has no "
                                                      "rewrite")))
            else:
                client.uses.append(Use(line))
            statement = self.a.statement_of(call)
            if statement is not None and self.a.parent(statement) is self.a.module:
                client.fact = next((f for f in self.a.facts if not f.module and f.name == name),
                                   None)
            for use in uses:
                if use is call:
                    client.uses.append(Use(self.a.line(use), "the client is created where no "
                                           "name the tool can follow carries it (stored, passed "
                                           "or returned); migrate it by hand"))
                else:
                    client.uses.append(self._use(use, name, said))
            found.append(client)
        return found + self._imported_clients(said)

    def _use(self, use: cst.CSTNode, name: str, said: dict[int, str]) -> Use:
        """One read of a client: rewritten, or the reason it blocks its client."""
        use_line = self.a.line(use)
        if use_line in self.disabled_lines or any(id(n) in self.consumed for n in names_in(use)):
            return Use(use_line)
        parent = self.a.parent(use)
        if isinstance(parent, cst.Attribute) and parent.value is use:
            return Use(use_line, said.get(use_line, f"{self.a.code(parent)} is used here in a "
                                          "way no rule rewrites; migrate this use by hand"))
        return Use(use_line, f"the client {name} is passed on or stored here, where the tool "
                   "cannot follow it; migrate what receives it by hand")

    def _imported_clients(self, said: dict[int, str]) -> list[Client]:
        """The clients of other modules this one reads (per the project plan), with each read.

        An import with no read (a package `__init__.py` re-exporting the client) is no use.
        """
        scope = self.a.scopes.get(self.a.module)
        found: list[Client] = []
        for (statement, local, attr), fact in self.a.imported.items():
            client: Client | None = None
            for assignment in (scope[local] if scope is not None else ()):
                if not isinstance(assignment, Assignment) or id(assignment.node) != statement:
                    continue
                if client is None:
                    client = Client(_imported_key(fact), fact.name,
                                    self.a.line(assignment.node), fact=fact)
                for access in assignment.references:
                    use: cst.CSTNode = access.node
                    if attr is not None:
                        parent = self.a.parent(use)
                        if not (isinstance(parent, cst.Attribute) and parent.value is use
                                and parent.attr.value == attr):
                            continue
                        use = parent
                    client.uses.append(self._use(use, self.a.code(use), said))
            if client is not None:
                found.append(client)
        return found

    def _report_held(self) -> None:
        """The decision's findings, and each held client's blocking uses no rule reported."""
        if not self.held:
            return
        self.findings.extend(self.decision.findings)
        said = {f.line for f in self.findings if f.severity == "manual" and f.rule != "CLIENT-KEPT"}
        for client in self.decision.clients.values():
            for use in client.blockers():
                if use.line not in said and use.blocker is not None:
                    said.add(use.line)
                    self.findings.append(Finding(use.line, "CLIENT-KEPT", None, "manual",
                                                 use.blocker))
                    self.flagged_lines.add(use.line)

    def _held_client(self, site: Site) -> Client | None:
        """The held client a site uses (its creation or its receiver), if any."""
        if not self.held:
            return None
        fact = None if site.receiver is None else self.a.imported_fact(site.receiver)
        if fact is not None:
            return self.decision.clients.get(_imported_key(fact))
        constructors = ([site.call] if site.receiver is None
                        else self.a.client_constructors(site.receiver))
        for call in constructors:
            if id(call) in self.held:
                return self.decision.clients[id(call)]
        return None

    def _report_unresolved(self) -> None:
        typed: dict[str, list[int]] = {}
        for node, symbol in self.a.sdk_references():
            if all(id(name) in self.consumed for name in names_in(node)):
                continue
            line = self.a.line(node)
            if self._in_annotation(node):  # a type, not a use: said once, at its import
                typed.setdefault(symbol, []).append(line)
                continue
            statement = self.a.statement_of(node)
            if line in self.flagged_lines or id(statement) in self.flagged_statements:
                continue
            site = Site(cst.Call(func=cst.Name("x")), None, "", statement, False)
            self._report(site, line, manual(
                "PY-UNRESOLVED", f"{symbol} is used where the tool cannot follow it (built "
                "elsewhere, passed around or changed conditionally); migrate this by hand"))
        self._report_type_uses(typed)

    def _in_annotation(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None and not isinstance(current, (cst.SimpleStatementLine,
                                                               cst.BaseCompoundStatement)):
            if isinstance(current, cst.Annotation):
                return True
            current = self.a.parent(current)
        return False

    def _report_type_uses(self, typed: dict[str, list[int]]) -> None:
        """One finding per SDK type that only annotations use, at the import that keeps it:
        annotations need no rewrite, but the Amplitude package must stay for them."""
        for symbol, lines in typed.items():
            where = self._import_line(symbol)
            listed = ", ".join(str(n) for n in dict.fromkeys(lines))
            self.findings.append(Finding(
                where, "PY-UNRESOLVED", None, "manual",
                f"{symbol} stays imported from Amplitude for type annotations only (line"
                f"{'s' if ',' in listed else ''} {listed}): they need no rewrite, but the "
                "amplitude package must stay installed for them, or replace them with your "
                "own types and drop the import"))

    def _import_line(self, symbol: str) -> int:
        """The line of the top-level Amplitude import that names `symbol` (else the first)."""
        found: list[int] = []
        for node in self.a.module.body:
            small = node.body[0] if isinstance(node, cst.SimpleStatementLine) else None
            if isinstance(small, cst.ImportFrom) and not small.relative and _module_name(
                    small.module).startswith("amplitude"):
                names = [] if isinstance(small.names, cst.ImportStar) else [
                    a.evaluated_name for a in small.names]
                if symbol in names:
                    return self.a.line(node)
                found.append(self.a.line(node))
            elif isinstance(small, cst.Import) and any(
                    _module_name(a.name).split(".")[0] == "amplitude" for a in small.names):
                found.append(self.a.line(node))
        return found[0] if found else 1

    def _plan_imports(self) -> None:
        """Spec §3.8: drop Amplitude names nothing uses any more, add what the rewrites use."""
        needed = sorted(self.imports - {"os"})
        statements: list[cst.SimpleStatementLine] = []
        for node in self.a.module.body:
            if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
                continue
            small = node.body[0]
            if (isinstance(small, cst.ImportFrom) and _module_name(small.module).startswith(
                "amplitude"
            ) and not small.relative) or (isinstance(small, cst.Import) and any(
                _module_name(a.name).split(".")[0] == "amplitude" for a in small.names
            )):
                statements.append(node)
        if not statements:
            if needed:
                # Amplitude is imported only inside a block or on a shared line: the Mixpanel
                # import would have no safe place, and the rewrite would fail at run time.
                raise SkipFile(
                    "amplitude-import-not-top-level: the Amplitude import is inside a block or "
                    "shares a line with another statement; give it its own top-level line so "
                    "the Mixpanel import can replace it, then run again"
                )
            return
        first = True
        have = self._existing_mixpanel_imports()
        for statement in statements:
            small = statement.body[0]
            assert isinstance(small, (cst.Import, cst.ImportFrom))
            kept = self._kept_aliases(small)
            aliases = small.names if not isinstance(small.names, cst.ImportStar) else []
            replacement: list[str] = []
            if isinstance(small.names, cst.ImportStar):
                site = Site(cst.Call(func=cst.Name("x")), None, "", statement, False)
                self._report(site, self.a.line(statement), manual(
                    "PY-UNRESOLVED", "a star import hides which names come from Amplitude; "
                    "import them by name so the tool can follow them"))
            if isinstance(small.names, cst.ImportStar) or len(kept) == len(aliases):
                replacement.append(self.a.code(small).strip())
            elif kept:
                names = ", ".join(self.a.code(alias).strip().rstrip(",") for alias in kept)
                keyword = "from " + _module_name(small.module) + " import " if isinstance(
                    small, cst.ImportFrom) else "import "
                replacement.append(keyword + names)
            if first and needed:
                if "os" in self.imports and "os" not in have:
                    replacement.insert(0, "import os")
                if self.module_style:
                    if "mixpanel" not in have:
                        replacement.append("import mixpanel")
                else:
                    missing = [name for name in needed if name not in have]
                    if missing:
                        replacement.append(f"from mixpanel import {', '.join(missing)}")
            first = False
            current = self.a.code(small).strip()
            if replacement == [current]:
                continue
            self.plans.setdefault(id(statement), StatementPlan()).replace = replacement
            self.changes.append(Change(self.a.line(statement), "PY-IMPORTS", current,
                                       "\n".join(replacement) or "(deleted)"))

    def _kept_aliases(self, node: cst.Import | cst.ImportFrom) -> list[cst.ImportAlias]:
        if isinstance(node.names, cst.ImportStar):
            return []
        kept = []
        for alias in node.names:
            local = alias.asname.name if alias.asname else alias.name
            if not isinstance(local, cst.Name):
                kept.append(alias)  # dotted `import amplitude.event`: keep, cannot track it
                continue
            references = self._references(local)
            if self.package:
                kept.append(alias)
                self._reexported(node, local.value)
            elif any(id(r) not in self.consumed for r in references):
                kept.append(alias)
        return kept

    def _reexported(self, node: cst.CSTNode, name: str) -> None:
        line = self.a.line(node)
        self.findings.append(Finding(
            line, "PY-UNRESOLVED", None, "review",
            f"{name} is imported from Amplitude in a package's __init__.py, which re-exports "
            "it: modules that import it from this package still use Amplitude; migrate them "
            "and drop this import by hand"))
        self.flagged_lines.add(line)

    def _references(self, local: cst.Name) -> list[cst.CSTNode]:
        scope = self.a.scopes.get(self.a.module)
        if scope is None:
            return []
        refs: list[cst.CSTNode] = []
        for assignment in scope[local.value]:
            refs.extend(access.node for access in assignment.references)
        return refs

    def _existing_mixpanel_imports(self) -> set[str]:
        have: set[str] = set()
        for node in self.a.module.body:
            if not isinstance(node, cst.SimpleStatementLine):
                continue
            for small in node.body:
                if isinstance(small, cst.ImportFrom) and _module_name(small.module) == "mixpanel":
                    if not isinstance(small.names, cst.ImportStar):
                        have.update(_module_name(a.name) for a in small.names if not a.asname)
                elif isinstance(small, cst.Import):
                    have.update(_module_name(a.name) for a in small.names if not a.asname)
        return have


class _Rewriter(cst.CSTTransformer):
    """Applies a plan: swaps planned calls and statements, keeps every other byte."""

    def __init__(self, planner: _Planner) -> None:
        super().__init__()
        self.p = planner
        try:
            self.config = planner.a.module.config_for_parsing
        except ValueError as exc:  # libcst detects an indent it then refuses to parse with
            raise NotLossless(f"libcst cannot parse new code indented like this file ({exc})"
                              ) from exc
        # Only the planned statements and calls and their ancestors are entered: every other
        # subtree comes back unchanged anyway, and libcst's transformer rebuilds each node it
        # enters (a tenth of a module's migration time).
        planned = planner.plans.keys() | planner.expressions.keys()
        parents = planner.a.parents
        self.entered: set[int] = set()
        for node in parents:
            if id(node) in planned:
                current: cst.CSTNode | None = node
                while current is not None and id(current) not in self.entered:
                    self.entered.add(id(current))
                    current = parents.get(current)
        self.entered.add(id(planner.a.module))

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) in self.entered

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        text = self.p.expressions.get(id(original))
        if text is None:
            return updated
        return cst.parse_expression(text, config=self.config)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body, footer = self._block(original.body, updated.body, top=True, header=original.header)
        return updated.with_changes(body=body, footer=[*footer, *updated.footer])

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body, footer = self._block(original.body, updated.body, top=False)
        return updated.with_changes(body=body, footer=[*footer, *updated.footer])

    def _block(
        self,
        originals: Sequence[cst.BaseStatement],
        updates: Sequence[cst.BaseStatement],
        top: bool,
        header: Sequence[cst.EmptyLine] = (),
    ) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine]]:
        """One block's statements, and the lines to put before its footer.

        A deleted statement's lines go where its line was: its comments (its trailing one
        included) stay above the next statement, or at the end of the block when it was the
        last one, and the blank lines around it are joined as they would be by hand (see
        `_join`). libcst keeps the comments above a module's first statement in the module
        header, so they count as that statement's comments when looking for an existing TODO.
        """
        body: list[cst.BaseStatement] = []
        carry: list[cst.EmptyLine] | None = None  # a deleted statement's lines, not yet placed
        for original, updated in zip(originals, updates, strict=True):
            # libcst's two kinds of statement; both own the lines above them
            assert isinstance(updated, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
            plan = self.p.plans.get(id(original))
            lead = list(updated.leading_lines)
            if carry is not None:
                lead = _join(carry, lead, first=not body, planned=plan is not None)
                carry = None
            if plan is None:
                body.append(updated if lead == list(updated.leading_lines)
                            else updated.with_changes(leading_lines=lead))
                continue
            above = [*header, *lead] if original is originals[0] else lead
            if not any(
                line.comment is not None and line.comment.value.startswith(TODO_PREFIX)
                for line in above
            ):
                # A statement that already carries a TODO gets no more: reruns stay no-ops.
                lead.extend(cst.EmptyLine(comment=cst.Comment(todo)) for todo in plan.todo)
            if plan.replace is None:
                new = [updated]
            else:
                new = [cst.parse_statement(code + "\n", config=self.config)
                       for code in plan.replace]
            if not new:
                trailing = _trailing_comment(original)
                carry = lead + ([cst.EmptyLine(comment=trailing)] if trailing is not None else [])
                continue
            new[0] = new[0].with_changes(leading_lines=lead)
            if plan.replace is not None and isinstance(original, cst.SimpleStatementLine):
                last = new[-1]
                if isinstance(last, cst.SimpleStatementLine):
                    new[-1] = last.with_changes(trailing_whitespace=original.trailing_whitespace)
            body.extend(new)
        footer: list[cst.EmptyLine] = []
        if carry is not None and any(line.comment is not None for line in carry):
            if body or top:
                footer = carry  # the comments close the block, where they were
            else:
                body.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=carry))
        elif not body and not top:
            body.append(cst.SimpleStatementLine([cst.Pass()]))
        return body, footer


def _join(deleted: list[cst.EmptyLine], following: list[cst.EmptyLine], first: bool,
          planned: bool) -> list[cst.EmptyLine]:
    """The lines above a statement once the statement above it is deleted.

    `deleted` holds the lines the deleted statement had above it (its comments move down,
    blank lines included, as a paragraph of their own). Without a comment, only blank lines
    meet: the wider of the two gaps stays, and none when the block now starts there (a
    blank line right under `try:` or `def f():`). That is decided only above a statement the
    migration rewrites, whose own lines are the same whether libcst saw the whole module or
    a slice of it (`slicing.py`); any other statement keeps its lines, and the deleted
    statement's blank lines go.
    """
    if any(line.comment is not None for line in deleted):
        return [*deleted, *following]
    if not planned:
        return following
    run = _blank_run(following)
    if first:
        return following[run:]
    return [*following[:run], *deleted[run:], *following[run:]]


def _blank_run(lines: list[cst.EmptyLine]) -> int:
    """How many blank lines (no comment) start `lines`."""
    count = 0
    for line in lines:
        if line.comment is not None:
            break
        count += 1
    return count


def _trailing_comment(statement: cst.CSTNode) -> cst.Comment | None:
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.trailing_whitespace.comment
    return None


def _module_name(node: cst.CSTNode | None) -> str:
    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_module_name(node.value)}.{node.attr.value}"
    return ""


def _imported_key(fact: ClientFact) -> tuple[str, str, str]:
    return ("import", fact.module, fact.name)


def _severity(rule: Rule) -> Severity:
    return "info" if rule.safety == "safe" else "review"
