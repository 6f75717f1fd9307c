"""The core every concept's transforms share: the migration they run in, and how a
transform finds its row.

A transform names a concept's row by slug (`_row`, `_pick`, `family_rule`); the rule TOMLs
hold the ids. The event identity helpers (`_identity`, `did`, `idprops`, `_twice`) live here
because tracking, people, groups and revenue all build a server call's distinct id the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...catalogue import Rule
from ...transform_table import TransformTable
from ..estree import Node
from ..outcome import Outcome
from ..text import prop_key

if TYPE_CHECKING:
    from ..migrate import Migrator

TRANSFORMS = TransformTable("javascript")


def _review(rule: str, *caveats: str, **fields) -> Outcome:
    return Outcome(rule, "review", list(caveats), **fields)


def _safe(rule: str, *caveats: str, **fields) -> Outcome:
    return Outcome(rule, "info", list(caveats), **fields)


# Keys an SDK with `camel_keys` also accepts, in the spelling the rules read.
_CAMEL = {"userId": "user_id", "deviceId": "device_id", "eventType": "event_type",
          "eventProperties": "event_properties", "userProperties": "user_properties",
          "sessionId": "session_id"}


def _key(prop: Node, camel: bool) -> str | None:
    key = prop_key(prop)
    return _CAMEL.get(key, key) if camel and key is not None else key


def _twice(user: str | None, device: str | None) -> list[tuple[str | None, str]]:
    """DID(u, d) reads `u` twice: a call there runs twice (spec §0.3 says hoist it)."""
    if user and device and "(" in user:
        return [("ID006", f"{user} is evaluated twice in the distinct id: hoist it into a "
                 "variable if it has side effects or is slow")]
    return []


class TransformsCore:
    def __init__(self, m: Migrator) -> None:
        self.m = m
        self.src = m.src

    def family_rule(self, family: str, slug: str) -> Rule | None:
        """The rule of `family` with `slug`: the row a transform picks by what it names."""
        packages = self.m.registry.sdks[family].packages
        return next((r for r in self.m.catalogue.for_language("javascript")
                     if r.slug == slug and r.sdk in packages), None)

    def _pick(self, family: str, *slugs: str) -> Rule:
        """The first of `slugs` the family has a rule for."""
        found = [r for r in (self.family_rule(family, s) for s in slugs) if r is not None]
        return found[0]

    def _row(self, family: str, *slugs: str) -> str:
        """The id of the first of `slugs` the family has a rule for: transforms name the
        concept, the rule TOMLs hold the ids."""
        return self._pick(family, *slugs).id

    def _identity(self, options: Node | None, camel: bool = False,
                  ) -> tuple[str | None, str | None, list[Node]] | None:
        """(user_id, device_id, other option properties) from a literal options object."""
        if options is None:
            return None, None, []
        if options["type"] != "ObjectExpression":
            return None
        user = device = None
        rest = []
        for prop in options["properties"]:
            key = _key(prop, camel)
            if key == "user_id":
                user = self.src.of(prop["value"])
            elif key == "device_id":
                device = self.src.of(prop["value"])
            else:
                rest.append(prop)
        return user, device, rest

    @staticmethod
    def did(user: str | None, device: str | None) -> str:
        """DID(u, d) of spec §0.3, JS form."""
        if user and device:
            return f"{user} ? {user} : `$device:${{{device}}}`"
        if user:
            return user
        return f"`$device:${{{device}}}`"

    @staticmethod
    def idprops(user: str | None, device: str | None) -> list[tuple[str, str]]:
        return ([("$user_id", user)] if user else []) + ([("$device_id", device)] if device else [])

    def _new_promise(self) -> str:
        """`new Promise<void>` in TypeScript, where a Promise of unknown whose resolve() gets
        no value fails strict type checking (TS2794)."""
        return "new Promise<void>" if self.m.typed else "new Promise"
