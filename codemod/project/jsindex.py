"""The project index for JavaScript and TypeScript: exported clients and their importers.

A module *creates* a shared client when it exports something its own bindings
(`codemod/js/bindings.py`) prove is an Amplitude client or SDK module: `export default
amplitude`, `export const instance = amplitude.getInstance()`, `export { client }`,
`module.exports = client`, `module.exports = { client }`, `exports.client = client`. A
wrapper that re-exports the SDK itself (`export * from '@amplitude/analytics-browser'`,
`export { track } from 'amplitude-js'`) is indexed too, as a client that cannot move: Mixpanel's
SDKs export one object, not the functions its importers call, so its importers' uses are
held and reported.

A module *reads* one by importing it from a relative path (`import { instance } from
'./lib/amplitude'`, `import amplitude from '../analytics'`, `const { client } =
require('./analytics')`), resolved as bundlers do: the path as written, then with each
extension, then its `index` file. A namespace import of the wrapper (`import * as a from
'./analytics'`) is not followed.

Every file is known by its summary (`summary.py`: whether it mentions `amplitude` and an
export, and the relative modules it names); a creator is parsed only when another file names
it, and that file only when the creator exports a client. `.vue` and
`.html` files are not indexed for imports (their script blocks are migrated on their own).

A module *shares* a client by a name (`codemod/js/shared.py`) when it sets one its bindings
prove is an Amplitude client or SDK module: a Nuxt 2 plugin's `inject('amplitude', amplitude)`,
Vue 3's `app.config.globalProperties.$amplitude = amplitude`, Vue 2's `Vue.prototype.$amplitude
= amplitude` (all read as `$amplitude`), Express's `app.locals.amplitude = client` (read as
`locals.amplitude`), `window.amplitude = amplitude` (read as `window.amplitude`,
`globalThis.amplitude` or `self.amplitude`). It must mention `amplitude` and export or set
something (`summary.SHARES`). Its readers are the other modules, `.vue` files included, whose
bytes spell that name (`this.$amplitude`, `req.app.locals.amplitude`): a name, not an import,
so it is found by its bytes and each reader's engine follows it. A read in the setting module
itself is one no rule follows: the client is held. A name reaches the files of the setter's
own JavaScript project (below the nearest `package.json`), so two apps of one repository
sharing `$amplitude` each are decided apart; each file is read once for all the names.

A React context *carries* a client (`jscontext.py`): a module creating one with
`createContext(amplitude)` or `<AmplitudeContext.Provider value={amplitude}>` that exports
the context or a hook returning `useContext(AmplitudeContext)` creates a client under that
export's name, which its importers read by calling the hook (`const a = useAmplitude()`) or
by `useContext(AmplitudeContext)`. Such a module is parsed whole: its hook need not name the
client. A context or hook in a shape the tool cannot follow is indexed too, with the reason
it blocks, so its importers' reads are reported and the client is held everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..js import shared as by_name
from ..js.bindings import Binding, Bindings, Scopes, member_name, require_source, role_of, string_value
from ..js.estree import Node, ParseError, parse_js
from ..manifests import needs_amplitude
from ..projectfacts import folders_up
from ..sdks import load_registry
from .index import Created, ProjectIndex, Read, Reader
from .jscontext import carried
from .order import top_level
from .summary import JAVASCRIPT, SHARES, Summarize

SUFFIXES = JAVASCRIPT
_OWN = ("createInstance", "init", "constructor")  # clients kept in a variable of their own


@dataclass(frozen=True)
class _Export:
    name: str  # as importers ask for it: `default`, `instance`, `module.exports`, `*`
    binding: Binding | None
    line: int
    family: str = ""
    blocker: str | None = None
    context: str = ""  # a React context carrying the client: its local name
    via: str = ""  # what importers get from the export (`ClientFact.via`)


def _program(path: str, data: bytes, sliced: bool = False) -> Node | None:
    """The module's ESTree; `sliced`: only the statements its Amplitude names reach (its
    exports of them included), which is all a creator needs."""
    try:
        parsed = parse_js(data.decode("utf-8", "surrogateescape"),
                          os.path.splitext(path)[1].lower(), sliced=sliced)
    except Exception:  # the engine reports the file when it migrates it
        return None
    return None if isinstance(parsed, ParseError) else parsed.program


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def exported(program: Node, text: str) -> list[tuple[str, Node | None, Node]]:
    """(name importers ask for, the exported expression, its statement) for each export; the
    name is `*` for a re-export of a whole module, whose source is then the statement's."""
    found: list[tuple[str, Node | None, Node]] = []
    for statement in program["body"]:
        kind = statement["type"]
        if kind.startswith("Export") and statement.get("source") is not None:
            found.append(("*", None, statement))
        elif kind == "ExportDefaultDeclaration":
            found.append(("default", statement["declaration"], statement))
        elif kind == "ExportNamedDeclaration":
            declaration = statement.get("declaration")
            if declaration is not None and declaration["type"] == "VariableDeclaration":
                found += [(d["id"].get("name", ""), d["id"], statement)
                          for d in declaration["declarations"]]
            elif declaration is not None and declaration.get("id") is not None:
                found.append((declaration["id"]["name"], declaration, statement))  # function
            for spec in statement.get("specifiers") or []:
                name = spec["exported"].get("name") or spec["exported"].get("value") or ""
                found.append((name, spec["local"], statement))
        elif kind == "ExpressionStatement" and statement["expression"]["type"] == (
            "AssignmentExpression"
        ):
            left, right = statement["expression"]["left"], statement["expression"]["right"]
            target = text[left["range"][0]:left["range"][1]]
            if target == "module.exports" and right["type"] == "ObjectExpression":
                found += [(p["key"].get("name") or p["key"].get("value") or "", p["value"],
                           statement)
                          for p in right["properties"]
                          if p["type"] == "Property" and not p["computed"]]
            elif target == "module.exports":
                found.append(("module.exports", right, statement))
            elif left["type"] == "MemberExpression" and text[
                left["object"]["range"][0]:left["object"]["range"][1]
            ] in ("exports", "module.exports"):
                found.append((member_name(left) or "", right, statement))
    return found


