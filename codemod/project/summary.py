"""What the project index needs to know of every file, and nothing more: a summary per file.

The index must look at every file of the project (a module without the bytes `amplitude`
can import a client), but needs from each only whether it may create a client and which
modules it names. That summary is a function of the file's bytes, so the result cache keeps
it per file, keyed like its results (size, mtime, ctime, inode): a warm run reads no
unchanged file for the index either. Only the files the index then parses are read again.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..cachedir import stamp_of
from ..discovery import PathNames
from ..prefilter import may_import_amplitude_py
from ..sdks import load_registry

if TYPE_CHECKING:
    from ..cache import ResultCache

PYTHON = (".py", ".pyi")
JAVASCRIPT = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
# Top-level-looking Python imports, read from the bytes: which modules a file may import.
_PY_IMPORTS = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))", re.MULTILINE)
_JS_EXPORTS = re.compile(rb"\bexport\b|\bexports\b")
# What may share a client by a name (`codemod/js/shared.py`): `inject(`, `.globalProperties.$`,
# `.prototype.$`, `locals.x =`, `window.x =`; a prefilter, the index parses to be sure.
SHARES = re.compile(rb"\binject\s*\(|\.(?:globalProperties|prototype)\.\$"
                    rb"|\b(?:locals|window|globalThis|self)\.[\w$]+\s*=")
# A name holding a Mixpanel JavaScript client: the package imported or required, or a client
# made from it (`new Mixpanel(token)`, `Mixpanel.init(token)`).
_MIXPANEL_PACKAGES = b"|".join(re.escape(t.package.encode()) for t in load_registry().targets.values()
                               if t.language == "javascript")
_MIXPANEL_CLIENT = re.compile(
    rb"import\s+(?:\*\s+as\s+)?(\w+)\s+from\s*['\"](?:" + _MIXPANEL_PACKAGES + rb")['\"]"
    rb"|\b(?:const|let|var)\s+(\w+)\s*=\s*(?:require\s*\(\s*['\"](?:" + _MIXPANEL_PACKAGES
    + rb")['\"]|new\s+Mixpanel\s*\(|Mixpanel\.init\s*\()")
_CREATED_WITH = re.compile(rb"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:React\.)?createContext\s*"
                           rb"(?:<[^>(]*>)?\s*\(\s*(\w+)\s*[,)]")
_PROVIDED_WITH = re.compile(rb"<(\w+)\.Provider\b[^>]*?\bvalue=\{\s*(\w+)\s*\}")
# What may come before a relative module's quoted name: `from`, `require(`, `import(`, and
# `import` alone (a module loaded for its side effects, `import './setup'`: the module-order
# check follows it to a client's init).
_BEFORE = re.compile(rb"""(?:\bfrom|\brequire\s*\(|\bimport\s*\(?)\s*$""")


@dataclass(frozen=True)
class Summary:
    """`creator`: the file may create a client other modules import (Python: it binds one
    at top level, named in `clients` with its line; JavaScript: it mentions `amplitude` and
    exports something, or may share something by a name, `SHARES`). `names`: the modules it
    may import, as spelled (Python `.config`, `app.config`; JavaScript only relative ones,
    `./lib/amplitude`). `settled`: the React contexts a JavaScript module creates with a
    Mixpanel client (`createContext(mixpanel)`, `<Ctx.Provider value={mixpanel}>`): once
    migrated, a context keeps the name it had (`AmplitudeContext`), and reading it anywhere
    in the project is no use of Amplitude's."""

    creator: bool
    names: tuple[str, ...]
    clients: tuple[tuple[str, int], ...] = ()
    settled: tuple[str, ...] = ()  # JavaScript: React contexts it creates with Mixpanel's client


Summarize = Callable[[str], "Summary | None"]


def summarize(path: str, data: bytes) -> Summary:
    if path.lower().endswith(PYTHON):
        if b"import" not in data:
            return Summary(False, ())
        names = tuple(sorted({(m[1] or m[2]).decode() for m in _PY_IMPORTS.finditer(data)}))
        tree = parse_python(data) if may_import_amplitude_py(data) else None
        clients = () if tree is None else tuple(created_clients(tree))
        return Summary(bool(clients), names, clients)
    return Summary(b"amplitude" in data and (_JS_EXPORTS.search(data) or SHARES.search(data))
                   is not None,
                   tuple(sorted(_relative(data))), settled=_settled(data))


def _settled(data: bytes) -> tuple[str, ...]:
    """The React contexts a module creates or provides with a Mixpanel client it imports,
    requires or creates; read from the bytes, only where both words are."""
    if b"mixpanel" not in data.lower() or b"createContext" not in data:
        return ()
    clients = {m.group(m.lastindex or 0) for m in _MIXPANEL_CLIENT.finditer(data)}
    return tuple(sorted({m[1].decode() for pattern in (_CREATED_WITH, _PROVIDED_WITH)
                         for m in pattern.finditer(data) if m[2] in clients}))


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


def created_clients(tree: ast.Module) -> list[tuple[str, int]]:
    """The top-level `name = Amplitude(...)` bindings of one module, with their lines."""
    classes, modules = _amplitude_constructors(tree)
    if not classes and not modules:
        return []
    found: list[tuple[str, int]] = []
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
        found += [(t.id, value.lineno) for t in targets if isinstance(t, ast.Name)]
    return found


def parse_python(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError):
        return None  # the engine reports it when it migrates the file


def _relative(data: bytes) -> set[str]:
    """The relative modules a file imports or requires (`./lib/amplitude`, `../analytics`).

    Found from each `./` (a C search), not by a regular expression over the whole file,
    which costs six times as much on a tree's modules.
    """
    found: set[str] = set()
    at = data.find(b"./")
    while at >= 0:
        start = at - 1 if data[at - 1:at] == b"." else at
        quote = data[start - 1:start]
        if start and quote in (b"'", b'"'):
            end, line_end = data.find(quote, at), data.find(b"\n", at)
            if end > 0 and (line_end < 0 or end < line_end) and _BEFORE.search(
                data, max(0, start - 41), start - 1
            ):
                found.add(data[start:end].decode("utf-8", "surrogateescape"))
        at = data.find(b"./", at + 2)
    return found


def summarizer(read: Callable[[str], bytes | None],
               cache: ResultCache | None) -> Summarize:
    """Each file's summary: from the cache while the file's stat is unchanged, else read."""
    names = PathNames()

    def summary(path: str) -> Summary | None:
        if cache is None:
            data = read(path)
            return None if data is None else summarize(path, data)
        try:
            stamp = stamp_of(os.stat(path))
        except OSError:
            return None
        real = names.of(path)[1]
        found = cache.summary(real, stamp)
        if found is not None:
            return found
        data = read(path)
        if data is None:
            return None
        made = summarize(path, data)
        cache.remember_summary(real, stamp, made)
        return made

    return summary
