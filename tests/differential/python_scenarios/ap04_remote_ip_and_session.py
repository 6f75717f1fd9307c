"""AP04 / §5.2: ip "$remote" means "use the request IP" (omit ip); session_id -1 means none."""

from amplitude import Amplitude, BaseEvent

client = Amplitude("AMPLITUDE_KEY")

client.track(BaseEvent("Pinged", user_id="user-1", ip="$remote"))
client.track(BaseEvent("Pinged", user_id="user-1", session_id=-1))
client.track(BaseEvent("Pinged", user_id="user-1", ip="198.51.100.4", session_id=1700000000000))
