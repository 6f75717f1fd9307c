"""A new SDK is data: a registry entry, its rule files and its fixture, and no code.

`tests/data/new-sdk/` defines a made-up SDK (`@example/amplitude-lite`, family `lite`,
migrated to mixpanel-browser) whose rules are all templates or deletions. Added to a copy of
the shipped rules, it migrates its fixture through the ordinary engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codemod.catalogue import Catalogue, RuleError, load_catalogue_dir
from codemod.engine import migrate_source
from codemod.options import Options

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "new-sdk"


def _rules(tmp_path: Path, with_entry: bool = True) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    if with_entry:
        with (rules / "sdks.toml").open("a", encoding="utf-8") as registry:
            registry.write((DATA / "sdk.toml").read_text(encoding="utf-8"))
    for rule in sorted((DATA / "rules").glob("*.toml")):
        shutil.copy(rule, rules / "js" / rule.name)
    return rules


def _migrate(data: bytes, catalogue: Catalogue):
    return migrate_source(data, "input.js", Options(), catalogue)


def test_a_new_sdk_migrates_with_data_only(tmp_path: Path) -> None:
    catalogue = load_catalogue_dir(_rules(tmp_path))
    result = _migrate((DATA / "fixture" / "input.js").read_bytes(), catalogue)
    assert result.status == "changed", result.reason
    assert result.output == (DATA / "fixture" / "expected.js").read_bytes()
    assert [(c.line, c.rule) for c in result.changes] == [
        (1, "JS-IMPORTS"), (4, "ZZ02"), (5, "ZZ01"), (6, "ZZ03")]
    assert not [f for f in result.findings if f.severity == "manual"]
    assert _migrate(result.output, catalogue).status == "unchanged"
    # A call whose arguments the template does not take is left, with a TODO, and listed; it
    # keeps the whole client on Amplitude (`codemod/clients.py`).
    data = (DATA / "fixture" / "input.js").read_bytes().replace(
        b"  lite.flush();\n", b"  lite.flush();\n  lite.track('Too', 'many', 'arguments');\n")
    held = _migrate(data, catalogue)
    assert [(f.line, f.rule) for f in held.findings if f.severity == "manual"] == [
        (1, "CLIENT-KEPT"), (4, "CLIENT-KEPT"), (5, "CLIENT-KEPT"), (6, "CLIENT-KEPT"),
        (7, "ZZ01")]
    assert held.output is not None and b"mixpanel" not in held.output


def test_the_rules_of_an_unregistered_sdk_do_not_load(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"rules/js/ZZ01-track.toml \[match\]: method "
                                        r"'lite:track' names no SDK of rules/sdks.toml"):
        load_catalogue_dir(_rules(tmp_path, with_entry=False))
