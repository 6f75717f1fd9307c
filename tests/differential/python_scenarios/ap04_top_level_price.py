"""AP04 / §5.2: price and quantity on a plain event: Mixpanel gets revenue = price × quantity too."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

# rule bug: AP04 maps price/quantity/product_id but never adds the computed "revenue" property (§5.2 row price/quantity/revenue, §3.7)
client.track(BaseEvent("Priced", user_id="user-1", price=2.5, quantity=2, product_id="p"))
