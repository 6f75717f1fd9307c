"""A client a React context hands out (`createContext(amplitude)`, `<Ctx.Provider
value={amplitude}>`) moves whole, with every component reading it, or not at all.

Property: for the `react-context` fixture and any subset of the calls its components make on
the client they read (`analytics.track(...)`, `amplitude.setUserId(...)`) made opaque (the
receiver wrapped in `(... || {})`, which no rule follows), the run either moves the provider
to Mixpanel and every component with it, exactly as the fixture expects, or leaves every
file as it was, TODO comments aside: no component calls Mixpanel methods on an Amplitude
client, and none calls Amplitude methods on the Mixpanel client the context then holds.

The index's recognition is tested shape by shape: the shapes it follows (a hook by arrow,
function or default export, the context itself, `React.` spellings, a Provider-only value,
TypeScript, a hook that throws outside a Provider) and the ones it must not follow silently
(a value beside the client, a typed context, a hook doing more, the context read elsewhere),
which are indexed with the reason they block; and modules that carry no client are not
indexed at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from npmkit import npm_ci
from projectkit import migrated_files, read_tree, substituted, write_tree

from codemod.project.index import ProjectIndex, read_limited
from codemod.project.jsindex import index_js
from codemod.project.summary import summarize, summarizer

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "projects" / "react-context"
KIT = Path(__file__).resolve().parent / "typecheck"  # the pinned Amplitude and Mixpanel typings
PROVIDER = "src/AmplitudeProvider.jsx"
CALL = re.compile(r"\b(analytics|amplitude)\.(\w+)\(")
TODO = re.compile(r"^[ \t]*// TODO\(amp2mp\).*\n", re.MULTILINE)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_context_client_moves_whole_or_not_at_all(data: st.DataObject,
                                                   tmp_path_factory) -> None:
    files = read_tree(CASE / "input")
    sites = [(name, number) for name, text in files.items() if name != PROVIDER
             for number, line in enumerate(text.splitlines()) if CALL.search(line)]
    assert len(sites) >= 4
    opaque = data.draw(st.sets(st.sampled_from(sites), max_size=len(sites)))
    files = substituted(files, opaque, CALL, r"(\1 || {}).\2(")
    after = migrated_files(tmp_path_factory.mktemp("react"), files)
    if "createContext(mixpanel)" in after[PROVIDER]:
        assert not opaque, "a client with an opaque use was moved to Mixpanel"
        assert after == read_tree(CASE / "expected")
    else:
        assert opaque, "a client whose every use has a rewrite stayed on Amplitude"
        for name, text in after.items():
            assert TODO.sub("", text) == files[name], f"{name} changed beside a held client"


PROVIDED = """import React, { createContext, useContext } from 'react';
import * as amplitude from '@amplitude/analytics-browser';

