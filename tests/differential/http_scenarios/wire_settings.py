"""A project's settings module, as scenarios read it (`settings.AMPLITUDE_ENDPOINT`, ...)."""

from types import SimpleNamespace

settings = SimpleNamespace(
    AMPLITUDE_API_KEY="amp-key-0001",
    AMPLITUDE_ENDPOINT="https://api2.amplitude.com/2/httpapi",
    MIXPANEL_TOKEN="mp-token-0001",
)
