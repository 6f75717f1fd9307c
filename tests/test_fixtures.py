"""One parametrized test over `fixtures/<language>/<case>/`.

A case holds `input.<ext>` and either `expected.<ext>` (the exact bytes the tool must write)
or nothing (a must-not-change case: the output must equal the input byte for byte). An
optional `expected-report.json` lists the findings as `[line, rule, caveat, severity]` rows,
the changes as `[line, rule]` rows and, under `"status"`/`"reason"`, the file's status and the
start of its reason. A new case is
a new folder, never new test code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixturekit import case_options

from codemod.catalogue import load_catalogue
from codemod.engine import migrate_source
from codemod.results import Finding

ROOT = Path(__file__).resolve().parent.parent / "fixtures"


def _cases() -> list[Path]:
    return sorted(
        case for case in ROOT.glob("*/*") if case.is_dir() and any(case.glob("input.*"))
    )


CASES = _cases()


def _input(case: Path) -> Path:
    return next(case.glob("input.*"))


def _run(case: Path, data: bytes):
    path, options = case_options(case, _input(case).name)
    return migrate_source(data, path, options)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture(case: Path) -> None:
    source = _input(case)
    data = source.read_bytes()
    result = _run(case, data)
    expected_files = list(case.glob("expected.*"))
    report_file = case / "expected-report.json"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    if "status" in report:
        assert result.status == report["status"], result.reason
        assert result.reason.startswith(report.get("reason", "")), result.reason
    else:
        assert result.status in ("changed", "unchanged"), result.reason
    output = result.output if result.output is not None else data
    if expected_files:
        assert output == expected_files[0].read_bytes()
    else:
        assert output == data, "a must-not-change case was changed"
    if "findings" in report:
        got = [[f.line, f.rule, f.caveat, f.severity] for f in result.findings]
        assert got == report["findings"]
    if "changes" in report:
        assert [[c.line, c.rule] for c in result.changes] == report["changes"]
    _assert_caveats_declared(result.findings)
    if result.status == "changed":
        again = _run(case, output)
        assert again.status == "unchanged", "a second run changed the output again"


def _assert_caveats_declared(findings: tuple[Finding, ...]) -> None:
    """A rule raises only caveats its TOML declares: `explain`, docs/rules.md and SARIF read the
    declaration, so a caveat raised but not declared is one a reader of the docs never sees."""
    rules = load_catalogue().rules
    undeclared = sorted({(f.rule, f.caveat) for f in findings if f.caveat and f.rule in rules
                         and f.caveat not in rules[f.rule].caveats})
    assert not undeclared, f"caveats raised but not declared in the rule's TOML: {undeclared}"


def test_every_rule_has_a_fixture() -> None:
    """Each rule id is named by at least one fixture's expected report or case folder: a file
    case's, or a project case's (JS-ORDER is said only once a whole project is migrated)."""

    seen: set[str] = set()
    for case in CASES:
        report_file = case / "expected-report.json"
        if report_file.exists():
            data = json.loads(report_file.read_text())
            seen.update(row[1] for row in data.get("findings", []) + data.get("changes", []))
    for report_file in (ROOT / "projects").glob("*/expected-report.json"):
        for data in json.loads(report_file.read_text())["files"].values():
            seen.update(row[1] for row in data["findings"] + data["changes"])
    missing = sorted(set(load_catalogue().rules) - seen)
    assert not missing, f"rules without a fixture: {missing}"


def test_every_caveat_has_a_fixture() -> None:

    seen: set[str] = set()
    for case in CASES:
        report_file = case / "expected-report.json"
        if report_file.exists():
            data = json.loads(report_file.read_text())
            seen.update(row[2] for row in data.get("findings", []) if row[2])
            seen.update(data.get("caveats", []))
    site_caveats = {c.id for c in load_catalogue().caveats.values() if c.scope == "site"}
    missing = sorted(site_caveats - seen)
    assert not missing, f"caveats without a fixture: {missing}"
