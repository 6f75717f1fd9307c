"""What a transform decides for one call site, and the site it decides about."""

from __future__ import annotations

from dataclasses import dataclass, field

from .bindings import Binding
from .estree import Node


@dataclass
class Site:
    """One call on an Amplitude client.

    `wrapper` is the outermost of `call`, `call.promise`, `await call(.promise)`;
    `statement` is the expression statement it forms on its own (None when its value is
    used); `block` is the statement list holding that statement, when there is one.
    """

    call: Node
    family: str
    method: str
    client: Binding
    mp: str
    wrapper: Node
    promise: bool
    awaited: bool
    statement: Node | None
    block: list[Node] | None


@dataclass
class Outcome:
    """A rewrite (`expression` replaces the call, `statements` replace its statement, an
    empty list deletes it) or, when `manual`, a site left for a human with `message`."""

    rule: str
    severity: str = "info"  # info | review | manual
    caveats: list[str] = field(default_factory=list)
    message: str = ""
    expression: str | None = None
    statements: list[str] | None = None
    consumed: list[Node] = field(default_factory=list)
    notes: list[tuple[str | None, str]] = field(default_factory=list)
    edits: list[tuple[Node, str]] = field(default_factory=list)  # other spans to replace
    initialises: int | None = None  # id() of the createInstance() variable this init makes Mixpanel
    also: list[tuple[Node, str]] = field(default_factory=list)  # (call, rule) folded into this one
    awaits: bool = False  # the Mixpanel call returns a promise: the site's `await` is kept or added

    @property
    def manual(self) -> bool:
        return self.severity == "manual"


def manual(rule: str, message: str, *caveats: str) -> Outcome:
    return Outcome(rule=rule, severity="manual", caveats=list(caveats), message=message)
