"""What the result cache needs before it is opened: where it lives, whether a run uses it,
and a file's stamp. Kept apart from `cache` (sqlite3, hashlib, pickle), which a run over a
few named files never imports."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

CACHE_DIR_ENV = "AMP2MP_CACHE_DIR"
FEW_FILES = 16

# (size, mtime, ctime, inode): what `stat` says of one version of a file.
Stamp = tuple[int, int, int, int]


def worth_opening(paths: list[str], files: int) -> bool:
    """Whether a run should use the cache at all.

    A run over a few named files (pre-commit on one commit's files) skips it: those files
    were just edited, so the cache could neither answer for them nor record them (see
    `RACY_SECONDS`), and opening it would cost more than migrating a small file.
    """
    return files > FEW_FILES or any(os.path.isdir(path) for path in paths)


def default_directory() -> Path:
    """`$AMP2MP_CACHE_DIR`, else the platform's user cache folder (never the project)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "amp2mp-codemod" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "amp2mp-codemod"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "amp2mp-codemod"


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def stat_lines(folders: Iterable[str | Path], suffixes: tuple[str, ...]) -> list[str]:
    """`path size mtime` of every file ending in one of `suffixes` under `folders`, in a
    stable order: text that changes with any edit or reinstall of those files, for keys."""
    lines = []
    pending = [os.fspath(folder) for folder in folders]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    pending.append(entry.path)
                elif entry.name.endswith(suffixes):
                    info = entry.stat()
                    lines.append(f"{entry.path} {info.st_size} {info.st_mtime_ns}")
    return lines
