"""One parametrized test over `fixtures/projects/<case>/`: whole small projects.

A case holds an `input/` tree, the `expected/` tree the tool must leave (every file, byte for
byte; a file absent from `expected/` must not exist) and `expected-report.json`: per file
(as the report names it) its `status`, `findings` as `[line, rule, caveat, severity]` rows
and `changes` as `[line, rule]` rows, and under `"messages"` `[path, line, text]` rows whose
finding must contain `text`. The real command line runs on a copy of the input tree, from
inside it, with `--write`; a second run over what it wrote must change nothing, and where the
first left nothing for a human, `--check` passes on it. A new case is a new folder, never new
test code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
CASES = sorted(case for case in ROOT.iterdir() if (case / "input").is_dir())


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def migrate_project(tree: Path, report: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line, run from inside `tree` over `.`, with a JSON report."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "codemod", "--write", "--allow-no-vcs", "--no-cache", "-q",
         "--report", str(report), *args, "."],
        cwd=tree, capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_project(case: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(case / "input", tree)
    first = migrate_project(tree, tmp_path / "report.json")
    assert first.returncode in (0, 1), first.stderr
    assert _tree(tree) == _tree(case / "expected")
    expected = json.loads((case / "expected-report.json").read_text())
    files = {f["path"]: f for f in json.loads((tmp_path / "report.json").read_text())["files"]}
    got = {
        path: {
            "status": f["status"],
            "findings": [[g["line"], g["rule"], g["caveat"], g["severity"]]
                         for g in f["findings"]],
            "changes": [[c["line"], c["rule"]] for c in f["changes"]],
        }
        for path, f in files.items()
    }
    assert got == expected["files"]
    for path, line, text in expected.get("messages", []):
        messages = [g["message"] for g in files[path]["findings"] if g["line"] == line]
        assert any(text in m for m in messages), (path, line, messages)
    again = migrate_project(tree, tmp_path / "again.json")
    assert again.returncode in (0, 1), again.stderr
    assert _tree(tree) == _tree(case / "expected"), "a second run changed the project again"
    rerun = json.loads((tmp_path / "again.json").read_text())
    assert all(f["status"] != "changed" for f in rerun["files"])
    if not any(g["severity"] == "manual" for f in files.values() for g in f["findings"]):
        # Nothing was left for a human: CI's `--check` passes on the migrated project.
        check = subprocess.run([sys.executable, "-m", "codemod", "--check", "--no-cache", "."],
                               cwd=tree, capture_output=True, text=True, timeout=600)
        assert check.returncode == 0, check.stdout + check.stderr
