"""The rule and caveat data: validation errors name the file and key; dispatch is complete."""

from __future__ import annotations

import pytest

from codemod import catalogue as catalogue_module
from codemod.catalogue import RuleError, load_catalogue, parse_caveats, parse_rule
from codemod.python.analysis import CLIENT_MEMBERS

VALID = {
    "id": "X1", "slug": "x", "language": "python", "sdk": "s", "spec": "3.5",
    "amplitude": "a", "mixpanel": "m", "safety": "safe", "caveats": ["ID006"],
    "match": {"methods": ["track"]}, "fix": {"action": "delete"},
    "docs": {"what": "w", "why": "y", "before": "b", "after": "a"},
}


def test_shipped_data_loads() -> None:
    catalogue = load_catalogue()
    assert sorted(catalogue.caveats) == [f"ID{n:03d}" for n in range(1, 28)]
    for row in range(1, 19):
        assert f"AP{row:02d}" in catalogue.rules


def test_every_client_method_has_a_python_rule() -> None:
    methods = load_catalogue().by_method("python")
    assert CLIENT_MEMBERS - {"configuration"} <= set(methods)


def test_every_caveat_a_rule_names_exists() -> None:
    catalogue = load_catalogue()
    for rule in catalogue.rules.values():
        assert set(rule.caveats) <= set(catalogue.caveats), rule.id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "unknown key 'colour'"),
        ({"safety": "maybe"}, "safety must be one of"),
        ({"caveats": ["ID999"]}, "unknown caveat id 'ID999'"),
        ({"fix": {"action": "transform"}}, "needs a 'transform' name"),
        ({"fix": {"action": "template", "template": "{mp}.f({args})"}}, "needs an 'arity'"),
        ({"fix": {"action": "template", "template": "{mp}.f()", "arity": -1}}, "needs an 'arity'"),
        ({"match": {}}, "needs methods, constructor, attribute or detector"),
        ({"docs": {"what": "w"}}, "missing key"),
    ],
)
def test_rule_errors_name_file_and_key(change: dict, message: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_rule("rules/python/x.toml", {**VALID, **change}, {"ID006"})
    assert "rules/python/x.toml" in str(info.value)
    assert message in str(info.value)


def test_caveat_errors_name_the_key() -> None:
    with pytest.raises(RuleError, match=r"caveats.toml \[ID001\]: unknown key 'colour'"):
        parse_caveats("caveats.toml", {"ID001": {"colour": "red"}})


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no catalogue had been loaded in this process yet."""
    monkeypatch.setattr(catalogue_module, "_loaded", None)


def test_the_snapshot_is_written_once_and_read_back(tmp_path, fresh_process) -> None:
    parsed = catalogue_module._parse_catalogue()
    first = catalogue_module.load_catalogue_from(tmp_path)
    snapshot = tmp_path / catalogue_module.SNAPSHOT
    written = snapshot.stat().st_mtime_ns
    catalogue_module._loaded = None
    second = catalogue_module.load_catalogue_from(tmp_path)
    assert first == second == parsed
    assert second is not first  # read back from the snapshot, not reparsed into the same object
    assert snapshot.stat().st_mtime_ns == written


def test_a_damaged_or_stale_snapshot_is_replaced(tmp_path, fresh_process) -> None:
    import pickle

    parsed = catalogue_module._parse_catalogue()
    snapshot = tmp_path / catalogue_module.SNAPSHOT
    snapshot.write_bytes(b"not a pickle")
    assert catalogue_module.load_catalogue_from(tmp_path) == parsed
    source, _ = pickle.loads(snapshot.read_bytes())
    assert source == catalogue_module._snapshot_source()
    # Made from other rule files (an edit, an upgrade): not used, and replaced.
    stale = catalogue_module.Catalogue(rules={}, caveats={})
    snapshot.write_bytes(pickle.dumps(("other rule files", stale)))
    catalogue_module._loaded = None
    assert catalogue_module.load_catalogue_from(tmp_path) == parsed
    assert pickle.loads(snapshot.read_bytes())[0] == catalogue_module._snapshot_source()


def test_an_unwritable_cache_folder_still_gives_the_catalogue(tmp_path, fresh_process) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert catalogue_module.load_catalogue_from(blocker / "cache") == catalogue_module._parse_catalogue()
