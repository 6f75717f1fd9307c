"""AP03 / §5.2: an event property named like a key Mixpanel sets itself is left for a human."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Scheduled", user_id="user-1", event_properties={"time": "noon"}))  # manual
