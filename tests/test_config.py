"""`[tool.amp2mp-codemod]` / amp2mp.toml: discovery, validation, precedence, include/exclude."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codemod.catalogue import load_catalogue
from codemod.cli import main
from codemod.config import ConfigError, configs_above, load_config, to_options

AMPLITUDE = (
    "from amplitude import Amplitude, BaseEvent, EventOptions, Revenue\n\n"
    'client = Amplitude("KEY")\n'
    'client.track(BaseEvent("Signed Up", user_id="u1"))\n'
    'client.revenue(Revenue(price=1.0), EventOptions(user_id="u1"))\n'
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("src/app.py", "src/legacy/old.py", "scripts/tool.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(AMPLITUDE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    return tmp_path


def configure(project: Path, body: str, name: str = "pyproject.toml") -> Path:
    path = project / name
    header = "[tool.amp2mp-codemod]\n" if name == "pyproject.toml" else ""
    path.write_text(header + body)
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, [*args, "-j", "1"])


def changed_files(result: Result) -> list[str]:
    return [line.removeprefix("would migrate ") for line in result.stdout.splitlines()]


def test_nearest_pyproject_with_the_table_wins(project: Path) -> None:
    configure(project, 'revenue-event = "Purchase"\n')
    (project / "src" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert configs_above("src") == [project / "pyproject.toml"]  # src's has no table


def test_standalone_file_wins_in_the_same_directory(project: Path) -> None:
    configure(project, 'revenue-event = "Purchase"\n')
    standalone = configure(project, 'revenue-event = "Sale"\n', "amp2mp.toml")
    assert configs_above("src") == [standalone]
    assert '"Sale"' in invoke("src/app.py").stdout


def test_no_configuration_file(project: Path) -> None:
    assert configs_above("src") == []


def test_unknown_key_is_an_error_naming_key_and_file(project: Path) -> None:
    path = configure(project, 'exclud = ["legacy/"]\n')
    result = invoke("src")
    assert result.exit_code == 2
    assert f"{path} [tool.amp2mp-codemod]: unknown key 'exclud'; did you mean 'exclude'?" in (
        result.output)


@pytest.mark.parametrize(("body", "message"), [
    ('exclude = "legacy/"\n', "'exclude' must be a list of strings"),
    ("eu = 1\n", "'eu' must be true or false"),
    ('token = ""\n', "'token' must be a non-empty string"),
    ("ignore = [\"AP99\"]\n", "unknown rule id 'AP99'"),
    ("eu = \n", "invalid TOML"),
])
def test_invalid_values_are_errors(project: Path, body: str, message: str) -> None:
    configure(project, body)
    result = invoke("src")
    assert result.exit_code == 2
    assert message in result.output
    assert str(project / "pyproject.toml") in result.output


def test_exclude_applies_to_walked_directories(project: Path) -> None:
    configure(project, 'exclude = ["legacy/"]\n')
    assert changed_files(invoke("--check", ".")) == ["scripts/tool.py", "src/app.py"]


def test_explicit_files_bypass_exclude_unless_force_exclude(project: Path) -> None:
    configure(project, 'exclude = ["legacy/"]\n')
    assert changed_files(invoke("--check", "src/legacy/old.py")) == ["src/legacy/old.py"]
    forced = invoke("--check", "--force-exclude", "src/legacy/old.py", "src/app.py")
    assert changed_files(forced) == ["src/app.py"]


def test_include_limits_walked_files_but_not_named_ones(project: Path) -> None:
    configure(project, 'include = ["src/**"]\n')
    assert changed_files(invoke("--check", ".")) == ["src/app.py", "src/legacy/old.py"]
    assert changed_files(invoke("--check", "scripts/tool.py")) == ["scripts/tool.py"]


def test_globs_are_relative_to_the_configuration_file(project: Path) -> None:
    configure(project, 'exclude = ["/src/legacy"]\n')
    assert changed_files(invoke("--check", "src")) == ["src/app.py"]


def test_configured_values_reach_the_rewrite(project: Path) -> None:
    configure(project, 'token = "settings.MIXPANEL_TOKEN"\nrevenue-event = "Purchase"\n'
                       "eu = true\n")
    diff = invoke("src/app.py").stdout
    assert '+client = Mixpanel(settings.MIXPANEL_TOKEN, consumer=Consumer(api_host="api-eu' in diff
    assert '"Purchase"' in diff


def test_flags_override_the_configuration(project: Path) -> None:
    configure(project, 'token = "settings.MIXPANEL_TOKEN"\nrevenue-event = "Purchase"\n'
                       "eu = true\n")
    diff = invoke("src/app.py", "--token", "TOKEN", "--revenue-event", "Sale", "--no-eu").stdout
    assert "+client = Mixpanel(TOKEN)" in diff
    assert '"Sale"' in diff


def test_todo_comments_off_in_configuration_and_back_on_by_flag(project: Path) -> None:
    (project / "src" / "manual.py").write_text(
        "from amplitude import Amplitude, BaseEvent\n\n"
        'client = Amplitude("KEY")\nclient.track(BaseEvent("Anonymous"))\n'
    )
    configure(project, "todo-comments = false\n")
    assert "TODO(amp2mp)" not in invoke("src/manual.py").stdout
    assert "TODO(amp2mp)" in invoke("src/manual.py", "--todo").stdout


def test_select_and_ignore_become_disabled_rules(project: Path) -> None:
    configure(project, 'select = ["AP01", "AP02", "AP12"]\nignore = ["AP12"]\n')
    options = to_options(load_config(project / "pyproject.toml", load_catalogue), load_catalogue)
    assert "AP12" in options.disabled_rules
    assert "AP09" in options.disabled_rules
    assert not {"AP01", "AP02"} & options.disabled_rules


def test_a_disabled_rule_leaves_its_file_whole_and_is_reported(project: Path) -> None:
    configure(project, 'ignore = ["AP12"]\n')
    result = invoke("--check", "--report", "r.json", "src/app.py")
    # The file is left whole, so its Amplitude code is still there: --check fails on the site.
    assert result.exit_code == 1
    assert "would migrate" not in result.stdout
    assert "AP12 not rewritten: rule AP12 is disabled" in result.stdout
    assert "rule AP12 is disabled" in (project / "r.json").read_text()


def test_explicit_config_option(project: Path) -> None:
    other = project / "elsewhere.toml"
    other.write_text('revenue-event = "Elsewhere"\n')
    assert '"Elsewhere"' in invoke("--config", str(other), "src/app.py").stdout


def test_load_config_rejects_a_non_table(project: Path) -> None:
    path = project / "pyproject.toml"
    path.write_text('[tool]\n"amp2mp-codemod" = 1\n')
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(path, load_catalogue)


def test_a_bad_flag_id_is_blamed_on_the_flag_not_the_file(project: Path) -> None:
    configure(project, 'ignore = ["AP12"]\n')
    result = invoke("--ignore", "AP9", "src")  # AP1 is a prefix now (AP10-AP18): AP9 names none
    assert result.exit_code == 2
    assert "--select/--ignore: unknown rule id 'AP9'" in result.output
    assert "pyproject.toml" not in result.output


def test_a_run_without_rule_ids_or_candidates_never_parses_the_rule_files(project: Path) -> None:
    """The one-file pre-commit case: the catalogue is loaded on first need only."""
    configure(project, 'ignore = []\n')  # a config file naming no rule id
    (project / "src" / "plain.py").write_text("print('no analytics here')\n")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "import codemod.catalogue as c\n"
        "calls = []\n"
        "original = c.load_catalogue\n"
        "c.load_catalogue = lambda: calls.append(1) or original()\n"
        "from_snapshot = c.load_catalogue_from\n"
        "c.load_catalogue_from = lambda folder: calls.append(2) or from_snapshot(folder)\n"
        "from codemod.cli import main\n"
        "result = CliRunner().invoke(main, ['--diff', 'src/plain.py'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert calls == [], calls\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=project, check=True)
