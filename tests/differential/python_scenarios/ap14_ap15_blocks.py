"""AP14 / AP15 inside functions and branches (a deleted call leaves `pass`), shutdown last."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")


def done() -> None:
    client.flush()


def stop(ok: bool) -> None:
    if ok:
        client.shutdown()
    else:
        client.flush()


client.track(BaseEvent("Started", user_id="user-1"))
done()
client.track(BaseEvent("Finished", user_id="user-1"))
stop(True)