def _exports(data: bytes, program: Node, bindings: Bindings) -> list[_Export]:
    """Every export of the module that carries an Amplitude client or SDK module."""
    text = data.decode("utf-8", "surrogateescape")
    found: list[_Export] = []
    exports = exported(program, text)

    def line_of(node: Node) -> int:
        return _line(data, len(text[:node["range"][0]].encode("utf-8", "surrogateescape")))

    for name, value, statement in exports:
        line = line_of(statement)
        if name == "*":
            source = string_value(statement.get("source")) or ""
            if source in bindings.families:
                found.append(_Export("*", None, line, bindings.families[source], (
                    f"re-exports {source} itself; Mixpanel's SDK exports one object, not these "
                    "functions: make this module export a client, then run again")))
            continue
        binding = bindings.binding(value) if value is not None and value[
            "type"] == "Identifier" else None
        if binding is not None and binding.role in ("module", "client"):
            found.append(_Export(name, binding, line, binding.family))
    return found + [_Export(c.name, c.binding, line_of(c.statement), c.binding.family, c.blocker,
                            c.context, c.via) for c in carried(bindings, exports, line_of)]


def _stems(path: str) -> list[str]:
    """The absolute module names a file answers to: without its extension, and its folder
    for an `index` file."""
    stem = os.path.splitext(os.path.abspath(path))[0]
    return [stem, os.path.dirname(stem)] if os.path.basename(stem) == "index" else [stem]


def _resolve(folder: str, spelled: str, modules: dict[str, str]) -> str | None:
    """The candidate module a relative specifier names from `folder` (absolute), if any."""
    base = os.path.normpath(os.path.join(folder, spelled))
    stem, suffix = os.path.splitext(base)
    return modules.get(base) or (modules.get(stem) if suffix.lower() in SUFFIXES else None)


