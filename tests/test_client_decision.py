"""All or nothing per client (`codemod/clients.py`), as a property of Python fixture inputs.

For any Python fixture input, any subset of its rules made manual (as a rule a human must
apply), and a client optionally passed on to code the tool cannot see, the output never
holds a client half-migrated: a client still created with `Amplitude(...)` has exactly the
calls it had, and a client the tool moved to `Mixpanel(...)` is used only through
Mixpanel's own methods, with no Amplitude object handed to it.
"""

from __future__ import annotations

import ast
import dataclasses
import json
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.catalogue import Catalogue, load_catalogue
from codemod.clients import Client, Use, decide
from codemod.engine import migrate_source
from codemod.options import Options
from codemod.python.analysis import SDK_NAMES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "python"
INPUTS = sorted(FIXTURES.glob("*/input.py"))
CATALOGUE = load_catalogue()
PY_RULES = sorted(r.id for r in CATALOGUE.for_language("python") if r.action != "manual")
MIXPANEL_METHODS = frozenset({
    "alias", "merge", "track", "import_data", "people_set", "people_set_once",
    "people_increment", "people_append", "people_union", "people_unset", "people_remove",
    "people_delete", "people_track_charge", "people_clear_charges", "people_update",
    "group_set", "group_set_once", "group_union", "group_unset", "group_remove",
    "group_delete", "group_update"})


def _manual(rules: frozenset[str]) -> Catalogue:
    changed = {
        rid: dataclasses.replace(rule, action="manual") if rid in rules else rule
        for rid, rule in CATALOGUE.rules.items()
    }
    return dataclasses.replace(CATALOGUE, rules=changed)


def _clients(source: str) -> tuple[dict[str, set[str]], dict[str, Counter[str]],
                                   dict[str, list[ast.Call]]]:
    """Per bound name (`client`, `self.client`): what builds it, and the calls made on it."""
    tree = ast.parse(source)
    built: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            kind = ast.unparse(node.value.func).rsplit(".", 1)[-1]
            if kind in ("Amplitude", "Mixpanel"):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    built.setdefault(ast.unparse(target), set()).add(kind)
    calls: dict[str, Counter[str]] = {key: Counter() for key in built}
    nodes: dict[str, list[ast.Call]] = {key: [] for key in built}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            key = ast.unparse(node.func.value)
            if key in built:
                calls[key][ast.unparse(node)] += 1
                nodes[key].append(node)
    return built, calls, nodes


@st.composite
def cases(draw: st.DrawFn) -> tuple[Path, frozenset[str], bool]:
    source = draw(st.sampled_from(INPUTS))
    rules = frozenset(draw(st.sets(st.sampled_from(PY_RULES), max_size=4)))
    return source, rules, draw(st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_client_is_left_half_migrated(case: tuple[Path, frozenset[str], bool]) -> None:
    source, manual_rules, escape = case
    text = source.read_text()
    before, before_calls, _ = _clients(text)
    names = [key for key, kinds in before.items() if kinds == {"Amplitude"} and "." not in key]
    if escape and names:
        text += f"\nregister({names[0]})\n"
    options_file = source.parent / "options.json"
    options = Options(**json.loads(options_file.read_text())) if options_file.exists() else Options()
    result = migrate_source(text.encode(), source.name, options, _manual(manual_rules))
    if result.status != "changed":
        return
    assert result.output is not None
    output = result.output.decode()
    after, after_calls, after_nodes = _clients(output)
    for key, kinds in after.items():
        if "Amplitude" in kinds:
            # kept on Amplitude: not one of its calls was rewritten
            assert kinds == before.get(key), (key, output)
            assert not after_calls[key] - before_calls.get(key, Counter()), (key, output)
        elif before.get(key) == {"Amplitude"}:
            # moved to Mixpanel: only Mixpanel's methods, and no Amplitude object given to them
            for call in after_nodes[key]:
                assert isinstance(call.func, ast.Attribute)
                assert call.func.attr in MIXPANEL_METHODS, (ast.unparse(call), output)
                used = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
                assert not used & SDK_NAMES, (ast.unparse(call), output)
            if escape and names and key == names[0]:
                raise AssertionError(f"{key} is passed on, yet it was migrated:\n{output}")


def test_a_client_with_a_blocking_use_is_held_and_said_once() -> None:
    free = Client("a", "a", 3, [Use(3), Use(7)])
    held = Client("b", "b", 4, [Use(4), Use(9, "passed on"), Use(9, "passed on"), Use(12, "x")])
    decision = decide([free, held])
    assert decision.held == frozenset({"b"})
    [finding] = decision.findings
    assert finding.line == 4 and finding.severity == "manual"
    assert "client `b` kept on Amplitude: 2 uses need a human first (lines 9, 12)" in (
        finding.message)


def test_a_fixed_blocker_lets_a_rerun_migrate_the_client() -> None:
    held = (FIXTURES / "client-one-manual-use" / "input.py").read_bytes()
    fixed = held.replace(b"\n\ndef setup(plugin):\n    client.add(plugin)\n", b"")
    assert fixed != held
    assert migrate_source(held, "input.py").status == "changed"  # only the blocker's TODO
    result = migrate_source(fixed, "input.py")
    assert result.status == "changed" and result.output is not None
    assert b"client = Mixpanel(" in result.output and b"Amplitude" not in result.output
