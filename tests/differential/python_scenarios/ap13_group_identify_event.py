"""AP13: a GroupIdentifyEvent passed to track becomes the group-profile calls of AP11."""

from amplitude import Amplitude, GroupIdentifyEvent, Identify

client = Amplitude("AMPLITUDE_KEY")

client.track(GroupIdentifyEvent(user_id="user-1", groups={"org": "acme"}, identify_obj=Identify().set("tier", "gold").set_once("since", "2020")))
