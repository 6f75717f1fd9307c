"""Interrupted runs: SIGKILL in the middle of `--write` never leaves a mixed or empty file.

A few thousand small Python files that really get rewritten; the installed CLI runs with two
workers; the test waits until the first files have been replaced and kills the whole process
group with SIGKILL (no handler, no clean-up code runs). Every file must then be exactly its
old or its new bytes. What can remain is at most one `.NAME.XXXXXXXX.amp2mp` temporary file,
the one being written at the moment of the kill (its original is intact); the next run
removes it when it writes that file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codemod.engine import migrate_source

FILES = 2400
TEMPLATES = [
    b'from amplitude import Amplitude\nclient = Amplitude("k")\n',
    b'# analytics\r\nfrom amplitude import Amplitude\r\n\r\namp = Amplitude("other")\r\namp.flush()\r\n',
    b'"""Docstring."""\nfrom amplitude import Amplitude\n\n\ndef close():\n    client = Amplitude("k")\n'
    b'    client.flush()\n',
]


def _command() -> list[str]:
    # The console script of the interpreter running the tests first: another installation
    # earlier on PATH would test another version of the tool.
    beside = Path(sys.executable).with_name("amp2mp-codemod")
    installed = str(beside) if beside.exists() else shutil.which("amp2mp-codemod")
    if installed:
        return [installed]
    return [sys.executable, "-c", "from codemod.cli import main; main()"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_mid_write_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    new = [migrate_source(t, "f.py").output for t in TEMPLATES]
    assert all(n is not None for n in new)
    files: list[tuple[Path, int]] = []
    for i in range(FILES):
        path = tree / f"pkg{i // 100:02d}" / f"mod{i:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(TEMPLATES[i % len(TEMPLATES)])
        files.append((path, i % len(TEMPLATES)))
    # Files are written in sorted order once every file is migrated: waiting for the one an
    # eighth of the way in lands the kill in the middle of the writes, at an arbitrary byte.
    watched, watched_template = sorted(files)[FILES // 8]

    process = subprocess.Popen(
        [*_command(), "--write", "--allow-no-vcs", "-j", "2", "-q", "--no-manifests", str(tree)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "PRE_COMMIT": ""},
    )
    deadline = time.monotonic() + 240
    try:
        while watched.read_bytes() != new[watched_template]:
            assert process.poll() is None, "the run ended before any file was seen written"
            assert time.monotonic() < deadline, "no file was written in time"
            time.sleep(0.002)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL

    old = rewritten = 0
    for path, template in files:
        data = path.read_bytes()
        assert data in (TEMPLATES[template], new[template]), f"{path} is neither old nor new"
        if data == TEMPLATES[template]:
            old += 1
        else:
            rewritten += 1
    temps = sorted(tree.rglob("*.amp2mp"))
    print(f"killed after {rewritten} of {FILES} files were rewritten; {old} still old; "
          f"temporary files left: {[t.name for t in temps]}")
    assert rewritten > 0
    assert old > 0, "the kill came after the last write: nothing interrupted"
    assert len(temps) <= 1, temps

    # Finishing the job: one directory is enough to show the next run cleans up after the kill.
    directory = temps[0].parent if temps else watched.parent
    rerun = subprocess.run(
        [*_command(), "--write", "--allow-no-vcs", "-j", "2", "-q", "--no-manifests", str(directory)],
        capture_output=True, env={**os.environ, "PRE_COMMIT": ""},
    )
    assert rerun.returncode in (0, 1), rerun.stderr
    assert all(path.read_bytes() == new[template] for path, template in files
               if path.parent == directory)
    assert not list(directory.glob("*.amp2mp")), "the next run removes what the killed one left"
