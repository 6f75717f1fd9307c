"""Repeated findings of one cause are said once, with their lines, where a person reads them
(the console's full and concise output); the report keeps one row per site."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli_contract import cli, commit, git, write

from codemod.formats import grouped_lines
from codemod.results import Finding

REPEATED = ("import * as amplitude from '@amplitude/analytics-browser';\n"
            "amplitude.init('K');\n"
            "export const a = () => amplitude.setDeviceId('a');\n"
            "export const b = () => amplitude.setDeviceId('b');\n"
            "export const c = () => amplitude.setDeviceId('c');\n")


def test_one_cause_is_one_line_with_the_other_lines() -> None:
    findings = [Finding(3, "LEFTOVER", None, "manual", "`window.amplitude.track('a')`: global"),
                Finding(4, "AB14", "ID005", "manual", "setDeviceId() has no equivalent"),
                Finding(5, "LEFTOVER", None, "manual", "`window.amplitude.track('b')`: global"),
                Finding(6, "LEFTOVER", None, "manual", "`window.amplitude.track('c')`: global"),
                Finding(6, "AB14", None, "info", "not listed")]
    assert grouped_lines("app.js", findings, None) == [
        "app.js:3:1: manual LEFTOVER `window.amplitude.track('a')`: global "
        "(and 2 more like it: lines 5, 6)",
        "app.js:4:1: manual AB14 ID005 setDeviceId() has no equivalent"]


def test_other_quoted_code_with_another_cause_stays_apart() -> None:
    findings = [Finding(1, "LEFTOVER", None, "manual", "`a` imports x and stays"),
                Finding(2, "LEFTOVER", None, "manual", "`b`: this line uses the global client")]
    assert len(grouped_lines("app.js", findings, None)) == 2


def test_the_console_groups_and_the_report_keeps_every_site(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, {"app.js": REPEATED})
    commit(repo)
    concise = cli(repo, "--diff", "--output-format", "concise", ".")
    lines = [line for line in concise.stderr.splitlines() if " AB14 " in line]
    assert lines == ["app.js:3:1: manual AB14 ID005 setDeviceId() has no Mixpanel equivalent: "
                     "Mixpanel's web SDK cannot set a device id (and 2 more like it: lines 4, 5)"]
    full = cli(repo, "--diff", ".")
    assert "needs a human (6 sites):" in full.stderr
    assert sum(" AB14 " in line for line in full.stderr.splitlines()) == 1
    report = json.loads(cli(repo, "--diff", "--output-format", "json", ".").stdout)
    rows = [f for f in report["files"][0]["findings"] if f["rule"] == "AB14"]
    assert [f["line"] for f in rows] == [3, 4, 5]
