"""AP11: a list of group names has no single Mixpanel group profile: left for a human (ID011)."""

from amplitude import Amplitude, Identify

client = Amplitude("AMPLITUDE_KEY")

client.group_identify("org", ["a", "b"], Identify().set("tier", "gold"))  # manual
