"""AP09: every mappable Identify operator, in one chain, for a user id."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

client.identify(
    Identify()
    .set("plan", "pro")
    .set_once("first_seen", "2024-01-01")
    .add("logins", 1)
    .append("tags", "beta")
    .pre_insert("langs", "fr")
    .post_insert("langs2", "en")
    .remove("roles", "guest")
    .unset("legacy"),
    EventOptions(user_id="user-1"),
)
