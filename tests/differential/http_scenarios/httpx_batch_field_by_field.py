import os

import httpx

AMPLITUDE_HOST = "https://api2.amplitude.com"


def upload(user_id, items):
    event = {}
    event["event_type"] = "Cart Viewed"
    event["user_id"] = user_id
    event["event_properties"] = {"items": items, "distinct_id": "shadowed"}
    event["insert_id"] = f"cart/{user_id}"
    body = {}
    body["api_key"] = os.environ["AMPLITUDE_API_KEY"]
    body["events"] = [event]
    with httpx.Client(timeout=10) as client:
        client.post(f"{AMPLITUDE_HOST}/batch", json=body)


def run():
    upload("user-2", ["a", "b"])
