"""AP11: group_identify operators that group profiles support."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

client.group_identify(
    "org", "acme",
    Identify().set("tier", "gold").set_once("since", 2020).unset("trial").remove("flags", "x").post_insert("regions", "eu"),
)
client.group_identify("org", "globex", Identify().set("tier", "silver"), EventOptions(user_id="user-1"))
