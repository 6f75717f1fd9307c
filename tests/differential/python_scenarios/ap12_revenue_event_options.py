"""AP12 with EventOptions time and insert_id: §5.2 maps them on the revenue event too."""

from amplitude import Amplitude, EventOptions, Revenue

client = Amplitude("AMPLITUDE_KEY")

# rule bug: AP12 drops EventOptions time/insert_id (and any other §5.2 field) from the Revenue event without a finding; Amplitude sent time 1700000000000 and insert_id "rev-1"
client.revenue(Revenue(price=3.0, quantity=1), EventOptions(user_id="user-1", insert_id="rev-1", time=1700000000000))
