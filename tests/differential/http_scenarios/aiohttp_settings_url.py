import aiohttp
from wire_settings import settings


async def track(user_id, plan):
    payload = {
        "api_key": settings.AMPLITUDE_API_KEY,
        "events": [{"event_type": "Plan Changed", "user_id": user_id,
                    "user_properties": {"plan": plan}, "time": 1700000000000,
                    "insert_id": "plan-1"}],
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(settings.AMPLITUDE_ENDPOINT, json=payload,
                                headers={"Accept": "*/*"}) as response:
            return response.status


async def run():
    await track("user-4", "team")
