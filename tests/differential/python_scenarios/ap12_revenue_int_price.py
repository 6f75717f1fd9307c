"""AP12 / ID013: Amplitude silently drops a Revenue whose price is not a float; Mixpanel sends it."""

from amplitude import Amplitude, EventOptions, Revenue

client = Amplitude("AMPLITUDE_KEY")

client.revenue(Revenue(price=10, quantity=2), EventOptions(user_id="user-1"))  # differs: ID013
client.revenue(Revenue(price=10.0, quantity=2), EventOptions(user_id="user-1"))
