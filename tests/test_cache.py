"""The result cache answers only for files that have not changed, and never changes output.

A warm run prints the same diff and report as a cold one and as `--no-cache`, without
reading the files the pre-filter set aside; an edit (even one that keeps the size and the
mtime), other options or another build of the tool make a file be migrated again; a file
changed just before the run is not recorded; a damaged database is ignored; rows of deleted
files are dropped.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cache as cache_module
from codemod.cache import DATABASE, ResultCache
from codemod.cli import main
from codemod.discovery import discover
from codemod.options import Options
from codemod.runner import run

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled: no racy window (see `RACY_SECONDS`)."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(DEMO, root)
    (root / "broken.py").write_text("from amplitude import Amplitude\ndef (:\n")
    (root / "plain.py").write_text("def f(x):\n    return x + 1\n")
    return root


def _cli(root: Path, *args: str) -> tuple[int, str, dict]:
    report = root.parent / "report.json"
    result = CliRunner().invoke(main, ["--diff", "--report", str(report), "-q", *args, str(root)])
    return result.exit_code, result.stdout, json.loads(report.read_text())


def _run(root: Path, cache_dir: Path, jobs: int = 1, **options: object) -> tuple[list, ResultCache]:
    cache = ResultCache.open(cache_dir)
    assert cache is not None
    pairs = run(discover([str(root)]), [root], Options(**options), jobs=jobs, cache=cache)  # type: ignore[arg-type]
    return pairs, cache


def test_a_warm_run_prints_what_a_cold_run_prints(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    cold = _cli(root, "--no-cache")
    first = _cli(root)
    warm = _cli(root)
    assert cold == first == warm
    assert cold[0] == 123  # broken.py: the cached error keeps the exit code
    assert "+++ b/" in warm[1] and "mixpanel" in warm[1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_unchanged_files_are_answered_without_being_read(
    tmp_path: Path, settled: None, jobs: int
) -> None:
    root = _project(tmp_path)
    cold, first = _run(root, tmp_path / "cache", jobs)
    assert first.hits == 0
    warm, second = _run(root, tmp_path / "cache", jobs)
    assert second.hits == len(warm)
    assert [result for _, result in warm] == [result for _, result in cold]
    for job, _ in warm:
        if job.clean:  # set aside by the pre-filter: answered from `stat` alone
            assert job.data is None and job.cached is not None
        else:  # a candidate is read, and answered only because its bytes hash the same
            assert job.cached is None


def test_an_edit_that_keeps_size_and_mtime_is_migrated_again(tmp_path: Path, settled: None) -> None:
    root = tmp_path / "p"
    root.mkdir()
    target = root / "app.py"
    target.write_text('from amplitude import Amplitude\nc = Amplitude("K")\nc.flush()  # a\n')
    before = os.stat(target)
    _run(root, tmp_path / "cache")
    # Same length, mtime put back (as `tar -x` or `rsync -a` would): only the ctime tells.
    target.write_text('from amplitude import Amplitude\nc = Amplitude("K")\nc.flush()  # b\n')
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    pairs, cache = _run(root, tmp_path / "cache")
    assert cache.hits == 0
    [(_, result)] = pairs
    assert result.output is not None and b"# b" in result.output


def test_a_candidate_is_answered_only_for_the_options_it_was_migrated_with(
    tmp_path: Path, settled: None
) -> None:
    root = _project(tmp_path)
    _run(root, tmp_path / "cache")
    pairs, cache = _run(root, tmp_path / "cache", token='os.environ["MP"]')
    outputs = b"".join(result.output or b"" for _, result in pairs)
    assert b'os.environ["MP"]' in outputs
    clean = sum(1 for job, _ in pairs if job.clean)
    assert cache.hits == clean  # the pre-filter's verdict does not depend on the options


def test_a_file_changed_just_before_the_run_is_not_recorded(tmp_path: Path) -> None:
    root = _project(tmp_path)  # just written: within the racy window
    _run(root, tmp_path / "cache")
    _, cache = _run(root, tmp_path / "cache")
    assert cache.hits == 0


def test_timeouts_and_dead_workers_are_not_recorded(tmp_path: Path, settled: None) -> None:
    from codemod.results import FileResult

    cache = ResultCache.open(tmp_path / "cache")
    assert cache is not None
    stamp = (1, 1, 1, 1)
    for reason in ("timeout: migrating took longer than 1 s", "internal-error: worker died"):
        cache.remember("/x.py", stamp, FileResult("x.py", "python", "error", reason=reason),
                       clean=False, data=b"", options=Options())
    cache.close()
    with sqlite3.connect(tmp_path / "cache" / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone() == (0,)


def test_a_damaged_database_is_replaced(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / DATABASE).write_bytes(b"this is not a database" * 100)
    expected = _cli(root, "--no-cache")
    assert _cli(root, "--cache-dir", str(cache_dir)) == expected
    _, cache = _run(root, cache_dir)
    assert cache.hits > 0  # a working cache again


def test_a_locked_database_is_left_alone(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    cache_dir = tmp_path / "cache"
    first, _ = _run(root, cache_dir)
    (root / "new.py").write_text("print('new')\n")  # a row to write at the end
    holder = sqlite3.connect(cache_dir / DATABASE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another run in the middle of writing
    try:
        pairs, cache = _run(root, cache_dir)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(pairs) == len(first) + 1
    assert cache.hits == len(first)  # reading never waits for a writer
    with sqlite3.connect(cache_dir / DATABASE) as db:  # its own rows are only lost
        assert db.execute("SELECT COUNT(*) FROM files").fetchone() == (len(first),)


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    assert _cli(root, "--cache-dir", str(blocker / "cache")) == _cli(root, "--no-cache")


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    cache_dir = tmp_path / "cache"
    _cli(root, "--no-cache", "--cache-dir", str(cache_dir))
    assert not cache_dir.exists()


def test_another_build_of_the_tool_empties_the_cache(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    _run(root, tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / DATABASE) as db:
        db.execute("UPDATE meta SET value = 'another build' WHERE name = 'key'")
    _, cache = _run(root, tmp_path / "cache")
    assert cache.hits == 0


def test_rows_of_deleted_files_are_dropped(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    _run(root, tmp_path / "cache")
    gone = os.path.realpath(root / "plain.py")
    (root / "plain.py").unlink()
    _run(root, tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / DATABASE) as db:
        paths = {row[0] for row in db.execute("SELECT path FROM files")}
    assert gone not in paths
    assert os.path.realpath(root / "broken.py") in paths


def test_a_run_over_one_file_keeps_the_rows_of_the_others(tmp_path: Path, settled: None) -> None:
    root = _project(tmp_path)
    pairs, _ = _run(root, tmp_path / "cache")
    cache = ResultCache.open(tmp_path / "cache")
    assert cache is not None
    run([str(root / "plain.py")], [root / "plain.py"], Options(), jobs=1, cache=cache)
    with sqlite3.connect(tmp_path / "cache" / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone() == (len(pairs),)


def test_runs_sharing_a_cache_at_the_same_time_print_what_one_run_prints(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    root = _project(tmp_path)
    expected = _cli(root, "--no-cache")[1]
    time.sleep(cache_module.RACY_SECONDS + 0.5)  # the files settle: the runs record them
    env = {**os.environ, "AMP2MP_CACHE_DIR": str(tmp_path / "shared-cache")}
    command = [sys.executable, "-m", "codemod", "--diff", "-q", str(root)]
    for _ in range(2):  # the first round fills the cache, the second reads it, both racing
        runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(3)]
        for run_ in runs:
            out, err = run_.communicate(timeout=120)
            assert run_.returncode == 123, err  # broken.py
            assert out.decode() == expected
    with sqlite3.connect(tmp_path / "shared-cache" / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] > 0


def test_a_warm_write_writes_what_a_cold_write_writes(tmp_path: Path, settled: None) -> None:
    warm, cold = _project(tmp_path / "warm"), _project(tmp_path / "cold")
    assert CliRunner().invoke(main, ["--diff", "-q", str(warm)]).exit_code == 123  # fills it
    for root, extra in ((warm, []), (cold, ["--no-cache"])):
        result = CliRunner().invoke(main, ["--write", "--allow-no-vcs", "--allow-dirty", "-q",
                                           *extra, str(root)])
        assert result.exit_code == 123, result.output  # broken.py
    for path in sorted(cold.rglob("*")):
        if path.is_file():
            assert (warm / path.relative_to(cold)).read_bytes() == path.read_bytes(), path
