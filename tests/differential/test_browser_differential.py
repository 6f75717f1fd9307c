"""Browser differential tests under jsdom: `amplitude-js` 8 and `@amplitude/analytics-browser` 2
scenarios against their migration to `mixpanel-browser` (issue 6).

Both sides run in one jsdom page each (`js/run-browser.js`). Device ids are random on both sides
and compared by order of appearance; defaults the SDKs add about the page/runtime (ID025) are
left out (see `jsrun`). A line ending in `// differs: IDnnn` sends data the spec documents as
different (for example mixpanel-browser's own `$identify` event, ID002): the tool must report
IDnnn on that line (or on the line named by `raised at line N`, the call that caused it, such
as the reset behind ID003), Mixpanel must send something from the marked line, and everything
else must match.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codemod.engine import migrate_source
from codemod.options import Options

from canonical import Record, canonical_order
from jsrun import browser_amplitude, browser_mixpanel

SCENARIOS = sorted((Path(__file__).parent / "browser_scenarios").glob("*.js"))
IDENTITY = {"$device_id", "$user_id"}
DIFFERS = re.compile(r"//\s*differs:\s*(ID\d{3})(?:\s+raised at line (\d+))?\s*$")


def _declared(source: str) -> dict[int, tuple[str, int]]:
    """Marker line -> (caveat, line the tool must report it on: the marker's, or the cause's)."""
    return {
        number: (match[1], int(match[2] or number))
        for number, line in enumerate(source.splitlines(), start=1)
        if (match := DIFFERS.search(line))
    }


def _plain(records: list[Record]) -> list[tuple]:
    """Canonical order without call-site runs: Amplitude's browser records carry no lines."""
    unplaced = [Record(r.kind, r.target, r.op, r.payload) for r in records]
    return [r.as_tuple() for r in canonical_order(unplaced)]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_migrated_browser_code_sends_the_same_data(path: Path, js_sdks: Path, tmp_path: Path) -> None:
    source = path.read_text()
    declared = _declared(source)
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    migrated = result.output.decode()
    assert "amplitude" not in re.sub(r"//.*", "", migrated).lower(), migrated
    findings = {(f.line, f.caveat) for f in result.findings}
    for caveat, line in declared.values():
        assert (line, caveat) in findings, f"line {line}: {caveat} not reported; got {sorted(findings)}"
    target = tmp_path / path.name
    target.write_text(migrated)
    original = browser_amplitude(path)
    after = browser_mixpanel(target, source, result.changes)
    assert original, "the original scenario sent nothing"
    tolerated = [r for r in after if r.lines & set(declared)]
    for line in declared:
        assert [r for r in tolerated if line in r.lines], f"line {line}: declared difference did not occur"
    counterparts = _counterparts(original, tolerated)
    if declared:
        assert _plain(counterparts) != _plain(tolerated), "declared differences are in fact equal"
    kept_before = [r for r in original if not any(r is c for c in counterparts)]
    kept_after = [r for r in after if not r.lines & set(declared)]
    assert _plain(kept_after) == _plain(kept_before), f"migrated source:\n{migrated}"


def _counterparts(original: list[Record], tolerated: list[Record]) -> list[Record]:
    """The Amplitude records that the tolerated Mixpanel records stand for, since Amplitude's
    browser records carry no lines: same kind and event name (or profile target), preferring
    the one whose properties match apart from identity, each used once."""
    chosen: list[Record] = []

    def free(candidate: Record) -> bool:
        return not any(candidate is c for c in chosen)

    def key(record: Record) -> tuple:
        return (record.kind, record.target[0] if record.kind == "event" else record.op)

    def body(record: Record) -> object:
        if not isinstance(record.payload, dict):
            return record.payload
        return {k: v for k, v in record.payload.items() if k not in IDENTITY}

    for record in tolerated:
        same = [c for c in original if key(c) == key(record) and free(c)]
        exact = [c for c in same if body(c) == body(record)]
        if exact or same:
            chosen.append((exact or same)[0])
    return chosen
