"""The command line on real files in a temporary tree: the group, flags, exit codes, output.

`amp2mp-codemod` is a group whose default command is the migration, so every documented
invocation (`amp2mp-codemod --diff ./src`) keeps working next to `rules` and `explain`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codemod.cli import main

AMPLITUDE = (
    "from amplitude import Amplitude, BaseEvent\n\n"
    'client = Amplitude("KEY")\n'
    'client.track(BaseEvent("Signed Up", user_id="u1"))\n'
)
MIGRATED_TRACK = 'client.track("u1", "Signed Up", {"$user_id": "u1"})\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small tree with one Amplitude file and one plain file; the cwd is its root."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(AMPLITUDE)
    (tmp_path / "src" / "plain.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """The migration in-process (`-j 1`), as a user would type it."""
    return CliRunner().invoke(main, [*args, "-j", "1"], env=env)


def test_default_command_is_the_migration(project: Path) -> None:
    result = invoke("--diff", "src")
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("--- a/src/app.py\n+++ b/src/app.py\n")
    assert "+" + MIGRATED_TRACK in result.stdout
    assert (project / "src" / "app.py").read_text() == AMPLITUDE
    assert invoke("migrate", "--diff", "src").stdout == result.stdout


def test_paths_first_also_run_the_migration(project: Path) -> None:
    assert invoke("src").exit_code == 1


def test_write_then_check_is_clean(project: Path) -> None:
    assert invoke("--write", "--allow-no-vcs", "src").exit_code == 1
    assert MIGRATED_TRACK in (project / "src" / "app.py").read_text()
    check = invoke("--check", "src")
    assert check.exit_code == 0, check.output
    assert check.stdout == ""


def test_check_lists_files_and_exits_1(project: Path) -> None:
    result = invoke("--check", "src")
    assert result.exit_code == 1
    assert result.stdout == "would migrate src/app.py\n"


def test_no_paths_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 2
    assert "give at least one file or directory" in result.output


def test_group_help_lists_the_commands(project: Path) -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("migrate", "rules", "explain"):
        assert command in result.stdout


def test_version(project: Path) -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "amp2mp-codemod" in result.stdout


def test_diff_output_applies_with_git(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    result = invoke("--diff", "src")
    patch = project / "out.patch"
    patch.write_bytes(result.stdout_bytes)
    check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=project,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(["git", "apply", str(patch)], cwd=project, check=True)
    assert MIGRATED_TRACK in (project / "src" / "app.py").read_text()


def test_quiet_prints_nothing_on_success(project: Path) -> None:
    result = invoke("--check", "-q", "src")
    assert result.stderr == ""


def test_verbose_prints_each_file_and_its_findings(project: Path) -> None:
    result = invoke("--check", "-v", "src")
    assert "changed src/app.py" in result.stderr
    assert "unchanged src/plain.py" in result.stderr
    assert "src/app.py:3:1: review AP01 ID010" in result.stderr  # path:line:col: severity ID


@pytest.mark.parametrize(("args", "env", "coloured"), [
    (("--color", "always"), {}, True),
    (("--color", "never"), {}, False),
    (("--color", "always"), {"NO_COLOR": "1"}, True),
    ((), {"NO_COLOR": "1"}, False),
    ((), {}, False),  # auto, and CliRunner's stderr is not a terminal
])
def test_color(project: Path, args: tuple[str, ...], env: dict[str, str], coloured: bool) -> None:
    result = invoke("--check", *args, "src", env=env)
    assert ("\x1b[32m" in result.stderr) is coloured  # the summary's green count
    if not coloured:
        assert "\x1b[" not in result.stderr


def test_interactive_refuses_without_a_terminal(project: Path) -> None:
    result = invoke("--interactive", "src")
    assert result.exit_code == 2
    assert "--interactive needs a person at a terminal: stdin is not a terminal" in result.output
    assert (project / "src" / "app.py").read_text() == AMPLITUDE


@pytest.mark.parametrize(("name", "reason"), [("CI", "running under CI"),
                                              ("PRE_COMMIT", "pre-commit hook")])
def test_interactive_refuses_under_ci_and_pre_commit(project: Path, name: str, reason: str) -> None:
    result = invoke("--interactive", "src", env={name: "1"})
    assert result.exit_code == 2
    assert reason in result.output


def test_hook_mode_prints_findings_per_file_on_stdout(project: Path) -> None:
    result = invoke("--write", "--allow-no-vcs", "src", env={"PRE_COMMIT": "1"})
    assert result.exit_code == 1
    assert "src/app.py:3:1: review AP01 ID010" in result.stdout


def test_report_suffix_must_name_a_format(project: Path) -> None:
    result = invoke("--report", "report.txt", "src")
    assert result.exit_code == 2
    assert "--report-format" in result.output
    assert invoke("--report", "report.txt", "--report-format", "md", "src").exit_code == 1
    assert (project / "report.txt").read_text().startswith("# Migrate Amplitude to Mixpanel")


def test_eu_flag_points_every_client_at_the_eu_host(project: Path) -> None:
    result = invoke("--eu", "src")
    assert 'consumer=Consumer(api_host="api-eu.mixpanel.com")' in result.stdout


def test_ignored_rule_leaves_the_file_whole_and_reports_the_site(project: Path) -> None:
    result = invoke("--ignore", "AP02", "--report", "r.json", "src")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    report = (project / "r.json").read_text()
    assert '"not rewritten: rule AP02 is disabled, so this file is left as it is"' in report


def test_unknown_rule_id_on_the_command_line(project: Path) -> None:
    result = invoke("--select", "AP01,AP99", "src")
    assert result.exit_code == 2
    assert "unknown rule id 'AP99'" in result.output
