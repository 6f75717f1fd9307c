"""AP13: IdentifyEvent and RevenueEvent passed to track expand like AP09 / AP12."""

from amplitude import Amplitude, Identify, IdentifyEvent, Revenue, RevenueEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(IdentifyEvent(user_id="user-1", identify_obj=Identify().set("plan", "pro").add("n", 1)))
client.track(RevenueEvent(user_id="user-1", revenue_obj=Revenue(price=3.5, quantity=2, product_id="p")))
client.track(IdentifyEvent(device_id="device-1", identify_obj=Identify().unset("x").set_once("y", 1)))
