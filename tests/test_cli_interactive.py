"""`--interactive`: the review loop with scripted answers, and the real command on a real TTY."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from codemod.interactive import ANSWERS, prompt_blocker, review
from codemod.results import FileResult

AMPLITUDE = (
    "from amplitude import Amplitude, BaseEvent\n\n"
    'client = Amplitude("KEY")\n'
    'client.track(BaseEvent("{event}", user_id="u1"))\n'
)


def changed(name: str) -> tuple[bytes, FileResult]:
    before = f"print('{name}')\n".encode()
    return before, FileResult(f"{name}.py", "python", "changed", output=b"print('x')\n")


def scripted(*answers: str):
    """An `ask` that replies from a script and records each question it was asked."""
    replies = list(answers)
    asked: list[tuple[str, ...]] = []

    def ask(question: str, choices: tuple[str, ...]) -> str:
        asked.append(choices)
        return replies.pop(0)

    return ask, asked


@pytest.mark.parametrize(("answers", "kept"), [
    (("y", "n", "y"), ["a", "c"]),
    (("n", "a"), ["b", "c"]),
    (("y", "q"), ["a"]),
    (("q",), []),
])
def test_review_answers(answers: tuple[str, ...], kept: list[str]) -> None:
    items = [changed(name) for name in "abc"]
    console = Console(file=io.StringIO(), width=100)
    ask, asked = scripted(*answers)
    accepted = review(items, console, ask, lambda before: before)
    assert [result.path for _, result in accepted] == [f"{name}.py" for name in kept]
    assert asked == [ANSWERS] * len(answers)
    shown = console.file.getvalue()
    assert "-print('a')" in shown and "+print('x')" in shown


@pytest.mark.parametrize(("env", "stdin", "stderr", "reason"), [
    ({}, True, True, None),
    ({"PRE_COMMIT": "1"}, True, True, "pre-commit"),
    ({"CI": "true"}, True, True, "CI"),
    ({}, False, True, "stdin is not a terminal"),
    ({}, True, False, "stderr is not a terminal"),
])
def test_prompt_blocker(env: dict[str, str], stdin: bool, stderr: bool, reason: str | None) -> None:
    blocker = prompt_blocker(env, stdin, stderr)
    assert blocker is None if reason is None else reason in blocker


def test_interactive_on_a_real_terminal(tmp_path: Path) -> None:
    """y for the first file, q at the second: the first is written, the second kept as it was."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.py").write_text(AMPLITUDE.format(event=name))
    main_fd, child_fd = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PRE_COMMIT", "NO_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "codemod", "--interactive", "--allow-no-vcs", "-j", "1", "a.py", "b.py"],
        cwd=tmp_path, stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env,
    )
    os.close(child_fd)
    transcript = b""
    for answer in (b"y\n", b"q\n"):
        while transcript.count(b"Write this file?") < (1 if answer == b"y\n" else 2):
            ready, _, _ = select.select([main_fd], [], [], 30)
            assert ready, transcript.decode(errors="replace")
            transcript += os.read(main_fd, 65536)
        os.write(main_fd, answer)
    try:
        while True:
            ready, _, _ = select.select([main_fd], [], [], 30)
            if not ready:
                break
            transcript += os.read(main_fd, 65536)
    except OSError:  # the child closed the terminal
        pass
    assert process.wait(timeout=30) == 1
    os.close(main_fd)
    text = transcript.decode(errors="replace")
    assert "\x1b[" in text  # the diff is coloured on a terminal
    assert 'client.track("u1", "a", {"$user_id": "u1"})' in (tmp_path / "a.py").read_text()
    assert (tmp_path / "b.py").read_text() == AMPLITUDE.format(event="b")
    assert "declined-in-review 1" in text
    # Each diff comes with its file's findings, and the summary counts what was written.
    assert "findings in this file:" in text and "a.py:3:1: review AP01 ID010" in text
    assert "interactive: 1 file(s) written, 1 declined" in text


def test_a_diff_taller_than_the_terminal_is_paged_with_its_findings(monkeypatch) -> None:
    from rich.pager import SystemPager

    from codemod.results import Finding

    paged: list[str] = []
    monkeypatch.setattr(SystemPager, "show", lambda self, content: paged.append(content))
    before = "".join(f"print({i})\n" for i in range(60)).encode()
    result = FileResult("long.py", "python", "changed", output=before.replace(b"print", b"echo"),
                        findings=(Finding(2, "AP16", "ID019", "manual", "x " * 80),))
    console = Console(file=io.StringIO(), width=60, height=20, force_terminal=True)
    review([(before, result)], console, scripted("n")[0], lambda data: data)
    assert len(paged) == 1
    assert "+echo(59)" in paged[0] and "findings in this file:" in paged[0]
    assert "long.py:2:1: manual AP16 ID019" in paged[0]
    short = Console(file=io.StringIO(), width=60, height=200, force_terminal=True)
    review([(before, result)], short, scripted("n")[0], lambda data: data)
    assert len(paged) == 1  # a diff that fits is printed, not paged
