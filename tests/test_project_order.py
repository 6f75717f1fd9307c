"""The module-order check (`codemod/project/order.py`): a migrated client's top-level calls
that can run before its Mixpanel init are reported (JS-ORDER), and no others.

`fixtures/projects/js-call-before-init` shows the reported cases (an ES module that does not
import the init's module; a CommonJS module calling above its `require`); these are the ones
that must stay silent, and the facts the index records. An exported named instance, which
its own export reads before any init could create it, is held instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from projectkit import run_tree, write_tree

from codemod.js.estree import parse_js
from codemod.project.order import top_level
from codemod.results import FileResult

LIB = "import amplitude from 'amplitude-js';\n\nexport const instance = amplitude.getInstance();\n"
INIT = "import { instance } from './lib';\n\ninstance.init(process.env.AMPLITUDE_API_KEY);\n"


def _run(tree: Path, files: dict[str, str]) -> dict[str, FileResult]:
    write_tree(tree, files)
    return run_tree(tree)


def _order(results: dict[str, FileResult]) -> dict[str, list[int]]:
    return {path: lines for path, result in results.items()
            if (lines := [f.line for f in result.findings if f.rule == "JS-ORDER"])}


def test_the_index_records_top_level_calls_and_loads_with_where_they_run() -> None:
    text = ("import { instance } from './lib';\n"
            "instance.people.set({ a: 1 });\n"
            "function later() { instance.track('x'); }\n"
            "class Page { static shown() { instance.track('y'); } }\n"
            "const boot = require('./boot');\n"
            "export * from './more';\n"
            "other.track('z');\n")
    parsed = parse_js(text, ".js")
    assert not hasattr(parsed, "message"), parsed
    calls, loads = top_level(parsed.program, "instance")  # type: ignore[union-attr]
    assert [line for _, line in calls] == [2]
    assert loads == (("./lib", 0), ("./boot", text.index("require")), ("./more", 0))


@pytest.mark.parametrize("reader", [
    # An ES module importing a module that imports the init's module: evaluated first.
    "import { instance } from './lib';\nimport './setup';\n\ninstance.logEvent('Shown');\n",
    # CommonJS: the require that loads the init's module is above the call.
    "const { instance } = require('./lib');\nrequire('./boot');\n\ninstance.logEvent('Shown');\n",
    # Inside a function: it runs when called, not when the module loads.
    "import { instance } from './lib';\n\nexport const shown = () => instance.logEvent('Shown');\n",
], ids=["esm-through-another-module", "require-above", "in-a-function"])
def test_calls_the_init_reaches_first_are_not_reported(tmp_path: Path, reader: str) -> None:
    results = _run(tmp_path, {"lib.js": LIB, "boot.js": INIT, "setup.js": "import './boot';\n",
                              "page.js": reader})
    assert results["page.js"].status == "changed", results["page.js"]
    assert _order(results) == {}


def test_a_client_no_module_initialises_is_reported_at_each_top_level_call(
    tmp_path: Path
) -> None:
    results = _run(tmp_path, {
        "lib.js": LIB,
        "page.js": "import { instance } from './lib';\n\ninstance.logEvent('Shown');\n"})
    assert _order(results) == {"page.js": [3]}
    message = next(f.message for f in results["page.js"].findings if f.rule == "JS-ORDER")
    assert "no module that creates or imports it initialises it" in message


def test_a_held_client_and_python_readers_are_not_checked(tmp_path: Path) -> None:
    """Held: nothing moved to Mixpanel. Python: `from config import client` runs config.py,
    whose `client = Mixpanel(TOKEN)` is the init, before the reader's top level."""
    results = _run(tmp_path, {
        "lib.js": LIB,
        "page.js": "import { instance } from './lib';\n\ninstance.logEvent('Shown');\n"
                   "instance.sendEvents();\n",
        "config.py": "from amplitude import Amplitude\n\nclient = Amplitude('KEY')\n",
        "boot.py": "from amplitude import BaseEvent\nfrom config import client\n\n"
                   "client.track(BaseEvent('Booted', user_id='u-1'))\n"})
    assert results["lib.js"].status == "unchanged"  # the reader gets only its TODO
    assert results["boot.py"].status == "changed", results["boot.py"]
    assert _order(results) == {}


def test_an_exported_named_instance_is_held_since_its_export_reads_it_before_init(
    tmp_path: Path
) -> None:
    """`export const instance = mixpanel['other']` would read the instance when the module
    loads, and Mixpanel creates a named instance only in its init: every reader would call
    methods on `undefined`. The client stays on Amplitude everywhere, and says why."""
    results = _run(tmp_path, {
        "lib.js": LIB.replace("getInstance()", "getInstance('other')")
        + "instance.init(process.env.AMPLITUDE_API_KEY);\n",
        "page.js": "import { instance } from './lib';\n\n"
                   "export const shown = () => instance.logEvent('Shown');\n"})
    assert {path: r.status for path, r in results.items()} == {
        "lib.js": "unchanged", "page.js": "unchanged"}
    kept = [f.message for f in results["lib.js"].findings if f.rule == "CLIENT-KEPT"]
    assert any("exports the named instance 'other'" in k for k in kept), kept
