"""The converter the HTTP rewrite adds to a migrated module (spec §5.2–§5.4).

Everything between the two marker comments is copied, byte for byte, into a module whose
requests to Amplitude's ingestion APIs are rewritten; the copy carries its own imports, so
the module's imports are not touched. It is importable here so that it is type-checked and
tested like the rest of the tool. The copy names no Amplitude package: a second run of the
tool finds nothing left to do.

- `amp2mp_import_events(body)`: an HTTP v2 / Batch body (or its `events` list) as the JSON
  array Mixpanel's `/import` takes; `$identify` events are profile updates, not events.
- `amp2mp_profile_updates(body, token)`: the `/engage` messages for the same body: each
  event's `user_properties` and each `$identify` event, per operator, in Amplitude's order.
- `amp2mp_engage_updates(identification, token)`: the Identify API's `identification`
  (its JSON text or the decoded list) as `/engage` messages.
- `amp2mp_group_updates(identification, token)`: the Group Identify API's `identification`
  as `/groups` messages.
- `amp2mp_basic_auth(token)`: the `Authorization` header value for `/import` (the project
  token as the Basic-auth user name, empty password).

What has no Mixpanel equivalent (`$prepend`, `$clearAll`, `$groupidentify` events in an
event batch, group `$add`/`$append`) raises `ValueError` instead of being dropped silently.
"""

# The copy runs on the user's Python: signatures keep their annotations quoted, as
# `X | Y` is evaluated at definition time before Python 3.10.
# --- amp2mp converter: begin ---
def amp2mp_import_events(body: "dict | list", revenue_event: "str" = "Revenue") -> "list[dict]":
    """Amplitude HTTP v2 / Batch events as Mixpanel /import records (added by amp2mp-codemod)."""
    import hashlib
    import re
    import time

    renamed = {
        "app_version": "$app_version_string", "os_name": "$os", "os_version": "$os_version",
        "device_brand": "$brand", "device_manufacturer": "$manufacturer",
        "device_model": "$model", "carrier": "$carrier", "region": "$region", "city": "$city",
        "location_lat": "$latitude", "location_lng": "$longitude", "productId": "product_id",
        "revenueType": "revenue_type",
    }
    kept = (
        "platform", "country", "dma", "language", "idfa", "idfv", "adid", "android_id",
        "android_app_set_id", "event_id", "user_agent", "price", "quantity", "revenue",
        "currency",
    )
    # Not carried over: plan, ingestion_metadata, partner_id, library, extra,
    # $skip_user_properties_sync, group_properties, and user_properties (profile updates).
    written = {"time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id",
               "session_id", *renamed.values(), *kept}
    records = []
    for event in _amp2mp_events(body):
        name = event.get("event_type")
        if name == "$identify":
            continue
        if name == "$groupidentify":
            raise ValueError("a $groupidentify event goes to Mixpanel's /groups: "
                             "send it with amp2mp_group_updates")
        user_id = event.get("user_id")
        device_id = event.get("device_id")
        event_time = event.get("time")
        if event_time is None:
            event_time = int(time.time() * 1000)
        properties = {
            "time": event_time,
            "distinct_id": user_id if user_id else (f"$device:{device_id}" if device_id else ""),
        }
        if user_id:
            properties["$user_id"] = user_id
        if device_id:
            properties["$device_id"] = device_id
        insert_id = event.get("insert_id")
        if insert_id is None:
            parts = (name, user_id, device_id, event_time, event.get("event_id"))
            seed = "\x1f".join("" if part is None else str(part) for part in parts)
            insert_id = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:36]
        elif not re.fullmatch(r"[A-Za-z0-9-]{1,36}", str(insert_id)):
            insert_id = hashlib.sha256(str(insert_id).encode("utf-8")).hexdigest()[:36]
        properties["$insert_id"] = insert_id
        for key, value in (event.get("event_properties") or {}).items():
            properties[f"amp_{key}" if key in written else key] = value
        for group_type, group_name in (event.get("groups") or {}).items():
            properties[group_type] = group_name
        for key, value in event.items():
            if key in renamed:
                properties[renamed[key]] = value
            elif key in kept:
                properties[key] = value
            elif key == "session_id" and value != -1:
                properties["session_id"] = value
        if "app_version" not in event and "version_name" in event:
            properties["$app_version_string"] = event["version_name"]
        if "price" in event:
            properties["revenue"] = event["price"] * event.get("quantity", 1)
        ip = event.get("ip")
        if ip is None:
            properties["ip"] = 0
        elif ip != "$remote":
            properties["ip"] = ip
        records.append({"event": revenue_event if name == "revenue_amount" else name,
                        "properties": properties})
    return records


def amp2mp_profile_updates(body: "dict | list", token: "str") -> "list[dict]":
    """/engage messages for the user properties of Amplitude events (added by amp2mp-codemod)."""
    messages = []
    for event in _amp2mp_events(body):
        if event.get("event_type") == "$groupidentify":
            continue
        messages.extend(_amp2mp_engage(event, token))
    return messages