def _imports(program: Node, spelled: str) -> list[tuple[str, str, Node]]:
    """(imported name, local name, node) for each binding `program` imports from `spelled`."""
    found: list[tuple[str, str, Node]] = []
    for statement in program["body"]:
        if statement["type"] == "ImportDeclaration" and statement["source"]["value"] == spelled:
            for spec in statement["specifiers"]:
                if spec["type"] == "ImportDefaultSpecifier":
                    found.append(("default", spec["local"]["name"], statement))
                elif spec["type"] == "ImportSpecifier":
                    imported = spec["imported"]
                    found.append((imported.get("name") or imported.get("value"),
                                  spec["local"]["name"], statement))
        elif statement["type"] == "VariableDeclaration":
            for declarator in statement["declarations"]:
                if require_source(declarator.get("init")) != spelled:
                    continue
                target = declarator["id"]
                if target["type"] == "Identifier":
                    found.append(("module.exports", target["name"], statement))
                elif target["type"] == "ObjectPattern":
                    for prop in target["properties"]:
                        value = prop.get("value")
                        if prop["type"] == "Property" and value is not None and (
                            value["type"] == "Identifier"
                        ):
                            found.append((prop["key"].get("name") or prop["key"].get("value"),
                                          value["name"], statement))
    return found


def index_js(files: list[str], read: Reader, summarize: Summarize, index: ProjectIndex,
             markup: tuple[str, ...] = ()) -> None:
    """Add the JavaScript and TypeScript modules' shared clients and readers to `index`.

    Each file is read once, for the relative modules it names and whether it can export a
    client; a candidate is parsed only when another file names it, and that file only when
    the candidate exports a client.
    """
    candidates: dict[str, str] = {}  # absolute module name -> a file that may export a client
    specs: dict[str, set[str]] = {}  # the relative modules each file names
    for path in files:
        summary = summarize(path)
        if summary is None:
            continue
        if summary.names:
            specs[path] = set(summary.names)
        if summary.creator:
            candidates.update(dict.fromkeys(_stems(path), path))
        index.settled.update(summary.settled)
    if not candidates:
        return
    _injected(sorted(set(candidates.values())), [*files, *markup], read, index)
    wanted: dict[str, dict[str, str]] = {}  # reader -> {specifier: candidate}
    for path, named in specs.items():
        folder = os.path.dirname(os.path.abspath(path))
        targets = {spelled: module for spelled in named
                   if (module := _resolve(folder, spelled, candidates)) is not None}
        if targets:
            wanted[path] = targets
    created = _created({c for targets in wanted.values() for c in targets.values()}, read, index)
    exporting = {path for path, _ in created}
    for path, targets in wanted.items():
        if not set(targets.values()) & exporting:
            continue
        data = read(path)
        program = None if data is None else _program(path, data)
        index.parsed += 1
        if data is None or program is None:
            continue
        text = data.decode("utf-8", "surrogateescape")
        for spelled, creator in targets.items():
            for name, local, node in _imports(program, spelled):
                found = created.get((creator, name)) or created.get((creator, "*"))
                if found is None:
                    continue
                client = _function(found, name) if found.name == "*" else found
                line = _line(data, len(text[:node["range"][0]].encode("utf-8", "surrogateescape")))
                index.reads.append(Read(path, spelled, name, local, line, client,
                                        *top_level(program, local)))


def _created(paths: set[str], read: Reader, index: ProjectIndex) -> dict[tuple[str, str], Created]:
    """The clients the modules other modules import export, by (module, export name)."""
    registry = load_registry()
    created: dict[tuple[str, str], Created] = {}
    for path in sorted(paths):
        data = read(path)
        # (a React context's hook need not name the client: such a module is read whole,
        # when the client can be its own)
        program = None if data is None else _program(path, data, sliced=not (
            b"createContext" in data and needs_amplitude(path, data)))
        index.parsed += 1
        if data is None or program is None:
            continue
        for export in _exports(data, program, Bindings(program, registry)):
            binding = export.binding
            own = binding is not None and binding.role == "client" and binding.member in _OWN
            blocker = export.blocker or (
                f"exports a client of its own ({binding.decl.name}), which the tool follows "
                "only within its module" if own and binding is not None else None) or (
                f"exports the named instance '{binding.instance}': Mixpanel creates it only "
                "when its init runs, after the export has read it" if binding is not None
                and binding.instance is not None else None)
            client = Created(
                path, export.name, export.line, binding.decl.name if binding else export.name,
                export.family, binding.role if binding else "module",
                "" if own or binding is None else binding.member,
                binding.instance if binding else None, blocker, export.context, export.via)
            created[(path, export.name)] = client
            index.created.append(client)
    return created


