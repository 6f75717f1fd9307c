"""The React Native captures (`js/run-rn.js`) in the canonical form of `canonical.py`.

Original side: `@amplitude/react-native` 2.x and `expo-analytics-amplitude` are JavaScript
layers over native SDKs that cannot run here (legacy-sdks §2.1, §3.1). Their JavaScript runs for
real and hands each call to a recording native module; what the native SDK then sends is
modelled here from the spec's mapping (one HTTP v2 event per logged event, an `$identify` for
user properties and groups, a `revenue_amount` event for revenue). So this side checks what the
app asked Amplitude to send, as the bridge received it, not Amplitude's wire format.

Migrated side: mixpanel-react-native 3.8.0 in its JavaScript mode, whose posted batches are
captured as they would leave the device.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from canonical import Record, amplitude_records, mixpanel_records
from jsrun import run_node

# What mixpanel-react-native adds on its own in JavaScript mode (ID025): the runtime, not the
# scenario. Its device id is random, as the native Amplitude SDK's is; neither is compared.
MIXPANEL_RN_DEFAULTS = {"$os", "$os_version", "$manufacturer", "$device_id", "$mp_metadata"}


# Bridge calls that configure the native SDK or flush it: no data of their own.
_SENDS_NOTHING = {"setLibraryName", "setLibraryVersion", "initialize", "uploadEvents",
                  "enableLogging", "setEventUploadThreshold", "setEventUploadMaxBatchSize"}


def _bodies(calls: list[list[Any]]) -> list[dict[str, Any]]:
    """Bridge calls -> the HTTP v2 event bodies the native SDK sends for them."""
    user: str | None = None
    bodies: list[dict[str, Any]] = []
    for module, method, *args in calls:
        if module == "AmplitudeReactNative":
            instance, *args = args
            assert instance == "$default_instance", f"scenario uses instance {instance!r}"
        name = method.removesuffix("Async")
        if name in _SENDS_NOTHING:
            continue
        if name == "setUserId":
            user = args[0]
        elif name == "logEvent":
            bodies.append({"event_type": args[0], "user_id": user})
        elif name == "logEventWithProperties":
            bodies.append({"event_type": args[0], "user_id": user, "event_properties": args[1]})
        elif name == "setUserProperties":
            bodies.append({"event_type": "$identify", "user_id": user,
                           "user_properties": {"$set": args[0]}})
        elif name == "identify":
            bodies.append({"event_type": "$identify", "user_id": user, "user_properties": args[0]})
        elif name == "setGroup":
            bodies.append({"event_type": "$identify", "user_id": user, "groups": {args[0]: args[1]}})
        elif name == "logRevenueV2":
            revenue = dict(args[0])
            properties = {f"${k}": v for k, v in revenue.items() if k != "eventProperties"}
            properties.setdefault("$quantity", 1)  # the native SDKs' default (legacy-sdks LR19)
            bodies.append({"event_type": "revenue_amount", "user_id": user,
                           "event_properties": {**properties, **revenue.get("eventProperties", {})}})
        else:
            raise AssertionError(f"no model of what the native SDK sends for {method}()")
    return bodies


def rn_amplitude(file: Path) -> list[Record]:
    calls, window = run_node("run-rn.js", "amplitude", file)
    return [record for body in _bodies(calls) for record in amplitude_records(body, window)]


def rn_mixpanel(file: Path) -> tuple[list[Record], list[Record]]:
    """(records, Mixpanel's own `$identify` events): the latter are how identify() merges the
    device into the user (ID002); Amplitude's setUserId sent no event."""
    sent, window = run_node("run-rn.js", "mixpanel", file)
    records: list[Record] = []
    for request in sent:
        endpoint = "/" + urllib.parse.urlparse(request["url"]).path.strip("/").split("/")[-1]
        for message in request["data"]:
            message = {k: v for k, v in message.items() if k not in MIXPANEL_RN_DEFAULTS}
            if "properties" in message:
                props = {k: v for k, v in message["properties"].items()
                         if k not in MIXPANEL_RN_DEFAULTS}
                if window.is_now_millis(props.get("time")):
                    del props["time"]  # JavaScript mode stamps milliseconds: "now"
                message["properties"] = props
            records += mixpanel_records(endpoint, message, window)
    merges = [r for r in records if r.kind == "event" and r.target[0] == "$identify"]
    return [r for r in records if r not in merges], merges
