"""Groups (spec AP10, AP11): `group_identify` (row `group-identify`) and `GroupIdentifyEvent` (row
`special-events`) become group-profile calls; `set_group` (row `set-group`) becomes a
`people_set` of the group key on the user's profile."""

from __future__ import annotations

import libcst as cst

from .. import build
from .base import (
    IDENTIFY_EVENT_PARAMS,
    TRANSFORMS,
    ManualSite,
    Outcome,
    Site,
    Unsupported,
    bind,
    manual,
)
from .profiles import GROUP_OPS, ProfileTransforms


class GroupTransforms(ProfileTransforms):
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
