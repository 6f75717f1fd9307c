"""Isolation: one file's failure is reported with the file and the rule, and the run goes on.

The failures are injected where a real bug would sit, in a transform the rules call, and the
rest of the pipeline (discovery, libcst, the gate, the CLI's exit code) runs for real.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod.cli import main
from codemod.engine import migrate_source
from codemod.options import Options
from codemod.python.transforms import TRANSFORMS, Transforms
from codemod.runner import run

TRACKS = (
    b"from amplitude import Amplitude, BaseEvent\n"
    b'client = Amplitude("k")\n'
    b'client.track(BaseEvent("E", user_id="u"))\n'
)
FLUSHES = b'from amplitude import Amplitude\nclient = Amplitude("k")\nclient.flush()\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a_tracks.py").write_bytes(TRACKS)
    (root / "b_flushes.py").write_bytes(FLUSHES)
    (root / "c_tracks_too.py").write_bytes(TRACKS)
    return root


def _broken_track(self: Transforms, site: object) -> None:
    raise KeyError("a bug in the track transform")


def test_a_failing_rule_is_reported_with_file_and_rule_and_the_run_goes_on(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(TRANSFORMS.functions, "track", _broken_track)
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["-j", "1", "--write", "--allow-no-vcs", "tree", "--report",
                                       str(report)], env={"COLUMNS": "400"})
    assert result.exit_code == 123, result.output
    files = {Path(f["path"]).name: f for f in json.loads(report.read_text())["files"]}
    for name in ("a_tracks.py", "c_tracks_too.py"):
        assert files[name]["status"] == "error"
        assert files[name]["reason"].startswith(
            "internal-error (AP02): KeyError: 'a bug in the track transform' at codemod/"
        )
        assert (tree / name).read_bytes() == TRACKS, "a failed file is left untouched"
        assert f"tree/{name}: internal-error (AP02)" in result.stderr
    assert files["b_flushes.py"]["status"] == "changed"
    assert (tree / "b_flushes.py").read_bytes() != FLUSHES


def _slow_track(self: Transforms, site: object) -> None:
    time.sleep(30)


def test_a_file_past_the_time_limit_is_cut_off_and_the_run_goes_on(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(TRANSFORMS.functions, "track", _slow_track)
    started = time.monotonic()
    pairs = run(sorted(tree.iterdir()), [tree], Options(), jobs=1, timeout=0.5)
    assert time.monotonic() - started < 10
    statuses = {os.path.basename(job.path): (result.status, result.reason) for job, result in pairs}
    assert statuses["a_tracks.py"] == ("error", "timeout: migrating took longer than 0.5 s")
    assert statuses["b_flushes.py"][0] == "changed"


# Deeper than libcst's recursion allows, not than CPython's parser (200 parentheses at most).
DEEP = [b"-" * 1_000 + b"1", b"1" + b"+1" * 1_000]


def test_nesting_beyond_the_recursion_limit_is_an_error_not_a_crash() -> None:
    for depth in (1_000, 50_000):
        for expression in (b"-" * depth + b"1", b"1" + b"+1" * depth, b"(" * depth + b"1" + b")" * depth):
            # The statement names the client, so libcst has to read it.
            data = (b'from amplitude import Amplitude\nclient = Amplitude("k")\nx = [client, '
                    + expression + b"]\n")
            result = migrate_source(data, "deep.py")
            assert result.status == "error" and result.output is None, result.reason


@pytest.mark.parametrize("expression", DEEP, ids=["unary", "binary"])
def test_deep_code_that_never_touches_amplitude_is_kept_byte_for_byte(expression: bytes) -> None:
    """libcst never reads a statement the migration cannot need (python/slicing.py)."""
    deep = b"x = " + expression + b"\n"
    data = b'from amplitude import Amplitude\nclient = Amplitude("k")\n' + deep + b"client.flush()\n"
    result = migrate_source(data, "deep.py")
    assert result.status == "changed", result.reason
    assert result.output is not None and deep in result.output
    assert b"Mixpanel" in result.output and b"amplitude" not in result.output.lower()


PARENT = os.getpid()


def _worker_dies(self: Transforms, site: object) -> None:
    if os.getpid() == PARENT:  # never take the test process down
        raise RuntimeError("expected to run in a worker")
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="the injected transform reaches workers only through fork")
def test_a_worker_killed_by_one_file_fails_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A native crash or an OOM kill takes a worker down with every file it had in flight."""
    monkeypatch.setitem(TRANSFORMS.functions, "track", _worker_dies)
    for i in range(24):
        (tmp_path / f"f{i:02d}.py").write_bytes(TRACKS if i in (3, 17) else FLUSHES)
    pairs = run(sorted(tmp_path.iterdir()), [tmp_path], Options(), jobs=2, start_method="fork")
    failed = {os.path.basename(job.path): result.reason
              for job, result in pairs if result.status != "changed"}
    assert failed == {
        name: "internal-error: the worker process died on this file (a native crash or out of memory)"
        for name in ("f03.py", "f17.py")
    }


JS_TRACKS = (
    b"import * as amplitude from '@amplitude/analytics-browser';\n"
    b'amplitude.track("Signed Up", { plan: "pro" });\n'
)


def _broken_string_handler(lw: object, n: object) -> None:
    raise TypeError("a bug in the string lowering")


def test_a_fault_in_the_js_lowering_is_an_internal_error_not_the_users_syntax_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a tree JavaScript would read differently is a parse failure; a tool bug is ours."""
    from codemod.js.estree import lowering

    monkeypatch.setitem(lowering.HANDLERS, "string", _broken_string_handler)
    result = migrate_source(JS_TRACKS, "app.ts")
    assert (result.status, result.output) == ("error", None)
    assert result.reason.startswith(
        "internal-error: TypeError: a bug in the string lowering at codemod/js/"
    ), result.reason
    assert "syntax-error" not in result.reason and "please report it" in result.reason
    app = tmp_path / "app.ts"
    app.write_bytes(JS_TRACKS)
    cli = CliRunner().invoke(main, ["-j", "1", "--write", str(app)], env={"COLUMNS": "400"})
    assert cli.exit_code == 123, cli.output
    assert "internal-error: TypeError" in cli.stderr
    assert app.read_bytes() == JS_TRACKS, "a failed file is left untouched"
