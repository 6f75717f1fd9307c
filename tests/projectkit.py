"""Running the whole flow (plan, then each file) over a project tree, as the CLI does."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from codemod.discovery import discover
from codemod.options import Options
from codemod.project.index import ProjectIndex, read_limited
from codemod.project.jsindex import index_js
from codemod.project.summary import summarizer
from codemod.results import FileResult
from codemod.runner import run


def read_tree(root: Path) -> dict[str, str]:
    """Every file under `root`, by its path there."""
    return {p.relative_to(root).as_posix(): p.read_text()
            for p in sorted(root.rglob("*")) if p.is_file()}


def write_tree(tree: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text)


def substituted(files: dict[str, str], sites: Iterable[tuple[str, int]], pattern: re.Pattern[str],
                replacement: str) -> dict[str, str]:
    """`files` with `pattern` replaced on each (file, line index) of `sites`: the uses a
    property test makes manual or opaque."""
    files = dict(files)
    for name, number in sites:
        lines = files[name].splitlines(keepends=True)
        lines[number] = pattern.sub(replacement, lines[number])
        files[name] = "".join(lines)
    return files


def run_tree(tree: Path, paths: list[str] | None = None) -> dict[str, FileResult]:
    """Each file's result (by its path in `tree`), run from inside `tree`; `paths` names
    only some files, as pre-commit does."""
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        files = paths or discover(["."])
        roots = [Path(p) for p in (paths or ["."])]
        pairs = run(files, roots, Options(), jobs=1)
    finally:
        os.chdir(cwd)
    return {os.path.normpath(job.display): result for job, result in pairs}


def migrate_tree(tree: Path, paths: list[str] | None = None) -> dict[str, str]:
    """Each changed file's output (by its path in `tree`)."""
    return {name: (result.output or b"").decode()
            for name, result in run_tree(tree, paths).items() if result.status == "changed"}


def migrated_files(tree: Path, files: dict[str, str]) -> dict[str, str]:
    """`files` written into `tree` and run through the whole flow: every file as it ends,
    changed or not."""
    write_tree(tree, files)
    changed = migrate_tree(tree)
    return {name: changed.get(name, text) for name, text in files.items()}


def index_tree(tree: Path) -> ProjectIndex:
    """The JavaScript project index of every file under `tree`, `.vue` and `.html` files as
    markup."""
    paths = sorted(str(p) for p in tree.rglob("*") if p.is_file())
    read = read_limited(1 << 20)
    index = ProjectIndex()
    index_js([p for p in paths if not p.endswith((".vue", ".html"))], read,
             summarizer(read, None), index, tuple(p for p in paths if p.endswith((".vue", ".html"))))
    return index
