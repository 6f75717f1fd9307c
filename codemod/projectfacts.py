"""Facts about one file that only the project around it holds (`FileFacts`).

The engine is pure, so the runner reads them here and hands them over with the file's
options: whether a Chrome extension's `manifest.json` makes the file its MV3 service worker,
and whether the nearest `tsconfig.json` lets `import X from 'cjs-package'` work.
Each folder is read once per run.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache

from .options import FileFacts

_TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".vue")
# A tsconfig is JSON with comments and trailing commas; strings are matched first so a `//`
# inside one (a URL, a path glob) is kept.
_JSONC = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
# Module settings under which a default import of a CommonJS package compiles and runs.
_INTEROP_MODULES = ("node16", "node18", "node20", "nodenext", "preserve")


def file_facts(path: str) -> FileFacts:
    """The facts for the file at `path` (its real path)."""
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.abspath(path)
    default_import = None
    if name.lower().endswith(_TS_SUFFIXES):
        options = _compiler_options(folder)
        default_import = None if options is None else _default_import(options)
    return FileFacts(service_worker=name in _service_workers(folder),
                     default_import=default_import)


def folders_up(folder: str) -> list[str]:
    """`folder` and the folders above it, up to the repository's top (a `.git`)."""
    found = [folder]
    while not os.path.exists(os.path.join(found[-1], ".git")):
        parent = os.path.dirname(found[-1])
        if parent == found[-1]:
            break
        found.append(parent)
    return found


@cache
def _service_workers(folder: str) -> frozenset[str]:
    """The files the `manifest.json`s of `folder` and the folders above name as their
    `background.service_worker`."""
    workers: set[str] = set()
    for where in folders_up(folder):
        data = _read_json(os.path.join(where, "manifest.json"))
        background = data.get("background") if isinstance(data, dict) else None
        worker = background.get("service_worker") if isinstance(background, dict) else None
        if isinstance(worker, str):
            workers.add(os.path.normpath(os.path.join(where, worker)))
    return frozenset(workers)


@cache
def _compiler_options(folder: str) -> dict[str, object] | None:
    """The `compilerOptions` of the nearest tsconfig.json, with those it extends (relative
    paths only) under them; None when there is none."""
    for where in folders_up(folder):
        path = os.path.join(where, "tsconfig.json")
        if os.path.isfile(path):
            return _options_of(path, 0)
    return None


def _options_of(path: str, depth: int) -> dict[str, object]:
    data = _read_json(path)
    if not isinstance(data, dict):
        return {}
    own = data.get("compilerOptions")
    options: dict[str, object] = {}
    base = data.get("extends")
    if isinstance(base, str) and base.startswith(".") and depth < 8:
        target = os.path.join(os.path.dirname(path), base)
        target = target if target.endswith(".json") else target + ".json"
        options.update(_options_of(target, depth + 1))
    if isinstance(own, dict):
        options.update({str(k).lower(): v for k, v in own.items()})
    return options


def _default_import(options: dict[str, object]) -> bool:
    """Whether `import X from` a CommonJS `export =` package compiles and works at run time."""
    if options.get("esmoduleinterop") is True:
        return True
    module = str(options.get("module", "")).lower()
    resolution = str(options.get("moduleresolution", "")).lower()
    if "esmoduleinterop" not in options and module in _INTEROP_MODULES:
        return True  # Node's ESM modes turn esModuleInterop on
    # A bundler resolves the default import itself; TypeScript needs only the synthetic one.
    return resolution == "bundler" and options.get("allowsyntheticdefaultimports") is not False


def _read_json(path: str) -> object:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    text = _JSONC.sub(lambda m: m.group(1) or "", text)
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text))
    except ValueError:
        return None
