"""The converter a rewritten module receives: spec §5.2–§5.5, field by field."""

from __future__ import annotations

import hashlib
import time

import pytest

from codemod.http.convert import (
    amp2mp_basic_auth,
    amp2mp_engage_updates,
    amp2mp_group_updates,
    amp2mp_import_events,
    amp2mp_profile_updates,
    converter_source,
)

WORKED = {"api_key": "AMP_KEY", "events": [{
    "user_id": "user-203201202", "device_id": "C8F9E604-F01A-4BD9-95C6-8E5357DF265D",
    "event_type": "watch_tutorial", "time": 1396381378123,
    "insert_id": "5f0adeff-6668-4427-8d02-57d803a2b841",
    "event_properties": {"tutorial": "intro"}, "user_properties": {"Cohort": "Test A"},
    "groups": {"company_id": "acme"}, "os_name": "iOS", "city": "San Francisco",
    "ip": "127.0.0.1", "session_id": 1396381300000, "platform": "iOS"}]}


def test_the_worked_example_of_the_spec() -> None:
    assert amp2mp_import_events(WORKED) == [{"event": "watch_tutorial", "properties": {
        "time": 1396381378123, "distinct_id": "user-203201202",
        "$user_id": "user-203201202", "$device_id": "C8F9E604-F01A-4BD9-95C6-8E5357DF265D",
        "$insert_id": "5f0adeff-6668-4427-8d02-57d803a2b841",
        "tutorial": "intro", "company_id": "acme", "$os": "iOS", "$city": "San Francisco",
        "ip": "127.0.0.1", "session_id": 1396381300000, "platform": "iOS"}}]
    assert amp2mp_profile_updates(WORKED, "TOKEN") == [{
        "$token": "TOKEN", "$distinct_id": "user-203201202", "$set": {"Cohort": "Test A"},
        "$ip": "127.0.0.1"}]


def test_identities_time_insert_id_and_ip() -> None:
    before = int(time.time() * 1000)
    device_only, anonymous = amp2mp_import_events([
        {"event_type": "a", "device_id": "d1", "ip": "$remote"},
        {"event_type": "b", "insert_id": "not/a valid id"},
    ])
    props = device_only["properties"]
    assert props["distinct_id"] == "$device:d1" and props["$device_id"] == "d1"
    assert "$user_id" not in props and "ip" not in props
    assert before <= props["time"] <= int(time.time() * 1000)
    seed = "\x1f".join(["a", "", "d1", str(props["time"]), ""])
    assert props["$insert_id"] == hashlib.sha256(seed.encode()).hexdigest()[:36]
    other = anonymous["properties"]
    assert other["distinct_id"] == "" and other["ip"] == 0
    assert other["$insert_id"] == hashlib.sha256(b"not/a valid id").hexdigest()[:36]


def test_field_table_collisions_and_drops() -> None:
    [record] = amp2mp_import_events({"events": [{
        "event_type": "revenue_amount", "user_id": "u", "time": 5, "insert_id": "i-1",
        "event_properties": {"time": "noon", "distinct_id": "x", "$os": "y", "kept": 1},
        "app_version": "2.0", "version_name": "ignored", "os_version": "17",
        "device_brand": "b", "device_manufacturer": "m", "device_model": "M", "carrier": "c",
        "country": "France", "region": "IDF", "dma": "d", "language": "fr",
        "location_lat": 1.5, "location_lng": 2.5, "idfa": "A", "price": 2.5, "quantity": 4,
        "productId": "p", "revenueType": "t", "currency": "EUR", "event_id": 9,
        "session_id": -1, "user_agent": "ua", "plan": {"branch": "main"}, "library": "x",
        "partner_id": "p", "extra": {}, "group_properties": {"g": 1},
    }]}, revenue_event="Purchase")
    assert record["event"] == "Purchase"
    assert record["properties"] == {
        "time": 5, "distinct_id": "u", "$user_id": "u", "$insert_id": "i-1",
        "amp_time": "noon", "amp_distinct_id": "x", "amp_$os": "y", "kept": 1,
        "$app_version_string": "2.0", "$os_version": "17", "$brand": "b",
        "$manufacturer": "m", "$model": "M", "$carrier": "c", "country": "France",
        "$region": "IDF", "dma": "d", "language": "fr", "$latitude": 1.5, "$longitude": 2.5,
        "idfa": "A", "price": 2.5, "quantity": 4, "revenue": 10.0, "product_id": "p",
        "revenue_type": "t", "currency": "EUR", "event_id": 9, "user_agent": "ua", "ip": 0,
    }


