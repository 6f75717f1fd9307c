"""No lost work: which files `--write` must not touch because git could not give them back.

A rewrite is safe to undo only when git holds the file's current content: the file is tracked
and has no staged or unstaged change. Otherwise `git checkout` after a bad run would also throw
away the user's own edits (or there is nothing to check out at all). This is `cargo fix`'s
rule: refuse and name the files, unless the user says `--allow-dirty`.

Outside a git work tree, or without a git executable, there is nothing to compare with and no
file is reported.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

# pre-commit sets this for its hooks; it passes file names explicitly and stashes unstaged
# changes itself, so staged-but-uncommitted files are the normal case there, not a danger.
PRE_COMMIT_ENV = "PRE_COMMIT"


def exempt() -> bool:
    """True when the run is a pre-commit hook, which the dirty-tree check must let through."""
    return os.environ.get(PRE_COMMIT_ENV) == "1"


def _git(top: str, *args: str) -> bytes:
    return subprocess.run(
        ["git", "-C", top, *args], capture_output=True, check=True
    ).stdout


def _toplevel(directory: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", directory, "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return os.path.realpath(out) if out else None


def _status(top: str) -> dict[str, str]:
    """Real path -> why, for every uncommitted path git reports in the work tree `top`."""
    entries = _git(top, "status", "--porcelain=v1", "-z", "--untracked-files=all").split(b"\0")
    why: dict[str, str] = {}
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        x, y, name = chr(entry[0]), chr(entry[1]), os.fsdecode(entry[3:])
        if x in "RC":
            index += 1  # a rename or copy is followed by its source path
        if x == "?":
            reason = "untracked: git has no copy to restore"
        elif y != " " and x != " ":
            reason = "staged and unstaged changes not committed"
        elif x != " ":
            reason = "staged changes not committed"
        else:
            reason = "changes not committed"
        why[os.path.realpath(os.path.join(top, name))] = reason
    return why


def _tracked(top: str) -> set[str]:
    listing = _git(top, "ls-files", "-z", "--cached", "--full-name").split(b"\0")
    return {os.path.realpath(os.path.join(top, os.fsdecode(raw))) for raw in listing if raw}


def dirty_files(paths: Iterable[str | Path]) -> dict[str | Path, str]:
    """Each path whose file (after following links) git could not restore, with the reason."""
    found: dict[str | Path, str] = {}
    tops: dict[str, str | None] = {}
    states: dict[str, tuple[dict[str, str], set[str]]] = {}
    for path in paths:
        real = os.path.realpath(path)
        directory = os.path.dirname(real)
        if directory not in tops:
            tops[directory] = _toplevel(directory)
        top = tops[directory]
        if top is None:
            continue
        if top not in states:
            try:
                states[top] = (_status(top), _tracked(top))
            except (OSError, subprocess.CalledProcessError):
                continue
        status, tracked = states[top]
        if real in status:
            found[path] = status[real]
        elif real not in tracked:
            found[path] = "ignored by git: git has no copy to restore"
    return found


def refusal(paths: Iterable[str | Path]) -> str | None:
    """The message refusing `--write` when some of `paths` hold uncommitted work, else None."""
    dirty = dirty_files(paths)
    if not dirty:
        return None
    lines = [f"  {path}: {why}" for path, why in sorted(dirty.items(), key=lambda item: str(item[0]))]
    return "\n".join([
        f"error: refusing to rewrite {len(dirty)} file(s) that git could not restore afterwards:",
        *lines,
        "Commit or stash these changes first, or pass --allow-dirty to rewrite them anyway.",
        "Nothing was written.",
    ])


# Folders that mark a version-controlled tree other than git's (which `git rev-parse` finds).
OTHER_VCS = (".hg", ".svn", ".bzr", "_darcs", ".fossil", "_FOSSIL_", ".pijul", ".jj")


def _other_vcs(directory: str) -> bool:
    here = directory
    while True:
        if any(os.path.exists(os.path.join(here, marker)) for marker in OTHER_VCS):
            return True
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent


def outside_vcs(paths: Iterable[Path]) -> list[Path]:
    """The paths (after following links) that no version control system holds at all."""
    found = []
    known: dict[str, bool] = {}
    for path in paths:
        directory = os.path.dirname(os.path.realpath(path))
        if directory not in known:
            known[directory] = _toplevel(directory) is not None or _other_vcs(directory)
        if not known[directory]:
            found.append(path)
    return found


def no_vcs_refusal(paths: Iterable[Path]) -> str | None:
    """The message refusing `--write` on files outside any version control (cargo fix's
    `--allow-no-vcs`): nothing could give their old content back."""
    outside = outside_vcs(paths)
    if not outside:
        return None
    shown = [f"  {path}" for path in sorted(outside)[:20]]
    if len(outside) > 20:
        shown.append(f"  ... and {len(outside) - 20} more")
    return "\n".join([
        f"error: refusing to rewrite {len(outside)} file(s) outside any version control "
        "(git, hg, svn, ...): nothing could restore them afterwards:",
        *shown,
        "Put them under version control first, or pass --allow-no-vcs to rewrite them anyway.",
        "Nothing was written.",
    ])


def toplevel(directory: str) -> str | None:
    """The resolved root of the git work tree holding `directory`, or None."""
    return _toplevel(directory)
