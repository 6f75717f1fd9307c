"""`--interactive`: show each file's diff and let a person accept or decline it before writing.

A prompt must never wait on a terminal that is not there: without a TTY on stdin and stderr,
under CI or inside a pre-commit hook the CLI refuses `--interactive` with a usage error instead
(`prompt_blocker`). The review itself takes its `ask` function as a parameter, so tests drive it
with scripted answers and the CLI with click's prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from rich.console import Console
from rich.syntax import Syntax

from .diff import unified_diff
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
        patch = unified_diff(result.path, originals(item), result.output)
        console.rule(f"{result.path} ({index + 1}/{len(changed)})")
        console.print(Syntax(patch.decode("utf-8", "replace"), "diff", theme="ansi_dark"))
        answer = ask(QUESTION, ANSWERS)
        if answer == "q":
            break
        if answer == "a":
            accepted.extend(changed[index:])
            break
        if answer == "y":
            accepted.append((item, result))
    return accepted
