"""Who the user is: `set_user_id` (rows `set-user-id`, `set-user-id-literal`,
`set-user-id-variable`, `set-user-id-null`, `set-user-id-undefined`, `set-user-id-new-session`,
`logout-pair`) and `set_identity` (`set-identity`), which become `identify()` and `reset()`."""

from __future__ import annotations

from ...catalogue import Rule
from ..estree import Node
from ..outcome import Outcome, Site, manual
from ..text import is_nullish, is_stringish, prop_key
from .base import TRANSFORMS, TransformsCore, _review, _safe


class IdentityTransforms(TransformsCore):
    @TRANSFORMS.register("set_user_id")
    def set_user_id(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        js = site.family == "amplitude-js"
        rn = site.family == "react-native"
        mp = site.mp
        if not args or is_nullish(args[0]):
            pair = self._regenerate_next(site)
            if pair is not None:
                return _safe(self._row(site.family, "logout-pair"),
                             "ID003", statements=[f"{mp}.reset()"], consumed=[pair])
            row = self._row(site.family, "set-user-id-null", "set-user-id-undefined")
            return _review(row, "ID003", expression=f"{mp}.reset()")
        user = args[0]
        if js and len(args) > 1:
            return _review(self._row(site.family, "set-user-id-new-session"),
                           "ID002", "ID017", expression=f"{mp}.identify({self.src.of(user)})")
        if rn:
            return _safe(self._row(site.family, "set-user-id"),
                         "ID002", expression=f"{mp}.identify({self.src.of(user)})")
        if is_stringish(user):
            return _safe(self._row(site.family, "set-user-id-literal"), "ID001", "ID002",
                         expression=f"{mp}.identify({self.src.of(user)})")
        return _review(self._row(site.family, "set-user-id-variable"), "ID002", "ID003",
                       expression=f"{mp}.identify({self.src.of(user)})")

    def _regenerate_next(self, site: Site) -> Node | None:
        """The `regenerateDeviceId()` statement right after `setUserId(null)`, same receiver."""
        if site.statement is None or site.block is None:
            return None
        index = next(i for i, s in enumerate(site.block) if s is site.statement)
        if index + 1 >= len(site.block):
            return None
        following = site.block[index + 1]
        expr = following.get("expression") if following["type"] == "ExpressionStatement" else None
        if not expr or expr["type"] != "CallExpression" or expr["callee"]["type"] != "MemberExpression":
            return None
        callee = expr["callee"]
        receiver = site.call["callee"].get("object") if site.call["callee"]["type"] == (
            "MemberExpression") else None
        if receiver is None or callee["property"].get("name") != "regenerateDeviceId":
            return None
        if self.src.of(callee["object"]) != self.src.of(receiver):
            return None
        self.m.handled.add(id(expr))
        return following

    @TRANSFORMS.register("set_identity")
    def set_identity(self, site: Site, rule: Rule) -> Outcome:
        args = site.call["arguments"]
        row = self._row(site.family, "set-identity")
        if len(args) != 1 or args[0]["type"] != "ObjectExpression":
            return manual(row, "setIdentity() without an object literal")
        fields = {prop_key(p): p for p in args[0]["properties"]}
        if "deviceId" in fields or None in fields:
            return manual(row, "setIdentity() sets a device id", "ID005")
        statements = []
        if "userId" in fields:
            statements.append(f"{site.mp}.identify({self.src.of(fields['userId']['value'])})")
        if "userProperties" in fields:
            statements.append(f"{site.mp}.people.set({self.src.of(fields['userProperties']['value'])})")
        return _review(row, "ID002", "ID004", statements=statements)
