"""Where a module runs, which decides the Mixpanel SDK its browser-SDK calls can become.

`@amplitude/analytics-browser` and `amplitude-js` also appear in code that never reaches a
browser: a Next.js route handler or API route, a `"use server"` module, a `server/` folder,
a module importing Node's own modules. There `mixpanel-browser` silently sends nothing
(and `people.set` throws `ReferenceError: document is not defined`), so such a module is
migrated to the Node `mixpanel` package instead. A Chrome extension's MV3 service worker
(and an edge runtime) runs neither SDK: its sites are reported with the reason.

Everything here is decided from the module's path as the project names it, its text and the
facts the runner read around it (`FileFacts`): the engine stays free of I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..options import FileFacts
from ..sdks import Registry
from .bindings import string_value
from .outcome import Outcome, Site, manual
from .targets import TARGETS

# Node's own modules and server frameworks: a module importing one runs on a server.
_NODE_ONLY = frozenset({
    "assert", "async_hooks", "child_process", "cluster", "dgram", "dns", "express", "fastify",
    "fs", "fs/promises", "hapi", "http", "http2", "https", "inspector", "koa", "net",
    "next/headers", "os", "perf_hooks", "readline", "server-only", "tls", "v8", "vm",
    "worker_threads", "zlib", "@hapi/hapi", "@nestjs/common", "@nestjs/core",
})
_IMPORT = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*)(["'])(?P<module>[^"'\n]+)\1""")
_DIRECTIVE = re.compile(r"""(["'])use (server|client)\1""")
_IMPORT_SCRIPTS = re.compile(r"""\bimportScripts\s*\([^)]*amplitude""", re.I)
_EDGE = re.compile(r"""\bexport\s+const\s+runtime\s*=\s*(["'])edge\1""")
_ROUTE_STEMS = ("route",)
_EVENT_METHODS = ("track", "logEvent")  # (event, properties, event options) in the browser SDK


@dataclass(frozen=True)
class RuntimeContext:
    """`kind` is `server` (migrated to the Node SDK) or `worker` (no Mixpanel JavaScript SDK
    runs there); `reason` says what showed it, for the findings."""

    kind: str
    reason: str


_HTTP_IMPORT = ("send the events with Mixpanel's HTTP API instead: POST them to "
                "https://api.mixpanel.com/import (project token and secret) with `fetch`")


def _directive(text: str) -> str | None:
    """`server` or `client` when the module starts with that directive, after whitespace and
    comments. A scan, not a pattern: a pattern repeating comments backtracked through every
    `*/` of a 1.7 MB bundle for 44 s."""
    at = 1 if text.startswith("\ufeff") else 0
    while at < len(text):
        if text[at].isspace():
            at += 1
        elif text.startswith("//", at):
            end = text.find("\n", at)
            at = len(text) if end < 0 else end + 1
        elif text.startswith("/*", at):
            end = text.find("*/", at + 2)
            if end < 0:
                return None
            at = end + 2
        else:
            break
    found = _DIRECTIVE.match(text, at)
    return None if found is None else found[2]


def runtime_context(path: str, text: str, facts: FileFacts) -> RuntimeContext | None:
    """The context a module runs in when it is not a browser page (None: a browser, or not
    known to be anything else)."""
    if facts.service_worker:
        return RuntimeContext("worker", "a manifest.json names this module as the extension's "
                              "background.service_worker")
    if _IMPORT_SCRIPTS.search(text):
        return RuntimeContext("worker", "it loads the Amplitude bundle with importScripts(), "
                              "as a service worker does")
    directive = _directive(text)
    if directive == "client":
        return None
    if _EDGE.search(text):
        return RuntimeContext("worker", "it runs on the edge runtime (`export const runtime = "
                              "'edge'`), which has no Node modules")
    if directive == "server":
        return RuntimeContext("server", 'it starts with "use server" (server actions)')
    found = _path_reason(PurePosixPath(path.replace("\\", "/")))
    if found is not None:
        return RuntimeContext("server", found)
    for match in _IMPORT.finditer(text):
        module = match["module"]
        if module.startswith("node:") or module in _NODE_ONLY:
            return RuntimeContext("server", f"it imports {module}, which only Node has")
    return None


