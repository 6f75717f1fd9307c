"""The SDK registry is the one place that names Amplitude packages, and it is validated."""

from __future__ import annotations

import ast
import copy
import re
import sys
from pathlib import Path

import pytest

from codemod.catalogue import RuleError, load_catalogue
from codemod.sdks import WHERE, load_registry, parse_registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
# Anything shaped like an Amplitude package name: a scoped `@amplitude/...`, the types
# package, or a dashed name with `amplitude` as one of its words.
_PACKAGE_SHAPE = re.compile(
    r"@amplitude/[\w.-]+|@types/amplitude[\w.-]*"
    r"|(?<![\w.-])(?:\w+-)*amplitude(?:-\w+)+|(?<![\w.-])\w+(?:-\w+)*-amplitude(?![\w-])"
)
# Skip-reason codes of the Python migrator: words, not packages.
_REASON_CODES = {"amplitude-not-sdk", "amplitude-import-not-top-level"}


def _registry_data() -> dict:
    return tomllib.loads((ROOT / "rules" / "sdks.toml").read_text(encoding="utf-8"))


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module except docstrings, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            if isinstance(node.value, str):
                found.append((node.lineno, node.value))
            elif isinstance(node.value, bytes):
                found.append((node.lineno, node.value.decode("latin-1")))
    return found


def test_no_module_spells_an_amplitude_package() -> None:
    registry = load_registry()
    known = {p for sdk in registry.sdks.values() for p in sdk.packages} | set(registry.packages)
    assert "@amplitude/analytics-browser" in known  # the shape catches what it must
    slugs = {rule.slug for rule in load_catalogue().rules.values()}
    spelled = []
    for path in sorted((ROOT / "codemod").rglob("*.py")):
        for line, text in _strings(path):
            for name in _PACKAGE_SHAPE.findall(text):
                # A family id names an SDK entry of the registry; "amplitude-js" is one. A
                # rule's slug names a row ("amplitude-client"), not a package.
                if name not in _REASON_CODES and name not in registry.sdks and name not in slugs:
                    spelled.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert spelled == []


def test_every_rule_matches_a_registered_family() -> None:
    registry = load_registry()
    families = {rule_method.split(":", 1)[0]
                for rule in load_catalogue().for_language("javascript")
                for rule_method in rule.methods if ":" in rule_method}
    assert families <= set(registry.sdks)
    migrated = {s.family for s in registry.sdks.values()
                if s.language == "javascript" and s.status == "migrate"}
    assert migrated <= families  # a migrated SDK without rules would be silent


def test_every_package_has_one_home() -> None:
    registry = load_registry()
    packages = [p for sdk in registry.sdks.values() for p in sdk.packages]
    assert len(packages) == len(set(packages))
    assert not set(packages) & set(registry.packages)


def test_targets_and_swaps() -> None:
    registry = load_registry()
    assert registry.target_of("amplitude-js").name == "browser"
    assert registry.swap_of("@amplitude/analytics-node").package == "mixpanel"
    assert registry.swap_of("@amplitude/experiment-js-client") is None
    assert registry.dropped("@amplitude/analytics-types")
    assert not registry.keeps_manifest("@amplitude/experiment-node-server")
    assert [n[:20] for n in registry.swap_notes("expo-analytics-amplitude")] == [
        "Expo Go and web run ", "mixpanel-react-nativ"]
    assert registry.swap_notes("@amplitude/experiment-js-client") == []
    assert registry.keeps_manifest("@amplitude/plugin-anything")
    assert registry.python_sdk.packages == ("amplitude-analytics",)
    assert "django-amplitude" in registry.python_sniffed()
    assert "amplitude-experiment" not in registry.python_sniffed()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["sdk"]["node"].update(colour="red"), r"\[sdk.node\]: unknown key 'colour'"),
        (lambda d: d["sdk"]["node"].update(target="deno"), r"\[sdk.node\]: key 'target' must be"),
        (lambda d: d["sdk"]["node"].update(clients=["singleton"]),
         r"\[sdk.node\]: unknown client form 'singleton'"),
        (lambda d: d["sdk"]["node"].update(target="python"), r"\[sdk.node\]: target 'python' is not"),
        (lambda d: d["sdk"]["node"]["packages"].append("amplitude-js"),
         r"\[sdk.node\]: package 'amplitude-js' is already in \[sdk.amplitude-js\]"),
        (lambda d: d["package"]["@amplitude/marketing-analytics-browser"].update(swap="web"),
         r"key 'swap' names no target"),
        (lambda d: d.update(extra={}), r"unknown key 'extra'"),
        (lambda d: d["sdk"]["expo"].update(status="report"), r"\[sdk.expo\]: missing key 'reason'"),
        (lambda d: d["sdk"]["expo"].update(client_config=False),
         r"\[sdk.expo\]: key 'client_config' must be a string"),
        (lambda d: d["sdk"]["expo"].update(exported_by={"expo": 1}),
         r"\[sdk.expo\]: key 'exported_by' maps each package"),
        (lambda d: d["sdk"]["node"].update(reason="r"), r"key 'reason' is only for reported"),
        (lambda d: d["target"]["node"].pop("version"), r"\[target.node\]: missing key 'version'"),
        (lambda d: d["api"]["amplitude-http-api"]["paths"].update({"/x": "export"}),
         r"\[api.amplitude-http-api\]: key 'paths': '/x' must receive one of"),
        (lambda d: d["api"]["amplitude-http-api"]["read_hosts"].update({"h": "eu"}),
         r"\[api.amplitude-http-api\]: key 'read_hosts' maps each host"),
    ],
)
def test_registry_errors_name_file_and_key(edit, message: str) -> None:
    data = copy.deepcopy(_registry_data())
    edit(data)
    with pytest.raises(RuleError, match=message) as info:
        parse_registry(WHERE, data)
    assert str(info.value).startswith(WHERE)


