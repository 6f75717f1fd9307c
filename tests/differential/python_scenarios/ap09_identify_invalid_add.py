"""AP09: add() with a string is dropped by Amplitude; an Identify left empty sends nothing."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

client.identify(Identify().add("n", "3"), EventOptions(user_id="user-1"))
client.identify(Identify().add("n", "3").set("k", "v"), EventOptions(user_id="user-1"))
