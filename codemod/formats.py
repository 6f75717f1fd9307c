"""How findings are printed, one per line, for people, editors, CI logs and GitHub.

`--output-format` picks one of `FORMATS`:

- `full`: the summary with its tables (today's output); findings in `-v`;
- `concise`: one finding per line, `path:line:col: severity ID message`, which editors make
  clickable and problem matchers read, then a one-line summary;
- `json`: the JSON report (schema version 1) on stdout;
- `github`: GitHub Actions workflow commands (`::error file=...,line=...::message`) on stdout,
  so the findings annotate the pull request.

Nothing here wraps a line: a finding that spans two lines of a CI log breaks every matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .leftovers import Remaining, column_of
from .results import FileResult, Finding

FORMATS = ("full", "concise", "json", "github")
GITHUB_LEVELS = {"info": "notice", "review": "warning", "manual": "error"}
_QUOTED = re.compile(r"`[^`]*`")


def finding_line(path: str, finding: Finding, column: int) -> str:
    """`path:line:col: severity ID message`; a caveat id leads the message."""
    caveat = f"{finding.caveat} " if finding.caveat else ""
    return (f"{path}:{finding.line}:{column}: {finding.severity} {finding.rule} "
            f"{caveat}{one_line(finding.message)}")


def one_line(text: str) -> str:
    return " ".join(text.split())


def cause(finding: Finding) -> tuple[str, str | None, str, str]:
    """What findings of one cause share: rule, caveat, severity and the message without the
    code it quotes (`...`), which is what differs from site to site."""
    return finding.rule, finding.caveat, finding.severity, _QUOTED.sub("`…`", finding.message)


def grouped(findings: Iterable[Finding]) -> list[tuple[Finding, list[int]]]:
    """One file's findings, those of one cause folded into the first, with the other lines."""
    groups: dict[tuple[str, str | None, str, str], tuple[Finding, list[int]]] = {}
    for finding in findings:
        first = groups.setdefault(cause(finding), (finding, []))
        if first[0] is not finding and finding.line not in first[1] + [first[0].line]:
            first[1].append(finding.line)
    return list(groups.values())


def grouped_lines(path: str, findings: Iterable[Finding], data: bytes | None) -> list[str]:
    """`finding_line`s of one file with repeats of one cause said once: the report and JSON
    keep a row per site, a person reads each cause once with the lines it is on."""
    lines = []
    for finding, more in grouped(f for f in findings if f.severity != "info"):
        text = finding_line(path, finding, column_of(data, finding.line))
        if more:
            listed = ", ".join(str(n) for n in more)
            text += f" (and {len(more)} more like it: line{'s' if len(more) > 1 else ''} {listed})"
        lines.append(text)
    return lines


def finding_lines(
    results: Iterable[FileResult], originals: Mapping[str, bytes | None]
) -> list[str]:
    """Every review and manual finding of the run, in input order, repeats of one cause in a
    file said once with their lines."""
    return [line for result in results
            for line in grouped_lines(result.path, result.findings, originals.get(result.path))]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(level: str, path: str, line: int, column: int, title: str,
                   message: str) -> str:
    """One workflow command: `::error file=PATH,line=L,col=C,title=T::MESSAGE`."""
    return (f"::{level} file={_escape_property(path)},line={line},col={column},"
            f"title={_escape_property(title)}::{_escape_data(message)}")


def github_lines(
    results: Iterable[FileResult], originals: Mapping[str, bytes | None],
    left: Iterable[Remaining] = (),
) -> list[str]:
    """Workflow commands for every finding and failed file, and (with `--check`) every
    reference left, which is an error whatever the severity of its finding."""
    lines = []
    left = list(left)
    counted = {(ref.path, ref.line, ref.rule) for ref in left}
    for result in results:
        if result.status == "error":
            lines.append(github_command("error", result.path, 1, 1, "amp2mp: failed",
                                        result.reason))
        for finding in result.findings:
            if finding.severity == "info" or (result.path, finding.line, finding.rule) in counted:
                continue
            caveat = f" {finding.caveat}" if finding.caveat else ""
            lines.append(github_command(
                GITHUB_LEVELS[finding.severity], result.path, finding.line,
                column_of(originals.get(result.path), finding.line),
                f"amp2mp {finding.rule}{caveat}", finding.message))
    for ref in left:
        lines.append(github_command("error", ref.path, ref.line, ref.column,
                                    f"amp2mp {ref.rule}", f"Amplitude left: {ref.message}"))
    return lines
