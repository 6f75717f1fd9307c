"""A client a Nuxt 2 plugin injects (`inject('amplitude', amplitude)`) moves whole or not at all.

Property: for the Nuxt fixture and any subset of its `$amplitude` reads made opaque (the read
wrapped in `(... || {})`, which no rule follows), the run either moves the plugin to
Mixpanel, injected as `$mixpanel`, with every read in every page, component and middleware
renamed, or leaves every file as it was, TODO comments aside: no page calls `$mixpanel`
that no plugin injects, and no `$amplitude` call is left on a client whose init was removed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projectkit import index_tree, migrated_files, read_tree, run_tree, substituted, write_tree

from codemod.project.checks import check
from codemod.project.plan import Plan, Shared
from codemod.results import FileResult

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "projects" / "nuxt2-inject"
READ = re.compile(r"((?:this|context\.app)\.\$amplitude)\b")
TODO = re.compile(r"^[ \t]*// TODO\(amp2mp\).*\n", re.MULTILINE)
PLUGIN = "plugins/amplitude.js"


def _files() -> dict[str, str]:
    return read_tree(CASE / "input")


def _sites(files: dict[str, str]) -> list[tuple[str, int]]:
    return [(name, number) for name, text in files.items() if name != PLUGIN
            for number, line in enumerate(text.splitlines()) if READ.search(line)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_injected_client_moves_whole_or_not_at_all(data: st.DataObject,
                                                      tmp_path_factory) -> None:
    files = _files()
    sites = _sites(files)
    opaque = data.draw(st.sets(st.sampled_from(sites), max_size=len(sites)))
    files = substituted(files, opaque, READ, r"(\1 || {})")
    after = migrated_files(tmp_path_factory.mktemp("nuxt"), files)
    if "inject('mixpanel', mixpanel)" in after[PLUGIN]:
        assert not opaque, "a client with an opaque read was moved to Mixpanel"
        for name, text in after.items():
            assert "amplitude" not in text.lower(), (name, text)
            if name != PLUGIN:
                assert "$mixpanel." in text, (name, text)
    else:
        assert opaque, "a client whose every read has a rewrite stayed on Amplitude"
        for name, text in after.items():
            assert TODO.sub("", text) == files[name], f"{name} changed beside a held client"


def test_the_index_reads_the_injected_name_and_no_longer_one(tmp_path: Path) -> None:
    """Every file spelling `$amplitude` reads the client (a `.vue` page included); a file
    spelling only `$amplitudeReady` names something else."""
    for name, text in _files().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pages" / "other.js").write_text("export default { x() { this.$amplitudeReady = 1 } };\n")
    index = index_tree(tmp_path)
    [client] = index.created
    assert (client.name, client.local, client.family, client.line) == (
        "$amplitude", "amplitude", "amplitude-js", 5)
    readers = {os.path.relpath(r.path, tmp_path): r.line for r in index.readers(client)}
    assert readers == {"components/cart.js": 4, "middleware/route.js": 2, "pages/index.vue": 8}


def test_pages_are_withheld_when_the_plugin_does_not_inject_the_new_name() -> None:
    """A plugin whose rewrite failed, or injects the Mixpanel client under the old name,
    would leave the pages calling `$mixpanel` that nothing injects."""
    plan = Plan(shared=[Shared(PLUGIN, "$amplitude", ("pages/a.js",), held=False)])
    page = FileResult("pages/a.js", "javascript", "changed", output=b"this.$mixpanel.track('E');\n")
    for plugin in (FileResult(PLUGIN, "javascript", "error", reason="rewrite-not-stable"),
                   FileResult(PLUGIN, "javascript", "changed",
                              output=b"export default (c, inject) => { inject('amplitude', mp) };\n")):
        checked = dict(check(plan, [("plugin", plugin), ("page", page)]))
        assert checked["page"].status == "error" and checked["page"].output is None
        assert "project-inconsistent" in (checked["page"].reason or "")
    fine = FileResult(PLUGIN, "javascript", "changed",
                      output=b"export default (c, inject) => { inject('mixpanel', mp) };\n")
    assert dict(check(plan, [("plugin", fine), ("page", page)]))["page"] == page


TYPES = ("import { AmplitudeClient } from 'amplitude-js';\n\n"
         "declare module 'vue/types/vue' {\n  interface Vue {\n"
         "    $amplitude: AmplitudeClient;\n  }\n}\n")


@pytest.mark.parametrize(("old", "new", "where"), [
    ('@click="buy"', '@click="send($amplitude)"', "pages/index.vue:2"),
    ("this.$amplitude.getInstance().logEvent('Buy", "this.$amplitude.getInstance('other')"
     ".logEvent('Buy", "pages/index.vue:12"),
    ("", "", "types/vue.d.ts:5"),
], ids=["template", "other-instance", "type-declaration"])
def test_a_read_the_rules_cannot_follow_holds_the_client(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    """No rule follows a template passing the client on (`@click="send($amplitude)"`) or a
    type declaring `$amplitude`, and another amplitude-js instance than the plugin's is one nothing
    initialises: each keeps the client on Amplitude in every module, and the plugin says
    where."""
    files = _files()
    assert old in files["pages/index.vue"]
    if old:
        files["pages/index.vue"] = files["pages/index.vue"].replace(old, new)
    else:
        files["types/vue.d.ts"] = TYPES
    write_tree(tmp_path, files)
    results = run_tree(tmp_path)
    page = results.pop("pages/index.vue")  # a blocker in a script gets its TODO
    assert TODO.sub("", (page.output or b"").decode() or files["pages/index.vue"]) == files[
        "pages/index.vue"]
    assert all(r.status == "unchanged" for r in results.values()), results
    plugin = results[PLUGIN]
    kept = [f.message for f in plugin.findings if f.rule == "CLIENT-KEPT"]
    assert any(f"({where})" in k for k in kept), kept


def test_a_partial_run_does_not_move_a_client_a_page_outside_it_reads(tmp_path: Path) -> None:
    """Pre-commit passes the staged files: with the plugin staged, the run still indexes
    the work tree's `.vue` pages, and holds the client for the ones it was not given."""
    write_tree(tmp_path, _files())
    (tmp_path / ".git").mkdir()  # the project root the partial run finds
    named = [PLUGIN, "components/cart.js"]
    results = run_tree(tmp_path, named)
    assert all(r.status == "unchanged" for r in results.values()), results
    kept = [f.message for f in results[PLUGIN].findings if f.rule == "CLIENT-KEPT"]
    assert any("pages/index.vue is not in this run" in k for k in kept), kept
