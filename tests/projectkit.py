"""Running the whole flow (plan, then each file) over a project tree, as the CLI does."""

from __future__ import annotations

import os
from pathlib import Path

from codemod.discovery import discover
from codemod.options import Options
from codemod.runner import run


def migrate_tree(tree: Path, paths: list[str] | None = None) -> dict[str, str]:
    """Each changed file's output (by its path in `tree`), from inside `tree`; `paths`
    names only some files, as pre-commit does."""
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        files = paths or discover(["."])
        roots = [Path(p) for p in (paths or ["."])]
        pairs = run(files, roots, Options(), jobs=1)
    finally:
        os.chdir(cwd)
    return {os.path.normpath(job.display): (result.output or b"").decode()
            for job, result in pairs if result.status == "changed"}
