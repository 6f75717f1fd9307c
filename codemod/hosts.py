"""Amplitude's own endpoints, which an init option may name and a Mixpanel client never may.

A `serverUrl`/`server_url` on an Amplitude host says where Amplitude's data went, not where
Mixpanel's should: carried into `api_host`, every event would be posted to Amplitude's
ingestion and lost. Any other URL is a proxy the project runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def amplitude_host(url: object) -> str | None:
    """The host of `url` when it is one of Amplitude's (`*.amplitude.com`), else None."""
    if not isinstance(url, str):
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host if host == "amplitude.com" or host.endswith(".amplitude.com") else None


def is_eu(host: str) -> bool:
    """Whether an Amplitude host is its EU data centre's (`api.eu.amplitude.com`)."""
    return ".eu." in f".{host}"
