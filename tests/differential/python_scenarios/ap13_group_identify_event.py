"""AP13: a GroupIdentifyEvent passed to track; the tool leaves it for a human (ID011)."""

from amplitude import Amplitude, GroupIdentifyEvent, Identify

client = Amplitude("AMPLITUDE_KEY")

client.track(GroupIdentifyEvent(groups={"org": "acme"}, identify_obj=Identify().set("tier", "gold")))  # manual
