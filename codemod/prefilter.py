"""Byte-level tests that run before any decoding, parsing or parser import.

Parsing dominates the cost of every peer tool; most files in a tree never mention Amplitude.
Every form the tool can rewrite or must report (Python `import amplitude`, JS
`amplitude-js`/`@amplitude/*` imports and requires, the snippet's `window.amplitude`, the HTTP
API host `api2.amplitude.com`) contains the lowercase bytes `amplitude`, so one substring
search, done in C, decides whether a file is worth parsing.

Python goes one step further, because a Python module can only hold something the tool
rewrites or reports when it imports the `amplitude` package: every fact the migrator acts on
is a qualified name that starts at such an import. `may_import_amplitude_py` finds import
statements that mention `amplitude` with one regular expression over the bytes. It errs on
the side of yes: any `import` or `from` that starts a line, follows a `;` or `:` (one-line
compound statements) or a backslash continuation, and has `amplitude` later in the same
logical line (a UTF-8 byte order mark may come first). A file that only mentions Amplitude
in comments, strings or a variable name (`amplitude = 0.5` in audio code) is then not parsed
at all, and libcst is not even imported. The exception is a request to Amplitude's HTTP
APIs, which needs no import: `may_call_amplitude_http_py` lets through a file that names an
Amplitude host, or an HTTP client library beside a name spelled with `amplitude`.
"""

from __future__ import annotations

import re
from functools import cache

MARKER = b"amplitude"

_PY_IMPORT_OF = (
    rb"(?:^|[;:\r])(?:\xef\xbb\xbf)?[ \t\f]*(?:\\(?:\r\n|\r|\n)[ \t\f]*)*(?:from|import)\b"
    rb"(?:[^\r\n#\\]|\\(?:\r\n|\r|\n)|\\.)*?\b"
)
_PY_IMPORTS_AMPLITUDE = re.compile(_PY_IMPORT_OF + rb"amplitude\b", re.MULTILINE)
# `amplitude_tracker`, `amplitude_experiment`...: look-alikes whose imports are reported.
_PY_IMPORTS_AMPLITUDE_ANY = re.compile(_PY_IMPORT_OF + rb"amplitude(?:\b|_)", re.MULTILINE)


def may_use_amplitude(data: bytes) -> bool:
    """False only when the file certainly has nothing for the tool to rewrite or report."""
    return MARKER in data


def may_import_amplitude_py(data: bytes) -> bool:
    """False only when a Python file has no import statement that can name `amplitude`.

    Works on the raw bytes of any ASCII-compatible encoding (the only ones the engine
    decodes); the keywords and the package name are ASCII.
    """
    return MARKER in data and _PY_IMPORTS_AMPLITUDE_ANY.search(data) is not None


_PY_IMPORTS_AMPLITUDE_TEXT = re.compile(_PY_IMPORTS_AMPLITUDE.pattern.decode("latin-1"), re.MULTILINE)


def may_import_amplitude_py_text(text: str) -> bool:
    """`may_import_amplitude_py` for decoded text (the BOM, if any, is already gone)."""
    return "amplitude" in text and _PY_IMPORTS_AMPLITUDE_TEXT.search(text) is not None


_HTTP_LIBRARIES = (b"requests", b"httpx", b"aiohttp", b"urllib")


def may_call_amplitude_http_py(data: bytes) -> bool:
    """False only when a Python file certainly sends nothing to Amplitude's HTTP APIs: it
    names no Amplitude host, and no HTTP client library beside a name spelled with
    `amplitude` in any case (a settings attribute such as `settings.AMPLITUDE_URL`)."""
    if b"amplitude.com" in data:
        return True
    return any(lib in data for lib in _HTTP_LIBRARIES) and b"amplitude" in data.lower()


def may_reach_ampli_client_py(data: bytes) -> bool:
    """False only when a Python file certainly does not reach through an Ampli wrapper to
    its SDK (`ampli.client`, a key in `LoadClientOptions`), which needs no import of
    `amplitude`."""
    return b"ampli.client" in data or b"LoadClientOptions" in data


def needs_migrator(data: bytes, language: str | None) -> bool:
    """Whether a file's bytes justify handing it to its language's migrator."""
    if language == "python":
        return (may_import_amplitude_py(data) or may_call_amplitude_http_py(data)
                or may_reach_ampli_client_py(data))
    # `ampli.client.<method>()`: application code reaching the SDK through an Ampli wrapper.
    return may_use_amplitude(data) or b"ampli.client" in data or _may_import_hosted(data)


def _may_import_hosted(data: bytes) -> bool:
    """A JavaScript file that may import an SDK another package exports by a name that does
    not spell `amplitude` in lowercase (`import { Amplitude } from 'expo'`, the registry's
    `exported_by`)."""
    return any(export in data and package in data for package, export in _hosted())


@cache
def _hosted() -> tuple[tuple[bytes, bytes], ...]:
    from .sdks import load_registry  # only for files the marker did not let through

    return tuple((p.encode(), e.encode()) for p, e in load_registry().hosted())
