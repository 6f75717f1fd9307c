"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`).

try-repo installs the hook repository at a commit, so this working tree (with its uncommitted
edits, minus what .gitignore ignores) is copied into a temporary repository and committed there. The
user's project is another temporary repository with an Amplitude file, a file its
configuration excludes, and a plain file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from identify.identify import tags_from_filename

from codemod.discovery import SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
AMPLITUDE = (
    "from amplitude import Amplitude, BaseEvent\n\n"
    'client = Amplitude("KEY")\n'
    'client.track(BaseEvent("Signed Up", user_id="u1"))\n'
)
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def test_hook_files_pattern_covers_exactly_the_tool_suffixes() -> None:
    for hook in HOOKS:
        pattern = re.compile(hook["files"])
        for suffix in SUFFIXES:
            assert pattern.search(f"src/app{suffix}"), (hook["id"], suffix)
        for other in ("README.md", "setup.cfg", "app.pyc", "data.json"):
            assert not pattern.search(other), (hook["id"], other)
        assert "types_or" not in hook and "types" not in hook


def test_types_or_alone_would_miss_mts_and_cts() -> None:
    """The data behind the manifest's comment: identify tags neither suffix."""
    assert tags_from_filename("a.mts") == set() == tags_from_filename("a.cts")


def test_manifest_passes_pre_commits_own_validation() -> None:
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                             str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_entries() -> None:
    entries = {hook["id"]: hook["entry"] for hook in HOOKS}
    assert entries == {"amp2mp-codemod": "amp2mp-codemod --write --force-exclude",
                       "amp2mp-codemod-check": "amp2mp-codemod --check --force-exclude"}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, as git sees it, committed to a repository try-repo can install."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True)
    target = tmp_path_factory.mktemp("hook-repo")
    for raw in listed.stdout.split(b"\0"):
        name = os.fsdecode(raw)
        if raw and (ROOT / name).is_file() and not name.startswith("fixtures/"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    git(target, "init", "-q")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "hooks under test")
    return target


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    (tmp_path / "src" / "legacy").mkdir(parents=True)
    (tmp_path / "src" / "app.py").write_text(AMPLITUDE)
    (tmp_path / "src" / "legacy" / "old.py").write_text(AMPLITUDE)
    (tmp_path / "src" / "plain.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text('[tool.amp2mp-codemod]\nexclude = ["legacy/"]\n')
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "amplitude")
    return tmp_path


def try_repo(user: Path, hooks: Path, home: Path, hook_id: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook_id, "--all-files"],
        cwd=user, env=env, capture_output=True, text=True, check=False,
    )


def test_fixer_fails_and_rewrites_then_passes(
    user_repo: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    first = try_repo(user_repo, hook_repo, pre_commit_home, "amp2mp-codemod")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Failed" in first.stdout
    assert "src/app.py:3:1: review AP01 ID010" in first.stdout  # findings per file, on stdout
    rewritten = (user_repo / "src" / "app.py").read_text()
    assert 'client.track("u1", "Signed Up", {"$user_id": "u1"})' in rewritten
    assert (user_repo / "src" / "legacy" / "old.py").read_text() == AMPLITUDE
    assert (user_repo / "src" / "plain.py").read_text() == "x = 1\n"
    git(user_repo, "add", "-u")
    second = try_repo(user_repo, hook_repo, pre_commit_home, "amp2mp-codemod")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout


def test_check_hook_fails_and_writes_nothing(
    user_repo: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    result = try_repo(user_repo, hook_repo, pre_commit_home, "amp2mp-codemod-check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "would migrate src/app.py" in result.stdout
    assert "legacy" not in result.stdout
    assert (user_repo / "src" / "app.py").read_text() == AMPLITUDE
