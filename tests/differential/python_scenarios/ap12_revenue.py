"""AP12: revenue = price × quantity, REV properties, properties merged, an explicit revenue."""

from amplitude import Amplitude, EventOptions, Revenue

client = Amplitude("AMPLITUDE_KEY")

client.revenue(
    Revenue(price=9.99, quantity=3, product_id="sku-1", revenue_type="purchase", currency="EUR",
            properties={"coupon": "X1"}),
    EventOptions(user_id="user-1"),
)
client.revenue(Revenue(price=4.5), EventOptions(user_id="user-1", device_id="device-1"))
client.revenue(Revenue(price=2.0, quantity=2, revenue=10.0), EventOptions(device_id="device-2"))
receipt = Revenue(price=1.25, quantity=4, receipt="r-1", receipt_sig="sig-1")
client.revenue(receipt, EventOptions(user_id="user-3"))
