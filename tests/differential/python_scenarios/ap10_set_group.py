"""AP10: set_group with a name, a list of names and a variable (profile $set {type: [names]})."""

from amplitude import Amplitude, EventOptions

client = Amplitude("AMPLITUDE_KEY")

client.set_group("org", "acme", EventOptions(user_id="user-1"))
client.set_group("team", ["t1", "t2"], EventOptions(user_id="user-1"))
name = "globex"
client.set_group("org", name, EventOptions(user_id="user-2"))
names = ["t3"]
client.set_group("team", names, EventOptions(device_id="device-2"))
