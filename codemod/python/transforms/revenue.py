"""Revenue (spec AP12): `revenue` and `RevenueEvent` (row `revenue`) become a track of the configured
revenue event carrying Mixpanel's plain revenue properties (spec §3.7)."""

from __future__ import annotations

import libcst as cst

from .. import build
from .base import TRANSFORMS, ManualSite, Outcome, Site, TransformsCore, Unsupported, bind, manual

REVENUE_PARAMS = [
    "price", "quantity", "product_id", "revenue_type", "receipt", "receipt_sig", "properties",
    "revenue", "currency",
]


class RevenueTransforms(TransformsCore):
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
