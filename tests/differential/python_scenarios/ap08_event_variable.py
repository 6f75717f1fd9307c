"""AP08: an event built in an earlier statement and passed by name, in a function."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")


def checkout(uid: str, total: int) -> None:
    event = BaseEvent("Checked Out", user_id=uid, event_properties={"total": total})
    client.track(event)


checkout("user-1", 30)
checkout("user-2", 12)
