"""What is left of Amplitude after a run: the facts `--check` fails on.

`--check` must fail while anything of Amplitude remains where it looked, not only while the
tool would change bytes. Three kinds of remains exist:

- a site the run reports and cannot rewrite: a `manual` finding (an unresolved client, a
  disabled rule's site, a call with no Mixpanel equivalent), with or without its
  `TODO(amp2mp)` comment;
- a `TODO(amp2mp)` comment an earlier `--write` put above such a site, in a file that no
  longer imports Amplitude (the import was migrated, the site was not);
- a file the run skipped (too large, not decodable, ...) whose bytes mention Amplitude.

The engine's post-condition lives here too (`never_silent`): after a run, every line that still
refers to Amplitude (an import, `require`, `import()`, a test's mock, `importScripts`, an HTML
`onclick`, an injected or global client, a plugin class) carries a finding, in a changed file
as in an unchanged one.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from .messages import short
from .prefilter import MARKER
from .references import Reference, references
from .results import FileResult, Finding

RULE = "LEFTOVER"
TODO_MARKER = b"TODO(amp2mp)"
_TODO_TEXT = re.compile(r"TODO\(amp2mp\):?[ \t]*(.*?)[ \t]*(?:\*/|-->)?[ \t]*$")
# Skipped for a reason that says the file was handled elsewhere or is not source code.
_NOT_LEFT = ("duplicate-link-target", "unsupported-file-type", "declined-in-review",
             "not-a-regular-file")
# Amplitude's name as UTF-16 (either byte order) too: such a file is skipped as binary.
_MARKERS = (MARKER, MARKER.decode().encode("utf-16-le"), MARKER.decode().encode("utf-16-be"))
_CHUNK = 1 << 20


def has_todo(data: bytes) -> bool:
    """Whether a file carries a `TODO(amp2mp)` comment (one substring search)."""
    return TODO_MARKER in data


def may_refer(data: bytes) -> bool:
    """Whether a file the rules pass over may still name Amplitude in a capitalised form
    (`AmplitudeContext`), which only the never-silent scan reads (one substring search)."""
    return b"Amplitude" in data


def todo_findings(text: str) -> list[Finding]:
    """One `manual` finding per `TODO(amp2mp)` comment: the site under it is not migrated."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "TODO(amp2mp)" in line:
            match = _TODO_TEXT.search(line)
            note = match.group(1) if match and match.group(1) else "a site left for a human"
            found.append(Finding(number, RULE, None, "manual",
                                 f"TODO(amp2mp) left to do: {note}"))
    return found


