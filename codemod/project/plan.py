"""The project plan: each shared client migrated all or nothing, in every module at once.

`index.py` finds the clients other modules read. For each one, every module touching it (the
one creating it, each reader) is planned *dry*: the file's own migration runs with the facts
saying the client is shared, and reports each use of it with the reason it blocks, if any
(`Migration.clients`). A client migrates only when no use anywhere blocks; otherwise each
module gets the fact that it is held, so its creation, its init and all its uses stay on
Amplitude everywhere, and the creation says which `path:line`s need a human first.

The per-file engine stays pure: it receives these facts in its options (`ClientFact`), which
therefore key the result cache too. A run that sees only part of the project (pre-commit
passes the staged files) still indexes the project's other Python files; a client touched by
a file outside the run is held, and its creation and uses say the run could not decide it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..catalogue import Catalogue
from ..clients import Client
from ..engine import dry_clients, language_of
from ..options import ClientFact, Options, shared_by_name
from .index import Created, ProjectIndex, Reader, build_index
from .summary import JAVASCRIPT, PYTHON, Summarize, summarizer

Dry = Callable[[str, Options], "list[Client] | str | None"]

PARTIAL = ("is not in this run (only part of the project was given); run on the whole "
           "project to decide this client")


@dataclass(frozen=True)
class Shared:
    """One decided client: where it is created, who reads it, and whether it is held."""

    creator: str
    name: str
    readers: tuple[str, ...]
    held: bool


@dataclass
class Plan:
    """Per file (as the run names it), the facts its migration receives."""

    facts: dict[str, tuple[ClientFact, ...]] = field(default_factory=dict)
    shared: list[Shared] = field(default_factory=list)
    index: ProjectIndex = field(default_factory=ProjectIndex)
    summarize: Summarize | None = None  # the index's, for the checks after the run

    def options_for(self, base: Callable[[str], Options]) -> Callable[[str], Options]:
        """Each file's options with its facts (the run's own `options_for` underneath), and
        each JavaScript file's with the project's React contexts made with Mixpanel's client."""
        settled = frozenset(self.index.settled)
        if not self.facts and not settled:
            return base

        def options_for(path: str) -> Options:
            options = base(path)
            if settled and path.lower().endswith((*JAVASCRIPT, ".vue")):
                options = replace(options, settled_contexts=settled)
            facts = self.facts.get(os.path.normpath(path))
            return options if facts is None else replace(options, clients=facts)

        return options_for


def _origin(client: Created, display: Callable[[str], str]) -> str:
    return f"{display(client.path)}:{client.line}"


def plan_project(
    files: list[str], extra: list[str], read: Reader, options_for: Callable[[str], Options],
    catalogue: Callable[[], Catalogue], display: Callable[[str], str] = os.path.normpath,
    summarize: Summarize | None = None, dry: Dry | None = None,
) -> Plan:
    """Decide every shared client among `files` (the run's) and `extra` (the rest of the
    project, indexed only to know who else reads a client). `dry` plans one module with
    given facts (`dry_run` by default; the runner's answers from the result cache too)."""
    summarize = summarize or summarizer(read, None)
    dry = dry or dry_run(read, catalogue)
    run_files = {os.path.normpath(f) for f in files}
    everything = [*files, *extra]
    index = build_index([f for f in everything if f.lower().endswith(PYTHON)], read, summarize)
    if language_of("x.js") is not None:  # the JavaScript parsers are installed
        from .jsindex import index_js

        index_js([f for f in everything if f.lower().endswith(JAVASCRIPT)], read, summarize,
                 index, tuple(f for f in everything if f.lower().endswith((".vue", ".html"))))
    plan = Plan(index=index, summarize=summarize)
    if not index.reads:
        return plan
    touching: dict[str, list[tuple[Created, ClientFact]]] = {}
    readers = index.by_client()
    for client in readers:
        origin = _origin(client, display)
        injected = client.name if shared_by_name(client.name) else ""
        touching.setdefault(client.path, []).append(
            (client, ClientFact("", client.local, origin, injected=injected,
                                context=client.context)))
        for reader in readers[client]:
            touching.setdefault(reader.path, []).append((client, ClientFact(
                reader.spelled, reader.name, origin, family=client.family, role=client.role,
                member=client.member, instance=client.instance, injected=injected,
                via=client.via)))
    blockers: dict[Created, list[str]] = {}
    for path, pairs in touching.items():
        for client, _ in pairs:
            blockers.setdefault(client, [])
            if client.blocker is not None and path == client.path:
                blockers[client].append(f"{_origin(client, display)} ({client.blocker})")
        if os.path.normpath(path) not in run_files:
            for client, _ in pairs:
                blockers[client].append(f"{display(path)} {PARTIAL}")
            continue
        facts = tuple(fact for _, fact in pairs)
        found = dry(path, replace(options_for(path), clients=facts))
        for client, fact in pairs:
            if client.blocker is None:
                blockers[client] += _blocking(found, fact, display(path))
    # A JavaScript module's exports of one SDK instance (`export *` beside `export default
    # amplitude`) are one client: one blocker holds them all.
    same: dict[tuple[str, str, str | None], list[str]] = {}
    for client in blockers:
        if client.family:
            same.setdefault((client.path, client.family, client.instance), []).extend(
                blockers[client])
    for client in blockers:
        if client.family:
            blockers[client] = same[(client.path, client.family, client.instance)]
    for path, pairs in touching.items():
        decided = []
        for client, fact in pairs:
            kept = tuple(dict.fromkeys(blockers[client]))
            decided.append(replace(fact, held=bool(kept), blockers=kept))
        plan.facts[os.path.normpath(path)] = tuple(decided)
    for client in blockers:
        who = tuple(dict.fromkeys(os.path.normpath(r.path) for r in readers.get(client, [])))
        plan.shared.append(Shared(os.path.normpath(client.path), client.name, who,
                                  bool(blockers[client])))
    return plan


def dry_run(read: Reader, catalogue: Callable[[], Catalogue]) -> Dry:
    """Plan a module from its bytes (None: it could not be read)."""
    def dry(path: str, options: Options) -> list[Client] | str | None:
        data = read(path)
        return None if data is None else dry_clients(data, path, options, catalogue())

    return dry


def _blocking(found: list[Client] | str | None, fact: ClientFact, where: str) -> list[str]:
    """`path:line` of each use of the client in one file that has no rewrite."""
    if found is None or isinstance(found, str):
        return [f"{where} ({found or 'unreadable'}: the file could not be planned)"]
    matching = [client for client in found if client.fact is not None and (
        client.fact.module, client.fact.name) == (fact.module, fact.name)]
    if matching:  # a `.vue` file's clients: one per script block, and its template's reads
        return [f"{where}:{use.line}" for client in matching for use in client.blockers()]
    if not fact.module:
        return [f"{where} (the client's creation was not found where the index saw it)"]
    return []  # a module that only re-exports the client, or reads it nowhere