def _function(wrapper: Created, name: str) -> Created:
    """What a name imported from an SDK-re-exporting wrapper is: one of the SDK's functions."""
    return Created(wrapper.path, wrapper.name, wrapper.line, wrapper.local, wrapper.family,
                   role_of(name), name, None, wrapper.blocker)


def _injected(plugins: list[str], files: list[str], read: Reader, index: ProjectIndex) -> None:
    """The clients modules share by a name (`codemod/js/shared.py`: `inject('amplitude', c)`,
    `app.config.globalProperties.$amplitude = c`, `app.locals.amplitude = c`, `window.amplitude
    = c`), and every other file spelling that name, at the line of its first read."""
    registry = load_registry()
    injected: list[Created] = []
    for path in plugins:
        data = read(path)
        # (a module shares a client of its own, made from the SDK it imports)
        if data is None or not SHARES.search(data) or not needs_amplitude(path, data):
            continue
        program = _program(path, data)
        index.parsed += 1
        if program is None:
            continue
        text = data.decode("utf-8", "surrogateescape")
        bindings = Bindings(program, registry)

        def is_global(node: Node, scopes: Scopes = bindings.scopes) -> bool:
            return scopes.resolve(node) is None

        found = [shared for node, _ in bindings.scopes.nodes
                 if (shared := by_name.set_key(node, is_global)) is not None]
        for key, value, named in found:
            binding = bindings.binding(value) if value["type"] == "Identifier" else None
            if binding is None or binding.role not in ("module", "client"):
                continue
            own = binding.role == "client" and binding.member in _OWN
            # The setter's own spelling is no read; any other read here is one it cannot follow.
            setters = {n["range"][1] for k, _, n in found if k == key}
            reads = [m.start() for m in by_name.spelled(key).finditer(text) if m.end() not in setters]
            blocker = (f"shares a client of its own ({binding.decl.name}), which the tool follows "
                       "only within its module") if own else (
                f"reads {key} itself on line {_text_line(text, reads[0])}, where the tool does "
                "not follow it") if reads else None
            client = Created(
                path, key, _text_line(text, named["range"][0]), binding.decl.name, binding.family,
                binding.role, "" if own else binding.member, binding.instance, blocker)
            injected.append(client)
            index.created.append(client)
    if not injected:
        return
    roots: dict[str, str] = {}
    # each client, its package, and the word its name ends in (a cheap test before the pattern)
    scopes = [(client, _package_root(client.path, roots), client.name.rpartition(".")[2].encode())
              for client in injected]
    for path in files:  # each file read once, for every name shared in its project
        folder = _package_root(path, roots)
        reaching = [(client, word) for client, scope, word in scopes
                    if client.path != path and (not scope or scope == folder)]
        data = read(path) if reaching else None
        if data is None:
            continue
        body: str | None = None
        for client, word in reaching:
            if word not in data:
                continue
            body = body if body is not None else data.decode("utf-8", "surrogateescape")
            match = by_name.spelled(client.name).search(body)
            if match is not None:
                index.reads.append(Read(path, client.name, client.name, "",
                                        _text_line(body, match.start()), client))


def _package_root(path: str, roots: dict[str, str]) -> str:
    """The folder of the nearest `package.json` above a file, up to the repository's top (""
    if none): a name a module shares (`$amplitude`, `window.amplitude`) is read by the files
    of its own JavaScript project, not by another app of the same repository that shares one
    under that name. `roots` keeps each folder's answer for the run."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in roots:
        roots[folder] = next((where for where in folders_up(folder)
                              if os.path.isfile(os.path.join(where, "package.json"))), "")
    return roots[folder]


def _text_line(text: str, position: int) -> int:
    """The 1-based line of a str index (the same count as `_line` on the bytes)."""
    return text.count("\n", 0, position) + 1
