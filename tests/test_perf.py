"""What makes large runs fast, tested without ever timing anything (issue 7).

- the byte pre-filter sends only files that mention Amplitude to the migrators;
- `-j 2` and `-j 1` print byte-identical diffs and reports, under fork and under spawn;
- results come back in input order, and a result only keeps its file's bytes when the diff,
  the review or a report still needs them (memory does not grow with the tree);
- files under ignored folders are never opened;
- a run over files without Amplitude never imports a parser.

Speed itself is measured by `bench/run.py`, never here.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from codemod import runner
from codemod.discovery import discover
from codemod.options import Options
from codemod.prefilter import may_use_amplitude
from codemod.project import index as project_index

ROOT = Path(__file__).resolve().parent.parent


def _amplitude_py(event: str) -> str:
    return (
        "from amplitude import Amplitude, BaseEvent\n\n"
        'client = Amplitude("KEY")\n'
        f'client.track(BaseEvent("{event}", user_id="u1"))\n'
    )


def _tree(root: Path, amplitude_files: int = 10, plain_files: int = 30) -> Path:
    """A small project: Amplitude files, plain files, look-alikes, and ignored vendor code."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("node_modules/\n.venv/\nbuild/\n")
    for index in range(amplitude_files):
        path = root / "app" / f"pkg{index % 3}" / f"track_{index:02d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_amplitude_py(f"Event {index}"))
    for index in range(plain_files):
        path = root / "app" / f"pkg{index % 4}" / f"plain_{index:02d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"def f{index}(x):\n    return x + {index}\n")
    (root / "app" / "audio.py").write_text("amplitude = 0.5  # not the SDK\nprint(amplitude)\n")
    (root / "app" / "notes.py").write_text("# migrated from amplitude last year\nX = 1\n")
    for ignored in ("node_modules/amplitude-js/lib", ".venv/lib/amplitude", "build/amplitude"):
        folder = root / ignored
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vendored.py").write_text(_amplitude_py("Vendored"))
        (folder / "vendored.js").write_text("amplitude.getInstance().logEvent('Vendored');\n")
    return root


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "codemod", *args], cwd=cwd, capture_output=True, check=False,
        env={**os.environ, **(env or {})},
    )


def _git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


# --- the pre-filter ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"from amplitude import Amplitude\n", True),
        (b"import amplitude\n", True),
        (b"import * as amplitude from '@amplitude/analytics-browser';\n", True),
        (b"const a = require('amplitude-js');\n", True),
        (b"window.amplitude.getInstance().logEvent('x');\n", True),
        (b"fetch('https://api2.amplitude.com/2/httpapi', {method: 'POST'});\n", True),
        (b"def f(x):\n    return x\n", False),
        (b"analytics.track('Signed Up', {plan});\n", False),
        (b"mixpanel.track('Signed Up');\n", False),
    ],
)
def test_prefilter_decides_from_bytes(data: bytes, expected: bool) -> None:
    assert may_use_amplitude(data) is expected


def test_prefilter_keeps_files_without_amplitude_away_from_the_migrators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "proj", amplitude_files=3, plain_files=12)
    migrated: list[str] = []
    real_work = runner._work

    def spy(job: runner.Job, *args: object, **kwargs: object) -> object:
        migrated.append(Path(job.display).name)
        return real_work(job, *args, **kwargs)

    monkeypatch.setattr(runner, "_work", spy)
    files = discover([str(root)])
    pairs = runner.run(files, [root], Options(), jobs=1)
    assert len(pairs) == 3 + 12 + 2
    # Only the files whose bytes contain `amplitude` reach a migrator.
    # audio.py and notes.py mention amplitude but import nothing from it: they are decided from
    # their bytes too (Python imports the package wherever the tool has something to do).
    assert sorted(migrated) == ["track_00.py", "track_01.py", "track_02.py"]
    statuses = {Path(job.display).name: result.status for job, result in pairs}
    assert statuses["plain_00.py"] == "unchanged"
    assert statuses["audio.py"] == statuses["notes.py"] == "unchanged"
    assert statuses["track_00.py"] == "changed"


def test_a_run_over_files_without_amplitude_imports_no_parser(tmp_path: Path) -> None:
    root = _tree(tmp_path / "proj", amplitude_files=0, plain_files=5)
    _git_init(root)  # outside git, discovery walks with pathspec, which it then needs
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from codemod import runner\n"
        "from codemod.discovery import discover\n"
        "from codemod.options import Options\n"
        f"root = Path({str(root / 'app')!r})\n"
        "pairs = runner.run(discover([str(root)]), [root], Options(), jobs=1)\n"
        "assert len(pairs) == 7, pairs\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "               ('libcst', 'esprima', 'tree_sitter', 'rich', 'pathspec'))\n"
        "print(' '.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    # audio.py and notes.py mention amplitude but import nothing from it: no libcst either.
    assert out.stdout.split() == []


