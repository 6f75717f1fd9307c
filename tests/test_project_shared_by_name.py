"""Clients shared by a name (`codemod/js/shared.py`) move whole or not at all, in every shape.

Property: for the Vue 3 fixture (`app.config.globalProperties.$amplitude` set in a plugin,
read as `this.$amplitude` in components and `$amplitude` in a template) and any subset of its
reads made manual (the read wrapped in `(... || {})`, which no rule follows, or its call
changed to `add()`, which has no Mixpanel equivalent), the run either moves the plugin to
Mixpanel, sharing `$mixpanel`, with every read in every component and template renamed, or
leaves every file as it was, TODO comments aside.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projectkit import index_tree, migrate_tree, migrated_files, read_tree, run_tree, write_tree

from codemod.project.checks import check
from codemod.project.plan import Plan, Shared
from codemod.results import FileResult

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
CASE = PROJECTS / "vue3-global-properties"
READ = re.compile(r"((?:this\.)?\$amplitude)\b")
METHOD = re.compile(r"(\$amplitude\.)\w+")
TODO = re.compile(r"^[ \t]*// TODO\(amp2mp\).*\n", re.MULTILINE)
PLUGIN = "plugins/analytics.js"
MAIN = "main.js"  # installs the plugin, names no client: never changed


def _files(case: Path = CASE) -> dict[str, str]:
    return read_tree(case / "input")


def _sites(files: dict[str, str]) -> list[tuple[str, int]]:
    return [(name, number) for name, text in files.items() if name not in (PLUGIN, MAIN)
            for number, line in enumerate(text.splitlines()) if READ.search(line)]


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_vue_global_property_moves_whole_or_not_at_all(data: st.DataObject,
                                                         tmp_path_factory) -> None:
    files = _files()
    sites = _sites(files)
    assert any(name.endswith("NavBar.vue") and number == 2 for name, number in sites)  # template
    manual = data.draw(st.dictionaries(st.sampled_from(sites), st.sampled_from(["opaque", "add"]),
                                       max_size=len(sites)))
    for (name, number), how in manual.items():
        lines = files[name].splitlines(keepends=True)
        lines[number] = READ.sub(r"(\1 || {})", lines[number]) if how == "opaque" else (
            METHOD.sub(r"\1add", lines[number], count=1))
        files[name] = "".join(lines)
    after = migrated_files(tmp_path_factory.mktemp("vue3"), files)
    assert after[MAIN] == files[MAIN]
    if "globalProperties.$mixpanel = mixpanel" in after[PLUGIN]:
        assert not manual, "a client with a manual read was moved to Mixpanel"
        for name, text in after.items():
            if name != MAIN:
                assert "amplitude" not in text.lower(), (name, text)
                assert name == PLUGIN or "$mixpanel." in text, (name, text)
    else:
        assert manual, "a client whose every read has a rewrite stayed on Amplitude"
        for name, text in after.items():
            assert TODO.sub("", text) == files[name], f"{name} changed beside a held client"


def test_the_index_finds_each_shape_and_its_readers(tmp_path: Path) -> None:
    """Each setter is a client under the name its readers spell; the setter's own spelling is
    no read, and `$amplitudeReady` or `window.amplitudes` name something else."""
    expected = {
        "vue3-global-properties": ("$amplitude", PLUGIN, 6, {
            "components/CartButton.vue": 9, "components/NavBar.vue": 3}),
        "vue2-prototype": ("$amplitude", MAIN, 6, {"components/SignupForm.vue": 3}),
        "express-app-locals": ("locals.amplitude", "app.js", 9, {
            "routes/orders.js": 6, "routes/users.js": 6}),
        "window-global": ("window.amplitude", "analytics.js", 4, {
            "pages/checkout.js": 2, "pages/legacy.js": 2, "index.html": 7}),
    }
    for case, (key, creator, line, readers) in expected.items():
        tree = tmp_path / case
        write_tree(tree, {**_files(PROJECTS / case),
                      "other.js": "this.$amplitudeReady = window.amplitudes + locals.amplitudeKey;\n"})
        index = index_tree(tree)
        [client] = index.created
        assert (client.name, os.path.relpath(client.path, tree), client.line,
                client.blocker) == (key, creator, line, None), case
        assert {os.path.relpath(r.path, tree): r.line for r in index.readers(client)} == readers


def test_a_module_reading_the_name_it_shares_holds_the_client(tmp_path: Path) -> None:
    """`app.locals.amplitude = amplitude` beside a route reading `req.app.locals.amplitude`
    in the same module: the tool follows reads in the other modules only, so the client is
    held and the creation says where."""
    files = _files(PROJECTS / "express-app-locals")
    files["app.js"] = files["app.js"].replace(
        "app.use('/orders', orders);\n",
        "app.use('/orders', orders);\napp.get('/ping', (req) => "
        "req.app.locals.amplitude.track('Pinged'));\n")
    write_tree(tmp_path, files)
    [client] = index_tree(tmp_path).created
    assert client.blocker is not None and "line 11" in client.blocker, client.blocker
    assert migrate_tree(tmp_path) == {}


@pytest.mark.parametrize(("name", "creator", "kept", "broken"), [
    ("$amplitude", PLUGIN, b"app.config.globalProperties.$mixpanel = mixpanel;\n",
     b"app.config.globalProperties.$amplitude = mixpanel;\n"),
    ("$amplitude", MAIN, b"Vue.prototype.$mixpanel = mixpanel;\n",
     b"Vue.$mixpanel = mixpanel;\n"),
    ("locals.amplitude", "app.js", b"app.locals.mixpanel = mixpanel;\n",
     b"app.settings.mixpanel = mixpanel;\n"),
    ("window.amplitude", "analytics.js", b"window.mixpanel = mixpanel;\n",
     b"const window = {}; window.mixpanel = mixpanel;\n"),
], ids=["globalProperties", "prototype", "locals", "window"])
def test_readers_are_withheld_when_the_setter_no_longer_sets_the_new_name(
    name: str, creator: str, kept: bytes, broken: bytes
) -> None:
    """A setter whose rewrite failed or no longer sets the renamed property would leave the
    readers calling `$mixpanel` that nothing sets."""
    plan = Plan(shared=[Shared(creator, name, ("reader.js",), held=False)])
    reader = FileResult("reader.js", "javascript", "changed", output=b"this.$mixpanel.track('E');\n")
    for setter in (FileResult(creator, "javascript", "error", reason="rewrite-not-stable"),
                   FileResult(creator, "javascript", "changed", output=broken)):
        checked = dict(check(plan, [("setter", setter), ("reader", reader)]))
        assert checked["reader"].status == "error" and checked["reader"].output is None
        assert "project-inconsistent" in (checked["reader"].reason or "")
    fine = FileResult(creator, "javascript", "changed", output=kept)
    assert dict(check(plan, [("setter", fine), ("reader", reader)]))["reader"] == reader


@pytest.mark.parametrize(("case", "path", "old", "new", "where"), [
    ("window-global", "index.html", "  <body>\n",
     "  <body>\n    <button onclick=\"send(window.amplitude)\">Tap</button>\n",
     "index.html:4"),
    ("vue3-global-properties", "components/NavBar.vue", "  <nav>\n",
     "  <nav>\n    <i v-for=\"name in $amplitude.plugins\">{{ name }}</i>\n",
     "components/NavBar.vue:3"),
    ("vue2-prototype", "components/SignupForm.vue", "export default {\n",
     "export default {\n  created() {\n    const { $amplitude } = this;\n  },\n",
     "components/SignupForm.vue:10"),
], ids=["html-onclick", "template-v-for", "destructured"])
def test_a_read_the_rules_cannot_follow_holds_the_client(
    tmp_path: Path, case: str, path: str, old: str, new: str, where: str
) -> None:
    """An `onclick` attribute (no rule reads HTML attributes), a template expression that is
    no JavaScript expression (`v-for`), a destructured read: each keeps the client on
    Amplitude in every module, and its creation says where."""
    files = _files(PROJECTS / case)
    assert old in files[path]
    files[path] = files[path].replace(old, new, 1)
    write_tree(tmp_path, files)
    changed = migrate_tree(tmp_path)
    for name, text in changed.items():
        assert TODO.sub("", text) == files[name], f"{name} changed beside a held client"
    kept = [f.message for result in run_tree(tmp_path).values() for f in result.findings
            if f.rule == "CLIENT-KEPT"]
    assert any(f"({where})" in k for k in kept), kept


def test_template_expressions_keep_their_quotes(tmp_path: Path) -> None:
    """Handlers in either quote and an interpolation are each migrated where they are; a
    string the rewrite writes (`'Revenue'`) takes the quote its attribute does not."""
    files = _files(PROJECTS / "vue2-prototype")
    form = "components/SignupForm.vue"
    files[form] = files[form].replace("  </form>\n", (
        "    <b @click=\"$amplitude.getInstance().logRevenue(9, 1, 'pro')\">B</b>\n"
        "    <i @click='$amplitude.getInstance().logRevenue(9, 1, \"pro\")'>I</i>\n"
        "    <u>{{ $amplitude.getInstance().logEvent('Shown') }}</u>\n"
        "  </form>\n"))
    write_tree(tmp_path, files)
    migrated = migrate_tree(tmp_path)[form]
    track = "track({0}Revenue{0}, {{price: 9, quantity: 1, product_id: {1}, revenue: 9 * 1}})"
    assert (
        f"    <b @click=\"$mixpanel.{track.format(chr(39), chr(39) + 'pro' + chr(39))}\">B</b>\n"
        f"    <i @click='$mixpanel.{track.format(chr(34), chr(34) + 'pro' + chr(34))}'>I</i>\n"
        "    <u>{{ $mixpanel.track('Shown') }}</u>\n") in migrated, migrated


def test_a_shared_name_reaches_the_files_of_its_own_package_only(tmp_path: Path) -> None:
    """Two apps of one repository share `$amplitude` each: a page of one that reads it where
    no rule follows holds its own app's client, not the other app's."""
    for app in ("shop", "admin"):
        files = {f"apps/{app}/{name}": text for name, text in _files().items()}
        files[f"apps/{app}/package.json"] = json.dumps({"name": app})
        write_tree(tmp_path, files)
    held = tmp_path / "apps" / "admin" / "components" / "NavBar.vue"
    held.write_text(READ.sub(r"(\1 || {})", held.read_text(), count=1))
    changed = migrate_tree(tmp_path)
    assert "globalProperties.$mixpanel" in changed[f"apps/shop/{PLUGIN}"]
    assert f"apps/admin/{PLUGIN}" not in changed
    index = index_tree(tmp_path)
    for client, reads in index.by_client().items():
        app = client.path.split(os.sep + "apps" + os.sep)[1].split(os.sep)[0]
        assert {r.path.split(os.sep + "apps" + os.sep)[1].split(os.sep)[0] for r in reads} == {app}


def test_a_module_that_imports_no_amplitude_package_is_not_parsed_as_a_setter(
        tmp_path: Path) -> None:
    """Vue's own bundles call `inject(` and list `amplitude` among SVG attributes: a setter
    shares a client of its own, made from the SDK it imports, so they are not parsed (a
    1.7 MB bundle cost the index seconds)."""
    write_tree(tmp_path, {
        "vendor/vue.js": "const svg = 'alphabetic,amplitude,arabic-form';\n"
                         "export function setup(app) { inject('store', app.store); }\n"
                         "window.theme = svg;\n",
        "main.js": "import { setup } from './vendor/vue';\nsetup({});\n",
    })
    index = index_tree(tmp_path)
    # parsed once, sliced to its Amplitude names, for what `main.js` imports from it
    assert (index.parsed, index.created, index.reads) == (1, [], [])
