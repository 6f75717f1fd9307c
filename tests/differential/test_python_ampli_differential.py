"""Python Ampli wrappers (issue 17): the application calls only the generated wrapper; the
tool migrates the wrapper package (`ampli/ampli.py`, `ampli/__init__.py`) and leaves the
application as it is, and what the application sends through the migrated wrapper and the
real `mixpanel` package is what it sent through the original and the real
`amplitude-analytics` (same comparison as the single-file scenarios, `canonical.py`).

The wrapper and its package are the fixtures `fixtures/python/ampli-wrapper` and
`ampli-package`, so the fixtures' expected output is what runs here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod.engine import migrate_source
from codemod.results import FileResult

from canonical import compare
from pyrun import load_scenario, run_amplitude, run_mixpanel

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "python"
APP = Path(__file__).parent / "python_ampli" / "app.py"
APP_EU = Path(__file__).parent / "python_ampli" / "app_eu.py"


def _package(folder: Path, wrapper: bytes, package: bytes) -> None:
    (folder / "ampli").mkdir(parents=True)
    (folder / "ampli" / "ampli.py").write_bytes(wrapper)
    (folder / "ampli" / "__init__.py").write_bytes(package)


def _migrated(path: Path, name: str) -> FileResult:
    return migrate_source(path.read_bytes(), name)


@pytest.mark.parametrize(("app", "sent", "host"), [
    pytest.param(APP, {"event": 3, "profile": 3, "group": 1}, "api.mixpanel.com", id="app"),
    pytest.param(APP_EU, {"event": 1}, "api-eu.mixpanel.com", id="app_eu"),
])
def test_the_application_sends_the_same_through_the_migrated_wrapper(
    tmp_path: Path, app: Path, sent: dict[str, int], host: str
) -> None:
    wrapper = FIXTURES / "ampli-wrapper" / "input.py"
    package = FIXTURES / "ampli-package" / "input.py"
    original, migrated = tmp_path / "original", tmp_path / "migrated"
    _package(original, wrapper.read_bytes(), package.read_bytes())
    new_wrapper, new_package = _migrated(wrapper, "ampli.py"), _migrated(package, "__init__.py")
    assert (new_wrapper.status, new_package.status) == ("changed", "changed")
    assert new_wrapper.output is not None and new_package.output is not None
    assert b"from amplitude" not in new_wrapper.output and b"import amplitude" not in new_wrapper.output
    _package(migrated, new_wrapper.output, new_package.output)
    calls = _migrated(app, app.name)
    assert calls.status == "unchanged", calls  # the call sites need nothing

    scenario = load_scenario(app)
    before = run_amplitude(scenario, folder=original)
    after = run_mixpanel(scenario, scenario.source, folder=migrated)
    verdict = compare(before.records, after.records, {})
    kinds = [record[0] for record in verdict.amplitude]
    assert {kind: kinds.count(kind) for kind in set(kinds)} == sent, verdict.amplitude
    assert verdict.mixpanel == verdict.amplitude
    assert after.hosts == before.mixpanel_hosts == {host}


def test_a_hand_edited_wrapper_stays_on_amplitude_reported_and_loses_nothing(tmp_path: Path) -> None:
    """The hand-edited wrapper goes through the normal rules: its client stays on Amplitude
    (every use reported), so the application still sends everything it sent, to Amplitude."""
    wrapper = FIXTURES / "ampli-hand-edited" / "input.py"
    package = FIXTURES / "ampli-package" / "input.py"
    original, migrated = tmp_path / "original", tmp_path / "migrated"
    _package(original, wrapper.read_bytes(), package.read_bytes())
    new_wrapper, new_package = _migrated(wrapper, "ampli.py"), _migrated(package, "__init__.py")
    assert new_wrapper.output is not None and new_package.output is not None
    assert any(f.rule == "AY08" and f.severity == "manual" for f in new_wrapper.findings)
    assert not new_wrapper.changes  # no partial template: nothing of the plumbing rewritten
    _package(migrated, new_wrapper.output, new_package.output)

    scenario = load_scenario(APP)
    before = run_amplitude(scenario, folder=original)
    after = run_amplitude(scenario, folder=migrated)
    sent = [record.as_tuple() for record in before.records]
    assert len(sent) == 7 and ("app", "web") in sent[1][3].items(), sent
    assert [record.as_tuple() for record in after.records] == sent
