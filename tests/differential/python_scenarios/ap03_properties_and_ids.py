"""AP03: literal properties, device id only, both ids, and ids from variables."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

uid = "user-1"
did = "device-1"
client.track(BaseEvent("Viewed", device_id="device-9", event_properties={"page": "home"}))
client.track(BaseEvent("Viewed", user_id=uid, device_id=did, event_properties={"page": "cart", "n": 2}))
client.track(BaseEvent("Clicked", user_id=uid, event_properties={"tags": ["a", "b"], "nested": {"x": 1}}))
client.track(BaseEvent("Clicked", None, did))
