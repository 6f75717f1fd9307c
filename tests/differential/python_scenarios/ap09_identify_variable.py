"""AP09: an Identify built in a variable and mutated unconditionally before the call."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")


def update_profile(uid: str, plan: str) -> None:
    identify = Identify()
    identify.set("plan", plan)
    identify.set_once("signup_plan", plan).add("upgrades", 1)
    client.identify(identify, EventOptions(user_id=uid))


update_profile("user-1", "pro")
update_profile("user-2", "team")
