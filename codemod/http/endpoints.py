"""Amplitude HTTP endpoints and the Mixpanel endpoint each one maps to (spec §5.1).

A URL is known from its text: a literal, or the literal parts of an f-string or template
literal (`f"{HOST}/2/httpapi"` once `HOST` is resolved). Only the host and the path decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["events", "identify", "groupidentify", "read", "other"]

_INGEST_HOSTS = {"api2.amplitude.com": False, "api.amplitude.com": False,
                 "api.eu.amplitude.com": True}
_READ_HOSTS = {"amplitude.com": False, "analytics.amplitude.com": False,
               "analytics.eu.amplitude.com": True, "data-api.amplitude.com": False,
               "data-api.eu.amplitude.com": True}
_PATHS: dict[str, Kind] = {"/2/httpapi": "events", "/batch": "events", "/identify": "identify",
                           "/groupidentify": "groupidentify"}
_URL = re.compile(r"^(?:https?:)?//([A-Za-z0-9.-]+)(?::\d+)?(/[^?#]*)?")
# An Amplitude host anywhere in a text: what makes a string worth resolving.
HOST_PATTERN = re.compile(r"(?:^|[/.@])(?:[a-z0-9-]+\.)*amplitude\.com\b", re.IGNORECASE)

MIXPANEL_HOSTS = {False: "https://api.mixpanel.com", True: "https://api-eu.mixpanel.com"}
MIXPANEL_PATHS = {"events": "/import?strict=1", "identify": "/engage", "groupidentify": "/groups"}


@dataclass(frozen=True)
class Endpoint:
    """An Amplitude URL: what it receives and whether it is the EU host."""

    url: str
    kind: Kind
    eu: bool

    @property
    def ingestion(self) -> bool:
        return self.kind in ("events", "identify", "groupidentify")


def classify(url: str) -> Endpoint | None:
    """The endpoint a URL names, or None when its host is not Amplitude's."""
    match = _URL.match(url.strip())
    if match is None:
        return None
    host = match.group(1).lower()
    path = (match.group(2) or "/").rstrip("/") or "/"
    if host in _INGEST_HOSTS:
        return Endpoint(url, _PATHS.get(path, "other"), _INGEST_HOSTS[host])
    if host in _READ_HOSTS:
        return Endpoint(url, "read", _READ_HOSTS[host])
    if host.endswith(".amplitude.com"):
        return Endpoint(url, "other", ".eu." in host)
    return None


def mixpanel_url(kind: Kind, eu: bool) -> str:
    """The Mixpanel endpoint for an ingestion kind (spec §5.1, §5.3, §5.4)."""
    return MIXPANEL_HOSTS[eu] + MIXPANEL_PATHS[kind]