def test_shipped_registry_parses_as_loaded() -> None:
    assert parse_registry(WHERE, _registry_data()) == load_registry()


def test_every_rule_names_a_registered_sdk() -> None:
    registry = load_registry()
    packages = {p for sdk in registry.sdks.values() for p in sdk.packages}
    languages = set(registry.languages)
    for rule in load_catalogue().rules.values():
        # HP/HJ rules name Amplitude's HTTP API, a registry entry of its own ([api.*]).
        assert rule.sdk in packages | languages | set(registry.apis) | {"mixpanel"}, (
            rule.id, rule.sdk)


def test_reported_packages_say_why_and_what_instead() -> None:
    registry = load_registry()
    catalogue = load_catalogue()
    reported = [p for sdk in registry.sdks.values() if sdk.status == "report" for p in sdk.packages]
    reported += [p.name for p in registry.packages.values()
                 if p.role == "detect" and p.language == "javascript"]
    assert {"@amplitude/experiment-react-native-client", "react-native-amplitude-analytics"} <= set(
        reported)
    for package in reported:
        found = registry.reported(package)
        assert found is not None and found.reason and found.alternative, package
        # The rule that reports them declares every caveat the registry raises with them.
        assert set(found.caveats) <= set(catalogue.rules["JS-PACKAGE"].caveats), package
    assert registry.reported("amplitudejs") is None  # an audio player, not Amplitude
    assert registry.reported("@amplitude/analytics-browser") is None  # migrated
    assert registry.reported("@amplitude/node") is None  # migrated (rows LN01-LN18)
    assert registry.reported("amplitude") is None  # migrated (rows NA01-NA13)
    assert registry.reported("@amplitude/react-native") is None  # migrated (rows LR01-LR28)
    assert registry.reported("expo-analytics-amplitude") is None  # migrated (rows EX01-EX13)


def test_python_look_alikes() -> None:
    registry = load_registry()
    assert registry.python_colliding() == {"django-amplitude", "amplitude-python", "amplitude-sdk",
                                           "amplitude-python-sdk"}
    assert "amplitude-tracker" in registry.python_sniffed()
    assert set(registry.python_reported()) == {"amplitude_tracker", "amplitude_experiment"}


def test_every_javascript_target_knows_its_spelling() -> None:
    from codemod.js.targets import TARGETS

    registry = load_registry()
    assert set(TARGETS) == {t.name for t in registry.targets.values() if t.language == "javascript"}
    for target in TARGETS.values():
        assert "{token}" in target.client or not target.client
        text = target.import_text("'pkg'", esm=False, kind="const", semi=";", newline="\n",
                                  token="TOKEN", config=None)
        assert text.startswith(("const ", "import ")) and "'pkg'" in text


def test_no_javascript_module_tests_a_target_by_family_name() -> None:
    """Which Mixpanel SDK a site writes for is its target's business (codemod/js/targets.py).

    `set_user_id` may test the Amplitude React Native family: its rows (AR04, AR05) follow
    that SDK's setUserId, not the Mixpanel target.
    """
    found = []
    for path in sorted((ROOT / "codemod" / "js").glob("*.py")):
        if path.name in ("targets.py", "parse.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = {id(node) for function in ast.walk(tree)
                   if isinstance(function, ast.FunctionDef) and function.name == "set_user_id"
                   for node in ast.walk(function)}
        found += [f"{path.name}:{node.lineno}: {node.value}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and node.value in ("node", "react-native")
                  and id(node) not in allowed]
    assert found == []


@pytest.mark.parametrize(("requirements", "expected"), [
    ("amplitude-analytics>=1.3\n", "amplitude-analytics"),
    ("amplitude-python==0.13\n", "amplitude-python"),
    ("django-amplitude>=0.8\n", "django-amplitude"),
    ("amplitude-tracker==0.0.7\n", "amplitude-tracker"),
    # A look-alike that installs `amplitude` too wins over the SDK named beside it.
    ("amplitude-analytics>=1.3\namplitude-python==0.13\n", "amplitude-python"),
    ("requests\n", None),
])
def test_the_manifest_decides_what_import_amplitude_is(tmp_path: Path, requirements: str,
                                                       expected: str | None) -> None:
    """legacy-sdks §5: `import amplitude` is amplitude-analytics only when the project's
    dependency list says so; the runner reads the nearest manifest."""
    from codemod.runner import python_distribution

    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    assert python_distribution(tmp_path) == expected
