"""Ampli (Python): the application gives the key and an EU configuration through load()."""

from ampli import Config, LoadClientOptions, LoadOptions, SongPlayed, ampli

ampli.load(LoadOptions(client=LoadClientOptions(api_key="TEST_TOKEN",
                                                configuration=Config(server_zone="EU"))))
ampli.song_played("user-3", SongPlayed(song_id="s-3"))
ampli.flush()
