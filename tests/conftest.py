"""Every test runs with a result cache of its own, so no run answers from another's rows
and nothing is written to the user's cache folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMP2MP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
