"""AP01 with Config(server_zone="EU"): the Mixpanel consumer must target the EU host (ID022)."""

from amplitude import Amplitude, BaseEvent, Config

client = Amplitude("AMPLITUDE_KEY", Config(server_zone="EU"))

client.track(BaseEvent("Resident", user_id="user-1"))
