"""AP03: None-valued event properties: Amplitude's get_event_body drops them, so must the rewrite."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Ordered", user_id="user-1", event_properties={"coupon": None, "items": 2}))
