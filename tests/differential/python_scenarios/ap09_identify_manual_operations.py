"""AP09 / ID012: prepend and clear_all have no Mixpanel equivalent: the call stays for a human."""

from amplitude import Amplitude, EventOptions, Identify

client = Amplitude("AMPLITUDE_KEY")

client.identify(Identify().prepend("x", 1).set("y", 2), EventOptions(user_id="user-1"))  # manual
client.identify(Identify().set("y", 2).clear_all(), EventOptions(user_id="user-1"))  # manual
