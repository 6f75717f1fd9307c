"""AP14 / AP15: flush and shutdown with the default consumer (deleted: Mixpanel sends at once)."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")


def work() -> None:
    client.track(BaseEvent("Job Done", user_id="worker-1", event_properties={"ok": True}))
    client.flush()


work()
client.track(BaseEvent("Job Done", user_id="worker-2"))
client.shutdown()
