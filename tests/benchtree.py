"""Realistic modules for tests, from the benchmark's own seeded generator (`bench/gen_tree.py`).

Hand-written fixtures are short; the slicing tests need 200-300 line modules where most code
has nothing to do with Amplitude, which is what the generator writes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(tmp_path: Path, files: int, mix: str, seed: int) -> Path:
    """A tree of `files` source files, half of them using Amplitude; returns its folder."""
    tree = tmp_path / "tree"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_tree.py"), "--files", str(files),
         "--amp-ratio", "0.5", "--mix", mix, "--vendor-files", "0", "--seed", str(seed),
         "--out", str(tree), "--no-git", "--truth", str(tmp_path / "truth.json")],
        check=True, capture_output=True,
    )
    return tree
