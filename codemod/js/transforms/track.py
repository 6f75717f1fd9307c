"""Sending events: `track` (rows `log-event`, `log-event-callbacks`, `track-event-options`,
`track-event-object`, `track-user`, `track-without-identity`, `track-awaited*` and the other
`track-*` rows), `track_with_timestamp` (`log-event-with-timestamp`), `track_with_groups`
(`log-event-with-groups`) and `screen_view` (`track-screen-view`).

Server events carry their distinct id in each call (spec §0.3), so the server path
(`_track_node`) is the bulk of this module."""

from __future__ import annotations

from ...catalogue import Rule
from ..bindings import member_name
from ..estree import Node
from ..event_ids import event_variable, ids_set_message, no_identity_message
from ..options_map import event_props
from ..outcome import Outcome, Site, manual
from ..text import function_arity, is_nullish, is_stringish, merge_props, prop_key, spread
from .base import _CAMEL, TRANSFORMS, TransformsCore, _key, _review, _safe, _twice

_REVENUE_FIELDS = ("price", "quantity", "revenue", "productId", "revenueType")


class TrackTransforms(TransformsCore):
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
