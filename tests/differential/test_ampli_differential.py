"""Ampli wrappers (issue 17): a generated wrapper and the application calling it, run as they
are against the real Amplitude SDK and, as the tool migrates them, against the real Mixpanel
SDK, compared as the browser and Node suites compare (`jsrun`).

Each scenario is one file: the wrapper in the generator's shape, then the application, which
only calls the typed API (`ampli.load`, `identify`, two events, `setGroup`, `flush`) and is the
same before and after. `// differs: IDnnn raised at line N` marks a call whose data is
documented to differ, N being the wrapper method that raises it.

The hand-edited wrapper is not migrated as a wrapper (AX02): the normal rules leave its
plumbing on Amplitude, so the migrated file still sends what the original sent, nothing lost.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codemod.engine import migrate_source
from codemod.options import Options

from jsrun import (
    assert_equivalent,
    browser_amplitude,
    browser_mixpanel,
    declared_differences,
    declared_drops,
    node_amplitude,
    node_mixpanel,
    plain,
)

HERE = Path(__file__).parent / "ampli_scenarios"
RUNNERS = {
    "browser_v2_wrapper.js": (browser_amplitude, browser_mixpanel),
    "node_v2_wrapper.js": (node_amplitude, node_mixpanel),
}
_AMPLITUDE_IMPORT = re.compile(r"""(?:from|require\()\s*['"](?:@amplitude/|amplitude-js)""")


@pytest.mark.parametrize("name", sorted(RUNNERS))
def test_migrated_wrapper_sends_what_the_original_sent(name: str, js_sdks: Path, tmp_path: Path) -> None:
    path = HERE / name
    source = path.read_text()
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    migrated = result.output.decode()
    assert not _AMPLITUDE_IMPORT.search(migrated), migrated
    rules = {f.rule for f in result.findings} | {c.rule for c in result.changes}
    assert {"AX01", "AX03", "AX04", "AX05", "AX06", "AX07", "AX08"} <= rules, sorted(rules)
    application = source[source.index("// The application"):]
    assert migrated.endswith(application), "the application code was changed"
    declared = declared_differences(source)
    findings = {(f.line, f.caveat) for f in result.findings}
    for caveat, line in declared.values():
        assert (line, caveat) in findings, f"line {line}: {caveat} not reported; got {sorted(findings)}"
    target = tmp_path / path.name
    target.write_text(migrated)
    original, run_mixpanel = RUNNERS[name]
    assert_equivalent(original(path), run_mixpanel(target, source, result.changes), declared,
                      migrated, declared_drops(source))


def test_a_hand_edited_wrapper_is_reported_and_loses_nothing(js_sdks: Path, tmp_path: Path) -> None:
    path = HERE / "node_v2_hand_edited.js"
    result = migrate_source(path.read_bytes(), path.name, Options())
    reasons = [f.message for f in result.findings if f.rule == "AX02"]
    assert reasons and "track()" in reasons[0], [f.message for f in result.findings]
    assert not {"AX01", "AX03", "AX06"} & {c.rule for c in result.changes}
    migrated = result.output.decode() if result.output is not None else path.read_text()
    target = tmp_path / path.name
    target.write_text(migrated)
    before = node_amplitude(path)
    assert before, "the original scenario sent nothing"
    assert plain(node_amplitude(target)) == plain(before)
