"""The progress bar: on stderr, for runs over a handful of files, only on a real terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from codemod.console import PROGRESS_MIN_FILES

SOURCE = ('from amplitude import Amplitude, BaseEvent\n\nclient = Amplitude("KEY")\n'
          'client.track(BaseEvent("E", user_id="u1"))\n')


@pytest.fixture
def many(tmp_path: Path) -> Path:
    for index in range(PROGRESS_MIN_FILES + 2):
        (tmp_path / f"f{index}.py").write_text(SOURCE)
    return tmp_path


def stderr_on_a_terminal(cwd: Path, *args: str) -> tuple[bytes, bytes]:
    """Run the command with stderr on a pseudo-terminal; return (stdout, stderr) bytes."""
    main_fd, child_fd = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PRE_COMMIT", "NO_COLOR")}
    process = subprocess.Popen([sys.executable, "-m", "codemod", *args, "-j", "1", "."], cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=child_fd,
                               env=env)
    os.close(child_fd)
    stderr = b""
    while select.select([main_fd], [], [], 30)[0]:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        stderr += chunk
    stdout = process.communicate(timeout=30)[0]
    os.close(main_fd)
    return stdout, stderr


def test_bar_on_a_terminal_and_stdout_stays_clean(many: Path) -> None:
    stdout, stderr = stderr_on_a_terminal(many, "--check")
    assert b"migrating" in stderr
    assert b"migrating" not in stdout and b"\x1b[" not in stdout


def test_no_bar_when_quiet(many: Path) -> None:
    assert b"migrating" not in stderr_on_a_terminal(many, "--check", "-q")[1]


def test_no_bar_off_a_terminal_even_with_forced_colour(many: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "codemod", "--check", "--color", "always",
                             "-j", "1", "."], cwd=many, capture_output=True, check=False)
    assert b"\x1b[" in result.stderr  # colour was forced
    assert b"migrating" not in result.stderr
