import requests
from wire_settings import settings

AMPLITUDE_URL = "https://api2.amplitude.com/2/httpapi"


def track_signup(user_id, device_id, plan):
    payload = {
        "api_key": settings.AMPLITUDE_API_KEY,
        "events": [
            {
                "event_type": "Signed Up",
                "user_id": user_id,
                "device_id": device_id,
                "time": 1700000000123,
                "insert_id": "5f0adeff-6668-4427-8d02-57d803a2b841",
                "event_properties": {"plan": plan, "time": "morning"},
                "groups": {"company_id": "acme"},
                "os_name": "iOS",
                "city": "Paris",
                "session_id": 1700000000000,
                "ip": "$remote",
            },
            {"event_type": "Page Viewed", "device_id": device_id, "ip": "10.0.0.1", "session_id": -1,
             "app_version": "2.1", "platform": "Web"},
        ],
    }
    response = requests.post(AMPLITUDE_URL, json=payload, timeout=5)
    return response.status_code


def run():
    track_signup("user-1", "device-1", "pro")
