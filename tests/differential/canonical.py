"""One canonical form for what Amplitude and Mixpanel would send (spec §5.2–§5.4).

Both captures are turned into a list of `Record`s: an *event* (Mixpanel name, distinct id,
properties), a *profile* operation on a distinct id, or a *group* operation on a group profile.
The Amplitude side is translated with the documented field mapping, so after this module a
difference between the two lists is either a rule bug or a caveat the spec documents.

The helpers take JSON-like dicts (Amplitude HTTP v2 event bodies, Mixpanel `/track`, `/engage`,
`/groups` messages), so the Python, Node and browser harnesses share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# §3.6 step 3: Amplitude's server applies identify operators in this order.
AMPLITUDE_OPERATOR_ORDER = (
    "$unset", "$set", "$setOnce", "$add", "$append", "$prepend", "$preInsert", "$postInsert",
    "$remove", "$clearAll",
)
# §5.3: Amplitude identify operator -> Mixpanel /engage operator (None: no equivalent).
PROFILE_OPERATOR = {
    "$set": "$set", "$setOnce": "$set_once", "$add": "$add", "$append": "$append",
    "$preInsert": "$union", "$postInsert": "$union", "$remove": "$remove", "$unset": "$unset",
    "$prepend": None, "$clearAll": None,
}
# §5.4 / ID011: group profiles support only these.
GROUP_OPERATORS = {"$set", "$set_once", "$union", "$remove", "$unset"}

# §5.2: Amplitude top-level event fields -> Mixpanel property names.
EVENT_FIELD = {
    "app_version": "$app_version_string", "platform": "platform", "os_name": "$os",
    "os_version": "$os_version", "device_brand": "$brand", "device_manufacturer": "$manufacturer",
    "device_model": "$model", "carrier": "$carrier", "country": "country", "region": "$region",
    "city": "$city", "dma": "dma", "language": "language", "location_lat": "$latitude",
    "location_lng": "$longitude", "idfa": "idfa", "idfv": "idfv", "adid": "adid",
    "android_id": "android_id", "android_app_set_id": "android_app_set_id",
    "session_id": "session_id", "user_agent": "user_agent",
    "productId": "product_id", "revenueType": "revenue_type", "currency": "currency",
}
DROPPED_FIELDS = {
    "plan", "ingestion_metadata", "partner_id", "library", "extra", "$skip_user_properties_sync",
    "group_properties", "event_type", "user_id", "device_id", "time", "insert_id",
    "event_properties", "user_properties", "groups", "ip", "version_name", "price", "quantity",
    "revenue", "options",
    # §5.2 allows dropping `event_id` (an ordering hint); the Node SDK numbers every event itself.
    "event_id",
}
# §3.7: Amplitude revenue keys (wire) -> Mixpanel properties.
REVENUE_FIELD = {
    "$price": "price", "$quantity": "quantity", "$revenue": "revenue", "$productId": "product_id",
    "$revenueType": "revenue_type", "$currency": "currency", "$receipt": "receipt",
    "$receiptSig": "receipt_sig",
}
# §5.2: event property keys that collide with keys the mapping writes are renamed `amp_<k>`.
RESERVED_PROPERTIES = {
    "time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id",
    *EVENT_FIELD.values(),
} - {"platform", "country", "dma", "language", "idfa", "idfv", "adid", "android_id",
     "android_app_set_id", "event_id", "session_id", "user_agent", "product_id",
     "revenue_type", "currency"}
# What the Mixpanel libraries add on their own; not part of what the code asked to send.
MIXPANEL_LIBRARY_PROPERTIES = {"token", "mp_lib", "$lib_version", "$lib", "$mp_api_endpoint"}

AMPLITUDE_AUTO_INSERT_ID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)
MIXPANEL_AUTO_INSERT_ID = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$")
AUTO = "<auto>"


@dataclass(frozen=True)
class Window:
    """The wall-clock interval (seconds) a capture ran in.

    A `time` inside it was filled in by a library ("now"), not by the code under test: the
    scenarios only ever pass fixed historical timestamps, so the two cannot be confused.
    """

    start: float
    end: float

    def is_now_seconds(self, value: Any) -> bool:
        return isinstance(value, int | float) and self.start - 2 <= value <= self.end + 2

    def is_now_millis(self, value: Any) -> bool:
        return isinstance(value, int | float) and (self.start - 2) * 1000 <= value <= (self.end + 2) * 1000


@dataclass
class Record:
    """One canonical thing sent: `kind` is `event`, `profile` or `group`.

    `lines` are the original scenario lines of the statement that sent it (used to tolerate a
    declared caveat at that site); they are not part of equality.
    """

    kind: str
    target: tuple[Any, ...]
    op: str
    payload: Any
    lines: frozenset[int] = field(default=frozenset(), compare=False)

    def as_tuple(self) -> tuple[Any, ...]:
        return (self.kind, self.target, self.op, self.payload)

    def __repr__(self) -> str:
        return f"{self.kind}{self.target} {self.op} {self.payload!r}"


def did(user_id: str | None, device_id: str | None) -> str:
    """`DID(u, d)` of spec §0.3: user id, else `$device:<device id>`, else the empty string."""
    if user_id:
        return user_id
    if device_id:
        return f"$device:{device_id}"
    return ""


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _revenue_properties(props: dict[str, Any]) -> dict[str, Any]:
    """§3.7: wire `$price`… keys -> Mixpanel names; `revenue` is price × quantity when priced."""
    out = {k: v for k, v in props.items() if k not in REVENUE_FIELD}
    for key, name in REVENUE_FIELD.items():
        if key in props and props[key] is not None:
            out[name] = props[key]
    if props.get("$price") is not None:
        out["revenue"] = props["$price"] * (props.get("$quantity") or 1)
    return out


def _identity(body: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if body.get("user_id"):
        props["$user_id"] = body["user_id"]
    if body.get("device_id"):
        props["$device_id"] = body["device_id"]
    return props


def _event_fields(body: dict[str, Any], window: Window) -> dict[str, Any]:
    """§5.2 `EVPROPS`: top-level event fields -> Mixpanel properties."""
    props: dict[str, Any] = {}
    if "time" in body:
        props["time"] = AUTO if window.is_now_millis(body["time"]) else body["time"]
    if "insert_id" in body:
        insert_id = body["insert_id"]
        props["$insert_id"] = AUTO if AMPLITUDE_AUTO_INSERT_ID.match(str(insert_id)) else insert_id
    for key, name in EVENT_FIELD.items():
        if key in body and body[key] is not None:
            props[name] = body[key]
    if body.get("version_name") and "app_version" not in body:
        props["$app_version_string"] = body["version_name"]
    if body.get("ip") not in (None, "$remote"):
        props["ip"] = body["ip"]
    if props.get("session_id") == -1:
        del props["session_id"]
    if body.get("price") is not None or body.get("revenue") is not None:
        if body.get("price") is not None:
            props["price"] = body["price"]
            props["quantity"] = body.get("quantity") or 1
            props["revenue"] = body["price"] * props["quantity"]
        else:
            props["revenue"] = body["revenue"]
    return props


def _profile_ops(user_properties: dict[str, Any]) -> list[tuple[str, Any]]:
    """§5.3: an `$identify`'s `user_properties` -> (Mixpanel operator, payload) in server order."""
    ops: dict[str, Any] = {}
    plain = {k: v for k, v in user_properties.items() if not k.startswith("$")}
    merged: dict[str, dict[str, Any]] = {}
    for operator in AMPLITUDE_OPERATOR_ORDER:
        if operator == "$set":
            values = {**plain, **user_properties.get("$set", {})}
        else:
            values = user_properties.get(operator)
        if not values and values != 0:
            continue
        target = PROFILE_OPERATOR[operator]
        if target is None:
            ops[f"unsupported:{operator}"] = values
            continue
        if target == "$union":
            values = {k: _as_list(v) for k, v in values.items()}
        merged.setdefault(target, {}).update(values)
    for target, values in merged.items():
        ops[target] = sorted(values) if target == "$unset" else values
    return list(ops.items())


