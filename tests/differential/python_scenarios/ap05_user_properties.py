"""AP05: event user properties become a profile $set for the event's distinct id (ID008, ID007)."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Upgraded", user_id="user-1", user_properties={"plan": "pro", "seats": 3}))
client.track(BaseEvent("Visited", device_id="device-1", event_properties={"p": 1}, user_properties={"ref": "ad"}))
