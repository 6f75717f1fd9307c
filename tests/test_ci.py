"""CI runs the README's test command, verbatim: what a contributor runs is what CI judges."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ci_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if line.strip() and not line.startswith("#")
                and not line.startswith(("set ", "cd "))]
    assert len(commands) == 1, commands
    return commands[0]


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, title
    return match.group(1)


def _shell_lines(section: str) -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", section, re.M | re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    command = _ci_command()
    assert command in _shell_lines(_readme_section("Quick start"))
    assert command in _shell_lines(_readme_section("Development"))


def test_the_test_command_runs_the_suite_then_ruff_then_mypy() -> None:
    steps = [step.strip() for step in _ci_command().split("&&")]
    assert steps == ["python -m pip install -e '.[test]'", "python -m pytest",
                     "python -m ruff check .", "python -m mypy"]


def test_every_engine_package_is_installed() -> None:
    """`[tool.setuptools] packages` lists packages by name: a subpackage missing there is
    missing from the wheel, which the editable install used by the tests never notices
    (pre-commit's own build does, as an ImportError in the hook)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "codemod").rglob("__init__.py")}
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"
