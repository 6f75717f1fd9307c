"""AP01 / AP14 with Config(flush_queue_size=…): BufferedConsumer; its flush() is left for a human."""

from amplitude import Amplitude, BaseEvent, Config

client = Amplitude("AMPLITUDE_KEY", Config(flush_queue_size=20))

client.track(BaseEvent("Batched", user_id="user-1", event_properties={"n": 1}))
client.track(BaseEvent("Batched", user_id="user-2", event_properties={"n": 2}))
client.flush()  # manual
