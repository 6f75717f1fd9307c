"""AP12 with EventOptions time and insert_id: §5.2 maps them on the revenue event too."""

from amplitude import Amplitude, EventOptions, Revenue

client = Amplitude("AMPLITUDE_KEY")

client.revenue(Revenue(price=3.0, quantity=1), EventOptions(user_id="user-1", insert_id="rev-1", time=1700000000000))
