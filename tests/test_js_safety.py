"""Property tests of the JS safety guarantees on mutated fixture inputs.

Dropping lines of real inputs yields files that lose imports, declarations or brackets.
For every one the engine must not fail internally: either it reports a syntax error, or
its output re-parses and a second run is a no-op (the engine's gate checks both, and
reports `rewrite-*` errors when they do not hold).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.engine import migrate_source

INPUTS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "js").glob("*/input.*"))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    source = draw(st.sampled_from(INPUTS))
    lines = source.read_bytes().splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        del lines[draw(st.integers(0, len(lines) - 1))]
    return source.name, b"".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_inputs_never_fail_the_gate(case: tuple[str, bytes]) -> None:
    name, data = case
    result = migrate_source(data, name)
    if result.status == "error":
        assert result.reason.startswith("syntax-error"), result.reason
    if result.status == "changed":
        assert migrate_source(result.output, name).status == "unchanged"


def test_files_without_amplitude_come_back_unchanged() -> None:
    data = b"import mixpanel from 'mixpanel-browser';\nmixpanel.track('x');\n"
    assert migrate_source(data, "a.js").status == "unchanged"
