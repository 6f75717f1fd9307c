"""AP08 in a loop body, and AP05 + AP06 together on one event."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

for index in range(3):
    event = BaseEvent("Step", user_id="user-1", event_properties={"i": index})
    client.track(event)
client.track(
    BaseEvent("Joined", user_id="user-1", event_properties={"x": 1}, groups={"org": "acme"},
              user_properties={"role": "admin"})
)
