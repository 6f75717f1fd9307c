"""AP04 / §5.2: price and quantity on a plain event: Mixpanel gets revenue = price × quantity too."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Priced", user_id="user-1", price=2.5, quantity=2, product_id="p"))