def never_silent(before: str, after: str, path: str, findings: Iterable[Finding],
                 settled: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings that make every reference to Amplitude left in `after` carry one on its line.

    `before` is the file as read and `after` what the run leaves (the same text when nothing
    changed); findings are anchored to the lines of `before`. Each line of `after` that still
    imports, requires, mocks, loads or calls into Amplitude (see `references`) and whose line
    in `before` no finding is on gets one `manual` finding. `settled` names the React
    contexts the project creates with a Mixpanel client (see `references`). An unchanged file with no review
    or manual finding says first what an earlier run left: its `TODO(amp2mp)` comments.
    """
    findings = list(findings)
    if before == after and all(f.severity == "info" for f in findings):
        todos = todo_findings(before)
        if todos:
            return todos
    left = references(path, after, settled)
    if not left:
        return []
    said = {f.line for f in findings}
    others = any(f.severity != "info" for f in findings)
    where = _line_map(before, after)
    added: list[Finding] = []
    for reference in left:
        lines = where(reference.line)
        if said & set(lines):
            continue
        said.add(lines[0])
        added.append(Finding(lines[0], RULE, None, "manual", _left_message(reference, others)))
    return added


def _left_message(reference: Reference, others: bool) -> str:
    code = f"`{short(reference.text).rstrip(';')}`"
    if reference.what.startswith("imports types"):
        return (f"{code} {reference.what} and stays: the project must keep that package "
                "installed for these types, or declare the types it needs itself")
    if reference.what.startswith(("imports", "requires")):
        if others:
            return (f"{code} {reference.what} and stays: code in this file is still on "
                    "Amplitude; remove it once the other findings here are resolved")
        return (f"{code} {reference.what} and no rule migrated or reported its uses: "
                "migrate this file by hand")
    return f"{code}: this line {reference.what}"


def _line_map(before: str, after: str) -> Callable[[int], list[int]]:
    """For a line of `after`, the lines of `before` it comes from (the first is where a
    finding goes; a rewritten line maps to the lines it replaced)."""
    if before == after:
        return lambda line: [line]
    old, new = before.splitlines(), after.splitlines()
    blocks = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    def where(line: int) -> list[int]:
        index = line - 1
        for tag, i1, i2, j1, j2 in blocks:
            if j1 <= index < j2:
                if tag == "equal":
                    return [i1 + index - j1 + 1]
                span = list(range(i1 + 1, i2 + 1)) or [min(i1 + 1, len(old)), i1]
                return [n for n in span if n >= 1] or [1]
        return [max(len(old), 1)]

    return where


def disabled_notes(findings: Iterable[Finding], disabled: frozenset[str]) -> list[Finding]:
    """One finding per disabled rule that held a file whole without saying so itself."""
    if not disabled:
        return []
    said = {f.rule for f in findings if f.rule in disabled and "is disabled" in f.message}
    notes: dict[str, Finding] = {}
    for finding in findings:
        if finding.rule in disabled and finding.rule not in said and finding.rule not in notes:
            notes[finding.rule] = Finding(
                finding.line, finding.rule, None, "review",
                f"not rewritten: rule {finding.rule} is disabled, so this file is left as it is")
    return list(notes.values())


@dataclass(frozen=True)
class Remaining:
    """One Amplitude reference left where the run looked, as `--check` prints it."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    severity: str = "manual"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule} {self.message}"


def column_of(data: bytes | None, line: int) -> int:
    """1-based column of the first non-blank character of `line` (1 when unknown)."""
    if not data or line < 1:
        return 1
    lines = data.splitlines()
    if line > len(lines):
        return 1
    text = lines[line - 1]
    return len(text) - len(text.lstrip(b" \t\f\xef\xbb\xbf")) + 1


def first_mention(path: str) -> tuple[int, int] | None:
    """(line, column) of the first mention of Amplitude in a file, read in chunks, or None."""
    keep = max(len(marker) for marker in _MARKERS) - 1
    line, carry = 1, b""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # opening a FIFO would wait for a writer
            return None
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                block = carry + chunk
                at = min((found for marker in _MARKERS if (found := block.find(marker)) >= 0),
                         default=-1)
                if at >= 0:
                    before = block[:at]
                    return line + before.count(b"\n"), at - before.rfind(b"\n")
                consumed = block[:-keep]
                line += consumed.count(b"\n")
                carry = block[len(consumed):]
    except OSError:
        return None
    return None


def skipped_hint(reason: str) -> str:
    """What would let the run include a file skipped for `reason`."""
    kind = reason.split(":", 1)[0]
    if kind == "too-large":
        size = re.search(r"(\d+) bytes", reason)
        flag = f"--max-bytes {size.group(1)}" if size else "--max-bytes"
        return f"pass {flag} to include it"
    if kind == "amplitude-import-not-top-level":
        return "give the import its own top-level line"
    return "migrate it by hand"


def remaining(results: Iterable[tuple[str, FileResult, bytes | None]]) -> list[Remaining]:
    """Every Amplitude reference left after the run, from `(path on disk, result, bytes)`.

    A changed file's manual sites remain after its rewrite; an unchanged file's review and
    manual findings are sites no rule rewrites; a skipped file remains when it mentions
    Amplitude. Failed files are the run's errors and are reported as such, not here.
    """
    left: list[Remaining] = []
    for disk_path, result, data in results:
        if result.status == "skipped":
            if result.reason.startswith(_NOT_LEFT):
                continue
            where = first_mention(disk_path)
            if where is None:
                continue
            left.append(Remaining(result.path, where[0], where[1], "SKIPPED",
                                  f"mentions Amplitude but was skipped ({result.reason}); "
                                  f"{skipped_hint(result.reason)}"))
            continue
        if result.status == "error":
            continue
        for finding in result.findings:
            if finding.severity == "manual" or (
                finding.severity == "review" and result.status == "unchanged"
            ):
                left.append(Remaining(result.path, finding.line, column_of(data, finding.line),
                                      finding.rule, finding.message, finding.severity))
    return left

