"""Ampli (Python): an application that only calls the generated wrapper (`ampli/`, beside it)."""

from ampli import Environment, EventOptions, Group, Identify, LoadOptions, SongPlayed, ampli

ampli.load(LoadOptions(environment=Environment.PRODUCTION))

ampli.identify("user-1", Identify(plan="pro"))
ampli.song_played("user-1", SongPlayed(song_id="s-1", source=SongPlayed.Source.SEARCH))
ampli.signed_up(None, EventOptions(device_id="device-9", platform="web"))
ampli.song_played("user-2", SongPlayed(song_id="s-2"), EventOptions(insert_id="play-s-2"))
ampli.set_group("user-1", "org", "acme")
ampli.set_group("user-2", "team", ["red", "blue"])
ampli.group_identify("org", "acme", Group(seats=12))

ampli.flush()
ampli.shutdown()
