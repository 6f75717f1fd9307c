"""The installed command on real trees: the promises of the quick start and of CI use.

These run `amp2mp-codemod` as a user does (a subprocess of the installed entry point) on a copy
of the bundled demo app and on small trees built in tmp_path.
"""

from __future__ import annotations

import json
import py_compile
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
AMPLITUDE_FILE = (
    "from amplitude import Amplitude, BaseEvent\n\n"
    'client = Amplitude("KEY")\n'
    'client.track(BaseEvent("Signed Up", user_id="u1"))\n'
)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codemod", *args], cwd=cwd, capture_output=True, text=True,
        check=False,
    )


def _references(stdout: str) -> set[tuple[str, str]]:
    """(path, id) of each `path:line:col: ID message` line; every line must be one."""
    found = set()
    for line in stdout.splitlines():
        match = re.fullmatch(r"([^:]+):(\d+):(\d+): (\S+) .+", line)
        assert match, line
        found.add((match[1], match[4]))
    return found


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def test_diff_writes_nothing_and_applies_with_git(demo: Path) -> None:
    before = {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()}
    result = cli("--diff", ".", cwd=demo)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("--- a/")
    assert {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()} == before
    subprocess.run(["git", "init", "-q"], cwd=demo, check=True)
    patch = demo.parent / "demo.patch"
    patch.write_text(result.stdout)
    applied = subprocess.run(["git", "apply", str(patch)], cwd=demo, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    # Nothing is left to rewrite, but the demo's manual sites are still Amplitude code:
    # --check keeps failing on them, one `path:line:col: ID message` line each.
    check = cli("--check", ".", cwd=demo)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "would migrate" not in check.stdout
    assert _references(check.stdout)


def test_write_then_check_is_clean_and_outputs_compile(demo: Path) -> None:
    written = cli("--write", "--allow-no-vcs", ".", cwd=demo)
    assert written.returncode == 1, written.stderr
    for path in demo.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    snapshot = {p: p.read_bytes() for p in demo.rglob("*.py")}
    check = cli("--check", ".", cwd=demo)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "would migrate" not in check.stdout
    sites = _references(check.stdout)
    assert ("shop/service/checkout.py", "PY-UNRESOLVED") in sites
    # the client is migrated whole: nothing of it is left in its module
    assert not any(path == "shop/service/analytics.py" for path, _ in sites)
    again = cli("--write", "--allow-no-vcs", ".", cwd=demo)
    assert again.returncode == 0
    assert {p: p.read_bytes() for p in demo.rglob("*.py")} == snapshot


def test_report_lists_every_file_with_status_and_caveats(demo: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    cli("--diff", "--report", str(report_path), ".", cwd=demo)
    report = json.loads(report_path.read_text())
    assert report["version"] == 1
    statuses = {entry["path"]: entry["status"] for entry in report["files"]}
    assert statuses["shop/service/segment_bridge.py"] == "unchanged"
    assert statuses["shop/service/analytics.py"] == "changed"
    analytics = next(f for f in report["files"] if f["path"] == "shop/service/analytics.py")
    assert {c["rule"] for c in analytics["changes"]} >= {"AP01", "AP03", "AP09", "PY-IMPORTS"}
    assert all(set(f) == {"line", "rule", "caveat", "severity", "message"}
               for f in analytics["findings"])
    assert {"ID001", "ID006", "ID010"} <= set(report["caveats"])
    assert report["caveats"]["ID010"]["docs"].startswith("https://docs.mixpanel.com/")
    assert statuses["shop/web/src/analytics.ts"] == "changed"
    assert statuses["shop/web/src/legacy.js"] == "changed"


@pytest.mark.parametrize(("requirements", "named"), [
    ("django-amplitude==0.8.1\n", "django-amplitude"),
    ("amplitude-python==0.13\n", "amplitude-python"),
    # Next to the SDK a look-alike still makes `import amplitude` ambiguous.
    ("amplitude-analytics==1.1.4\nDjango_Amplitude>=0.8\n", "django-amplitude"),
    ("amplitude-tracker==0.0.7\n", "amplitude-tracker"),
])
def test_manifest_names_another_amplitude_package(tmp_path: Path, requirements: str,
                                                  named: str) -> None:
    (tmp_path / "requirements.txt").write_text(requirements)
    (tmp_path / "views.py").write_text(AMPLITUDE_FILE)
    result = cli("--diff", "--report", "r.json", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    entry = json.loads((tmp_path / "r.json").read_text())["files"][0]
    assert entry["status"] == "skipped"
    assert named in entry["reason"]


def test_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("print('no analytics here')\n")
    assert cli("--check", ".", cwd=tmp_path).returncode == 0
    (tmp_path / "app.py").write_text(AMPLITUDE_FILE)
    assert cli("--check", ".", cwd=tmp_path).returncode == 1
    (tmp_path / "broken.py").write_text("from amplitude import Amplitude\ndef f(:\n")
    broken = cli("--check", ".", cwd=tmp_path)
    assert broken.returncode == 123
    assert "broken.py" in broken.stderr and "syntax-error" in broken.stderr
    assert cli("--check", cwd=tmp_path).returncode == 2
    assert cli("--check", "missing-dir", cwd=tmp_path).returncode == 2


def test_token_expression_is_used(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(AMPLITUDE_FILE)
    result = cli("--diff", "--token", "settings.MIXPANEL_TOKEN", ".", cwd=tmp_path)
    assert "+client = Mixpanel(settings.MIXPANEL_TOKEN)" in result.stdout
    assert "import os" not in result.stdout


def test_a_failed_write_is_that_files_error_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    """A full disk (injected: root can write anywhere here) fails one file, exit 123."""
    import errno

    from click.testing import CliRunner

    from codemod import writer
    from codemod.cli import main

    def full_disk(path: Path, data: bytes, expected: bytes | None = None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "write_atomic", full_disk)
    (tmp_path / "app.py").write_text(AMPLITUDE_FILE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--write", "--allow-no-vcs", "."])
    assert result.exit_code == 123, result.output
    assert "write-failed: No space left on device" in result.output
    assert (tmp_path / "app.py").read_text() == AMPLITUDE_FILE
