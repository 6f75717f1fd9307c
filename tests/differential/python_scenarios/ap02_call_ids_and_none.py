"""AP01 keyword form; AP02/AP03 ids from calls (evaluated once) and a user id that is None."""

from amplitude import Amplitude, BaseEvent, Config

client = Amplitude(api_key="AMPLITUDE_KEY", configuration=Config())
counter = {"n": 0}


def next_id() -> str:
    counter["n"] += 1
    return f"user-{counter['n']}"


client.track(BaseEvent("Called", user_id=next_id(), device_id="device-1"))
uid = None
client.track(BaseEvent("Anonymous Visit", user_id=uid, device_id="device-2"))
client.track(BaseEvent("Both", user_id="user-9", device_id=next_id(), event_properties={"x": 1}))
