"""React Native differential tests: the legacy `@amplitude/react-native` SDK and Expo's
`expo-analytics-amplitude` against their migration to mixpanel-react-native in its JavaScript
mode (legacy-sdks §9).

The original SDKs are native: their JavaScript layers run for real over a recording native
module, and what the native SDK sends for each call is modelled from the spec's mapping
(`rnrun.py`). The migrated code runs unchanged on mixpanel-react-native 3.8.0, whose posted
batches are captured. Both send from queues, so records carry no call-site lines and the
scenarios declare no differences: everything must match, apart from Mixpanel's own `$identify`
event, which the tool must have reported (ID002) at the setUserId it came from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod.engine import migrate_source
from codemod.options import Options
from rnrun import rn_amplitude, rn_mixpanel

from jsrun import plain

SCENARIOS = sorted((Path(__file__).parent / "rn_scenarios").glob("*.js"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_migrated_react_native_code_sends_the_same_data(path: Path, js_sdks: Path,
                                                         tmp_path: Path) -> None:
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    migrated = result.output.decode()
    assert "require('@amplitude/" not in migrated and "expo-analytics-amplitude" not in migrated
    target = tmp_path / path.name
    target.write_text(migrated)
    after, merges = rn_mixpanel(target)
    identified = [line for line, text in enumerate(path.read_text().splitlines(), start=1)
                  if "setUserId" in text]
    assert merges and len(merges) == len(identified)
    for line in identified:
        assert (line, "ID002") in {(f.line, f.caveat) for f in result.findings}, line
    assert plain(after) == plain(rn_amplitude(path)), migrated


# The LR and EX rows classed safe or review whose data the harness can compare (legacy-sdks
# §2.3, §3.2): each must run in a scenario.
RN_ROWS = {"LR01", "LR03", "LR04", "LR05", "LR06", "LR07", "LR12", "LR13", "LR16", "LR19",
           "LR21", "LR25", "LR26",
           "EX01", "EX02", "EX03", "EX04", "EX05", "EX07", "EX09", "EX13"}


def test_the_rows_run_in_a_scenario() -> None:
    exercised: set[str] = set()
    for path in SCENARIOS:
        result = migrate_source(path.read_bytes(), path.name, Options())
        exercised |= {c.rule for c in result.changes} | {f.rule for f in result.findings}
    assert RN_ROWS - exercised == set()
