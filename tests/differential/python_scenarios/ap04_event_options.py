"""AP04: event-option fields become Mixpanel properties (§5.2): time, insert id, device fields."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(
    BaseEvent(
        "Played",
        user_id="user-1",
        device_id="device-1",
        event_properties={"song": "a"},
        time=1700000000123,
        insert_id="ins-0001",
        app_version="2.1.0",
        platform="iOS",
        os_name="ios",
        os_version="17.1",
        device_brand="Apple",
        device_manufacturer="Apple",
        device_model="iPhone15,2",
        carrier="Orange",
        city="Paris",
        region="IDF",
        country="France",
        location_lat=48.85,
        location_lng=2.35,
        language="fr",
        ip="203.0.113.9",
        session_id=1700000000000,
    )
)
client.track(BaseEvent("Paused", user_id="user-1", time=1700000001000, insert_id="ins-0002", dma="X"))
