"""Node differential tests: `@amplitude/analytics-node` scenarios against their migration to
the `mixpanel` npm package, both captured through the SDKs' own hooks (spec §6).

Node records carry no call-site lines (Amplitude dispatches through timers, so the stack does
not reach the scenario), so a Node scenario must match exactly: documented differences are
exercised by the Python suite, which can place them on a line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod.engine import language_of, migrate_source
from codemod.options import Options

from canonical import canonical_order
from jsrun import node_amplitude, node_mixpanel

SCENARIOS = sorted((Path(__file__).parent / "node_scenarios").glob("*.js"))


def test_the_engine_migrates_javascript() -> None:
    assert language_of("x.js") == "javascript"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_migrated_node_sends_the_same_data(path: Path, js_sdks: Path, tmp_path: Path) -> None:
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    migrated = result.output.decode()
    assert "@amplitude/" not in migrated, migrated
    target = tmp_path / path.name
    target.write_text(migrated)
    original = [r.as_tuple() for r in canonical_order(node_amplitude(path))]
    after = [r.as_tuple() for r in canonical_order(node_mixpanel(target))]
    assert original, "the original scenario sent nothing"
    assert after == original, f"migrated source:\n{migrated}"
