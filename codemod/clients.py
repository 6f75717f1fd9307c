"""All or nothing per client: the one decision every language's migration feeds.

A client binding (Python `client = Amplitude(KEY)`, ...) is moved to Mixpanel only when every
use of it in the file has a rewrite: its creation, its init and each call. One use left on
Amplitude beside a rewritten init fails at run time (an `AttributeError` on a Mixpanel client,
or a call on an Amplitude instance nobody initialises any more), so a client with any blocking
use keeps all its uses on Amplitude: each blocker is reported where it is and why it blocks,
and its creation says which lines need a human first. Once those are fixed, a run migrates it.

This module only decides; a language's migration finds the uses and plans them twice: once
to learn which uses have a rewrite, once more holding back the clients decided here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from .results import Finding

RULE = "CLIENT-KEPT"


@dataclass(frozen=True)
class Use:
    """One use of a client: where it is, and why it cannot be rewritten (None when it can)."""

    line: int
    blocker: str | None = None


@dataclass
class Client:
    """A client binding of one file: its name, where it is created, and each of its uses."""

    key: Hashable
    name: str
    line: int
    uses: list[Use] = field(default_factory=list)

    def blockers(self) -> list[Use]:
        seen: dict[int, Use] = {}
        for use in self.uses:
            if use.blocker is not None and use.line not in seen:
                seen[use.line] = use
        return sorted(seen.values(), key=lambda u: u.line)


@dataclass(frozen=True)
class Decision:
    """The clients kept on Amplitude (by key) and the one finding on each one's creation."""

    held: frozenset[Hashable]
    findings: tuple[Finding, ...]
    clients: dict[Hashable, Client] = field(default_factory=dict)  # the held ones, by key


def decide(clients: Iterable[Client]) -> Decision:
    """Hold every client that has a blocking use; say so once, at its creation, when some
    use of it had a rewrite that is now held back."""
    held: dict[Hashable, Client] = {}
    findings: list[Finding] = []
    for client in clients:
        blockers = client.blockers()
        if not blockers:
            continue
        held[client.key] = client
        if all(use.blocker is not None for use in client.uses):
            continue  # nothing of it had a rewrite: its uses' own findings say it all
        lines = ", ".join(str(use.line) for use in blockers)
        count = len(blockers)
        findings.append(Finding(
            client.line, RULE, None, "manual",
            f"client `{client.name}` kept on Amplitude: {count} use{'s' if count > 1 else ''} "
            f"need{'' if count > 1 else 's'} a human first (line{'s' if count > 1 else ''} "
            f"{lines}); migrating it only in part would call Amplitude methods on a Mixpanel "
            "client or leave calls on an Amplitude client nothing initialises; fix those "
            "uses and run again"))
    return Decision(frozenset(held), tuple(findings), held)


def held_use(name: str, created: int, line: int) -> Finding:
    """The finding on a use that has a rewrite but stays on Amplitude with its client."""
    return Finding(line, RULE, None, "manual",
                   f"kept on Amplitude with its client `{name}` (created on line {created}): "
                   "migrated once the client's blocking uses are fixed")
