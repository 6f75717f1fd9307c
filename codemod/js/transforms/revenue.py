"""Revenue: `log_revenue` (row `log-revenue`) and `revenue` (rows `revenue`, `log-revenue-v2`), which
become a track of the configured revenue event with price, quantity and revenue computed as
Amplitude did (spec §3.7)."""

from __future__ import annotations

from ...catalogue import Rule
from ..estree import Node
from ..expand import resolve
from ..outcome import Outcome, Site, manual
from ..text import obj, spread
from .base import TRANSFORMS, TransformsCore, _review


class RevenueTransforms(TransformsCore):
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
