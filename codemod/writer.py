"""Writing a migrated file so that an interrupted run never leaves a half-written one.

The new bytes go to a temporary file in the same directory, are flushed to disk and then
`os.replace`d over the original: on POSIX a reader (or a crash) sees either the old or the new
content. The file's permission bits are kept.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".amp2mp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
