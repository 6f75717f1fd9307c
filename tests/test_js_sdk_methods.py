"""Every Mixpanel method and config key the JS rules emit exists in the real SDKs.

The SDKs are installed from the committed `package-lock.json` (`npm ci`, once per session)
and their shipped type declarations are read: mixpanel-browser `src/index.d.ts`, mixpanel
(Node) `lib/mixpanel-node.d.ts`, mixpanel-react-native `index.d.ts`. What is checked is what
the tool really writes: the expected outputs of the JS fixtures, plus the rule templates.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from codemod.catalogue import load_catalogue
from codemod.sdks import load_registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "js"
DECLARATIONS = {
    "browser": "node_modules/mixpanel-browser/src/index.d.ts",
    "node": "node_modules/mixpanel/lib/mixpanel-node.d.ts",
    "react-native": "node_modules/mixpanel-react-native/index.d.ts",
}
# (target, receiver pattern before `.method(`, the declared type that must have the method)
CALLS = [
    ("browser", r"\b(?:window\.)?mixpanel(?:\[[^\]]+\])?", "Mixpanel"),
    ("browser", r"\.people", "People"),
    ("browser", r"\.get_group\([^()]*\)", "Group"),
    ("node", r"\bMixpanel", "Mixpanel"),  # the module's `init`, declared on the same interface
    ("node", r"\bmixpanel", "Mixpanel"),
    ("node", r"\.people", "People"),
    ("node", r"\.groups", "Groups"),
    ("react-native", r"\bmixpanel", "Mixpanel"),
    ("react-native", r"\.getPeople\(\)", "People"),
    ("react-native", r"\.getGroup\([^()]*\)", "MixpanelGroup"),
]


@pytest.fixture(scope="session")
def sdk_types() -> dict[str, str]:
    """Install the pinned SDKs with npm (no scripts, no peers) and return their .d.ts texts."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: the SDK type check needs Node.js and npm on PATH")
    run = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--omit=peer", "--no-audit", "--no-fund"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if run.returncode != 0:
        pytest.fail(f"npm ci failed:\n{run.stdout}\n{run.stderr}")
    return {target: (ROOT / path).read_text(encoding="utf-8") for target, path in DECLARATIONS.items()}


def members(declarations: str, type_name: str) -> set[str]:
    """Names of the methods and properties an interface or class declares."""
    match = re.search(rf"\b(?:interface|class)\s+{type_name}\b[^{{]*\{{", declarations)
    assert match, f"{type_name} is not declared"
    depth, index = 1, match.end()
    while depth:
        depth += {"{": 1, "}": -1}.get(declarations[index], 0)
        index += 1
    body = declarations[match.end() : index]
    return set(re.findall(r"^\s*(?:static\s+|readonly\s+)?(\w+)\s*[(<:?]", body, re.M))


def target_of(code: str) -> str | None:
    if re.search(r"['\"]mixpanel-browser['\"]", code):
        return "browser"
    if re.search(r"['\"]mixpanel-react-native['\"]", code):
        return "react-native"
    if re.search(r"['\"]mixpanel['\"]", code):
        return "node"
    if "window.mixpanel" in code or "<script" in code:
        return "browser"  # the page loads Mixpanel's snippet: the global is the browser SDK
    return None


def _code(expected: Path) -> str:
    """An expected output without its TODO comments (their advice may name Mixpanel calls)."""
    return re.sub(r"^[ \t]*// TODO\(amp2mp\).*\n", "", expected.read_text(encoding="utf-8"), flags=re.M)


def emitted() -> list[tuple[str, str, str, str]]:
    """(target, declared type, method, where) for every Mixpanel call in the expected outputs."""
    found = []
    for expected in sorted(FIXTURES.glob("*/expected.*")):
        code = _code(expected)
        target = target_of(code)
        if target is None and re.search(r"amp2mpImportEvents|TODO\(amp2mp\): HJ\d", code):
            continue  # requests to Amplitude's HTTP API: Mixpanel's HTTP API, no SDK call
        if target is None:  # only reported: TODO comments above imports the tool leaves alone
            assert "mixpanel" not in code.lower(), expected
            continue
        for call_target, receiver, type_name in CALLS:
            if call_target != target:
                continue
            for method in re.findall(receiver + r"\.(\w+)\(", code):
                found.append((target, type_name, method, str(expected.relative_to(ROOT))))
    return found


def template_methods() -> list[tuple[str, str, str, str]]:
    registry = load_registry()
    found = []
    for rule in load_catalogue().for_language("javascript"):
        if rule.template is None:
            continue
        target = registry.target_of(rule.methods[0].split(":")[0]).name
        for _, receiver, type_name in [c for c in CALLS if c[0] == target]:
            for method in re.findall(receiver.replace(r"\bmixpanel", r"\{mp\}") + r"\.(\w+)\(",
                                     rule.template):
                found.append((target, type_name, method, rule.source))
    return found


def test_fixtures_and_templates_emit_something() -> None:
    calls = emitted()
    assert {target for target, *_ in calls} == {"browser", "node", "react-native"}
    assert template_methods()


def test_every_emitted_method_is_declared(sdk_types: dict[str, str]) -> None:
    missing = sorted({
        (target, type_name, method, where)
        for target, type_name, method, where in emitted() + template_methods()
        if method not in members(sdk_types[target], type_name)
    })
    assert not missing, f"methods the SDK does not declare: {missing}"


def test_every_emitted_browser_config_key_is_declared(sdk_types: dict[str, str]) -> None:
    config = members(sdk_types["browser"], "Config")
    keys = set()
    for expected in FIXTURES.glob("*/expected.*"):
        code = _code(expected)
        if target_of(code) != "browser":
            continue
        for literal in re.findall(r"(?:\bmixpanel\.init\([^,()]+|set_config\()\s*,?\s*\{([^{}]*)\}", code):
            keys.update(re.findall(r"(?:^|,)\s*(\w+)\s*:", literal))
    assert keys, "no browser config in the fixtures"
    assert keys <= config, f"config keys mixpanel-browser does not declare: {sorted(keys - config)}"


def test_node_config_keys_are_declared(sdk_types: dict[str, str]) -> None:
    config = members(sdk_types["node"], "InitConfig")
    keys = set()
    for expected in FIXTURES.glob("*/expected.*"):
        code = _code(expected)
        for literal in re.findall(r"Mixpanel\.init\([^,()]+,\s*\{([^{}]*)\}", code):
            keys.update(re.findall(r"(?:^|,)\s*(\w+)\s*:", literal))
    assert keys and keys <= config, sorted(keys - config)
