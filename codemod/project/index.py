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

It stays cheap: CPython's `ast` only, and only on files whose bytes can hold such a
statement (an `amplitude` import for creators; an exported client's name beside `import`
for readers), so most of a tree is never parsed. Modules are resolved on disk: a relative
import from the importer's package, an absolute one from the importer's folder or any folder
above it, as `python` run from that folder would; a name that resolves to no indexed file,
or that two creators could answer, is not followed (the engine reports such a read itself).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..prefilter import may_import_amplitude_py

Reader = Callable[[str], bytes | None]


@dataclass(frozen=True)
class Created:
    """A client a module creates at top level: the root every reader leads back to.

    `name` is what readers import; `local` the binding that holds it in its own module. A
    JavaScript export also says what it is there (`family`, `role`, `member`, `instance`:
    see `codemod/js/bindings.py`), and why it cannot move (`blocker`), if it cannot.
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


@dataclass(frozen=True)
class Read:
    """A module's import of a client: spelled as the module writes it."""

    path: str  # the importing module
    spelled: str  # `config`, `.config`, `app.config`
    name: str  # the client's name in the module it is imported from
    local: str  # the name it binds here (the module's for `import config`)
    line: int
    client: Created


@dataclass
class ProjectIndex:
    """Every shared client of the project and every module that reads it."""

    created: list[Created] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)
    parsed: int = 0  # files parsed with `ast` (the index's cost)

    def readers(self, client: Created) -> list[Read]:
        return [read for read in self.reads if read.client == client]


def read_limited(limit: int) -> Reader:
    """A reader of files up to `limit` bytes (the run's limit; a larger file is no module
    the run migrates). The index keeps no bytes: the run reads its files again, one at a
    time, as it streams."""

    def read(path: str) -> bytes | None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError:
            return None
        return data if len(data) <= limit else None

    return read


def _parse(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError):
        return None  # the engine reports it when it migrates the file


def _amplitude_constructors(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names of the SDK's `Amplitude` class, and of the `amplitude` module itself."""
    classes: set[str] = set()
    modules: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and not node.level and (
            (node.module or "").split(".")[0] == "amplitude"
        ):
            classes.update(a.asname or a.name for a in node.names if a.name == "Amplitude")
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "amplitude")
    return classes, modules


def created_clients(path: str, tree: ast.Module) -> list[Created]:
    """The top-level `name = Amplitude(...)` bindings of one module."""
    classes, modules = _amplitude_constructors(tree)
    if not classes and not modules:
        return []
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        if not ((isinstance(func, ast.Name) and func.id in classes) or (
            isinstance(func, ast.Attribute) and func.attr == "Amplitude"
            and isinstance(func.value, ast.Name) and func.value.id in modules
        )):
            continue
        found += [Created(path, t.id, value.lineno, t.id) for t in targets
                  if isinstance(t, ast.Name)]
    return found


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


# Top-level-looking imports, read from the bytes: which modules a file may import from.
_PY_IMPORTS = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))", re.MULTILINE)


def _specs(data: bytes) -> set[tuple[int, str]]:
    """(level, module) of each import statement the bytes seem to hold."""
    return {(len(m[1]), m[2].decode()) if m[3] is None else (0, m[3].decode())
            for m in _PY_IMPORTS.finditer(data)}


def build_index(python_files: list[str], read: Reader) -> ProjectIndex:
    """Index the given Python files (`read` gives a file's bytes, None when unreadable).

    Each file is read once; only the ones that may create a client are parsed then. A file
    is read again and parsed only when an import in it names a module that creates or
    re-exports a client.
    """
    index = ProjectIndex()
    trees: dict[str, ast.Module] = {}
    specs: dict[str, set[tuple[int, str]]] = {}
    for path in python_files:
        data = read(path)
        if data is None:
            continue
        if may_import_amplitude_py(data):
            tree = _parse(data)
            index.parsed += 1
            if tree is not None:
                trees[path] = tree
                index.created += created_clients(path, tree)
        elif b"import" in data:
            specs[path] = _specs(data)
    if not index.created:
        return index  # most trees: nothing shared, nothing more to read
    modules = _Modules(python_files)
    # Modules reading a client may re-export it (a package's `__init__.py`): follow them too.
    targets = {c.path for c in index.created}
    for path, tree in trees.items():  # parsed already: their imports are known exactly
        if path not in targets:
            specs[path] = {(level, spelled.lstrip(".")) for spelled, level, *_ in _imports(path, tree)}
    grew = True
    while grew:
        grew = False
        for path, wanted in list(specs.items()):
            if not any(modules.resolve(path, module, level) in targets for level, module in wanted):
                continue
            del specs[path]
            if path not in trees:
                data = read(path)
                tree = None if data is None else _parse(data)
                index.parsed += 1
                if tree is None:
                    continue
                trees[path] = tree
            targets.add(path)
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
