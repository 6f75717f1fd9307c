"""Unified diffs that `git apply` accepts.

Diffs are computed on bytes, so CRLF endings, a BOM and non-UTF-8 codecs survive exactly, and
a last line without a newline gets git's `\\ No newline at end of file` marker.
"""

from __future__ import annotations

import difflib

_NO_NEWLINE = b"\\ No newline at end of file\n"


def unified_diff(path: str, before: bytes, after: bytes, context: int = 3) -> bytes:
    """A `diff --git`-style patch with `a/` and `b/` prefixes on the given relative path."""
    name = path.replace("\\", "/").encode("utf-8", "surrogateescape")
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        b"a/" + name,
        b"b/" + name,
        n=context,
    )
    out = bytearray()
    for line in lines:
        out += line
        if not line.endswith(b"\n"):
            out += b"\n" + _NO_NEWLINE
    return bytes(out)
