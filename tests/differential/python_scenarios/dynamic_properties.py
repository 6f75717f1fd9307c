"""AP03 with non-literal property dicts: built by a helper, a variable, and None."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")


def properties_for(page: str) -> dict:
    return {"page": page, "referrer": page + "-ref"}


props = properties_for("home")
client.track(BaseEvent("Viewed", user_id="user-1", event_properties=props))
client.track(BaseEvent("Viewed", user_id="user-1", device_id="device-1", event_properties=properties_for("cart")))
nothing = None
client.track(BaseEvent("Viewed", device_id="device-2", event_properties=nothing))
for index in range(2):
    client.track(BaseEvent("Looped", user_id=f"user-{index}", event_properties={"i": index, **props}))
