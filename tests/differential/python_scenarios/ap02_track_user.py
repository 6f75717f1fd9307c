"""AP01 + AP02: keyword and positional user ids, event name as keyword."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Signed Up", user_id="user-1"))
client.track(BaseEvent("Signed Up", "user-2"))
client.track(BaseEvent(event_type="Logged In", user_id="user-3"))
