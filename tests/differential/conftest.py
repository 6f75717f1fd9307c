"""Differential suite setup: this folder's helpers import as top-level modules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

# Scenario sources are inputs, not tests: never collect them.
collect_ignore_glob = [
    "python_scenarios/*", "python_ampli/*", "http_scenarios/*", "node_scenarios/*",
    "browser_scenarios/*", "js/*", "ampli_scenarios/*",
]


@pytest.fixture(scope="session")
def js_sdks() -> Path:
    """The pinned npm SDKs, installed once per session (see jsrun.install_sdks)."""
    from jsrun import install_sdks

    return install_sdks()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the scenario table of the issue-6 note when the differential suite ran."""
    reports = [r for rs in terminalreporter.stats.values() for r in rs]
    if not any("differential" in str(getattr(r, "nodeid", "")) for r in reports):
        return
    from summary import lines

    terminalreporter.section("differential scenarios")
    for line in lines():
        terminalreporter.write_line(line)
