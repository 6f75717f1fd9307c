"""Everything the CLI prints on stderr, with rich: progress, per-file status, the summary.

Stdout is reserved for the diff (or the `--check` list) so it can be piped to `git apply`;
the one exception is a pre-commit hook run, where each file's findings go to stdout because
pre-commit splits the file list across several runs and shows each run's output.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from .catalogue import Catalogue
from .formats import finding_line, grouped_lines
from .leftovers import Remaining, column_of
from .report import summarize
from .results import FileResult

PROGRESS_MIN_FILES = 10  # "more than a handful": below this a bar only flickers
MANUAL_LIST_LIMIT = 30
_STYLE = {"changed": "green", "unchanged": "dim", "skipped": "yellow", "error": "bold red"}


def make_console(color: str = "auto") -> Console:
    """The stderr console; `--color always` colours a pipe, `never` (or NO_COLOR) nothing.

    Off a terminal (a CI log, `2>file`) no line is wrapped: one finding stays one line.
    """
    soft_wrap = not sys.stderr.isatty()
    if color == "never" or (color == "auto" and os.environ.get("NO_COLOR")):
        return Console(stderr=True, highlight=False, no_color=True, color_system=None,
                       soft_wrap=soft_wrap)
    if color == "always":
        return Console(stderr=True, highlight=False, force_terminal=True, no_color=False,
                       soft_wrap=soft_wrap)
    return Console(stderr=True, highlight=False, soft_wrap=soft_wrap)


class Output:
    def __init__(self, quiet: bool = False, verbose: bool = False, color: str = "auto") -> None:
        self.console = make_console(color)
        self.quiet = quiet
        self.verbose = verbose

    @contextmanager
    def progress(self, total: int) -> Iterator[Callable[[], None]]:
        """A progress bar for long runs, only when stderr really is a terminal.

        `--color always` forces rich's terminal mode for colour, which must not turn a bar's
        carriage returns loose in a CI log, hence the isatty check of its own.
        """
        if (self.quiet or total < PROGRESS_MIN_FILES or not sys.stderr.isatty()
                or os.environ.get("PRE_COMMIT")):
            yield lambda: None
            return
        # Imported here: only a long run on a terminal draws a bar, and rich.progress (with
        # rich.live) is a good part of the import time of a one-file pre-commit run.
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (TextColumn("migrating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task("files", total=total)
            yield lambda: bar.advance(task)

    def line(self, text: str) -> None:
        """One line printed as it is: no markup, no highlighting, never wrapped."""
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def file_status(self, result: FileResult, data: bytes | None = None) -> None:
        if result.status == "error":
            self.console.print(f"[bold red]error[/] {escape(result.path)}: {escape(result.reason)}",
                               soft_wrap=True)
        elif self.verbose and not self.quiet:
            reason = f" ({result.reason})" if result.reason else ""
            self.console.print(f"[{_STYLE[result.status]}]{result.status}[/] "
                               f"{escape(result.path + reason)}", soft_wrap=True)
        if self.verbose and not self.quiet:
            for line in grouped_lines(result.path, result.findings, data):
                self.line(line)

    def ask(self, question: str, choices: tuple[str, ...]) -> str:
        """One answer from the person at the terminal (the CLI checked that there is one)."""
        return click.prompt(question, type=click.Choice(choices), show_choices=True, err=True)

    def findings_to_stdout(self, result: FileResult, data: bytes | None = None) -> None:
        """`path:line:col: severity ID message` for a hook run: one block per file, on stdout."""
        for line in grouped_lines(result.path, result.findings, data):
            click.echo(line)

    def _manifests(self, manifests: list[FileResult], mode: str,
                   originals: Mapping[str, bytes | None]) -> None:
        """Dependency manifests and lockfiles to follow up: applying a diff without them
        leaves package.json and its lockfile out of step with the code."""
        shown = [r for r in manifests
                 if r.status != "unchanged" or any(f.severity != "info" for f in r.findings)]
        if not shown:
            return
        self.console.print("[bold]dependency manifests[/]:")
        verb = "changed" if mode == "write" else "would change"
        for result in shown:
            swaps = ", ".join(f"{c.before.strip()} -> {c.after.strip()}" for c in result.changes)
            status = verb if result.status == "changed" else result.status
            self.line(f"  {result.path}: {status}" + (f" ({swaps})" if swaps else "")
                      + (f" ({result.reason})" if result.reason else ""))
            for finding in result.findings:
                if finding.severity != "info":
                    self.line("  " + finding_line(result.path, finding, column_of(
                        originals.get(result.path), finding.line)))

    def headline(self, summary: Mapping[str, Any], mode: str) -> None:
        """The summary's first line: what happened to how many files."""
        verb = {"diff": "would change", "check": "would change", "write": "changed"}[mode]
        self.console.print(
            f"[bold]amp2mp-codemod[/]: {summary['files']} files: "
            f"[green]{summary['changed']} {verb}[/], {summary['unchanged']} unchanged, "
            f"[yellow]{summary['skipped']} skipped[/], [red]{summary['error']} failed[/]; "
            f"{summary['changes']} rewrites", soft_wrap=True,
        )

    def summary(
        self, results: list[FileResult], catalogue: Callable[[], Catalogue], mode: str,
        left: Sequence[Remaining] = (), todo: bool = True,
        originals: Mapping[str, bytes | None] | None = None, report: str | None = None,
        mentions: Sequence[Remaining] = (),
    ) -> None:
        if self.quiet:
            return
        originals = originals or {}
        summary = summarize(results)
        self.headline(summary, mode)
        if summary["skipped_reasons"]:
            reasons = ", ".join(f"{k} {v}" for k, v in summary["skipped_reasons"].items())
            self.console.print(f"skipped: {reasons}")
        findings = summary["findings"]
        if findings:
            self.console.print(
                "findings: " + ", ".join(f"{v} {k}" for k, v in findings.items())
                + (" (manual sites carry a TODO(amp2mp) comment, a client kept on Amplitude "
                   "carries it at its blocking uses, a LEFTOVER line is only reported)"
                   if findings.get("manual") and todo and mode != "check" else "")
            )
        manual = [(r.path, f) for r in results for f in r.findings if f.severity == "manual"]
        if manual:
            self.console.print(f"[bold]needs a human[/] ({len(manual)} sites):")
            listed = [line for r in results for line in grouped_lines(
                r.path, [f for f in r.findings if f.severity == "manual"], originals.get(r.path))]
            for line in listed[:MANUAL_LIST_LIMIT]:
                self.line(line)
            if len(listed) > MANUAL_LIST_LIMIT:
                self.console.print(f"  ... and {len(listed) - MANUAL_LIST_LIMIT} more (see --report)")
        skipped = [ref for ref in mentions if ref.rule == "SKIPPED"]
        if skipped:
            self.console.print(f"[bold yellow]skipped files that mention Amplitude[/] "
                               f"({len(skipped)}):")
            for ref in skipped[:MANUAL_LIST_LIMIT]:
                self.line(f"  {ref}")
        self._manifests([r for r in results if r.language == "manifest"], mode, originals)
        if left:
            self.console.print(f"[bold red]Amplitude is still referenced[/] at {len(left)} "
                               "site(s) listed above: --check fails until none is left",
                               soft_wrap=True)
        if summary["caveats"]:
            from rich.table import Table  # only a run with caveats prints one

            table = Table(title="Identity caveats to review", title_justify="left")
            table.add_column("caveat")
            table.add_column("sites", justify="right")
            table.add_column("what it means")
            for cid, count in summary["caveats"].items():
                known = catalogue().caveats.get(cid)
                sites = str(count) if count else "global"
                table.add_row(cid, sites, known.title if known else "")
            self.console.print(table)
        if report is not None:
            self.console.print(f"report: written to {escape(report)}", soft_wrap=True)
        elif summary["caveats"] or manual:
            self.console.print("details: add --report report.json (or .md, .sarif) for every "
                               "site with the docs links", soft_wrap=True)
