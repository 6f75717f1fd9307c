import json

import httpx
from wire_settings import settings


def update_org(org_id, seats):
    httpx.post(
        "https://api2.amplitude.com/groupidentify",
        data={
            "api_key": settings.AMPLITUDE_API_KEY,
            "identification": json.dumps([{"group_type": "org", "group_value": org_id,
                                           "group_properties": {"seats": seats, "tier": "gold"}}]),
        },
    )


def run():
    update_org("acme", 12)
