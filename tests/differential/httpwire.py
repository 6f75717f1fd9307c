"""Wire-level differential runs of Python code that talks to Amplitude's HTTP APIs.

One HTTPS server on 127.0.0.1 stands in for every host (Amplitude's and Mixpanel's): its
certificate, made for the run by `openssl`, names them all, and the code under test reaches
it through its own HTTP library, unchanged: in the child process that runs a scenario,
`socket.getaddrinfo` answers the known host names with 127.0.0.1 (any other name fails, so
nothing leaves the machine), a socket's connection to 127.0.0.1:443 goes to the server's
port, and the library trusts the run's certificate
(`SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`). The server records each request (host, method,
path, query, headers, body) and answers 200 with a small JSON body.

`expected_mixpanel` is the oracle: spec §5.1–§5.4 written out again, independently of the
converter the tool adds, from the Amplitude requests the original code sent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import ssl
import subprocess
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOSTS = ("api2.amplitude.com", "api.amplitude.com", "api.eu.amplitude.com",
         "api.mixpanel.com", "api-eu.mixpanel.com")
AMPLITUDE_KEY = "amp-key-0001"
MIXPANEL_TOKEN = "mp-token-0001"


@dataclass(frozen=True)
class Request:
    host: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        if self.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return {k: v[0] for k, v in urllib.parse.parse_qs(self.body.decode()).items()}
        return json.loads(self.body)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for every stand-in host; (certificate, key)."""
    cert, key = folder / "wire.pem", folder / "wire.key"
    names = ",".join(f"DNS:{host}" for host in HOSTS)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=wire test",
         "-addext", f"subjectAltName={names}", "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True,
    )
    return cert, key


