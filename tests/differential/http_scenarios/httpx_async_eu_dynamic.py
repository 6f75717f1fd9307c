import httpx

EU_ENDPOINT = "https://api.eu.amplitude.com/2/httpapi"


async def forward(events, key):
    async with httpx.AsyncClient() as client:
        response = await client.post(EU_ENDPOINT, json={"api_key": key, "events": events})
    response.raise_for_status()


async def run():
    await forward([
        {"event_type": "Played", "user_id": "u-3", "time": 1700000000999,
         "user_properties": {"level": 4, "$setOnce": {"first_seen": "2023"}, "$add": {"plays": 1}}},
        {"event_type": "$identify", "device_id": "d-3",
         "user_properties": {"$unset": {"legacy": "-"}, "$postInsert": {"tags": "eu"}}},
        {"event_type": "Paused", "device_id": "d-3", "insert_id": "p-1", "time": 1700000001000},
    ], "amp-key-0001")
