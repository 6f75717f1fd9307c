"""Drive the JavaScript differential runners (`js/run-*.js`) from pytest.

The pinned SDKs live in `js/node_modules`, installed from `js/package-lock.json` with
`npm ci --ignore-scripts` once per test session (skipped when npm's own record of the install,
`node_modules/.package-lock.json`, is newer than the lock file). Scenario and migrated files
resolve the SDKs through NODE_PATH, so the runner and the scenario share one module instance.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from canonical import Record, Window, amplitude_records, mixpanel_records

JS = Path(__file__).resolve().parent / "js"
NODE_MODULES = JS / "node_modules"


def install_sdks() -> Path:
    """`npm ci` the pinned SDKs unless this lock file is already installed."""
    lock = JS / "package-lock.json"
    installed = NODE_MODULES / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(JS)],
            check=True, capture_output=True, text=True, timeout=600,
        )
    return NODE_MODULES


def run_node(runner: str, mode: str, file: Path) -> tuple[list[Any], Window]:
    """Run `js/<runner>` on one file; the captured JSON and the wall-clock window it ran in."""
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES), "MIXPANEL_TOKEN": "TEST_TOKEN"}
    start = time.time()
    done = subprocess.run(
        ["node", str(JS / runner), mode, str(file)], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )
    window = Window(start, time.time())
    assert done.returncode == 0, f"{runner} {mode} {file.name} failed:\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1]), window


def node_amplitude(file: Path) -> list[Record]:
    events, window = run_node("run-node.js", "amplitude", file)
    return [record for event in events for record in amplitude_records(event, window)]


def node_mixpanel(file: Path) -> list[Record]:
    sent, window = run_node("run-node.js", "mixpanel", file)
    return [record for item in sent for record in mixpanel_records(item["endpoint"], item["data"], window)]
