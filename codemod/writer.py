"""Writing a migrated file so that an interrupted run never leaves a half-written one.

The new bytes go to a temporary file in the same directory, are flushed to disk and then
`os.replace`d over the original: on POSIX a reader (or a crash) sees either the old or the new
content. The file's permission bits (and, where the user may set it, its owner) are kept, and
a read-only file (no write bit for its owner, or not writable by this user) is refused with
"Permission denied", as black and ruff refuse it.
A run killed between creating the temporary file and the rename leaves that one temporary file
behind (the original is intact); the next write of the same file removes it.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".amp2mp"


class ChangedOnDisk(OSError):
    """The file no longer holds the bytes the migration started from; writing would lose work."""


def temp_pattern(target: Path) -> str:
    """The glob matching temporary files `write_atomic` creates next to `target`."""
    return os.path.join(glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*{TEMP_SUFFIX}")


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete temporary files an interrupted earlier run left next to `target`."""
    removed = []
    for name in glob.glob(temp_pattern(target)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
            removed.append(Path(name))
    return removed


def write_atomic(path: str | Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file `path` resolves to with `data`, atomically, keeping its mode.

    With `expected`, the file must still hold exactly those bytes (the ones the migration was
    computed from); an editor saving in between makes this raise `ChangedOnDisk` instead of
    overwriting the user's newer text.
    """
    target = Path(os.path.realpath(path))
    info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ChangedOnDisk(f"{target} is not a regular file")
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        # A rename would replace a file its owner made read-only (even as root): refuse as
        # black and ruff do, whose plain open() for writing fails here.
        raise PermissionError(errno.EACCES, "Permission denied", str(target))
    if expected is not None and target.read_bytes() != expected:
        raise ChangedOnDisk(f"{target} changed on disk during the run; it was not rewritten")
    remove_stale_temps(target)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            # Keep the owner when allowed to (root running over a team's checkout).
            with contextlib.suppress(PermissionError):
                os.chown(temp, info.st_uid, info.st_gid)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
