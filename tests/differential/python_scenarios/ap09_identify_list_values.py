"""AP09 with list values for append/remove/pre_insert (ID012 approximations, same wire data)."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

client.identify(
    Identify().append("tags", ["a", "b"]).remove("roles", ["x", "y"]).pre_insert("langs", ["fr", "de"]),
    EventOptions(user_id="user-1"),
)