amplitude.init(KEY);
"""
USE = "export const useAmp = () => useContext(Ctx);\n"
ARROW = "const Ctx = createContext(amplitude);\n" + USE
HOOK = "function useAmp() {\n  return useContext(Ctx);\n}\n"


@pytest.mark.parametrize(("body", "suffix", "expected"), [
    (ARROW, ".jsx", {("useAmp", "hook")}),
    ("const Ctx = createContext(amplitude);\nexport " + HOOK, ".jsx", {("useAmp", "hook")}),
    ("const Ctx = createContext(amplitude);\nexport default " + HOOK, ".js",
     {("default", "hook")}),
    ("const Ctx = createContext(amplitude);\n" + HOOK + "export { useAmp, Ctx as AmpContext };\n",
     ".js", {("useAmp", "hook"), ("AmpContext", "context")}),
    ("export const Ctx = React.createContext(amplitude);\n"
     "export const useAmp = () => React.useContext(Ctx);\n", ".jsx",
     {("Ctx", "context"), ("useAmp", "hook")}),
    ("const Ctx = createContext(null);\nexport const P = ({ c }) => "
     "<Ctx.Provider value={amplitude}>{c}</Ctx.Provider>;\nexport default Ctx;\n", ".jsx",
     {("default", "context")}),
    ("const Ctx = createContext(amplitude);\nexport function useAmp(): unknown {\n"
     "  return useContext(Ctx);\n}\n", ".tsx", {("useAmp", "hook")}),
    ("const Ctx = createContext(null);\nexport const P = ({ c }) => "
     "<Ctx.Provider value={amplitude}>{c}</Ctx.Provider>;\nexport function useAmp() {\n"
     "  const a = useContext(Ctx);\n  if (!a) {\n    throw new Error('no provider');\n  }\n"
     "  if (a === undefined) throw new Error('no provider');\n  return a;\n}\n", ".jsx",
     {("useAmp", "hook")}),
], ids=["arrow", "function", "default", "specifiers", "react-namespace", "provider-only", "tsx",
        "guarded"])
def test_the_index_follows_a_context_carrying_the_client(
    tmp_path: Path, body: str, suffix: str, expected: set[tuple[str, str]]
) -> None:
    created = _index(tmp_path, PROVIDED + body, suffix)
    assert {(c.name, c.via) for c in created} == expected
    assert all(c.blocker is None and c.local == "amplitude" and c.family == "browser"
               and c.context == "Ctx" for c in created)


@pytest.mark.parametrize(("body", "suffix", "why"), [
    ("const Ctx = createContext(null);\nexport const P = ({ c, user }) => "
     "<Ctx.Provider value={{ amplitude, user }}>{c}</Ctx.Provider>;\n" + "export " + HOOK,
     ".jsx", "holds more than the Amplitude client"),
    ("const Ctx = createContext(amplitude);\nexport const P = ({ c, other }) => "
     "<Ctx.Provider value={other}>{c}</Ctx.Provider>;\n" + "export " + HOOK, ".jsx",
     "given another value"),
    ("const Ctx = createContext<typeof amplitude | null>(null);\nexport const P = ({ c }: any) "
     "=> <Ctx.Provider value={amplitude}>{c}</Ctx.Provider>;\nexport " + HOOK, ".tsx",
     "is typed"),
], ids=["object-value", "other-value", "typed"])
def test_a_context_value_the_tool_cannot_follow_blocks(
    tmp_path: Path, body: str, suffix: str, why: str
) -> None:
    [created] = _index(tmp_path, PROVIDED + body, suffix)
    assert created.name == "useAmp" and created.via == "unknown"
    assert created.blocker is not None and why in created.blocker


@pytest.mark.parametrize(("body", "via"), [
    ("const Ctx = createContext(amplitude);\nexport function useAmp() {\n"
     "  const a = useContext(Ctx);\n  if (!a) throw new Error('no provider');\n"
     "  a.setOptOut(false);\n  return a;\n}\n", "unknown"),
    ("const Ctx = createContext(amplitude);\nexport function useAmp() {\n"
     "  const a = useContext(Ctx);\n  if (!a) return null;\n  return a;\n}\n", "unknown"),
    ("const Ctx = createContext(amplitude);\nCtx.displayName = 'Amplitude';\n" + USE,
     "hook"),
], ids=["hook-does-more", "guard-returns", "read-elsewhere"])
def test_a_context_read_the_tool_cannot_follow_blocks(tmp_path: Path, body: str,
                                                      via: str) -> None:
    [created] = _index(tmp_path, PROVIDED + body, ".jsx")
    assert created.via == via
    assert created.blocker is not None and "where the tool cannot follow it" in created.blocker


@pytest.mark.parametrize("body", [
    "const Ctx = createContext(null);\nexport const P = ({ c, user }) => "
    "<Ctx.Provider value={user}>{c}</Ctx.Provider>;\nexport " + HOOK,
    "const Ctx = createContext(amplitude);\nconst useAmp = () => useContext(Ctx);\n"
    "export const Other = () => null;\n",
    "const Ctx = createContext(amplitude);\nexport const useUser = () => useContext(UserCtx);\n",
], ids=["no-client", "hook-not-exported", "other-context"])
def test_a_module_carrying_no_client_out_is_not_indexed(tmp_path: Path, body: str) -> None:
    assert _index(tmp_path, PROVIDED + body, ".jsx") == []


def test_readers_are_the_modules_importing_the_hook_or_the_context(tmp_path: Path) -> None:
    """TypeScript readers included; a module naming the provider for something else is none."""
    write_tree(tmp_path, read_tree(CASE / "input"))
    write_tree(tmp_path, {"src/Layout.tsx": "import { AmplitudeProvider } from './AmplitudeProvider';\n"
                                        "export const L = AmplitudeProvider;\n"})
    paths = sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())
    read = read_limited(1 << 20)
    index = ProjectIndex()
    index_js(paths, read, summarizer(read, None), index)
    assert {(c.name, c.via, c.line) for c in index.created} == {
        ("AmplitudeContext", "context", 6), ("useAmplitude", "hook", 12)}
    readers = {(os.path.relpath(r.path, tmp_path), r.name, r.line) for r in index.reads}
    assert readers == {("src/Button.jsx", "useAmplitude", 2),
                       ("src/Checkout.tsx", "useAmplitude", 2),
                       ("src/Profile.jsx", "AmplitudeContext", 2)}


def test_the_typescript_component_compiles_before_and_after(tmp_path: Path) -> None:
    """`Checkout.tsx` reads the client through the hook of a `.jsx` provider, whose type
    TypeScript infers from `createContext(...)`: with the real typings, the input and the
    expected output both compile, and the output spelled with Amplitude's method does not
    (so the check reads the calls at all)."""
    npm_ci(KIT)
    node = shutil.which("node")
    assert node is not None, "Node.js is needed to run the TypeScript compiler"
    wrong = read_tree(CASE / "expected")
    wrong["src/Checkout.tsx"] = wrong["src/Checkout.tsx"].replace("set_group", "setGroup")
    outputs = {}
    for side, files in (("input", read_tree(CASE / "input")), ("expected", read_tree(CASE / "expected")),
                        ("amplitude-spelling", wrong)):
        write_tree(tmp_path / side, files)
        (tmp_path / side / "node_modules").symlink_to(KIT / "node_modules",
                                                      target_is_directory=True)
        (tmp_path / side / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
            "strict": True, "noEmit": True, "target": "es2022", "lib": ["es2022", "dom"],
            "jsx": "react-jsx", "skipLibCheck": True, "allowJs": True, "module": "esnext",
            "moduleResolution": "bundler", "esModuleInterop": True, "types": ["node"]},
            "include": ["src"]}))
        done = subprocess.run([node, str(KIT / "node_modules" / "typescript" / "bin" / "tsc"),
                               "-p", "tsconfig.json", "--pretty", "false"], cwd=tmp_path / side,
                              capture_output=True, text=True, timeout=600, check=False)
        outputs[side] = done.stdout + done.stderr
    assert outputs["input"] == outputs["expected"] == ""
    assert "Checkout.tsx(9," in outputs["amplitude-spelling"], outputs["amplitude-spelling"]


def _index(tmp_path: Path, provider: str, suffix: str) -> list:
    """What the index records of `provider` when a component imports all it exports."""
    path = tmp_path / f"provider{suffix}"
    path.write_text(provider)
    names = sorted(set(re.findall(r"export (?:const|function) (\w+)", provider)) | set(
        n.split(" as ")[-1] for group in re.findall(r"export \{ ([^}]*) \}", provider)
        for n in group.split(", ")))
    reader = tmp_path / "reader.jsx"
    reader.write_text(f"import main, {{ {', '.join(names)} }} from './provider';\n"
                      "export const all = [main];\n")
    read = read_limited(1 << 20)
    index = ProjectIndex()
    index_js([str(path), str(reader)], read, summarizer(read, None), index)
    return index.created


@pytest.mark.parametrize(("source", "settled"), [
    ("import mixpanel from 'mixpanel-browser';\n"
     "export const AmplitudeContext = createContext(mixpanel);\n", ("AmplitudeContext",)),
    ("import mixpanel from 'mixpanel-browser';\nconst Ctx = React.createContext(null);\n"
     "export const P = ({ c }) => <Ctx.Provider value={mixpanel}>{c}</Ctx.Provider>;\n",
     ("Ctx",)),
    ("import { Mixpanel } from 'mixpanel-react-native';\nconst mp = new Mixpanel(T, false);\n"
     "const AnalyticsContext = createContext(mp);\n", ("AnalyticsContext",)),
    ("const mixpanel = require('mixpanel-browser');\nconst C = createContext(mixpanel);\n", ("C",)),
    # Amplitude's client, or one the module does not show is Mixpanel's: not settled
    ("import * as amplitude from '@amplitude/analytics-browser';\n"
     "const AmplitudeContext = createContext(amplitude);\n", ()),
    ("import { mixpanel } from './analytics';\nconst C = createContext(mixpanel);\n", ()),
])
def test_a_context_made_with_mixpanels_client_is_settled(source: str,
                                                         settled: tuple[str, ...]) -> None:
    """After a migration the context keeps its name (`AmplitudeContext`): the project knows
    from its creation that reading it is no Amplitude use, so `--check` passes."""
    assert summarize("src/Provider.jsx", source.encode()).settled == settled
