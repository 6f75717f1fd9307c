"""Bytes in, bytes out: decoding a source file so it can be written back exactly.

Peers damage files most often here (CRLF flattened, BOM stripped, latin-1 files aborting a
run), so decoding records everything needed to restore the original bytes: the codec (BOM and
PEP 263 cookie for Python, UTF-8 with or without BOM for JavaScript) and the newline style that
inserted lines must follow.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#|$)")
# CPython's tokenizer ends a line at CR, LF or CRLF; a CR-only file has no b"\n" at all.
_LINE_END = re.compile(rb"\r\n|\r|\n")


class DecodeError(ValueError):
    """The bytes cannot be decoded with the codec the file declares; `reason` is for reports."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bool
    newline: str

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data


def python_encoding(data: bytes) -> str:
    """The codec of a Python file per PEP 263: a cookie on line 1 or 2, else UTF-8.

    Like CPython, only codecs that keep ASCII as ASCII are accepted: a `utf-16` cookie cannot
    be honoured by the interpreter either, so the file is refused instead of misread.
    """
    lines = _LINE_END.split(data, 2)[:2]
    for index, line in enumerate(lines):
        match = _COOKIE.match(line)
        if match:
            name = match.group(1).decode("ascii", "replace")
            try:
                codec = codecs.lookup(name).name
            except LookupError as exc:
                raise DecodeError(f"unknown-encoding: {name}") from exc
            if not _ascii_compatible(codec):
                raise DecodeError(f"unsupported-encoding: {codec} is not ASCII-compatible")
            return codec
        if index == 0 and not _BLANK_OR_COMMENT.match(line):
            break
    return "utf-8"


def _ascii_compatible(codec: str) -> bool:
    """Whether ASCII decodes to itself; a codec that fails on it at all is not compatible.

    Some registered codecs fail with a bare `UnicodeError`, not `UnicodeDecodeError`:
    `undefined` always does, `punycode` on any `#`.
    """
    probe = b"# coding\n"
    try:
        return probe.decode(codec) == probe.decode("ascii")
    except (UnicodeError, LookupError):
        return False


def detect_newline(text: str) -> str:
    """The first line ending in the file, which is the style inserted lines follow."""
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    if index < 0 and "\r" in text:
        return "\r"
    return "\n"


def decode(data: bytes, language: str) -> Decoded:
    """Decode a file, or raise `DecodeError` with a reason such as `not-utf-8`."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    encoding = python_encoding(body) if language == "python" else "utf-8"
    if bom and encoding not in ("utf-8", "utf_8"):
        raise DecodeError(f"bom-conflicts-with-cookie: {encoding}")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "not-utf-8" if encoding == "utf-8" else f"not-{encoding}"
        raise DecodeError(f"{label}: invalid byte at offset {exc.start}") from exc
    if encoding != "utf-8" and text.encode(encoding) != body:
        # Some legacy codecs map two byte sequences to one character; writing such a file
        # back would silently change bytes the tool never meant to touch.
        raise DecodeError(f"not-round-trip: {encoding} does not encode this file back exactly")
    return Decoded(text=text, encoding=encoding, bom=bom, newline=detect_newline(text))
