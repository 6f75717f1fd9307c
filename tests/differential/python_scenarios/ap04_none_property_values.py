"""AP03: None-valued event properties: Amplitude's get_event_body drops them, so must the rewrite."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

# rule bug: AP03 keeps {"coupon": None} in the Mixpanel properties, which sends "coupon": null (Amplitude sent no key)
client.track(BaseEvent("Ordered", user_id="user-1", event_properties={"coupon": None, "items": 2}))
