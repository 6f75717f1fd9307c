"""Identity and people profiles (spec AP09): `identify` and `IdentifyEvent` (row
`identify-expansion`) become Mixpanel `people_*` calls on the event's distinct id."""

from __future__ import annotations

import libcst as cst

from .. import build
from .base import TRANSFORMS, ManualSite, Outcome, Site, Unsupported, bind, manual
from .profiles import PEOPLE_OPS, ProfileTransforms


class IdentityTransforms(ProfileTransforms):
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
