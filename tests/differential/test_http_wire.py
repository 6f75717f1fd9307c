"""On the wire: Python code posting to Amplitude's HTTP APIs, before and after the rewrite.

Each scenario in `http_scenarios/` runs as written against the local stand-in for Amplitude,
then as the tool migrated it against the stand-in for Mixpanel (see `httpwire.py`), through
its own HTTP library (`requests`, `httpx` sync and async, `aiohttp`, `urllib.request`). The
Mixpanel requests must be exactly what spec §5 maps the Amplitude requests to: endpoint and
query, method, authentication, content type, and every record and profile field.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codemod.engine import migrate_source

from httpwire import (
    AMPLITUDE_KEY,
    MIXPANEL_TOKEN,
    Request,
    Server,
    basic,
    expected_event,
    expected_groups,
    expected_profiles,
    make_certificate,
    run_scenario,
)

HERE = Path(__file__).resolve().parent / "http_scenarios"
SCENARIOS = sorted(p.stem for p in HERE.glob("*.py") if p.stem != "wire_settings")


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    if shutil.which("openssl") is None:
        pytest.fail("the wire tests make their certificate with openssl")
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"))
    server = Server(cert, key)
    yield server, cert
    server.close()


def _mixpanel_host(amplitude_host: str) -> str:
    return "api-eu.mixpanel.com" if ".eu." in amplitude_host else "api.mixpanel.com"


def _expected(sent: list[Request], received: list[Request]) -> list[tuple[str, str, object]]:
    """(host, path, JSON body) Mixpanel must receive, in order, for what Amplitude received;
    times Amplitude left to the request come from what Mixpanel received."""
    imported = [r.json() for r in received if r.path == "/import"]
    times = [rec["properties"]["time"] for body in imported for rec in body]
    out: list[tuple[str, str, object]] = []
    for request in sent:
        host = _mixpanel_host(request.host)
        body = request.json()
        assert body["api_key"] == AMPLITUDE_KEY
        if request.path in ("/2/httpapi", "/batch"):
            events = body["events"]
            profiles = [m for e in events if e.get("event_type") != "$groupidentify"
                        for m in expected_profiles(e, MIXPANEL_TOKEN)]
            if profiles:
                out.append((host, "/engage", profiles))
            records = []
            for event in (e for e in events if e["event_type"] != "$identify"):
                sent_time = None if "time" in event else times[len(records)]
                records.append(expected_event(event, sent_time))
            out.append((host, "/import", records))
        elif request.path == "/identify":
            items = json.loads(body["identification"])
            items = [items] if isinstance(items, dict) else items
            out.append((host, "/engage", [m for i in items
                                          for m in expected_profiles(i, MIXPANEL_TOKEN)]))
        elif request.path == "/groupidentify":
            items = json.loads(body["identification"])
            out.append((host, "/groups", [m for i in items
                                          for m in expected_groups(i, MIXPANEL_TOKEN)]))
        else:
            raise AssertionError(f"unexpected Amplitude request {request.path}")
    return out


@pytest.mark.parametrize("name", SCENARIOS)
def test_mixpanel_receives_what_spec_5_maps_amplitude_requests_to(
    name: str, wire: tuple[Server, Path], tmp_path: Path
) -> None:
    server, cert = wire
    sent = run_scenario(HERE, name, server, cert)
    assert sent and all(r.host.endswith("amplitude.com") and r.method == "POST" for r in sent)

    source = (HERE / f"{name}.py").read_bytes()
    result = migrate_source(source, f"{name}.py")
    assert result.status == "changed", result.reason
    assert result.output is not None
    (tmp_path / f"{name}.py").write_bytes(result.output)
    shutil.copy(HERE / "wire_settings.py", tmp_path / "wire_settings.py")
    started = int(time.time() * 1000)
    received = run_scenario(tmp_path, name, server, cert)
    finished = int(time.time() * 1000)

    assert all(r.host.endswith("mixpanel.com") and r.method == "POST" for r in received)
    expected = _expected(sent, received)
    assert [(r.host, r.path) for r in received] == [(h, p) for h, p, _ in expected]
    for request, (_, path, body) in zip(received, expected, strict=True):
        assert request.headers["content-type"].startswith("application/json")
        assert request.json() == body
        if path == "/import":
            assert request.query == {"strict": ["1"]}
            assert request.headers["authorization"] == basic(MIXPANEL_TOKEN)
            assert isinstance(body, list)
            for record in body:
                when = record["properties"]["time"]
                assert when < 1800000000000 or started <= when <= finished
        else:
            assert request.query == {}
            assert "authorization" not in request.headers
