"""A byte-level test that runs before any decoding or parsing.

Parsing dominates the cost of every peer tool; most files in a tree never mention Amplitude.
Every form the tool can rewrite or must report (Python `import amplitude`, JS
`amplitude-js`/`@amplitude/*` imports and requires, the snippet's `window.amplitude`, the HTTP
API host `api2.amplitude.com`) contains the lowercase bytes `amplitude`, so one substring
search, done in C, decides whether a file is worth parsing.
"""

from __future__ import annotations

MARKER = b"amplitude"


def may_use_amplitude(data: bytes) -> bool:
    """False only when the file certainly has nothing for the tool to rewrite or report."""
    return MARKER in data
