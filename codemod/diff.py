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


def renamed(patch: bytes, old: str, new: str) -> bytes:
    """The same patch with its `--- a/OLD` / `+++ b/NEW` header naming `new` instead."""
    if old == new:
        return patch
    before = old.replace("\\", "/").encode("utf-8", "surrogateescape")
    after = new.replace("\\", "/").encode("utf-8", "surrogateescape")
    header = b"--- a/" + before + b"\n+++ b/" + before + b"\n"
    if not patch.startswith(header):
        return patch
    return b"--- a/" + after + b"\n+++ b/" + after + b"\n" + patch[len(header):]


_COLOURS = ((b"+++", b"\x1b[1m"), (b"---", b"\x1b[1m"), (b"@@", b"\x1b[36m"),
            (b"+", b"\x1b[32m"), (b"-", b"\x1b[31m"))


def coloured(patch: bytes) -> bytes:
    """git's colours for a terminal: headers bold, hunks cyan, additions green, removals red."""
    out = bytearray()
    for line in patch.splitlines(keepends=True):
        body = line.rstrip(b"\n")
        colour = next((code for prefix, code in _COLOURS if body.startswith(prefix)), None)
        out += (colour + body + b"\x1b[0m" + line[len(body):]) if colour else line
    return bytes(out)
