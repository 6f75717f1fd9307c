"""One file's failure stays that file's: naming the rule that broke, and bounding the time.

A bug in one transform must not end a run over a thousand files, and the report must say
enough to file the bug: the file (the `FileResult` carries it), the rule that was being
applied and where in the tool it failed. Pathological inputs (a generated file that makes a
transform loop or explode) are cut off after a time limit instead of hanging the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import TracebackType

from .catalogue import Catalogue, Rule

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class FileTimeout(BaseException):
    """Raised inside a migration that ran past its time limit.

    A `BaseException`, so the engine's catch-all for bugs does not swallow it: the runner
    reports it as a timeout, not as an internal error of whatever rule happened to be running.
    """


def _rule_in(frame_locals: dict[str, object], catalogue: Catalogue) -> str | None:
    for name in ("rule", "rule_id"):
        value = frame_locals.get(name)
        if isinstance(value, Rule):
            return value.id
        if isinstance(value, str) and value in catalogue.rules:
            return value
    outcome = frame_locals.get("outcome")
    rule = getattr(outcome, "rule", None)
    return rule if isinstance(rule, str) and rule in catalogue.rules else None


def _tool_frames(tb: TracebackType | None) -> list[tuple[str, int, str, dict[str, object]]]:
    import traceback  # only a failing file needs it

    frames = []
    for frame, line in traceback.walk_tb(tb):
        filename = os.path.abspath(frame.f_code.co_filename)
        if filename.startswith(PACKAGE_DIR + os.sep):
            frames.append((filename, line, frame.f_code.co_name, frame.f_locals))
    return frames


def describe_failure(exc: BaseException, catalogue: Catalogue | None) -> str:
    """`internal-error (RULE): Type: message at module.py:LINE in function (hint)`, for the report.

    The rule is the innermost one the tool's own frames were applying (a local `rule`, or the
    `outcome` being recorded); the location is the innermost frame inside the tool, which is
    where a maintainer starts reading.
    """
    frames = _tool_frames(exc.__traceback__)
    rule = None
    if catalogue is not None:
        rule = next(
            (found for *_, frame_locals in reversed(frames)
             if (found := _rule_in(frame_locals, catalogue)) is not None),
            None,
        )
    where = ""
    if frames:
        filename, line, function, _ = frames[-1]
        where = f" at {os.path.relpath(filename, os.path.dirname(PACKAGE_DIR))}:{line} in {function}"
    label = f"internal-error ({rule})" if rule else "internal-error"
    if isinstance(exc, RecursionError):
        return f"{label}: nesting too deep{where}"
    return f"{label}: {type(exc).__name__}: {exc}{where}{REPORT_HINT}"


# The file is not at fault: say so, and what a maintainer needs to fix the tool.
REPORT_HINT = " (a bug in amp2mp-codemod, not in this file: please report it with the file)"


def _raise_timeout(signum: int, frame: object) -> None:
    raise FileTimeout


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `FileTimeout` in the block after `seconds` of wall time (0 = no limit).

    It uses SIGALRM, so it only acts in the main thread on POSIX (each worker process runs its
    files in its main thread; `-j 1` runs them in the CLI's). Elsewhere the block runs
    unbounded rather than not at all. Native code (libcst's parser) is interrupted only when
    it returns to Python.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