# --- -j 1 and -j 2 agree ------------------------------------------------------------------------------
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_jobs_2_and_jobs_1_print_identical_diffs_and_reports(
    tmp_path: Path, start_method: str
) -> None:
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{start_method} is not available here")
    root = _tree(tmp_path / "proj", amplitude_files=runner.POOL_THRESHOLD + 4, plain_files=20)
    _git_init(root)
    outputs = {}
    for jobs in ("1", "2"):
        report = tmp_path / f"report-{jobs}.json"
        result = _cli("--diff", "--report", str(report), "-j", jobs, ".", cwd=root,
                      env={runner.START_METHOD_ENV: start_method})
        assert result.returncode == 1, result.stderr.decode()
        outputs[jobs] = (result.stdout, report.read_bytes())
    assert outputs["1"] == outputs["2"]
    assert outputs["2"][0].count(b"+++ b/") == runner.POOL_THRESHOLD + 4


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_the_pool_gives_the_in_process_results_in_input_order(
    tmp_path: Path, start_method: str
) -> None:
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{start_method} is not available here")
    root = _tree(tmp_path / "proj", amplitude_files=runner.POOL_THRESHOLD * 2, plain_files=25)
    files = discover([str(root)])
    serial = runner.run(files, [root], Options(), jobs=1)
    pooled = runner.run(files, [root], Options(), jobs=2, start_method=start_method)
    assert [job.path for job, _ in pooled] == list(files)
    assert [result for _, result in pooled] == [result for _, result in serial]


def test_results_keep_bytes_only_where_they_are_still_needed(tmp_path: Path) -> None:
    root = _tree(tmp_path / "proj", amplitude_files=runner.POOL_THRESHOLD + 1, plain_files=30)
    files = discover([str(root)])
    for jobs in (1, 2):
        for job, result in runner.run(files, [root], Options(), jobs=jobs):
            needed = result.status == "changed" or bool(result.changes or result.findings)
            assert (job.data is not None) == needed, (jobs, job.display, result.status)


def test_files_are_read_as_results_are_consumed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner streams: the first result is out before most files have been opened.

    Before it, the project index (`codemod/project/`) has read each file once for its
    summary, keeping no bytes (and a file that may create a client once more, to parse it):
    which modules share a client must be known before any of them is migrated.
    """
    root = _tree(tmp_path / "proj", amplitude_files=2, plain_files=60)
    files = discover([str(root)])
    opened: list[str] = []
    indexed: list[str] = []
    real_open = open

    def spy(path: object, *args: object, **kwargs: object) -> object:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    def index_spy(path: object, *args: object, **kwargs: object) -> object:
        indexed.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(runner, "open", spy, raising=False)
    monkeypatch.setattr(project_index, "open", index_spy, raising=False)
    stream = runner.iter_run(files, [root], Options(), jobs=1)
    next(stream)
    read = Counter(indexed)  # each file once for its summary, a possible creator once more
    assert set(read) == {str(f) for f in files}
    assert all(n == 1 or may_use_amplitude(Path(p).read_bytes()) for p, n in read.items())
    assert len(opened) < len(files) // 2
    rest = list(stream)
    assert len(rest) == len(files) - 1
    assert len(opened) == len(files)


# --- ignored folders ------------------------------------------------------------------------------
@pytest.mark.parametrize("in_git", [True, False], ids=["git-work-tree", "plain-folder"])
def test_ignored_folders_are_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_git: bool
) -> None:
    root = _tree(tmp_path / "proj", amplitude_files=runner.POOL_THRESHOLD + 1, plain_files=5)
    if in_git:
        _git_init(root)
    opened: list[str] = []
    real_open = open

    def spy(path: object, *args: object, **kwargs: object) -> object:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(runner, "open", spy, raising=False)
    files = discover([str(root)])
    pairs = runner.run(files, [root], Options(), jobs=2)
    listed = [str(f) for f in files] + opened + [job.display for job, _ in pairs]
    for ignored in ("node_modules", ".venv", "build"):
        assert not [p for p in listed if f"{os.sep}{ignored}{os.sep}" in f"{os.sep}{p}"], ignored
    assert len(opened) == len(files) == 2 * 0 + runner.POOL_THRESHOLD + 1 + 5 + 2


def test_write_leaves_ignored_folders_byte_for_byte(tmp_path: Path) -> None:
    root = _tree(tmp_path / "proj", amplitude_files=3, plain_files=3)
    _git_init(root)
    vendored = {p: p.read_bytes() for p in root.rglob("vendored.*")}
    assert len(vendored) == 6
    result = _cli("--write", "--allow-no-vcs", "--allow-dirty", "-j", "2", ".", cwd=root)
    assert result.returncode == 1, result.stderr.decode()
    assert {p: p.read_bytes() for p in vendored} == vendored
    assert b"mixpanel" in (root / "app" / "pkg0" / "track_00.py").read_bytes().lower()


def test_pool_context_honours_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(runner.START_METHOD_ENV, "spawn")
    assert runner.pool_context().get_start_method() == "spawn"
    assert runner.pool_context("fork" if sys.platform != "win32" else "spawn").get_start_method() in (
        "fork", "spawn")
