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

from .messages import short
from .options import ClientFact
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
    # The project plan's fact, for a client other modules share (`codemod/project/`).
    fact: ClientFact | None = None

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


HELD_USE = "is kept on Amplitude with its client"  # what every `held_use` message says


def held_use(client: Client, line: int, code: str) -> Finding:
    """The finding on a use that has a rewrite but stays on Amplitude with its client,
    created on a line of this file or, for a client the project plan shares, at `path:line`
    of another module."""
    shared = client.fact is not None and client.fact.module
    where = client.fact.origin if shared and client.fact is not None else f"line {client.line}"
    return Finding(line, RULE, None, "manual",
                   f"`{short(code)}` {HELD_USE} `{client.name}` (created on {where}): it has "
                   "a rewrite, made once the client's blocking uses are fixed")


def project_kept(line: int, fact: ClientFact) -> Finding:
    """The finding on the creation of a client the project plan keeps on Amplitude."""
    count = len(fact.blockers)
    return Finding(
        line, RULE, None, "manual",
        f"client `{fact.name}` ({fact.origin}) kept on Amplitude: {count} "
        f"use{'s' if count != 1 else ''} need{'' if count != 1 else 's'} a human first "
        f"({', '.join(fact.blockers)}); other modules use this client too, and migrating it "
        "only in part would call Amplitude methods on a Mixpanel client or leave calls on an "
        "Amplitude client nothing initialises; fix those uses and run again")


def with_project(decision: Decision, clients: Iterable[Client]) -> Decision:
    """The file's own decision, plus the clients the project plan holds (`Client.fact`).

    The plan saw every module that shares a client, so its word replaces the file's own
    finding on such a client; the finding goes on the creation, in the module that creates it.
    """
    held = dict(decision.clients)
    replaced: set[int] = set()
    findings: list[Finding] = []
    for client in clients:
        if client.fact is None or not client.fact.held:
            continue
        if client.key in held:
            replaced.add(client.line)
        held[client.key] = client
        if not client.fact.module:
            findings.append(project_kept(client.line, client.fact))
    findings += [f for f in decision.findings if f.line not in replaced]
    return Decision(frozenset(held), tuple(findings), held)
