"""AP12: quantity 0 fails Revenue.is_valid (Amplitude drops it; ID013); a "price" key in
properties is overridden by the Revenue price on both sides."""

from amplitude import Amplitude, EventOptions, Revenue

client = Amplitude("AMPLITUDE_KEY")

client.revenue(Revenue(price=9.99, quantity=0), EventOptions(user_id="user-1"))  # differs: ID013
price = 5.0
client.revenue(Revenue(price=price, product_id="x", properties={"price": 1, "k": 2}), EventOptions(user_id="user-1"))
