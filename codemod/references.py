"""Where a source text still refers to Amplitude, shape by shape, line by line.

The per-file rules see what the bindings of one file reach. A project also refers to
Amplitude where no binding leads: a test's `jest.mock('amplitude-js')`, a service worker's
`importScripts` of the bundle, an `onclick` attribute of an HTML page calling the snippet's
global that was not migrated with the page (`codemod/js/handlers.py`), a client injected by
a plugin (`this.$amplitude`, `app.locals.amplitude`, `inject('amplitude', ...)`), a class
implementing an SDK plugin interface. This module names each such line, so that the
post-condition in `leftovers` can require a finding on it.

It reads lines, not syntax trees: it runs on every file the engine handled, after the
rewrite, and what it reports is a place to look, never an edit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from .sdks import load_registry

_PY_SUFFIXES = (".py", ".pyi")
_MARKUP_SUFFIXES = (".html", ".vue")
_COMMENT_STARTS = ("//", "/*", "*", "<!--", "#")
_MODULE = r"""\s*["'`]([^"'`\s]+)["'`]"""
_MOCK = re.compile(r"\b(?:jest|vi)\.(?:mock|doMock|unmock|requireActual|importActual)\s*\("
                   + _MODULE)
_REQUIRE = re.compile(r"\brequire\s*\(" + _MODULE)
_DYNAMIC = re.compile(r"\bimport\s*\(" + _MODULE)
_IMPORT = re.compile(r"(?:\bfrom|^\s*import)" + _MODULE)
_TYPE_ONLY = re.compile(r"^\s*(?:import|export)\s+type\b")
_IMPORT_SCRIPTS = re.compile(r"\bimportScripts\s*\([^)]*amplitude", re.IGNORECASE)
_HANDLER = re.compile(r"""\s(on[a-z]+|@[\w.:-]+|v-on:[\w.:-]+)\s*=\s*(["'])[^"']*\bamplitude\b""",
                      re.IGNORECASE)
_INJECTED = re.compile(r"\$amplitude\b")
_GLOBAL = re.compile(r"\b(window|globalThis|self|global)\.amplitude\b")
_LOCALS = re.compile(r"\blocals\.amplitude\b")
_PROVIDED = re.compile(r"""\b(inject|provide)\s*\(\s*["']\$?amplitude["']""")
_CONTEXT = re.compile(r"\buseContext\s*\(\s*([\w.]*Amplitude\w*)\s*\)")
_JS_NAMES = re.compile(r"""^\s*import\s+(?:type\s+)?([^'"]*?)\s+from\s*["']([^"']+)["']""")
_JS_CLASS = re.compile(r"\bclass\b[^{]*?\b(?:implements|extends)\b([^{]*)")
_PY_IMPORT = re.compile(r"^\s*(?:from\s+(amplitude\w*)(?:\.[\w.]+)?\s+import\b(.*)"
                        r"|import\s+(?:[\w.]+\s*,\s*)*(amplitude\w*))")
_PY_CLASS = re.compile(r"^\s*class\s+\w+\s*\((.*)\)\s*:")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")


@dataclass(frozen=True)
class Reference:
    """One line that still refers to Amplitude, and what a reader must do about it."""

    line: int
    text: str  # the line, stripped
    what: str  # the shape, said as a sentence about this line


@cache
def _amplitude_packages() -> frozenset[str]:
    registry = load_registry()
    names = {p for sdk in registry.sdks.values() if sdk.language == "javascript"
             for p in sdk.packages}
    names |= {p.name for p in registry.packages.values() if p.language == "javascript"}
    return frozenset(names)


def is_amplitude_module(module: str) -> bool:
    """Whether a JavaScript module specifier names an Amplitude package (or a path in one)."""
    scope = load_registry().languages["javascript"]["scope"]
    if module.startswith(scope):
        return True
    parts = module.split("/")
    package = "/".join(parts[:2]) if module.startswith("@") else parts[0]
    return package in _amplitude_packages()


def references(path: str, text: str, settled: frozenset[str] = frozenset()) -> list[Reference]:
    """Every line of `text` (the file at `path`) that still refers to Amplitude; reading a
    React context of `settled` (one the project creates with a Mixpanel client, its name
    kept from before the migration) is not."""
    if "amplitude" not in text.lower():
        return []
    python = os.path.splitext(path)[1].lower() in _PY_SUFFIXES
    lines = text.splitlines()
    found = _python_lines(lines, path) if python else _js_lines(lines, path, settled)
    return [Reference(number, lines[number - 1].strip(), what) for number, what in found]


def _code(line: str) -> bool:
    return not line.lstrip().startswith(_COMMENT_STARTS)


def _js_lines(lines: list[str], path: str,
              settled: frozenset[str] = frozenset()) -> Iterator[tuple[int, str]]:
    names = _js_imported_names(lines)
    markup = os.path.splitext(path)[1].lower() in _MARKUP_SUFFIXES
    for number, line in enumerate(lines, start=1):
        if not _code(line):
            continue
        found = _JS_CLASS.search(line) if names else None
        if found and names & set(_WORD.findall(found.group(1))):
            yield number, ("declares a class implementing an Amplitude SDK interface (a plugin): "
                           "Mixpanel has no plugin API; port what it does by hand")
            continue
        what = _js_shape(line, markup, settled) if "amplitude" in line.lower() else None
        if what is not None:
            yield number, what


def _js_shape(line: str, markup: bool, settled: frozenset[str] = frozenset()) -> str | None:
    """What one line does with Amplitude, or None when it names nothing the rules track."""
    for pattern, said in ((_MOCK, "mocks {0} in a test: mock the Mixpanel package instead "
                                  "once the code under test is migrated"),
                          (_REQUIRE, "requires {0}"),
                          (_DYNAMIC, "imports {0} dynamically (import())"),
                          (_IMPORT, "imports {0}")):
        match = pattern.search(line)
        if match and is_amplitude_module(match.group(1)):
            if said == "imports {0}" and _TYPE_ONLY.search(line):
                said = "imports types from {0} (a type-only import)"
            return said.format(match.group(1))
    if _IMPORT_SCRIPTS.search(line):
        return "loads the Amplitude bundle with importScripts(): a worker cannot run " \
               "mixpanel-browser; send from the page or a server instead"
    if markup and (handler := _HANDLER.search(line)):
        if handler.group(1)[0] in "@v":
            return (f"has an inline {handler.group(1)} attribute that calls Amplitude: the "
                    "per-file rules do not read template attributes; rewrite it by hand")
        return (f"has an inline {handler.group(1)} attribute that still calls Amplitude, "
                "which no rule migrated with the page's scripts; rewrite it by hand")
    for pattern, said in ((_INJECTED, "uses the injected client $amplitude (a plugin's "
                                      "inject/globalProperties/prototype)"),
                          (_GLOBAL, "uses the global client {0}.amplitude"),
                          (_LOCALS, "uses the client stored in locals.amplitude"),
                          (_PROVIDED, "injects the Amplitude client with {0}()"),
                          (_CONTEXT, "reads the React context {0}, named for Amplitude, whose "
                                     "provider the project plan did not follow: migrate it with "
                                     "its provider, or rename it if it carries Mixpanel's client "
                                     "already")):
        match = pattern.search(line)
        if match and not (pattern is _CONTEXT and match.group(1) in settled):
            return said.format(*match.groups())
    return None


def _js_imported_names(lines: list[str]) -> frozenset[str]:
    """Local names a file imports from Amplitude packages (one-line imports)."""
    names: set[str] = set()
    for line in lines:
        match = _JS_NAMES.search(line)
        if match and is_amplitude_module(match.group(2)):
            names.update(_WORD.findall(re.sub(r"\b\w+\s+as\b|\btype\b", "", match.group(1))))
    return frozenset(names)


def _python_lines(lines: list[str], path: str) -> Iterator[tuple[int, str]]:
    del path
    names: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not _code(line):
            continue
        match = _PY_IMPORT.search(line)
        if match:
            module = match.group(1) or match.group(3)
            if match.group(2):
                names.update(n.split(" as ")[-1].strip() for n in match.group(2).strip(
                    " ()\\").split(",") if n.strip())
            yield number, f"imports {module}"
            continue
        found = _PY_CLASS.search(line)
        if found and names & set(_WORD.findall(found.group(1))):
            yield number, ("declares a class built on an Amplitude SDK class (a plugin): "
                           "Mixpanel has no plugin API; port what it does by hand")
