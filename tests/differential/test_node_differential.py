"""Node differential tests: `@amplitude/analytics-node`, legacy `@amplitude/node` and community
`amplitude` scenarios against their migration to the `mixpanel` npm package, both captured
through the SDKs' own hooks or endpoints (spec §6).

Mixpanel Node sends synchronously, so its requests carry the scenario line; Amplitude's do not
(it dispatches from timers). A line ending in `// differs: IDnnn` is a documented difference:
the tool must report IDnnn there and Mixpanel's data from that line must differ from what
Amplitude sent for it (matched by event name / profile operator); everything else must match.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod.engine import language_of, migrate_source
from codemod.options import Options

from jsrun import assert_equivalent, declared_differences, declared_drops, node_amplitude, node_mixpanel

SCENARIOS = sorted((Path(__file__).parent / "node_scenarios").glob("*.js"))


def test_the_engine_migrates_javascript() -> None:
    assert language_of("x.js") == "javascript"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_migrated_node_sends_the_same_data(path: Path, js_sdks: Path, tmp_path: Path) -> None:
    source = path.read_text()
    declared = declared_differences(source)
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    migrated = result.output.decode()
    assert "@amplitude/" not in migrated, migrated
    findings = {(f.line, f.caveat) for f in result.findings}
    for caveat, line in declared.values():
        assert (line, caveat) in findings, f"line {line}: {caveat} not reported; got {sorted(findings)}"
    target = tmp_path / path.name
    target.write_text(migrated)
    assert_equivalent(node_amplitude(path), node_mixpanel(target, source, result.changes), declared, migrated,
                      declared_drops(source))


# Spec §3.3 rows classed safe or review: each must be exercised by a scenario that runs; and
# the legacy Node SDK's and the community package's rows the tool rewrites (legacy-sdks §1.3, §4.2).
NODE_ROWS = {"AN01", "AN02", "AN03", "AN04", "AN06", "AN07", "AN08", "AN09", "AN10", "AN13", "AN14",
             "LN01", "LN02", "LN03", "LN04", "LN05", "LN09", "LN10", "LN13", "LN14",
             "NA01", "NA02", "NA04", "NA05", "NA07", "NA10", "NA12"}


def test_every_safe_and_review_node_row_runs_in_a_scenario() -> None:
    exercised: set[str] = set()
    for path in SCENARIOS:
        result = migrate_source(path.read_bytes(), path.name, Options())
        exercised |= {c.rule for c in result.changes} | {f.rule for f in result.findings}
    assert NODE_ROWS - exercised == set()