def amplitude_records(
    body: dict[str, Any], window: Window, revenue_event: str = "Revenue",
    lines: frozenset[int] = frozenset(),
) -> list[Record]:
    """Translate one Amplitude HTTP v2 event body into canonical records (§5.2–§5.4)."""
    event_type = body.get("event_type")
    distinct = did(body.get("user_id"), body.get("device_id"))
    if event_type == "$identify":
        user_properties = dict(body.get("user_properties") or {})
        groups = body.get("groups") or {}
        if groups:  # §5.3: event groups (from setGroup) -> $set {type: [names]}
            user_properties["$set"] = {
                **user_properties.get("$set", {}), **{k: _as_list(v) for k, v in groups.items()},
            }
        return [Record("profile", (distinct,), op, payload, lines)
                for op, payload in _profile_ops(user_properties)]
    if event_type == "$groupidentify":
        records = []
        for group_type, names in (body.get("groups") or {}).items():
            for name in _as_list(names):
                for op, payload in _profile_ops(body.get("group_properties") or {}):
                    if op not in GROUP_OPERATORS:
                        op = f"unsupported:{op}"
                    records.append(Record("group", (group_type, name), op, payload, lines))
        return records
    props: dict[str, Any] = {}
    event_properties = dict(body.get("event_properties") or {})
    if event_type == "revenue_amount":
        event_type = revenue_event
        props.update(_revenue_properties(event_properties))
    else:
        for key, value in event_properties.items():
            props[f"amp_{key}" if key in RESERVED_PROPERTIES else key] = value
    props.update(body.get("groups") or {})
    props.update(_event_fields(body, window))
    props.update(_identity(body))
    props.setdefault("time", AUTO)
    props.setdefault("$insert_id", AUTO)
    records = [Record("event", (event_type, distinct), "track", props, lines)]
    if body.get("user_properties"):  # ID008: the documented rewrite is a profile $set
        records.append(Record("profile", (distinct,), "$set", dict(body["user_properties"]), lines))
    return records


