"""The cheap test in front of the Python HTTP planner (`may_call_amplitude_http`).

The planner parses a module with libcst metadata, which costs more than the SDK migration of
most modules; the cheap test lets it run only where it can find something. It must never
turn away a module the planner would rewrite or report: property below.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from codemod.catalogue import load_catalogue
from codemod.http.python import amplitude_url_name, may_call_amplitude_http, migrate_http
from codemod.options import Options

CATALOGUE = load_catalogue()
NAMES = ["AMPLITUDE_API_KEY", "AMPLITUDE_URL", "amplitude_endpoint", "AMPLITUDE_API",
         "AMPLITUDE_HOST", "amplitudeApiKey", "API_URL", "url"]
IMPORTS = ["import requests", "import httpx", "from amplitude import Amplitude",
           "from django.conf import settings", "import json"]
URLS = ['"https://api2.amplitude.com/2/httpapi"', '"https://example.com/track"',
        '"https://api.eu.amplitude.com/batch"']


@st.composite
def modules(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(IMPORTS), max_size=4, unique=True))
    for name in draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)):
        lines.append(f"{name} = {draw(st.sampled_from(URLS))}")
    for _ in range(draw(st.integers(1, 3))):
        lib = draw(st.sampled_from(["requests", "httpx"]))
        target = draw(st.sampled_from([*NAMES, *URLS, "settings.AMPLITUDE_URL",
                                       "settings.AMPLITUDE_API_KEY"]))
        lines.append(f"{lib}.post({target}, json={{'api_key': KEY, 'events': [{{'event_type': "
                     f"'x', 'user_id': 'u'}}]}})")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(text=modules())
def test_a_module_the_cheap_test_turns_away_has_nothing_for_the_planner(text: str) -> None:
    if may_call_amplitude_http(text):
        return
    result = migrate_http(text, CATALOGUE, Options())
    assert (result.code, result.changes, result.findings) == (text, [], []), text


def test_an_sdk_module_that_also_uses_an_http_library_is_not_planned() -> None:
    text = ("import httpx\nfrom amplitude import Amplitude, BaseEvent\n\n"
            "AMPLITUDE_API_KEY = 'k'\nclient = Amplitude(AMPLITUDE_API_KEY)\n\n"
            "async def fetch(url):\n    return await httpx.AsyncClient().get(url)\n")
    assert not may_call_amplitude_http(text)


def test_url_settings_are_names_that_say_url_but_api_keys_are_not() -> None:
    assert [amplitude_url_name(n) for n in NAMES] == [
        False, True, True, True, True, False, False, False]
