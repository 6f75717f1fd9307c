"""Shape check for rules/caveats.toml: the spec §4 catalogue, ID001–ID027, six string keys each
and the optional `message` template a site's finding says."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CAVEATS = Path(__file__).resolve().parents[1] / "rules" / "caveats.toml"
KEYS = {"title", "scope", "trigger", "explanation", "action", "docs"}
IDS = [f"ID{n:03d}" for n in range(1, 28)]


@pytest.fixture(scope="module")
def caveats() -> dict:
    with CAVEATS.open("rb") as fh:
        return tomllib.load(fh)


def test_exactly_id001_to_id027(caveats: dict) -> None:
    assert sorted(caveats) == IDS


@pytest.mark.parametrize("cid", IDS)
def test_caveat_shape(caveats: dict, cid: str) -> None:
    table = caveats[cid]
    assert isinstance(table, dict)
    assert KEYS <= set(table) <= KEYS | {"message"}
    for key in set(table):
        assert isinstance(table[key], str), (cid, key)
        assert table[key].strip(), (cid, key)
    assert table["scope"] in {"global", "site"}
    assert table["docs"].startswith("https://docs.mixpanel.com/")
    if table["scope"] == "site":  # a site's finding says what the site did, not only the topic
        assert "{code}" in table.get("message", ""), cid
