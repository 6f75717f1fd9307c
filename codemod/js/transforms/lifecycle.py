"""Client lifecycle calls with nothing to carry over: `flush()` (row `flush`) and its kin,
the rules whose `[fix] action = "delete"`, are deleted unless their result is used or awaited.

Not registered by name: the dispatcher calls `delete` for those rules."""

from __future__ import annotations

from ...catalogue import Rule
from ..outcome import Outcome, Site, manual
from .base import TransformsCore


class LifecycleTransforms(TransformsCore):
    def delete(self, site: Site, rule: Rule) -> Outcome:
        if site.statement is None:
            return manual(rule.id, f"the result of {site.method}() is used; Mixpanel has nothing "
                          "to wait for", *rule.caveats[:1])
        if site.awaited and site.family == "browser":
            return manual(rule.id, "flush() is awaited: mixpanel-browser has no public flush, so "
                          "decide what this code should wait for")
        return Outcome(rule.id, "review", list(rule.caveats), statements=[])
