"""`--interactive`: show each file's diff and let a person accept or decline it before writing.

Each file's diff comes with that file's findings (what the rewrite changes in meaning, what
is left for a human); a diff taller than the terminal goes through the pager rather than
scrolling past, and long lines wrap instead of being cropped.

A prompt must never wait on a terminal that is not there: without a TTY on stdin and stderr,
under CI or inside a pre-commit hook the CLI refuses `--interactive` with a usage error instead
(`prompt_blocker`). The review itself takes its `ask` function as a parameter, so tests drive it
with scripted answers and the CLI with click's prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from rich.console import Console, Group
from rich.rule import Rule
from rich.syntax import Syntax
from rich.text import Text

from .diff import unified_diff
from .formats import finding_line
from .leftovers import column_of
from .results import FileResult

T = TypeVar("T")
Ask = Callable[[str, tuple[str, ...]], str]
ANSWERS = ("y", "n", "a", "q")
QUESTION = "Write this file? y = yes, n = no, a = yes to this and all the rest, q = quit"


def prompt_blocker(env: Mapping[str, str], stdin_tty: bool, stderr_tty: bool) -> str | None:
    """Why no prompt may be shown here, or None when a person is at a terminal."""
    if env.get("PRE_COMMIT"):
        return "running as a pre-commit hook (PRE_COMMIT is set)"
    if env.get("CI"):
        return "running under CI (CI is set)"
    if not stdin_tty:
        return "stdin is not a terminal"
    if not stderr_tty:
        return "stderr is not a terminal"
    return None


def review(
    changed: Sequence[tuple[T, FileResult]],
    console: Console,
    ask: Ask,
    originals: Callable[[T], bytes],
) -> list[tuple[T, FileResult]]:
    """The files the person accepted, in order; `q` keeps what was accepted before it."""
    accepted: list[tuple[T, FileResult]] = []
    for index, (item, result) in enumerate(changed):
        assert result.output is not None
        original = originals(item)
        patch = unified_diff(result.path, original, result.output).decode("utf-8", "replace")
        notes = [finding_line(result.path, finding, column_of(original, finding.line))
                 for finding in result.findings if finding.severity != "info"]
        title = f"{result.path} ({index + 1}/{len(changed)})"
        # Long lines wrap instead of being cropped; a diff taller than the terminal is paged.
        body = Group(Rule(title), Syntax(patch, "diff", theme="ansi_dark", word_wrap=True),
                     *([Text("findings in this file:", style="bold"),
                        *(Text(note, overflow="fold") for note in notes)] if notes else []))
        if console.is_terminal and patch.count("\n") + len(notes) + 3 > console.height:
            with console.pager(styles=True):
                console.print(body)
            console.rule(title)
        else:
            console.print(body)
        answer = ask(QUESTION, ANSWERS)
        if answer == "q":
            break
        if answer == "a":
            accepted.extend(changed[index:])
            break
        if answer == "y":
            accepted.append((item, result))
    return accepted
