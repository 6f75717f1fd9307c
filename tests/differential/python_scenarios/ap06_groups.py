"""AP06: event groups are merged into the event properties, names or lists as given (ID011)."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Shared", user_id="user-1", groups={"company": "acme"}))
client.track(BaseEvent("Shared", user_id="user-1", event_properties={"doc": 7}, groups={"team": ["t1", "t2"]}))
