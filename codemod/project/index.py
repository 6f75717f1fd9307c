"""The project index: which modules create an Amplitude client, and which modules read it.

A client is often created once (`client = Amplitude(KEY)` in `config.py`) and used from many
modules (`from config import client`). The per-file engine cannot decide such a client alone,
so this pass records, per file, only what carries a client between modules, and nothing else:

- a Python module *creates* a client when a top-level statement binds a name to
  `Amplitude(...)` imported from `amplitude` (`client = Amplitude(KEY)`);
- a Python module *reads* one by `from config import client` (relative or absolute) or by
  `import config` then `config.client`; a module that imports it re-exports it too (a
  package `__init__.py` with `from .config import client`), so `from pkg import client`
  reaches the same client.

It stays cheap: each file is known by its summary (`summary.py`, kept in the result cache),
and CPython's `ast` parses only the files whose imports name a module that creates or
re-exports a client, so most of a tree is never parsed, and an unchanged one not even read.
Modules are resolved on disk: a relative import from the importer's package, an absolute
one from the importer's folder or the nearest folder above it that holds the module, as
`python` run from that folder would; a name that resolves to no indexed file is not
followed (the engine reports such a read itself).
"""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .summary import JAVASCRIPT, PYTHON, Summarize, Summary, parse_python

Reader = Callable[[str], bytes | None]


@dataclass(frozen=True)
class Created:
    """A client a module creates at top level: the root every reader leads back to.

    `name` is what readers import; `local` the binding that holds it in its own module. A
    JavaScript export also says what it is there (`family`, `role`, `member`, `instance`:
    see `codemod/js/bindings.py`), and why it cannot move (`blocker`), if it cannot. An
    export handing the client out through a React `context` (its local name there) says
    `via` what importers get (`ClientFact.via`).
    """

    path: str
    name: str
    line: int
    local: str = ""
    family: str = ""
    role: str = ""
    member: str = ""
    instance: str | None = None
    blocker: str | None = None
    context: str = ""
    via: str = ""


@dataclass(frozen=True)
class Read:
    """A module's import of a client: spelled as the module writes it."""

    path: str  # the importing module
    spelled: str  # `config`, `.config`, `app.config`
    name: str  # the client's name in the module it is imported from
    local: str  # the name it binds here (the module's for `import config`)
    line: int
    client: Created
    # JavaScript, for the module-order check (`order.py`): each call on the client at the
    # module's top level, as (offset, line), and each relative module the top level loads,
    # as (specifier, offset): 0 for a hoisted `import`, the `require`'s own offset else.
    calls: tuple[tuple[int, int], ...] = ()
    loads: tuple[tuple[str, int], ...] = ()


@dataclass
class ProjectIndex:
    """Every shared client of the project and every module that reads it."""

    created: list[Created] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)
    parsed: int = 0  # files parsed with `ast` (the index's cost)
    settled: set[str] = field(default_factory=set)  # contexts made with Mixpanel's client

    def readers(self, client: Created) -> list[Read]:
        return self.by_client().get(client, [])

    def by_client(self) -> dict[Created, list[Read]]:
        """The reads of each client, in index order: one pass, not one per client."""
        grouped: dict[Created, list[Read]] = {}
        for read in self.reads:
            grouped.setdefault(read.client, []).append(read)
        return grouped


def read_limited(limit: int) -> Reader:
    """A reader of files up to `limit` bytes (the run's limit; a larger file is no module
    the run migrates). The index keeps no bytes: the run reads its files again, one at a
    time, as it streams."""

    def read(path: str) -> bytes | None:
        if not os.path.isfile(path):
            return None  # a FIFO or device named like source: opening it would wait forever
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # opening a FIFO would hang the run
                return None
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError:
            return None
        return data if len(data) <= limit else None

    return read


def _candidates(importer: str, spelled: str, level: int) -> Iterable[str]:
    """Where a module spelled `spelled` (dots stripped) can live, nearest first."""
    parts = spelled.split(".") if spelled else []
    folder = os.path.dirname(os.path.abspath(importer))
    if level:
        for _ in range(level - 1):
            folder = os.path.dirname(folder)
        folders = [folder]
    else:
        folders = []
        while True:
            folders.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    for base in folders:
        stem = os.path.join(base, *parts)
        yield stem + ".py"
        yield os.path.join(stem, "__init__.py")


