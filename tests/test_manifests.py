"""Dependency manifests (spec §3.10): one case per folder under fixtures/manifests/.

A case holds `project/` (sources and manifests), `expected/` (each manifest's exact bytes after
`--write`; a manifest not listed there must come back unchanged) and `findings.json`
(`[file, line, start of message]` rows the JSON report must contain). The run goes through
the command line, since deciding whether the project still needs Amplitude takes the whole run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod.cli import main
from codemod.manifests import SHOWN, _importers, edit_package_json, edit_requirements, normalise

CASES_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "manifests"
CASES = sorted(p for p in CASES_ROOT.iterdir() if (p / "project").is_dir())
MANIFEST_NAMES = ("package.json", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile")


def _manifests(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and (
        p.name in MANIFEST_NAMES or (p.suffix == ".txt" and p.name.startswith("requirements"))))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_manifest_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(case / "project", project)
    monkeypatch.chdir(project)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    result = CliRunner().invoke(main, ["--write", "--allow-no-vcs", "--report",
                                       str(tmp_path / "r.json"), "-j", "1", "."])
    assert result.exit_code in (0, 1), result.output
    for manifest in _manifests(project):
        relative = manifest.relative_to(project)
        expected = case / "expected" / relative
        want = expected if expected.exists() else case / "project" / relative
        assert manifest.read_bytes() == want.read_bytes(), relative
    report = json.loads((tmp_path / "r.json").read_text())
    found = [(f["path"], finding["line"], finding["message"])
             for f in report["files"] if f["language"] == "manifest" for finding in f["findings"]]
    for path, line, start in json.loads((case / "findings.json").read_text()):
        assert any(p == path and n == line and m.startswith(start) for p, n, m in found), (
            path, line, start, found)


def test_second_run_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CASES_ROOT / "requirements" / "project", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    assert CliRunner().invoke(main, ["--write", "--allow-no-vcs", "-j", "1", "."]).exit_code == 1
    again = CliRunner().invoke(main, ["--check", "-j", "1", "."])
    assert again.exit_code == 0, again.output


def test_diff_and_check_include_the_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CASES_ROOT / "setup-cfg" / "project", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    diff = CliRunner().invoke(main, ["-j", "1", "."]).stdout
    assert "+++ b/setup.cfg\n" in diff and "+    mixpanel>=5.4.1,<6  # sdk\n" in diff
    check = CliRunner().invoke(main, ["--check", "-j", "1", "."]).stdout
    assert "would migrate setup.cfg\n" in check
    assert CliRunner().invoke(main, ["--no-manifests", "--check", "-j", "1", "."]).stdout == (
        "would migrate pkg/track.py\n")


def test_names_are_matched_after_pep_503_normalisation() -> None:
    assert normalise("Amplitude__Analytics") == normalise("amplitude.analytics") == (
        "amplitude-analytics")
    assert edit_requirements("amplitude-analytics-extra==1\n").text is None


def test_package_json_removes_the_only_member_and_keeps_crlf() -> None:
    text = '{\r\n  "devDependencies": {\r\n    "@types/amplitude-js": "^8"\r\n  }\r\n}\r\n'
    edit = edit_package_json(text)
    assert edit.text == '{\r\n  "devDependencies": {}\r\n}\r\n'


def test_importer_scan_stops_once_the_finding_is_decided(tmp_path: Path) -> None:
    """The finding names three importers and says whether there are more: four are enough."""
    (tmp_path / "package.json").write_text('{"dependencies": {"amplitude-js": "8.21.0"}}\n')
    for i in range(6):
        (tmp_path / f"m{i}.js").write_text("import amplitude from 'amplitude-js';\n")
    (tmp_path / "tool.py").write_text("import amplitude\n")
    found = _importers(tmp_path, {}, {"javascript"})
    assert [Path(p).name for p in found["javascript"]] == [f"m{i}.js" for i in range(SHOWN + 1)]
    assert found["python"] == []  # not asked for: no Python manifest names Amplitude


@pytest.mark.parametrize(("text", "expected"), [
    # the swapped member is the last one: the added one takes the separator before it
    ('{\n  "dependencies": {\n    "next": "^14",\n    "@amplitude/analytics-browser": "^2"\n  }\n}\n',
     '{\n  "dependencies": {\n    "next": "^14",\n    "mixpanel-browser": "^2.83.0",\n'
     '    "mixpanel": "^0.24.0"\n  }\n}\n'),
    # the only member, on one line
    ('{"dependencies": {"@amplitude/analytics-browser": "^2"}}',
     '{"dependencies": {"mixpanel-browser": "^2.83.0", "mixpanel": "^0.24.0"}}'),
    # already listed (in another section): nothing added
    ('{"dependencies": {"@amplitude/analytics-browser": "^2"}, "devDependencies": {"mixpanel": "1"}}',
     '{"dependencies": {"mixpanel-browser": "^2.83.0"}, "devDependencies": {"mixpanel": "1"}}'),
])
def test_package_json_adds_the_mixpanel_packages_the_sources_now_import(
        text: str, expected: str) -> None:
    assert edit_package_json(text, {"mixpanel", "mixpanel-browser"}).text == expected


def test_package_json_adds_nothing_without_a_swap() -> None:
    assert edit_package_json('{"dependencies": {"next": "^14"}}', {"mixpanel"}).text is None
