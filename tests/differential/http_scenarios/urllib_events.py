import json
import os
import urllib.request

URL = "https://api2.amplitude.com/2/httpapi"


def send(user_id, name, properties):
    data = {"api_key": os.getenv("AMPLITUDE_API_KEY"),
            "events": [{"event_type": name, "user_id": user_id, "event_properties": properties}]}
    request = urllib.request.Request(URL, data=json.dumps(data).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as response:
        return response.read()


def run():
    send("user-5", "Searched", {"query": "shoes", "token": "shadowed"})
