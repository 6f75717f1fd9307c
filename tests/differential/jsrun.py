"""Drive the JavaScript differential runners (`js/run-*.js`) from pytest.

The pinned SDKs live in `js/node_modules`, installed from `js/package-lock.json` once per test
session by `npmkit.npm_ci` (tests/npmkit.py). Scenario and migrated files
resolve the SDKs through NODE_PATH, so the runner and the scenario share one module instance.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from npmkit import npm_ci

from canonical import AUTO, Record, Window, amplitude_records, canonical_order, mixpanel_records

JS = Path(__file__).resolve().parent / "js"
NODE_MODULES = JS / "node_modules"


def install_sdks() -> Path:
    """`npm ci` the pinned SDKs unless this lock file is already installed."""
    return npm_ci(JS)


def run_node(runner: str, mode: str, file: Path) -> tuple[list[Any], Window]:
    """Run `js/<runner>` on one file; the captured JSON and the wall-clock window it ran in."""
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES), "MIXPANEL_TOKEN": "TEST_TOKEN"}
    start = time.time()
    done = subprocess.run(
        ["node", str(JS / runner), mode, str(file)], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )
    window = Window(start, time.time())
    assert done.returncode == 0, f"{runner} {mode} {file.name} failed:\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1]), window


def node_amplitude(file: Path) -> list[Record]:
    events, window = run_node("run-node.js", "amplitude", file)
    return [record for event in events for record in amplitude_records(event, window)]


def node_mixpanel(file: Path, original: str, changes: tuple[Any, ...]) -> list[Record]:
    """The Mixpanel Node requests, canonical, each tagged with the original scenario lines."""
    from pyrun import line_map

    sent, window = run_node("run-node.js", "mixpanel", file)
    mapping = line_map(original, file.read_text(), changes)
    return [
        record for item in sent
        for record in mixpanel_records(
            item["endpoint"], item["data"], window, mapping.get(item["line"], frozenset())
        )
    ]


# Fields the browser SDKs fill in by themselves (ID017 sessions, ID024/ID025 defaults): they
# describe the page/runtime, not what the scenario asked to send, and have no Mixpanel rewrite.
AMPLITUDE_BROWSER_DEFAULTS = {
    "session_id", "platform", "language", "ip", "user_agent", "library", "event_id", "partner_id",
    "plan", "os_name", "os_version", "device_model", "device_manufacturer", "device_brand",
    "carrier", "uuid", "sequence_number", "amplitude_id", "version_name", "api_properties",
    "country", "city", "region", "dma", "ingestion_metadata", "extra",
}
# Page URL enrichment (on unless `autocapture` turns it off) describes the page as
# mixpanel-browser's `$current_url` does, which is left out too.
AMPLITUDE_PAGE_PROPERTIES = ("[Amplitude] Page ", "[Amplitude] Previous Page ")
MIXPANEL_BROWSER_DEFAULTS = {
    "$browser", "$browser_version", "$current_url", "$screen_height", "$screen_width", "mp_lib",
    "$lib_version", "$initial_referrer", "$initial_referring_domain", "$referrer",
    "$referring_domain", "$os", "$device", "$search_engine", "mp_keyword",
    "mp_sent_by_lib_version", "$had_persisted_distinct_id", "$mp_api_timestamp_ms",
}
MIXPANEL_BROWSER_INSERT_ID = re.compile(r"^[0-9a-z]{16}$")


def _form_field(body: str, name: str) -> str:
    return urllib.parse.parse_qs(body, keep_blank_values=True).get(name, [""])[0]


def _mixpanel_payload(body: str) -> Any:
    """mixpanel-browser bodies are `data=<json>` or `data=<base64 json>` (api_payload_format)."""
    data = _form_field(body, "data")
    try:
        return json.loads(data)
    except ValueError:
        return json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))


def _anonymise_devices(records: list[Record]) -> list[Record]:
    """Random device ids become `device#n` by first appearance (a reset makes a new one)."""
    names: dict[str, str] = {}

    def name(device: str) -> str:
        return names.setdefault(device, f"device#{len(names) + 1}")

    out = []
    for record in records:
        target = tuple(
            f"$device:{name(t[len('$device:'):])}" if isinstance(t, str) and t.startswith("$device:") else t
            for t in record.target
        )
        payload = record.payload
        if isinstance(payload, dict) and isinstance(payload.get("$device_id"), str):
            payload = {**payload, "$device_id": name(payload["$device_id"])}
        out.append(Record(record.kind, target, record.op, payload, record.lines))
    return out


def browser_amplitude(file: Path) -> list[Record]:
    """Both Amplitude browser SDKs' events, canonical (no call-site lines: they send on timers)."""
    captured, window = run_node("run-browser.js", "amplitude", file)
    bodies = list(captured["events"])
    for request in captured["requests"]:  # amplitude-js uploads: form field `e`
        bodies.extend(json.loads(_form_field(request["body"], "e") or "[]"))
    records = []
    for body in bodies:
        special = body.get("api_properties") or {}
        if special.get("special") == "revenue_amount":  # amplitude-js logRevenue (v1 revenue)
            body["event_properties"] = {
                **(body.get("event_properties") or {}),
                **{f"${k}": special[k] for k in ("price", "quantity", "productId") if k in special},
            }
        body = {k: v for k, v in body.items() if k not in AMPLITUDE_BROWSER_DEFAULTS}
        if isinstance(body.get("event_properties"), dict):  # page URL enrichment (ID025)
            body["event_properties"] = {k: v for k, v in body["event_properties"].items()
                                        if not k.startswith(AMPLITUDE_PAGE_PROPERTIES)}
        if "timestamp" in body:  # amplitude-js's name for `time`
            body["time"] = body.pop("timestamp")
        records.extend(amplitude_records(body, window))
    return _anonymise_devices(records)


