"""The rule and caveat data: validation errors name the file and key; dispatch is complete."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from codemod import catalogue as catalogue_module
from codemod.catalogue import (
    RuleError,
    load_catalogue,
    parse_caveats,
    parse_rule,
    parse_transforms,
)
from codemod.messages import fill, site_facts
from codemod.python.analysis import CLIENT_MEMBERS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
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
        ({"messages": {"ID010": "`{code}`"}}, "'ID010' is not one of the rule's caveats"),
        ({"caveats": ["ID006"], "messages": {"ID006": "`{site}`"}}, "unknown fact(s) site"),
        ({"caveats": ["ID006"], "messages": {"ID006": "`{code`"}}, "not a valid template"),
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


def test_caveat_message_templates_name_known_facts() -> None:
    table = {"title": "t", "scope": "site", "trigger": "t", "explanation": "e", "action": "a",
             "docs": "https://docs.mixpanel.com/x", "message": "`{code}` at {line}"}
    with pytest.raises(RuleError, match=r"\[ID001\] message: unknown fact\(s\) line"):
        parse_caveats("caveats.toml", {"ID001": table})


def test_a_site_finding_says_the_site_and_a_rule_may_say_it_its_own_way() -> None:
    catalogue = load_catalogue()
    facts = site_facts("amplitude.setUserId(user.id)", "mixpanel.identify(user.id)", "TOKEN")
    said = catalogue.site_message("AB09", "ID002", facts)
    assert said.startswith("`amplitude.setUserId(user.id)` became `mixpanel.identify(user.id)`: ")
    deleted = catalogue.site_message("AN01", "ID010", site_facts("init(KEY)", "", "TOKEN"))
    assert deleted.startswith("`init(KEY)` is deleted: the module's Mixpanel client is created "
                              "with `TOKEN`")
    assert fill(None, "the title", facts) == "the title"  # a caveat without a template


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
    stale = catalogue_module.Catalogue(rules={}, caveats={}, sdks=load_catalogue().sdks)
    snapshot.write_bytes(pickle.dumps(("other rule files", stale)))
    catalogue_module._loaded = None
    assert catalogue_module.load_catalogue_from(tmp_path) == parsed
    assert pickle.loads(snapshot.read_bytes())[0] == catalogue_module._snapshot_source()


def test_an_unwritable_cache_folder_still_gives_the_catalogue(tmp_path, fresh_process) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert catalogue_module.load_catalogue_from(blocker / "cache") == catalogue_module._parse_catalogue()


def test_unknown_transform_is_a_load_error_naming_file_and_key() -> None:
    data = {**VALID, "language": "javascript", "fix": {"action": "transform", "transform": "trak"}}
    with pytest.raises(RuleError, match=r"rules/js/x.toml \[fix\]: unknown transform 'trak'"):
        parse_rule("rules/js/x.toml", data, {"ID006"}, {"javascript": frozenset({"track"})})


def test_declared_transforms_are_the_registered_ones() -> None:
    import codemod.http.javascript
    import codemod.http.python
    import codemod.js.ampli
    import codemod.js.react_native_legacy
    import codemod.python.ampli  # noqa: F401  (they register `http_request`, `rn_*` and `ampli_wrapper`)
    from codemod.js.transforms import TRANSFORMS as JS_TRANSFORMS
    from codemod.python.transforms import TRANSFORMS as PY_TRANSFORMS

    declared = parse_transforms("rules/transforms.toml", tomllib.loads(
        (ROOT / "rules" / "transforms.toml").read_text(encoding="utf-8")))
    assert declared == {"python": PY_TRANSFORMS.names(), "javascript": JS_TRANSFORMS.names()}
    used = {(rule.language, rule.transform) for rule in load_catalogue().rules.values()
            if rule.transform}
    assert used == {(language, name) for language, names in declared.items() for name in names}


def test_rules_sharing_a_method_say_how_they_split() -> None:
    first = parse_rule("rules/python/a.toml", {**VALID, "id": "A"}, {"ID006"})
    second = parse_rule("rules/python/b.toml", {**VALID, "id": "B"}, {"ID006"})
    with pytest.raises(RuleError, match=r"rules/python/b.toml \[match\]: method 'track' is also "
                                        r"claimed by rules/python/a.toml; say how they split"):
        catalogue_module._check_dispatch({"A": first, "B": second})
    split = {**VALID, "match": {"methods": ["track"], "split": "arguments"}}
    catalogue_module._check_dispatch({
        "A": parse_rule("rules/python/a.toml", {**split, "id": "A"}, {"ID006"}),
        "B": parse_rule("rules/python/b.toml", {**split, "id": "B"}, {"ID006"}),
    })
    with pytest.raises(RuleError, match=r"split must be one of arguments, not 'luck'"):
        parse_rule("rules/python/a.toml",
                   {**VALID, "match": {"methods": ["track"], "split": "luck"}}, {"ID006"})


@pytest.mark.parametrize(("path", "source", "disabled"), [
    ("app.py", "from amplitude import Amplitude, BaseEvent\nclient = Amplitude('K')\n"
     "client.track(BaseEvent('E', user_id='u'))\nclient.track(BaseEvent('F'))\n", "AP02"),
    ("app.js", "import * as amplitude from '@amplitude/analytics-browser';\n"
     "amplitude.track('E');\namplitude.add(plugin);\n", "AB04"),
])
def test_a_disabled_rule_is_held_the_same_way_in_every_language(
    path: str, source: str, disabled: str
) -> None:
    from codemod.engine import migrate_source
    from codemod.options import Options

    everything = migrate_source(source.encode(), path, Options())
    held = migrate_source(source.encode(), path, Options(disabled_rules=frozenset({disabled})))
    assert held.status == "unchanged" and held.output is None
    assert not held.changes
    messages = [f.message for f in held.findings if f.rule == disabled]
    assert messages == [f"not rewritten: rule {disabled} is disabled, so this file is left as it is"]
    # The file's other findings stay listed.
    others = {(f.line, f.rule) for f in everything.findings if f.severity == "manual"}
    assert others and others <= {(f.line, f.rule) for f in held.findings}


# A rule id between quotes: how a row id is spelled when code names it (`"AB04"`, `'LN02'`).
QUOTED_ID = re.compile(r"""["']([A-Z]{2}[0-9]{2})["']""")


def test_the_code_names_rows_by_slug_never_by_id() -> None:
    """The rule TOMLs own the row ids; a transform picks its row by slug (`family_rule`, `row`),
    so renumbering or adding a row never means editing code, and no id in the code drifts."""
    ids = set(load_catalogue().rules)
    sources = sorted((ROOT / "codemod").rglob("*.py"))
    assert sources
    # The pattern finds ids as they are spelled where they belong: in the rule data.
    in_data = {m.group(1) for path in (ROOT / "rules").rglob("*.toml")
               for m in QUOTED_ID.finditer(path.read_text(encoding="utf-8"))}
    assert {"AB04", "AJ04", "AN02", "AR02", "LN02", "NA02", "LR03", "EX02", "AX01",
            "AY01", "AP02", "HP01", "HJ01"} <= in_data & ids
    spelled = [f"{path.relative_to(ROOT)}:{number}: {m.group(0)}"
               for path in sources
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               for m in QUOTED_ID.finditer(line) if m.group(1) in ids]
    assert spelled == []
