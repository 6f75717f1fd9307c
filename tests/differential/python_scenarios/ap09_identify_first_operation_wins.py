"""AP09 / §3.6: one operation per key (the first wins), applied in Amplitude's server order."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

# Written in "wrong" order: remove before set, unset last; later ops on a used key are ignored.
client.identify(
    Identify().remove("roles", "guest").add("score", 5).set("plan", "pro").set("plan", "free")
    .unset("plan").set_once("score", 1).unset("old"),
    EventOptions(user_id="user-1"),
)
# Two Identify calls in sequence: each is its own batch of operations.
client.identify(Identify().set("plan", "team"), EventOptions(user_id="user-1"))
client.identify(Identify().add("score", 2).add("score", 3), EventOptions(user_id="user-1"))