def browser_mixpanel(file: Path, original: str, changes: tuple[Any, ...]) -> list[Record]:
    """mixpanel-browser's requests, canonical, each tagged with the original scenario lines."""
    from pyrun import line_map  # the same line mapping as the Python suite

    captured, window = run_node("run-browser.js", "mixpanel", file)
    mapping = line_map(original, file.read_text(), changes)
    records = []
    for request in captured["requests"]:
        endpoint = "/" + urllib.parse.urlparse(request["url"]).path.strip("/").split("/")[-1]
        payload = _mixpanel_payload(request["body"])
        lines = mapping.get(request["line"], frozenset())
        for message in payload if isinstance(payload, list) else [payload]:
            for record in mixpanel_records(endpoint, message, window, lines):
                if isinstance(record.payload, dict):
                    trimmed = {k: v for k, v in record.payload.items() if k not in MIXPANEL_BROWSER_DEFAULTS}
                    if record.kind == "event" and MIXPANEL_BROWSER_INSERT_ID.match(
                        str(trimmed.get("$insert_id"))
                    ):
                        trimmed["$insert_id"] = AUTO
                    if not trimmed:
                        continue
                    record = Record(record.kind, record.target, record.op, trimmed, lines)
                records.append(record)
    return _anonymise_devices(records)


IDENTITY = {"$device_id", "$user_id"}
DIFFERS = re.compile(
    r"//\s*differs:\s*(ID\d{3})(?:\s+raised at line (\d+))?(?:\s+drops (\S+))?\s*$"
)


def declared_differences(source: str) -> dict[int, tuple[str, int]]:
    """`// differs: IDnnn [raised at line N] [drops OP]` markers: line -> (caveat, reported line)."""
    return {
        number: (match[1], int(match[2] or number))
        for number, line in enumerate(source.splitlines(), start=1)
        if (match := DIFFERS.search(line))
    }


def declared_drops(source: str) -> dict[int, str]:
    """Marker line -> the operator Mixpanel silently does not send for it (`drops $remove`)."""
    return {
        number: match[3]
        for number, line in enumerate(source.splitlines(), start=1)
        if (match := DIFFERS.search(line)) and match[3]
    }


def plain(records: list[Record]) -> list[tuple[Any, ...]]:
    """Canonical order without call-site runs: Amplitude's JS records carry no lines."""
    unplaced = [Record(r.kind, r.target, r.op, r.payload) for r in records]
    return [r.as_tuple() for r in canonical_order(unplaced)]


def counterparts(original: list[Record], tolerated: list[Record]) -> list[Record]:
    """The Amplitude records that tolerated Mixpanel records stand for (Amplitude's JS SDKs
    send from timers, so their records carry no lines): same kind and event name (or profile
    operator), preferring equal properties apart from identity, each used once."""
    chosen: list[Record] = []

    def key(record: Record) -> tuple[Any, ...]:
        return (record.kind, record.target[0] if record.kind == "event" else record.op)

    def body(record: Record) -> Any:
        if not isinstance(record.payload, dict):
            return record.payload
        return {k: v for k, v in record.payload.items() if k not in IDENTITY}

    for record in tolerated:
        same = [c for c in original if key(c) == key(record) and not any(c is x for x in chosen)]
        exact = [c for c in same if body(c) == body(record)]
        if exact or same:
            chosen.append((exact or same)[0])
    return chosen


def assert_equivalent(
    original: list[Record], after: list[Record], declared: dict[int, tuple[str, int]], migrated: str,
    drops: dict[int, str] | None = None,
) -> None:
    """Equal outside the declared lines; at each declared line Mixpanel sent something that
    differs from what Amplitude sent for it, or (`drops OP`) sent nothing where Amplitude sent
    an OP operation: exactly one such Amplitude record per dropping line is set aside."""
    assert original, "the original scenario sent nothing"
    drops = drops or {}
    tolerated = [r for r in after if r.lines & set(declared)]
    for line in declared:
        if line in drops:
            assert not [r for r in tolerated if line in r.lines], f"line {line}: Mixpanel did send"
            continue
        assert [r for r in tolerated if line in r.lines], f"line {line}: declared difference did not occur"
    def key(item: tuple[Any, ...]) -> str:  # payloads are dicts: count by a JSON spelling
        return json.dumps(item, sort_keys=True, default=str)

    kept_counts = Counter(key(t) for t in plain([r for r in after if not r.lines & set(declared)]))
    dropped: list[Record] = []
    for op in drops.values():
        remaining = Counter(key(r.as_tuple()) for r in original if not any(r is d for d in dropped))
        missing = [
            r for r in original
            if r.op == op and not any(r is d for d in dropped)
            and remaining[key(r.as_tuple())] > kept_counts[key(r.as_tuple())]
        ]
        assert missing, f"no Amplitude {op} operation is missing from what Mixpanel sent"
        dropped.append(missing[0])
    original = [r for r in original if not any(r is d for d in dropped)]
    standing_for = counterparts(original, tolerated)
    if set(declared) - set(drops):
        assert plain(standing_for) != plain(tolerated), "declared differences are in fact equal"
    kept_before = [r for r in original if not any(r is c for c in standing_for)]
    kept_after = [r for r in after if not r.lines & set(declared)]
    assert plain(kept_after) == plain(kept_before), f"migrated source:\n{migrated}"
