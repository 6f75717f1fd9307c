"""AP02 / ID021: an int user id: Amplitude dropped the field and then the whole event; Mixpanel sends it."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

# rule bug: AP02 reports only ID006 here; the literal int user id should raise ID021 on the line
client.track(BaseEvent("Joined", user_id=42))  # differs: ID021
client.track(BaseEvent("Joined", user_id="42"))