class Server:
    """The local HTTPS stand-in; `requests` holds what it received, in order."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.requests: list[Request] = []
        records = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                url = urllib.parse.urlsplit(self.path)
                host = (self.headers.get("Host") or "").split(":")[0]
                records.append(Request(host, self.command, url.path,
                                       urllib.parse.parse_qs(url.query),
                                       {k.lower(): v for k, v in self.headers.items()}, body))
                answer = b'{"code": 200, "events_ingested": 1}' if "amplitude" in host \
                    else b'{"code": 200, "num_records_imported": 1, "status": "OK"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_GET = _record

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_CHILD = r'''
import asyncio, importlib, inspect, os, socket, sys
port = int(os.environ["WIRE_PORT"])
hosts = set(os.environ["WIRE_HOSTS"].split(","))
real = socket.getaddrinfo
def getaddrinfo(host, port_, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name in hosts:
        return real("127.0.0.1", 443, *args, **kwargs)
    raise socket.gaierror(f"wire test: {name!r} is not a stand-in host")
socket.getaddrinfo = getaddrinfo
connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
def local(address):
    if isinstance(address, tuple) and address[:2] == ("127.0.0.1", 443):
        return ("127.0.0.1", port)
    return address
socket.socket.connect = lambda self, address: connect(self, local(address))
socket.socket.connect_ex = lambda self, address: connect_ex(self, local(address))
sys.path.insert(0, sys.argv[1])
module = importlib.import_module(sys.argv[2])
result = module.run()
if inspect.iscoroutine(result):
    asyncio.run(result)
'''


def run_scenario(folder: Path, module: str, server: Server, cert: Path) -> list[Request]:
    """Run `module.run()` from `folder` in a child process (Python, or Node for a `.js`
    module); the requests it sent."""
    start = len(server.requests)
    env = {**os.environ, "WIRE_PORT": str(server.port), "WIRE_HOSTS": ",".join(HOSTS),
           "SSL_CERT_FILE": str(cert), "REQUESTS_CA_BUNDLE": str(cert),
           "NODE_EXTRA_CA_CERTS": str(cert),
           "AMPLITUDE_API_KEY": AMPLITUDE_KEY, "MIXPANEL_TOKEN": MIXPANEL_TOKEN}
    if module.endswith(".js"):
        from jsrun import NODE_MODULES

        env["NODE_PATH"] = str(NODE_MODULES)
        command = ["node", str(Path(__file__).parent / "js" / "run-http.js"),
                   str(folder / module)]
    else:
        command = [sys.executable, "-c", _CHILD, str(folder), module]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{folder / module} failed:\n{done.stderr}"
    return server.requests[start:]


# -- the oracle: spec §5, from the Amplitude side ------------------------------------------

_RENAMES = {  # §5.2, Amplitude field -> Mixpanel property
    "app_version": "$app_version_string", "os_name": "$os", "os_version": "$os_version",
    "device_brand": "$brand", "device_manufacturer": "$manufacturer", "device_model": "$model",
    "carrier": "$carrier", "region": "$region", "city": "$city", "location_lat": "$latitude",
    "location_lng": "$longitude", "platform": "platform", "country": "country", "dma": "dma",
    "language": "language", "event_id": "event_id", "session_id": "session_id",
    "user_agent": "user_agent", "idfa": "idfa", "idfv": "idfv", "adid": "adid",
    "android_id": "android_id", "price": "price", "quantity": "quantity", "revenue": "revenue",
    "productId": "product_id", "revenueType": "revenue_type", "currency": "currency",
}
_RESERVED = {"time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id",
             *_RENAMES.values()}
_OPERATORS = [("$unset", "$unset"), ("$set", "$set"), ("$setOnce", "$set_once"),
              ("$add", "$add"), ("$append", "$append"), ("$preInsert", "$union"),
              ("$postInsert", "$union"), ("$remove", "$remove")]


def _distinct(item: dict) -> str:
    if item.get("user_id"):
        return item["user_id"]
    return f"$device:{item['device_id']}" if item.get("device_id") else ""


def expected_event(event: dict, sent_time: int | None) -> dict:
    """One /import record for an Amplitude event; `sent_time` is the time Mixpanel received
    when the event had none (the request time: checked by the caller)."""
    when = event.get("time", sent_time)
    props: dict[str, Any] = {"time": when, "distinct_id": _distinct(event)}
    for field, prop in (("user_id", "$user_id"), ("device_id", "$device_id")):
        if event.get(field):
            props[prop] = event[field]
    insert = event.get("insert_id")
    if insert is None:
        seed = "\x1f".join("" if v is None else str(v) for v in (
            event["event_type"], event.get("user_id"), event.get("device_id"), when,
            event.get("event_id")))
        props["$insert_id"] = hashlib.sha256(seed.encode()).hexdigest()[:36]
    elif all(c.isalnum() or c == "-" for c in insert) and len(insert) <= 36:
        props["$insert_id"] = insert
    else:
        props["$insert_id"] = hashlib.sha256(insert.encode()).hexdigest()[:36]
    for key, value in (event.get("event_properties") or {}).items():
        props["amp_" + key if key in _RESERVED else key] = value
    props.update(event.get("groups") or {})
    for field, prop in _RENAMES.items():
        if field in event and not (field == "session_id" and event[field] == -1):
            props[prop] = event[field]
    if "price" in event:
        props["revenue"] = event["price"] * event.get("quantity", 1)
    if event.get("ip") != "$remote":
        props["ip"] = event.get("ip", 0)
    return {"event": event["event_type"], "properties": props}


def expected_profiles(item: dict, token: str) -> list[dict]:
    """/engage messages for one event's (or Identify API entry's) user properties (§5.3)."""
    properties = item.get("user_properties") or {}
    by_op: dict[str, Any] = {}
    plain = {k: v for k, v in properties.items() if not k.startswith("$")}
    if plain:
        by_op["$set"] = plain
    for amplitude, mixpanel in _OPERATORS:
        for key, value in (properties.get(amplitude) or {}).items():
            if mixpanel == "$unset":
                by_op.setdefault("$unset", []).append(key)
            elif mixpanel == "$union":
                by_op.setdefault("$union", {}).setdefault(
                    key, value if isinstance(value, list) else [value])
            else:
                by_op.setdefault(mixpanel, {}).setdefault(key, value)
    messages = []
    order = ["$unset", "$set", "$set_once", "$add", "$append", "$union", "$remove"]
    for op in sorted(by_op, key=order.index):
        message = {"$token": token, "$distinct_id": _distinct(item), op: by_op[op]}
        if item.get("ip") != "$remote":
            message["$ip"] = item.get("ip", 0)
        messages.append(message)
    return messages


def expected_groups(item: dict, token: str) -> list[dict]:
    ids = item["group_value"] if isinstance(item["group_value"], list) else [item["group_value"]]
    props = item.get("group_properties") or {}
    plain = {k: v for k, v in props.items() if not k.startswith("$")}
    return [{"$token": token, "$group_key": item["group_type"], "$group_id": i, "$set": plain}
            for i in ids] if plain else []


def basic(token: str) -> str:
    return "Basic " + base64.b64encode(f"{token}:".encode()).decode()


def _mixpanel_host(amplitude_host: str) -> str:
    return "api-eu.mixpanel.com" if ".eu." in amplitude_host else "api.mixpanel.com"


def expected_requests(sent: list[Request], received: list[Request]) -> list[tuple[str, str, object]]:
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
