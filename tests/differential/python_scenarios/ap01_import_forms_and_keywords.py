"""AP01 module alias, deep imports, two clients (one EU), keyword call forms, identify value kinds."""

import amplitude as amp
from amplitude.event import BaseEvent, EventOptions, Identify

client = amp.Amplitude("AMPLITUDE_KEY")
other = amp.Amplitude("OTHER_KEY", amp.Config(server_zone="EU"))

client.track(event=BaseEvent("Kw", user_id="user-1"))
other.track(BaseEvent("Other", user_id="user-2"))
client.identify(Identify().set("prefs", {"a": 1}).append("tags", "x").add("score", 1.5).remove("old", ["p", "q"]).set_once("prefs", "z"), EventOptions(user_id="user-1"))
client.identify(identify_obj=Identify().set("k", "v"), event_options=EventOptions(user_id="user-1"))
client.group_identify("org", "acme", Identify().set("a", 1), EventOptions(device_id="device-1"))
client.track(BaseEvent("Empty", user_id="", device_id="device-3"))
client.track(BaseEvent("ZeroQty", user_id="user-1", event_properties={"n": 0, "flag": False, "list": [], "d": {}}))