def amp2mp_engage_updates(identification: "str | bytes | dict | list", token: "str") -> "list[dict]":
    """Amplitude Identify API `identification` as /engage messages (added by amp2mp-codemod)."""
    messages: list[dict] = []
    for update in _amp2mp_identification(identification):
        messages.extend(_amp2mp_engage(update, token))
    return messages


def amp2mp_group_updates(identification: "str | bytes | dict | list", token: "str") -> "list[dict]":
    """Amplitude Group Identify API `identification` as /groups messages (added by amp2mp-codemod)."""
    messages: list[dict] = []
    for update in _amp2mp_identification(identification):
        group_ids = update["group_value"]
        if not isinstance(group_ids, list):
            group_ids = [group_ids]
        for operator, values in _amp2mp_operations(update.get("group_properties") or {}):
            if operator in ("$add", "$append"):
                raise ValueError(f"Mixpanel group profiles have no {operator}")
            for group_id in group_ids:
                messages.append({"$token": token, "$group_key": update["group_type"],
                                 "$group_id": group_id, operator: values})
    return messages


def amp2mp_basic_auth(token: "str") -> "str":
    """HTTP Basic authorization with the project token as user name (added by amp2mp-codemod)."""
    import base64

    return "Basic " + base64.b64encode(f"{token}:".encode()).decode("ascii")


def _amp2mp_identification(identification: "str | bytes | dict | list") -> "list[dict]":
    import json

    if isinstance(identification, (str, bytes)):
        identification = json.loads(identification)
    if isinstance(identification, dict):
        return [identification]
    assert isinstance(identification, list)
    return identification


def _amp2mp_events(body: "dict | list") -> "list[dict]":
    if isinstance(body, dict):
        body = body.get("events") or []
    return list(body)


def _amp2mp_engage(update: "dict", token: "str") -> "list[dict]":
    user_id = update.get("user_id")
    device_id = update.get("device_id")
    distinct_id = user_id if user_id else (f"$device:{device_id}" if device_id else "")
    operations = _amp2mp_operations(update.get("user_properties") or {})
    groups = update.get("groups") or {}
    if groups and update.get("event_type") in (None, "$identify"):
        memberships = {t: n if isinstance(n, list) else [n] for t, n in groups.items()}
        operations.append(("$set", memberships))
    ip = update.get("ip")
    messages = []
    for operator, values in operations:
        message = {"$token": token, "$distinct_id": distinct_id, operator: values}
        if ip != "$remote":
            message["$ip"] = 0 if ip is None else ip
        messages.append(message)
    return messages


def _amp2mp_operations(properties: "dict") -> "list[tuple[str, dict | list]]":
    order = ("$unset", "$set", "$setOnce", "$add", "$append", "$prepend", "$preInsert",
             "$postInsert", "$remove", "$clearAll")
    target = {"$set": "$set", "$setOnce": "$set_once", "$add": "$add", "$append": "$append",
              "$preInsert": "$union", "$postInsert": "$union", "$remove": "$remove",
              "$unset": "$unset"}
    plain = {k: v for k, v in properties.items() if k not in order}
    by_operator: dict[str, dict | list] = {}
    if plain:
        by_operator["$set"] = dict(plain)
    for operator in order:
        values = properties.get(operator)
        if values is None:
            continue
        if operator not in target:
            raise ValueError(f"Mixpanel profiles have no equivalent of Amplitude's {operator}")
        if operator == "$unset":
            by_operator["$unset"] = list(values)
            continue
        if target[operator] == "$union":
            values = {k: v if isinstance(v, list) else [v] for k, v in values.items()}
        merged = by_operator.setdefault(target[operator], {})
        assert isinstance(merged, dict)
        for key, value in values.items():
            merged.setdefault(key, value)
    return [(op, by_operator[op]) for op in ("$unset", "$set", "$set_once", "$add", "$append",
                                             "$union", "$remove") if op in by_operator]
# --- amp2mp converter: end ---


BEGIN = "# --- amp2mp converter: begin ---"
END = "# --- amp2mp converter: end ---"


def converter_source(revenue_event: str = "Revenue") -> str:
    """The block copied into a migrated module, with the run's revenue event name."""
    import json
    import os

    with open(os.path.abspath(__file__), encoding="utf-8") as handle:
        text = handle.read()
    begin = text.index(BEGIN)
    end = text.index(END)
    # Without its blank lines: a blank line the block brought could be taken, in a diff of
    # the file, for one of the file's own.
    block = "".join(line for line in text[begin:end].splitlines(True) if line.strip())
    block += END + "\n"
    default = 'revenue_event: "str" = "Revenue"'
    assert default in block
    name = json.dumps(revenue_event, ensure_ascii=False)
    return block.replace(default, f'revenue_event: "str" = {name}', 1)
