"""Typed results of migrating one file.

The engine returns data instead of printing or raising (libcst's `TransformResult` model), so
the CLI, the JSON report and the tests all read the same facts about a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["info", "review", "manual"]
Status = Literal["changed", "unchanged", "skipped", "error"]


@dataclass(frozen=True)
class Change:
    """One rewrite, anchored to 1-based lines of the *original* file."""

    line: int
    rule: str
    before: str
    after: str


@dataclass(frozen=True)
class Finding:
    """Something a reviewer must read: a caveat raised at a site, or a site left for a human."""

    line: int
    rule: str
    caveat: str | None
    severity: Severity
    message: str


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file.

    `status` is `changed` only when `output` differs from the input bytes; `skipped` carries a
    `reason` (the file was never rewritten, by design); `error` means the tool itself failed or
    its rewrite did not pass the safety gate, and the file is left untouched.
    """

    path: str
    language: str
    status: Status
    output: bytes | None = None
    reason: str = ""
    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    # The unified diff of a changed file, when the runner made it: in the worker that
    # migrated the file (in parallel), and kept with the result in the cache.
    diff: bytes | None = None

    @property
    def changed(self) -> bool:
        return self.status == "changed"


def in_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings as every report lists them: by line, then rule, then caveat."""
    return tuple(sorted(findings, key=lambda f: (f.line, f.rule, f.caveat or "")))
