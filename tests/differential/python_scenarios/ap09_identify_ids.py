"""AP09 identity: device id only (ID007), both ids, and event properties (dropped by §5.3)."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

client.identify(Identify().set("theme", "dark"), EventOptions(device_id="device-1"))
client.identify(Identify().set("theme", "light"), EventOptions(user_id="user-1", device_id="device-1"))
uid = "user-2"
client.identify(Identify().set("lang", "fr"), EventOptions(user_id=uid), event_properties={"source": "settings"})
