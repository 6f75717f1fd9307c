"""Amplitude HTTP endpoints and the Mixpanel endpoint each one maps to (spec §5.1).

A URL is known from its text: a literal, or the literal parts of an f-string or template
literal (`f"{HOST}/2/httpapi"` once `HOST` is resolved). Only the host and the path decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from ..sdks import load_registry

Kind = Literal["events", "identify", "groupidentify", "read", "other"]

# The hosts and paths are the registry's (`rules/sdks.toml` `[api.amplitude-http-api]`).
_API = load_registry().http_api
_INGEST_HOSTS = _API.ingest_hosts
_READ_HOSTS = _API.read_hosts
_PATHS = cast("dict[str, Kind]", _API.paths)
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


def advice(endpoint: Endpoint) -> str:
    """What a human sends instead of a request the tool leaves as it is."""
    what = {"events": "the events as a JSON array of {event, properties} records (distinct_id, "
                      "time in ms, $insert_id), with the project token as HTTP Basic user",
            "identify": "one profile message ($set, $set_once, $add, ...) per operator",
            "groupidentify": "one group message ($set, $set_once, $unset, ...) per operator"}
    if endpoint.kind in what:
        return f"send {what[endpoint.kind]} to {mixpanel_url(endpoint.kind, endpoint.eu)}"
    return "rewrite it for Mixpanel's API by hand"


# What each caveat means at a rewritten request, for its finding.
CAVEAT_NOTES = {
    "ID006": "distinct_id from user_id, else $device:<device_id>; $user_id and $device_id "
             "as properties",
    "ID007": "profile updates for a device-only user are lost when the ids merge",
    "ID008": "user_properties leave the events: sent to /engage as profile updates",
    "ID010": "the Amplitude API key leaves the body: the Mixpanel project token authenticates",
    "ID011": "group keys must exist in the Mixpanel project (Group Analytics)",
    "ID012": "$prepend and $clearAll have no Mixpanel equivalent: the converter raises",
    "ID014": "time stays in milliseconds; a missing time is the request time",
    "ID015": "$insert_id from insert_id (hashed when not 1-36 alphanumerics or '-'), else "
             "derived from the event",
    "ID022": "Amplitude's EU host maps to api-eu.mixpanel.com: the project must be in the EU",
    "ID024": "ip is sent as 0 when absent (no geolocation from the server's address)",
}


# Fields of Amplitude's ingestion responses; Mixpanel answers with others (spec §5.1).
RESPONSE_FIELDS = {
    "code", "events_ingested", "payload_size_bytes", "server_upload_time", "error",
    "missing_field", "events_with_invalid_fields", "events_with_missing_fields",
    "exceeded_daily_quota_users", "exceeded_daily_quota_devices", "throttled_events",
    "throttled_users", "throttled_devices", "eps_threshold", "silenced_devices",
    "silenced_events",
}
RESPONSE_NOTE = ("reads Amplitude's response: Mixpanel's /import answers 200 with "
                 "num_records_imported, or 400 with failed_records (index, $insert_id, field, "
                 "message); retry only 429 and 5xx")
