"""On the wire: code posting to Amplitude's HTTP APIs, before and after the rewrite.

Each scenario in `http_scenarios/` (Python) and `http_node_scenarios/` (Node) runs as written
against the local stand-in for Amplitude, then as the tool migrated it against the stand-in
for Mixpanel (see `httpwire.py`), through its own HTTP library (`requests`, `httpx` sync and
async, `aiohttp`, `urllib.request`; Node's `fetch`, `axios`). The
Mixpanel requests must be exactly what spec §5 maps the Amplitude requests to: endpoint and
query, method, authentication, content type, and every record and profile field.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codemod.engine import migrate_source

from httpwire import (
    MIXPANEL_TOKEN,
    Server,
    basic,
    expected_requests,
    make_certificate,
    run_scenario,
)

HERE = Path(__file__).resolve().parent
SCENARIOS = sorted(
    [f"http_scenarios/{p.stem}" for p in (HERE / "http_scenarios").glob("*.py")
     if p.stem != "wire_settings"]
    + [f"http_node_scenarios/{p.name}" for p in (HERE / "http_node_scenarios").glob("*.js")]
)


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    if shutil.which("openssl") is None:
        pytest.fail("the wire tests make their certificate with openssl")
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"))
    server = Server(cert, key)
    yield server, cert
    server.close()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_mixpanel_receives_what_spec_5_maps_amplitude_requests_to(
    scenario: str, wire: tuple[Server, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server, cert = wire
    folder, name = scenario.split("/")
    node = name.endswith(".js")
    if node:
        request.getfixturevalue("js_sdks")  # the pinned npm packages, installed once
    source_file = HERE / folder / (name if node else f"{name}.py")
    sent = run_scenario(HERE / folder, name, server, cert)
    assert sent and all(r.host.endswith("amplitude.com") and r.method == "POST" for r in sent)

    result = migrate_source(source_file.read_bytes(), source_file.name)
    assert result.status == "changed", result.reason
    assert result.output is not None
    (tmp_path / source_file.name).write_bytes(result.output)
    if not node:
        shutil.copy(HERE / folder / "wire_settings.py", tmp_path / "wire_settings.py")
    started = int(time.time() * 1000)
    received = run_scenario(tmp_path, name, server, cert)
    finished = int(time.time() * 1000)

    assert all(r.host.endswith("mixpanel.com") and r.method == "POST" for r in received)
    expected = expected_requests(sent, received)
    assert [(r.host, r.path) for r in received] == [(h, p) for h, p, _ in expected]
    for got, (_, path, body) in zip(received, expected, strict=True):
        assert got.headers["content-type"].startswith("application/json")
        assert got.json() == body
        if path == "/import":
            assert got.query == {"strict": ["1"]}
            assert got.headers["authorization"] == basic(MIXPANEL_TOKEN)
            assert isinstance(body, list)
            for record in body:
                when = record["properties"]["time"]
                assert when < 1800000000000 or started <= when <= finished
        else:
            assert got.query == {}
            assert "authorization" not in got.headers
