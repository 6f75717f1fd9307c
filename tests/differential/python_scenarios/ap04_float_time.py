"""AP04 / ID014: a float time: Amplitude dropped it (and used now); Mixpanel sends the value."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Ticked", user_id="user-1", time=1700000000.5))  # differs: ID014
client.track(BaseEvent("Ticked", user_id="user-1", time=1700000000500))
