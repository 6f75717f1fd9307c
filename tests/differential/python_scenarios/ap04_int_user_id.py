"""AP02 / ID021: an int user id: Amplitude dropped the field and then the whole event; Mixpanel sends it."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Joined", user_id=42))  # differs: ID021
client.track(BaseEvent("Joined", user_id="42"))
