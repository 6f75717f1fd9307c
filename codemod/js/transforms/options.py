"""Runtime settings: `opt_out` (rows `opt-out`, `opt-in`), `transport` (`set-transport`)
and `server_zone` (`server-zone`), each a call on a client that already exists."""

from __future__ import annotations

from ...catalogue import Rule
from ..estree import Node
from ..options_map import EU_HOST
from ..outcome import Outcome, Site, manual
from .base import TRANSFORMS, TransformsCore, _review

_LOOSER_THAN_CONDITIONAL = ("AssignmentExpression", "SequenceExpression", "ConditionalExpression",
                            "ArrowFunctionExpression", "YieldExpression")


def _condition(src, node: Node) -> str:
    """A conditional's test that never starts with `(`: a statement starting with a paren
    would continue the previous line in files without semicolons."""
    text = src.of(node)
    return f"Boolean({text})" if node["type"] in _LOOSER_THAN_CONDITIONAL else text


class OptionTransforms(TransformsCore):
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