def _path_reason(path: PurePosixPath) -> str | None:
    folders = [part.lower() for part in path.parts[:-1]]
    name = path.name.lower()
    if path.stem.lower() in _ROUTE_STEMS and "app" in folders:
        return "it is a Next.js route handler (app/**/route)"
    for index, folder in enumerate(folders[:-1]):
        if folder == "pages" and folders[index + 1] == "api":
            return "it is a Next.js API route (pages/api/)"
    if "server" in folders:
        return "it is in a server/ folder"
    if ".server." in name:
        return "its name marks it server-only (*.server.*)"
    return None


def moved_message(package: str, context: RuntimeContext) -> str:
    """What a browser SDK's import says once its module was migrated to the Node SDK."""
    return (f"{package} is used in a module that runs on a server ({context.reason}): it now "
            "uses the Node mixpanel package, not mixpanel-browser; the project's package.json "
            "must list mixpanel as well (the dependency swap adds it)")


def worker_message(method: str, context: RuntimeContext) -> str:
    """Why a browser-SDK call in a worker has no rewrite, and what Mixpanel offers there."""
    return (f"{method}() runs where no Mixpanel JavaScript SDK can ({context.reason}): "
            "mixpanel-browser needs a page's window and document, the Node mixpanel package "
            f"Node's http module; {_HTTP_IMPORT}")


def server_message(what: str, context: RuntimeContext) -> str:
    """Why a browser-SDK call on a server has no Node form."""
    return (f"{what} keeps the browser SDK's per-visitor state, but this module runs on a "
            f"server ({context.reason}) where it now uses the Node mixpanel package, which keeps "
            "none: pass the user as distinct_id in each call, by hand")


def legacy_server_message(method: str, context: RuntimeContext) -> str:
    """amplitude-js on a server: its calls have no faithful Node form."""
    return (f"{method}() is amplitude-js, a browser SDK, in a module that runs on a server "
            f"({context.reason}): mixpanel-browser sends nothing there; use the Node mixpanel "
            "package (`Mixpanel.init(TOKEN)`, `track(E, {distinct_id, ...})`) by hand")


def _browser(registry: Registry, family: str) -> bool:
    target = TARGETS[registry.target_of(family).name]
    return not target.server and not target.instance


def server_families(registry: Registry) -> dict[str, str]:
    """Each browser SDK family -> the server SDK family whose rows it takes on a server: the
    one reached through the same client forms (`@amplitude/analytics-browser` -> node)."""
    found: dict[str, str] = {}
    for sdk in registry.sdks.values():
        if sdk.language != "javascript" or sdk.status != "migrate" or not _browser(
                registry, sdk.family):
            continue
        twin = next((other.family for other in registry.sdks.values()
                     if other.language == "javascript" and other.status == "migrate"
                     and TARGETS[registry.target_of(other.family).name].server
                     and other.clients == sdk.clients), None)
        if twin is not None:
            found[sdk.family] = twin
    return found


def context_outcome(context: RuntimeContext, registry: Registry, site: Site,
                    methods: set[str]) -> Outcome | None:
    """The report a site gets because of where its module runs; None when its rule decides.

    `methods` are the `family:method` keys the rules know.
    """
    package = string_value(site.client.source) if site.client.source is not None else None
    original = registry.families().get(package or "", site.family)
    if context.kind == "worker":
        return manual("JS-CONTEXT", worker_message(site.method, context))
    if original == site.family:
        if _browser(registry, original):
            return manual("JS-CONTEXT", legacy_server_message(site.method, context))
        return None
    args = site.call["arguments"]
    if f"{site.family}:{site.method}" not in methods:
        return manual("JS-CONTEXT", server_message(f"{site.method}()", context))
    if site.method == "init" and len(args) > 1 and args[1]["type"] != "ObjectExpression":
        return manual("JS-CONTEXT", server_message("init()'s user id", context))
    if site.method in _EVENT_METHODS and len(args) < 3 and args[:1] and (
            args[0]["type"] != "ObjectExpression"):
        return manual("JS-CONTEXT", f"{site.method}() names no user: the browser SDK sent it with "
                      "the device id it keeps for this process, but this module runs on a server "
                      f"({context.reason}) where the Node mixpanel package needs a distinct_id "
                      "for each event: pass the user's id by hand")
    return None