def test_version_name_stands_in_for_a_missing_app_version() -> None:
    [record] = amp2mp_import_events([{"event_type": "e", "user_id": "u", "version_name": "3"}])
    assert record["properties"]["$app_version_string"] == "3"


def test_identify_events_become_profile_updates_in_amplitude_order() -> None:
    body = {"events": [
        {"event_type": "$identify", "device_id": "d", "user_properties": {
            "$postInsert": {"tags": "b"}, "$add": {"n": 1}, "$set": {"a": 1}, "plain": 2,
            "$unset": {"old": "-"}, "$setOnce": {"first": "x"}, "$append": {"l": 3},
            "$remove": {"r": 4}, "$preInsert": {"tags": ["a"]}}},
        {"event_type": "seen", "user_id": "u"},
    ]}
    assert [r["event"] for r in amp2mp_import_events(body)] == ["seen"]
    messages = amp2mp_profile_updates(body, "T")
    assert [next(k for k in m if k not in ("$token", "$distinct_id", "$ip")) for m in messages] \
        == ["$unset", "$set", "$set_once", "$add", "$append", "$union", "$remove"]
    assert messages[0]["$unset"] == ["old"]
    assert messages[1]["$set"] == {"plain": 2, "a": 1}
    assert messages[5]["$union"] == {"tags": ["a"]}  # first operation on a key wins
    assert all(m["$distinct_id"] == "$device:d" and m["$ip"] == 0 for m in messages)


def test_identify_api_identification_as_text_or_list() -> None:
    text = '[{"user_id": "u", "user_properties": {"plan": "pro"}, "groups": {"org": "acme"}}]'
    assert amp2mp_engage_updates(text, "T") == [
        {"$token": "T", "$distinct_id": "u", "$set": {"plan": "pro"}, "$ip": 0},
        {"$token": "T", "$distinct_id": "u", "$set": {"org": ["acme"]}, "$ip": 0},
    ]
    assert amp2mp_engage_updates({"user_id": "u", "user_properties": {}}, "T") == []


@pytest.mark.parametrize("operator", ["$prepend", "$clearAll"])
def test_operations_without_an_equivalent_raise(operator: str) -> None:
    with pytest.raises(ValueError, match=operator.replace("$", r"\$")):
        amp2mp_engage_updates([{"user_id": "u", "user_properties": {operator: {"k": 1}}}], "T")


def test_group_identify_and_its_limits() -> None:
    identification = [{"group_type": "org", "group_value": ["a", "b"],
                       "group_properties": {"seats": 3, "$unset": {"x": "-"}}}]
    assert amp2mp_group_updates(identification, "T") == [
        {"$token": "T", "$group_key": "org", "$group_id": "a", "$unset": ["x"]},
        {"$token": "T", "$group_key": "org", "$group_id": "b", "$unset": ["x"]},
        {"$token": "T", "$group_key": "org", "$group_id": "a", "$set": {"seats": 3}},
        {"$token": "T", "$group_key": "org", "$group_id": "b", "$set": {"seats": 3}},
    ]
    with pytest.raises(ValueError, match="group"):
        amp2mp_group_updates([{"group_type": "o", "group_value": "a",
                               "group_properties": {"$add": {"n": 1}}}], "T")
    with pytest.raises(ValueError, match="groups"):
        amp2mp_import_events([{"event_type": "$groupidentify", "user_id": "u"}])


def test_basic_auth_is_the_token_with_an_empty_password() -> None:
    assert amp2mp_basic_auth("tok") == "Basic dG9rOg=="


def test_the_copied_block_runs_alone_and_names_no_amplitude_host() -> None:
    block = converter_source("Order Completed")
    assert "amplitude.com" not in block and "import " not in block.split("def ")[0]
    namespace: dict = {}
    exec(compile(block, "<converter>", "exec"), namespace)
    [record] = namespace["amp2mp_import_events"]([{"event_type": "revenue_amount", "user_id": "u"}])
    assert record["event"] == "Order Completed"
