"""Install a test folder's pinned npm packages: `npm ci --ignore-scripts` from its lock file.

Skipped when npm's own record of the install (`node_modules/.package-lock.json`) is newer
than the lock file. npm missing is an error, never a skip: the tests that need it would
otherwise pass having checked nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def npm_ci(folder: Path) -> Path:
    """`npm ci` the packages pinned in `folder/package-lock.json`; their `node_modules`."""
    lock = folder / "package-lock.json"
    node_modules = folder / "node_modules"
    installed = node_modules / ".package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return node_modules
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is not installed: {folder} needs Node.js and npm on PATH")
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(folder)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm ci in {folder} failed:\n{done.stdout}\n{done.stderr}")
    return node_modules
