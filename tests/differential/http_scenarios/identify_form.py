import json
import urllib.parse
from urllib.request import Request, urlopen

import requests

IDENTIFY_URL = "https://api2.amplitude.com/identify"
API_KEY = "amp-key-0001"


def set_plan(user_id, plan):
    identification = [{"user_id": user_id,
                       "user_properties": {"$set": {"plan": plan}, "$add": {"upgrades": 1},
                                           "$preInsert": {"badges": "early"}}}]
    requests.post(IDENTIFY_URL, data={"api_key": API_KEY,
                                      "identification": json.dumps(identification)})


def set_device_plan(device_id, plan):
    form = {"api_key": API_KEY,
            "identification": json.dumps({"device_id": device_id, "user_properties": {"plan": plan}})}
    urlopen(Request("https://api2.amplitude.com/identify",
                    data=urllib.parse.urlencode(form).encode()))


def run():
    set_plan("user-6", "pro")
    set_device_plan("device-6", "free")
