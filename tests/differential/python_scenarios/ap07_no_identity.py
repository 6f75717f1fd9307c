"""AP07: an event with neither id is manual (Amplitude rejected it; ID006, ID021)."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Anonymous"))  # manual
