"""Sending events (spec AP02-AP08, AP13): `track` of a `BaseEvent` (rows `track-user-event`,
`track-event-properties`, `track-event-options`, `track-groups`, `track-user-properties`,
`track-event-variable`, `track-without-identity`), and of the special events `IdentifyEvent`,
`GroupIdentifyEvent` and `RevenueEvent` (row `special-events`), which it hands to the identity,
group and revenue transforms."""

from __future__ import annotations

import libcst as cst

from .. import build
from ..analysis import is_none_literal
from .base import (
    BASE_EVENT_PARAMS,
    IDENTIFY_EVENT_PARAMS,
    REVENUE_EVENT_PARAMS,
    TRANSFORMS,
    ManualSite,
    Outcome,
    Site,
    Unsupported,
    bind,
    manual,
)
from .groups import GroupTransforms
from .identity import IdentityTransforms
from .revenue import RevenueTransforms


class TrackTransforms(IdentityTransforms, GroupTransforms, RevenueTransforms):
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
