"""AP08 downgrade: an event changed after construction must be left for a human."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

event = BaseEvent("Viewed", user_id="user-1")
event.event_properties = {"page": "home"}
client.track(event)  # manual
