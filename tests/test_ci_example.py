"""The GitHub Actions example in docs/usage.md is valid YAML and its commands work.

The workflow is read from the page itself, so the documentation cannot drift from what the
tool accepts: every `run:` line that calls amp2mp-codemod is run with bash (as a GitHub
runner does, `-e`) in a git repository that still has Amplitude code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
USAGE = ROOT / "docs" / "usage.md"
APP = ("import amplitude from 'amplitude-js';\n"
       "amplitude.getInstance().init('KEY');\n"
       "amplitude.getInstance().setDeviceId('d');\n")


def workflow() -> dict:
    section = USAGE.read_text(encoding="utf-8").split("## GitHub Actions", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the GitHub Actions section has a yaml block"
    return yaml.safe_load(block.group(1))


def steps() -> list[dict]:
    (job,) = workflow()["jobs"].values()
    return job["steps"]


def test_the_workflow_is_valid_and_uploads_the_sarif_the_tool_writes() -> None:
    flow = workflow()
    assert flow["permissions"]["security-events"] == "write"
    upload = [s for s in steps() if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif@")]
    assert len(upload) == 1 and upload[0]["if"] == "always()"
    commands = [s["run"] for s in steps() if "amp2mp-codemod --" in s.get("run", "")]
    assert any(f"--report {upload[0]['with']['sarif_file']}" in c for c in commands)
    assert any("--check --output-format github" in c for c in commands)


def test_the_workflow_commands_run(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "web").mkdir(parents=True)
    (repo / "web" / "app.js").write_text(APP)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c",
                                                   "user.email=t@example.com", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    env = {**{k: v for k, v in os.environ.items() if k not in ("PRE_COMMIT", "CI")},
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    outcomes = {}
    for step in steps():
        command = step.get("run", "")
        if "amp2mp-codemod --" not in command:
            continue
        outcomes[step["name"]] = subprocess.run(["bash", "-e", "-c", command], cwd=repo,
                                                env=env, capture_output=True, text=True)
    sarif = outcomes["SARIF report for code scanning"]
    assert sarif.returncode == 0, sarif.stderr  # changes needed is not a failure of this step
    report = json.loads((repo / "amp2mp.sarif").read_text(encoding="utf-8"))
    assert report["version"] == "2.1.0"
    assert {r["ruleId"] for r in report["runs"][0]["results"]} >= {"AJ15"}
    check = outcomes["Fail while Amplitude is left"]
    assert check.returncode == 1, check.stderr
    assert ("::error file=web/app.js,line=3,col=1,title=amp2mp AJ15::Amplitude left: "
            in check.stdout)
