"""Lowering only the statements the migration can need (codemod/js/slicing.py) changes nothing.

As for Python, the check is equivalence: the migration with the sliced program equals the
migration with every statement lowered (code, changes and findings), on every JS fixture,
on generated realistic modules and on programs hypothesis assembles from statements that
trip the closure (a client assigned inside a function, shadowing, re-declared names).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchtree import generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.catalogue import load_catalogue
from codemod.engine import ParseFailure
from codemod.js.estree import Parsed, frontend, parse_js
from codemod.js.language import migrate_js
from codemod.options import Options

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue()
OPTIONS = Options()
SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".html")


def outcome(text: str, path: str, *, sliced: bool) -> object:
    frontend._trees.last_tree = None  # each run parses for itself
    try:
        result = migrate_js(text, path, CATALOGUE, OPTIONS, sliced=sliced)
    except ParseFailure as exc:
        return ("ParseFailure", str(exc))
    return result.code, sorted(map(repr, result.changes)), sorted(map(repr, result.findings))


def assert_equivalent(text: str, path: str) -> None:
    assert outcome(text, path, sliced=True) == outcome(text, path, sliced=False)


def body_texts(text: str, suffix: str = ".js") -> list[str]:
    result = parse_js(text, suffix, sliced=True)
    assert isinstance(result, Parsed)
    return [text[s["range"][0] : s["range"][1]] for s in result.program["body"]]


def _fixture_inputs() -> list[Path]:
    found = []
    for path in sorted((ROOT / "fixtures").rglob("input.*")):
        data = path.read_bytes()
        if path.suffix in SUFFIXES and b"amplitude" in data:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            found.append(path)
    return found


@pytest.mark.parametrize("path", _fixture_inputs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_programs_migrate_the_same_sliced_or_whole(path: Path) -> None:
    assert_equivalent(path.read_text("utf-8"), path.name)


def test_generated_modules_migrate_the_same_sliced_or_whole(tmp_path: Path) -> None:
    tree = generate(tmp_path, 40, "js=0.5,ts=0.5,py=0", 5)
    users = [p for p in sorted(tree.rglob("*")) if p.suffix in SUFFIXES
             and "amplitude" in p.read_text("utf-8")]
    assert len(users) >= 15
    sliced_any = 0
    for path in users:
        text = path.read_text("utf-8")
        assert_equivalent(text, path.name)
        full = parse_js(text, path.suffix)
        assert isinstance(full, Parsed)
        sliced_any += len(body_texts(text, path.suffix)) < len(full.program["body"])
    assert sliced_any >= len(users) // 2


def test_slice_keeps_imports_uses_and_their_binders() -> None:
    text = (
        "'use strict';\n"
        "import { helper } from './lib';\n"
        "import amplitude from 'amplitude-js';\n"
        "const LABEL = 'Signup';\n"
        "function unrelated(a) { return a * 2; }\n"
        "let client;\n"
        "export function start() { client = amplitude.getInstance(); }\n"
        "export function go() { client.logEvent(LABEL); }\n"
        "class Other {}\n"
    )
    kept = body_texts(text)
    assert kept[0] == "'use strict';"
    assert "import { helper } from './lib';" in kept
    assert "const LABEL = 'Signup';" in kept  # a binder of a word `go` mentions
    assert "let client;" in kept
    assert any(k.startswith("export function go") for k in kept)  # uses `client`, assigned in start
    assert not any("unrelated" in k or "Other" in k for k in kept)
    assert_equivalent(text, "m.js")


# -- property: assembled programs -------------------------------------------------------------

HEADER = "import amplitude from 'amplitude-js';\n"
STATEMENTS = [
    "const client = amplitude.getInstance();\n",
    "let other;\n",
    "function setup() { other = amplitude.getInstance('b'); }\n",
    "other.logEvent('x');\n",
    "client.logEvent('Signup', { plan: PLAN });\n",
    "const PLAN = 'pro';\n",
    "var PLAN2 = 'free';\n",
    "function helper(amplitude) { return amplitude.track('local'); }\n",
    "function unrelated() { return 1; }\n",
    "client.setUserId(userId);\n",
    "export const userId = 'u';\n",
    "analytics.track('segment');\n",
    "class Widget { mount() { client.logEvent('mount'); } }\n",
    "if (debug) { var client2 = amplitude.getInstance('debug'); }\n",
    "client2.logEvent('debug');\n",
    "const identify = new amplitude.Identify().set('a', 1);\n",
    "client.identify(identify);\n",
    "window.addEventListener('load', () => client.logEvent('load'));\n",
    "// a comment\n",
    "client.init('KEY');\n",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(STATEMENTS), min_size=2, max_size=12),
       st.sampled_from([".js", ".ts"]))
def test_assembled_programs_migrate_the_same_sliced_or_whole(parts: list[str], suffix: str) -> None:
    assert_equivalent(HEADER + "".join(parts), "m" + suffix)


def test_an_import_nested_in_a_function_still_binds_for_the_whole_program() -> None:
    """The scope analysis declares imports in the program's scope at any depth (found by fuzzing)."""
    text = (
        "init(process.env.AMPLITUDE_KEY);\n"
        "export async function handler(user, props) {\n"
        "  track({ event_type: 'X', user_id: user.id, event_properties: props });\n"
        "import { track, init } from '@amplitude/analytics-browser';\n"
        "}\n"
    )
    assert "init(process.env.AMPLITUDE_KEY);" in body_texts(text, ".jsx")
    assert_equivalent(text, "m.jsx")
