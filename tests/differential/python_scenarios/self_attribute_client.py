"""AP01 receiver forms: a client held on `self` and the `amplitude.Amplitude` module spelling."""

import amplitude


class Tracker:
    def __init__(self) -> None:
        self.client = amplitude.Amplitude("AMPLITUDE_KEY")

    def signed_up(self, uid: str) -> None:
        self.client.track(amplitude.BaseEvent("Signed Up", user_id=uid, event_properties={"via": "self"}))


Tracker().signed_up("user-1")