def mixpanel_records(
    endpoint: str, message: dict[str, Any], window: Window, lines: frozenset[int] = frozenset(),
) -> list[Record]:
    """Translate one Mixpanel message (`/track`, `/import`, `/engage`, `/groups`) into records."""
    if endpoint in ("events", "imports", "/track", "/import", "track", "import"):
        props = dict(message.get("properties") or {})
        distinct = props.pop("distinct_id", "")
        for key in MIXPANEL_LIBRARY_PROPERTIES:
            props.pop(key, None)
        # A library's "now" is `Date.now() / 1000`: a whole second (one time in a thousand)
        # arrives as an integer, so the window alone tells it from a scenario's timestamp.
        if "time" not in props or window.is_now_seconds(props["time"]):
            props["time"] = AUTO
        insert_id = props.get("$insert_id")
        if insert_id is None or MIXPANEL_AUTO_INSERT_ID.match(str(insert_id)):
            props["$insert_id"] = AUTO
        return [Record("event", (message.get("event"), distinct), "track", props, lines)]
    if endpoint in ("people", "/engage", "engage"):
        target: tuple[Any, ...] = (message.get("$distinct_id"),)
        kind = "profile"
    elif endpoint in ("groups", "/groups"):
        target = (message.get("$group_key"), message.get("$group_id"))
        kind = "group"
    else:
        raise ValueError(f"unknown Mixpanel endpoint {endpoint!r}")
    records = []
    for key, value in message.items():
        if key in ("$token", "$time", "$distinct_id", "$group_key", "$group_id", "$ip",
                   "$ignore_time", "$ignore_alias", "$latitude", "$longitude", "$device_id",
                   "$user_id"):
            continue
        payload = sorted(value) if key == "$unset" else value
        records.append(Record(kind, target, key, payload, lines))
    return records


KIND_RANK = {"event": 0, "profile": 1, "group": 2}


def canonical_order(records: list[Record]) -> list[Record]:
    """Within each run of consecutive records from one site, events first, then profile ops.

    One Amplitude call can become several Mixpanel calls (an event plus a profile `$set`): the
    order between an event and the profile update made by the same call carries no meaning,
    while the order of calls, and of profile operators (server order), does.
    """
    out: list[Record] = []
    run: list[Record] = []
    for record in records:
        if run and record.lines != run[-1].lines:
            out.extend(sorted(run, key=lambda r: KIND_RANK[r.kind]))
            run = []
        run.append(record)
    out.extend(sorted(run, key=lambda r: KIND_RANK[r.kind]))
    return out


@dataclass
class Comparison:
    """The verdict for one scenario: equal outside declared sites, and what each site sent."""

    amplitude: list[tuple[Any, ...]]
    mixpanel: list[tuple[Any, ...]]
    sites: dict[int, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]


def compare(amplitude: list[Record], mixpanel: list[Record], declared: dict[int, str]) -> Comparison:
    """Split both captures into declared caveat sites and the rest, in canonical order."""
    tolerated = set(declared)

    def kept(records: list[Record]) -> list[tuple[Any, ...]]:
        return [r.as_tuple() for r in canonical_order([r for r in records if not r.lines & tolerated])]

    sites = {
        line: (
            [r.as_tuple() for r in canonical_order([r for r in amplitude if line in r.lines])],
            [r.as_tuple() for r in canonical_order([r for r in mixpanel if line in r.lines])],
        )
        for line in declared
    }
    return Comparison(kept(amplitude), kept(mixpanel), sites)
