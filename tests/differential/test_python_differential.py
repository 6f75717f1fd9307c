"""Python differential tests: the original scenario on `amplitude-analytics`, the tool's rewrite
of the same file on `mixpanel`, compared after the spec's field mapping (issue 6).

A difference is either a rule bug (the test fails) or a caveat the scenario declares on the
line with `# differs: IDnnn`; then the tool's report must carry IDnnn on that line, and the
difference must really occur (a stale declaration fails too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod.engine import migrate_source
from codemod.options import Options

from canonical import compare
from pyrun import load_scenario, run_amplitude, run_mixpanel

SCENARIOS = sorted((Path(__file__).parent / "python_scenarios").glob("*.py"))


def _param(path: Path) -> object:
    bug = load_scenario(path).bug
    marks = [pytest.mark.xfail(strict=True, reason=f"rule bug: {bug}")] if bug else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in SCENARIOS])
def test_migrated_python_sends_the_same_data(path: Path) -> None:
    scenario = load_scenario(path)
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    migrated = result.output.decode()
    findings = {(f.line, f.caveat) for f in result.findings}
    for line, caveat in scenario.differs.items():
        assert (line, caveat) in findings, f"line {line}: {caveat} not reported; got {sorted(findings)}"
    if scenario.manual:
        _assert_left_for_a_human(scenario.source, migrated, scenario.manual, result.findings)
        return
    assert "import amplitude" not in migrated and "from amplitude" not in migrated, migrated
    original = run_amplitude(scenario)
    run = run_mixpanel(scenario, migrated, result.changes)
    verdict = compare(original.records, run.records, scenario.differs)
    assert run.hosts == original.mixpanel_hosts
    assert verdict.mixpanel == verdict.amplitude, f"migrated source:\n{migrated}"
    for line, (sent_before, sent_after) in verdict.sites.items():
        assert sent_before != sent_after, (
            f"line {line} declares {scenario.differs[line]} but both SDKs sent {sent_before}"
        )


def _assert_left_for_a_human(source: str, migrated: str, lines: list[int], findings: tuple) -> None:
    """A `# manual` line is kept as code and reported as manual on that line."""
    manual_lines = {f.line for f in findings if f.severity == "manual"}
    kept = [line.split("#")[0].strip() for line in migrated.splitlines()]
    for number in lines:
        code = source.splitlines()[number - 1].split("#")[0].strip()
        assert code in kept, f"line {number} ({code}) was rewritten:\n{migrated}"
        assert number in manual_lines, f"line {number}: no manual finding; got {sorted(manual_lines)}"


# Spec §3.5 rows classed safe or review: each must be rewritten in a scenario that runs.
PYTHON_ROWS = {f"AP{n:02d}" for n in (*range(1, 7), *range(8, 16))}


def test_every_safe_and_review_python_row_runs_in_a_scenario() -> None:
    exercised: set[str] = set()
    for path in SCENARIOS:
        scenario = load_scenario(path)
        if scenario.manual or scenario.bug:
            continue
        result = migrate_source(path.read_bytes(), path.name, Options())
        exercised |= {change.rule for change in result.changes}
    assert PYTHON_ROWS - exercised == set()