def on_disk(path: str, summary: Summary) -> Iterator[str]:
    """The files the modules a file names resolve to on disk, as the index resolves them
    (for a run given only some files: what it must index besides them)."""
    if path.lower().endswith(PYTHON):
        for name in summary.names:
            spelled = name.lstrip(".")
            for candidate in _candidates(path, spelled, len(name) - len(spelled)):
                if os.path.isfile(candidate):
                    yield candidate
                    break
        return
    for name in summary.names:
        found = js_module(path, name)
        if found is not None:
            yield found


def js_module(importer: str, name: str) -> str | None:
    """The file a relative JavaScript specifier names from `importer`, as bundlers resolve
    it: the path as written, then with each extension, then its `index` file."""
    base = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(importer)), name))
    for candidate in (base, *(base + s for s in JAVASCRIPT),
                      *(os.path.join(base, "index" + s) for s in JAVASCRIPT)):
        if os.path.isfile(candidate):
            return candidate
    return None


def _dotted(path: str) -> list[str]:
    """The dotted names an absolute import can reach a module by (`config`, `app.config`)."""
    parts = os.path.splitext(os.path.abspath(path))[0].split(os.sep)[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[i:]) for i in range(len(parts))]


class _Modules:
    """The index's files by absolute path: the ones it resolves imports to."""

    def __init__(self, files: Iterable[str]) -> None:
        self.by_absolute = {os.path.abspath(f): f for f in files}

    def resolve(self, importer: str, spelled: str, level: int) -> str | None:
        for candidate in _candidates(importer, spelled, level):
            if candidate in self.by_absolute:
                return self.by_absolute[candidate]
        return None


def _imports(path: str, tree: ast.Module) -> Iterable[tuple[str, int, str, str, int]]:
    """(spelled module, level, imported name or "" for a module, local name, line) per
    top-level import."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            spelled = "." * node.level + module
            for alias in node.names:
                if alias.name != "*":
                    yield spelled, node.level, alias.name, alias.asname or alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None or "." not in alias.name:
                    yield alias.name, 0, "", alias.asname or alias.name, node.lineno


def build_index(python_files: list[str], read: Reader, summarize: Summarize) -> ProjectIndex:
    """Index the given Python files (`read` gives a file's bytes, None when unreadable).

    Every file is known by its summary (`summary.py`: the clients it creates, the modules
    it imports); only the ones whose imports name a module that creates or re-exports a
    client are read and parsed.
    """
    index = ProjectIndex()
    trees: dict[str, ast.Module] = {}
    specs: dict[str, set[tuple[int, str]]] = {}
    for path in python_files:
        summary = summarize(path)
        if summary is None:
            continue
        index.created += [Created(path, name, line, name) for name, line in summary.clients]
        if summary.names:
            specs[path] = {(len(n) - len(n.lstrip(".")), n.lstrip(".")) for n in summary.names}
    if not index.created:
        return index  # most trees: nothing shared, nothing more to read
    modules = _Modules(python_files)
    # Modules reading a client may re-export it (a package's `__init__.py`): follow them too.
    targets = {c.path for c in index.created}
    names = {name for target in targets for name in _dotted(target)}
    grew = True
    while grew:
        grew = False
        for path, wanted in list(specs.items()):
            if not any((level or module in names) and modules.resolve(path, module, level)
                       in targets for level, module in wanted):
                continue
            del specs[path]
            data = read(path)
            tree = None if data is None else parse_python(data)
            index.parsed += 1
            if tree is None:
                continue
            trees[path] = tree
            targets.add(path)
            names.update(_dotted(path))
            grew = True
    exported: dict[tuple[str, str], Created] = {(c.path, c.name): c for c in index.created}
    resolved = [
        (path, spelled, name, local, line, modules.resolve(path, spelled.lstrip("."), level))
        for path, tree in trees.items() for spelled, level, name, local, line in _imports(path, tree)
    ]
    seen: set[tuple[str, str, str]] = set()
    grew = True
    while grew:
        grew = False
        for path, spelled, name, local, line, target in resolved:
            if target is None or (path, spelled, name) in seen:
                continue
            if name:  # from module import name
                client = exported.get((target, name))
                if client is None:
                    continue
                seen.add((path, spelled, name))
                index.reads.append(Read(path, spelled, name, local, line, client))
                exported.setdefault((path, local), client)
                grew = True
            else:  # import module: every client it exports, read as module.name
                for (owner, exported_name), client in list(exported.items()):
                    if owner == target and (path, spelled, exported_name) not in seen:
                        seen.add((path, spelled, exported_name))
                        index.reads.append(Read(path, spelled, exported_name, local, line, client))
                        grew = True
    return index
