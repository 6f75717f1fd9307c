"""The command line's contract, through the installed console script in temporary git repositories.

What CI, editors and people rely on: exit codes, what goes to stdout and what to stderr, one
finding per line off a terminal, `--check` failing while anything of Amplitude is left, the
guards of `--write` (read-only files, no version control), mode conflicts, Ctrl-C, explicit
paths, nested configuration, rule selection by prefix and stdin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codemod.engine import migrate_source

SCRIPT = Path(sys.executable).with_name("amp2mp-codemod")
PY_APP = (
    "from amplitude import Amplitude, BaseEvent\n\n"
    'client = Amplitude("KEY")\n'
    'client.track(BaseEvent("Signed Up", user_id="u1"))\n'
)
PY_MANUAL = (
    "from amplitude import Amplitude\n\n"
    'client = Amplitude("KEY")\n'
    "client.configuration.opt_out = True\n"
)
JS_MANUAL = "import amplitude from 'amplitude-js';\namplitude.getInstance().setDeviceId('d');\n"
JS_REQUIRE_ONLY = "const amplitude = require('amplitude-js');\nmodule.exports = {};\n"
REFERENCE = re.compile(r"(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<id>[A-Z][\w-]*) \S.*")


def command() -> list[str]:
    if SCRIPT.exists():
        return [str(SCRIPT)]
    installed = shutil.which("amp2mp-codemod")
    assert installed, "the console script is installed with the package"
    return [installed]


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("PRE_COMMIT", "CI", "NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS")}
    return {**base, "COLUMNS": "80", **extra}


def cli(cwd: Path, *args: str, stdin: str | None = None, **extra: str,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, env=env(**extra), check=False, timeout=300)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository; `commit(repo)` records whatever a test put in it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    return root


def commit(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", "tree", "--allow-empty")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def references(stdout: str) -> list[tuple[str, str]]:
    """(path, id) of every `path:line:col: ID message` line of --check's stdout."""
    found = []
    for line in stdout.splitlines():
        if line.startswith("would migrate "):
            continue
        match = REFERENCE.fullmatch(line)
        assert match, f"not a path:line:col: ID message line: {line!r}"
        found.append((match["path"], match["id"]))
    return found


# --- --check fails while Amplitude is left ----------------------------------------------------

def test_check_fails_after_write_while_a_todo_site_is_left(repo: Path) -> None:
    write(repo, {"app.py": PY_MANUAL})
    commit(repo)
    assert cli(repo, "--write", "-q", ".").returncode == 1
    assert "TODO(amp2mp)" in (repo / "app.py").read_text()
    # the setting blocks its client, which stays on Amplitude whole (`codemod/clients.py`)
    assert 'client = Amplitude("KEY")' in (repo / "app.py").read_text()
    check = cli(repo, "--check", "-q", ".")
    assert check.returncode == 1, check.stdout + check.stderr
    # the import the kept client needs stays, and says so on its own line
    assert references(check.stdout) == [("app.py", "LEFTOVER"), ("app.py", "CLIENT-KEPT"),
                                        ("app.py", "AP16")]


def test_check_fails_on_manual_sites_with_no_todo(repo: Path) -> None:
    write(repo, {"device.js": JS_MANUAL})
    commit(repo)
    diff = cli(repo, "--diff", "--no-todo", ".")
    assert (diff.returncode, diff.stdout) == (0, "")  # nothing to rewrite without the comment
    check = cli(repo, "--check", "--no-todo", ".")
    assert check.returncode == 1
    assert references(check.stdout) == [("device.js", "LEFTOVER"), ("device.js", "AJ15")]
    assert "device.js:2:1: AJ15 " in check.stdout
    assert "TODO(amp2mp) comment" not in check.stderr  # the summary does not contradict --no-todo


def test_check_fails_on_a_skipped_file_that_mentions_amplitude(repo: Path) -> None:
    write(repo, {"big.js": "// padding\n" * 20 + "const amplitude = require('amplitude-js');\n",
                 "plain.js": "// padding\n" * 20})
    commit(repo)
    check = cli(repo, "--check", "--max-bytes", "100", ".")
    assert check.returncode == 1
    line, = check.stdout.splitlines()
    assert line.startswith("big.js:21:7: SKIPPED ")
    assert "too-large" in line and "--max-bytes 263" in line


def test_check_is_clean_when_nothing_is_left(repo: Path) -> None:
    write(repo, {"app.py": PY_APP, "plain.py": "x = 1\n"})
    commit(repo)
    assert cli(repo, "--check", ".").returncode == 1
    assert cli(repo, "--write", "-q", ".").returncode == 1
    check = cli(repo, "--check", ".")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == ""


def test_an_amplitude_import_is_never_silent() -> None:
    """Engine post-condition: an import no rule touched is a finding, never a quiet pass."""
    result = migrate_source(JS_REQUIRE_ONLY.encode(), "lib.js")
    assert result.status == "unchanged"
    finding, = result.findings
    assert (finding.line, finding.rule, finding.severity) == (1, "LEFTOVER", "manual")
    assert "require('amplitude-js')" in finding.message
    assert migrate_source(b"const x = 1;\n", "lib.js").findings == ()


def test_check_reports_the_never_silent_finding(repo: Path) -> None:
    write(repo, {"lib.js": JS_REQUIRE_ONLY})
    commit(repo)
    check = cli(repo, "--check", ".")
    assert check.returncode == 1
    assert references(check.stdout) == [("lib.js", "LEFTOVER")]


# --- --write guards: read-only files, no version control --------------------------------------

def test_a_read_only_file_is_refused_as_that_files_error(repo: Path) -> None:
    write(repo, {"locked.py": PY_APP, "open.py": PY_APP})
    commit(repo)
    (repo / "locked.py").chmod(0o444)
    result = cli(repo, "--write", ".")
    assert result.returncode == 123
    assert "error locked.py: write-failed: Permission denied" in result.stderr
    assert (repo / "locked.py").read_text() == PY_APP  # not replaced, even by the superuser
    assert "Mixpanel" in (repo / "open.py").read_text()  # the other files still ran


def test_write_outside_version_control_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": PY_APP})
    refused = cli(tmp_path, "--write", ".")
    assert refused.returncode == 2
    assert "outside any version control" in refused.stderr
    assert "--allow-no-vcs" in refused.stderr and "Nothing was written." in refused.stderr
    assert (tmp_path / "app.py").read_text() == PY_APP
    allowed = cli(tmp_path, "--write", "--allow-no-vcs", ".")
    assert allowed.returncode == 1
    assert "Mixpanel" in (tmp_path / "app.py").read_text()


def test_write_in_a_git_tree_still_refuses_uncommitted_files(repo: Path) -> None:
    write(repo, {"app.py": PY_APP})
    refused = cli(repo, "--write", "--allow-no-vcs", ".")
    assert refused.returncode == 2
    assert "untracked" in refused.stderr and "--allow-dirty" in refused.stderr
    assert cli(repo, "--write", "--allow-dirty", ".").returncode == 1


# --- modes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("flags", [("--diff", "--write"), ("--write", "--diff"),
                                   ("--write", "--check"), ("--check", "--interactive"),
                                   ("--diff", "--interactive")])
def test_modes_are_mutually_exclusive(repo: Path, flags: tuple[str, ...]) -> None:
    write(repo, {"app.py": PY_APP})
    commit(repo)
    result = cli(repo, *flags, ".")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "cannot be combined" in result.stderr
    assert all(flag in result.stderr for flag in flags)
    assert (repo / "app.py").read_text() == PY_APP


def test_check_with_diff_prints_the_diff_and_exits_with_the_checks_code(repo: Path) -> None:
    write(repo, {"app.py": PY_APP, "device.js": JS_MANUAL})
    commit(repo)
    result = cli(repo, "--check", "--diff", ".")
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/app.py\n+++ b/app.py\n")
    assert "would migrate" not in result.stdout
    assert "device.js:2:1: AJ15 " in result.stderr  # the patch on stdout stays applicable
    assert (repo / "app.py").read_text() == PY_APP
    applied = subprocess.run(["git", "apply", "--check", "-"], cwd=repo, input=result.stdout,
                             text=True, capture_output=True)
    assert applied.returncode == 0, applied.stderr


# --- Ctrl-C -----------------------------------------------------------------------------------

def _tree(root: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = root / f"pkg{i // 100:02d}" / f"mod{i:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PY_APP)
        paths.append(path)
    return paths


def _interrupt(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group."""
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_migrating_exits_130_and_says_nothing_was_written(repo: Path) -> None:
    _tree(repo, 1500)
    commit(repo)
    process = subprocess.Popen([*command(), "--diff", "-j", "2", "--no-cache", "."], cwd=repo,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=env(), start_new_session=True)
    time.sleep(1.5)
    assert process.poll() is None, "the run ended before it could be interrupted"
    code, stderr = _interrupt(process)
    assert code == 130, stderr
    assert "interrupted: nothing was written" in stderr
    assert "Aborted!" not in stderr


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_writing_exits_130_and_counts_what_was_written(repo: Path) -> None:
    paths = _tree(repo, 1200)
    commit(repo)
    watched = sorted(paths)[40]  # files are written in order once all are migrated
    process = subprocess.Popen([*command(), "--write", "-j", "2", "-q", "--no-manifests", "."],
                               cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env(), start_new_session=True)
    deadline = time.monotonic() + 240
    while watched.read_text() == PY_APP:
        assert process.poll() is None and time.monotonic() < deadline, "no write was seen"
        time.sleep(0.002)
    code, stderr = _interrupt(process)
    assert code == 130, stderr
    match = re.search(r"interrupted: (\d+) file\(s\) had been written", stderr)
    assert match, stderr
    written = sum(path.read_text() != PY_APP for path in paths)
    assert 41 <= written < len(paths), "interrupted in the middle of the writes"
    assert int(match[1]) in (written, written - 1)  # the signal may land between rename and count


# --- output: streams, no wrapping, formats ----------------------------------------------------

LONG = "x" * 150


def test_no_line_is_wrapped_when_stderr_is_not_a_terminal(repo: Path) -> None:
    write(repo, {f"deep/{LONG[:60]}/device.js": JS_MANUAL, "app.py": PY_APP})
    commit(repo)
    result = cli(repo, "--diff", "-v", ".")
    assert result.returncode == 1
    site = f"deep/{LONG[:60]}/device.js:2:1: manual AJ15 ID005 setDeviceId() has no Mixpanel"
    lines = result.stderr.splitlines()
    assert any(line.startswith(site) and line.endswith("cannot set a device id")
               for line in lines), result.stderr
    assert any(line.startswith("amp2mp-codemod: 2 files:") and line.endswith("rewrites")
               for line in lines)


def test_stdout_carries_only_the_diff(repo: Path) -> None:
    write(repo, {"app.py": PY_APP, "device.js": JS_MANUAL})
    commit(repo)
    result = cli(repo, "--diff", ".")
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/app.py\n") and "AJ15" not in result.stdout
    assert "needs a human" in result.stderr and "--- a/" not in result.stderr


def test_output_format_concise_prints_one_finding_per_line(repo: Path) -> None:
    write(repo, {"app.py": PY_APP, "device.js": JS_MANUAL})
    commit(repo)
    result = cli(repo, "--diff", "--output-format", "concise", ".")
    lines = result.stderr.splitlines()
    assert "app.py:3:1: review AP01 ID010 the Mixpanel token is os.environ[\"MIXPANEL_TOKEN\"]: " \
           "the Amplitude key \"KEY\" is written in the code and is no Mixpanel token; define " \
           "MIXPANEL_TOKEN with the Mixpanel project token" in lines
    assert any(line.startswith("device.js:2:1: manual AJ15 ID005 ") for line in lines)
    assert lines[-1].startswith("amp2mp-codemod: 2 files:")
    assert "Identity caveats" not in result.stderr


def test_output_format_json_puts_the_report_on_stdout(repo: Path) -> None:
    write(repo, {"app.py": PY_APP})
    commit(repo)
    result = cli(repo, "--diff", "--output-format", "json", ".")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1 and report["files"][0]["status"] == "changed"
    same = cli(repo, "--diff", "--report", "-", "-q", ".")
    assert json.loads(same.stdout)["files"] == report["files"]


def test_output_format_github_annotates_findings_and_references(repo: Path) -> None:
    write(repo, {"device.js": JS_MANUAL})
    commit(repo)
    result = cli(repo, "--check", "--output-format", "github", ".")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "would migrate device.js",  # the TODO(amp2mp) comment it would add
        "::error file=device.js,line=1,col=1,title=amp2mp LEFTOVER::Amplitude left: `import "
        "amplitude from 'amplitude-js'` imports amplitude-js and stays: code in this file is "
        "still on Amplitude; remove it once the other findings here are resolved",
        "::error file=device.js,line=2,col=1,title=amp2mp AJ15::Amplitude left: setDeviceId() "
        "has no Mixpanel equivalent: Mixpanel's web SDK cannot set a device id"]
    assert result.stderr.startswith("amp2mp-codemod: 1 files:")


def test_the_summary_says_where_the_report_went(repo: Path) -> None:
    write(repo, {"app.py": PY_APP})
    commit(repo)
    result = cli(repo, "--diff", "--report", "out/r.md", ".")
    assert result.stderr.splitlines()[-1] == "report: written to out/r.md"


# --- explicit paths and .gitignore ------------------------------------------------------------

@pytest.fixture
def ignored(repo: Path) -> Path:
    write(repo, {".gitignore": "vendor/\n", "vendor/sdk.py": PY_APP, "vendor/lib/deep.py": PY_APP})
    commit(repo)
    return repo


def test_a_walk_honours_gitignore_and_says_why_it_found_nothing(ignored: Path) -> None:
    result = cli(ignored, "--diff", ".")
    assert (result.returncode, result.stdout) == (0, "")
    assert ("amp2mp-codemod: 0 files: everything under `.` (2 supported file(s)) is ignored by "
            ".gitignore; name files or pass --no-respect-gitignore") in result.stderr.splitlines()


@pytest.mark.parametrize("named", ["vendor", "vendor/sdk.py"])
def test_an_explicitly_named_ignored_path_is_processed(ignored: Path, named: str) -> None:
    result = cli(ignored, "--diff", named)
    assert result.returncode == 1, result.stderr
    assert "+++ b/vendor/sdk.py" in result.stdout


def test_no_respect_gitignore_walks_ignored_folders(ignored: Path) -> None:
    result = cli(ignored, "--diff", "--no-respect-gitignore", ".")
    assert result.returncode == 1
    assert "+++ b/vendor/sdk.py" in result.stdout and "+++ b/vendor/lib/deep.py" in result.stdout


def test_force_exclude_applies_configured_excludes_to_named_files(repo: Path) -> None:
    write(repo, {"amp2mp.toml": 'exclude = ["legacy/"]\n', "legacy/old.py": PY_APP})
    commit(repo)
    assert cli(repo, "--diff", "legacy/old.py").returncode == 1
    excluded = cli(repo, "--diff", "--force-exclude", "legacy/old.py")
    assert (excluded.returncode, excluded.stdout) == (0, "")
    assert "excluded by the configuration" in excluded.stderr


# --- rule selection ---------------------------------------------------------------------------

NODE_APP = ("const { init, track } = require('@amplitude/analytics-node');\n"
            "init('KEY');\n"
            "track('Signed Up', {plan: 'pro'}, { user_id: 'u1' });\n")


@pytest.fixture
def node(repo: Path) -> Path:
    write(repo, {"server.js": NODE_APP})
    commit(repo)
    return repo


@pytest.mark.parametrize("selector", ["AN", "AN0,AN1", "@amplitude/analytics-node", "javascript"])
def test_selecting_one_sdks_rules_by_prefix_or_name_migrates_it(node: Path, selector: str) -> None:
    result = cli(node, "--diff", "--select", selector, ".")
    assert result.returncode == 1, result.stderr
    assert "+const Mixpanel = require('mixpanel');" in result.stdout  # the require followed
    assert "+mixpanel.track('Signed Up'" in result.stdout


def test_selecting_another_sdks_rules_leaves_the_file_and_says_why(node: Path) -> None:
    result = cli(node, "--check", "--select", "AP0", ".")
    assert result.returncode == 1
    assert "server.js:2:1: AN01 not rewritten: rule AN01 is disabled" in result.stdout


def test_an_ignored_import_rule_says_it_held_the_file(node: Path) -> None:
    result = cli(node, "--diff", "-v", "--ignore", "JS-IMPORTS", ".")
    assert (result.returncode, result.stdout) == (0, "")
    assert "review JS-IMPORTS not rewritten: rule JS-IMPORTS is disabled" in result.stderr


def test_an_unknown_selector_is_a_usage_error_naming_the_flag(node: Path) -> None:
    result = cli(node, "--diff", "--select", "ZZ", ".")
    assert result.returncode == 2
    assert "--select/--ignore: unknown rule id 'ZZ'" in result.stderr


# --- configuration per directory, token expressions -------------------------------------------

BROWSER_APP = ("import * as amplitude from '@amplitude/analytics-browser';\n"
               "amplitude.init('KEY');\n")
COMMONJS_APP = "const amplitude = require('amplitude-js');\namplitude.getInstance().init('KEY');\n"
VITE = "import.meta.env.VITE_MIXPANEL_TOKEN"


@pytest.fixture
def monorepo(repo: Path) -> Path:
    write(repo, {
        "amp2mp.toml": "eu = true\n",
        "frontend/pyproject.toml": f'[tool.amp2mp-codemod]\njs-token = "{VITE}"\n',
        "frontend/src/a.ts": BROWSER_APP,
        "services/api/s.js": COMMONJS_APP,
    })
    commit(repo)
    return repo


EU = "{api_host: 'https://api-eu.mixpanel.com'}"


def test_a_nested_configuration_applies_to_its_subtree_over_the_parents(monorepo: Path) -> None:
    result = cli(monorepo, "--diff", ".")
    assert f"+mixpanel.init({VITE}, {EU});" in result.stdout  # frontend: its token, root's eu
    assert f"+mixpanel.init(process.env.MIXPANEL_TOKEN, {EU});" in result.stdout  # services


def test_run_below_a_nested_configuration_keeps_the_parents_keys(monorepo: Path) -> None:
    result = cli(monorepo / "frontend", "--diff", "src")
    assert result.stdout.startswith("--- a/frontend/src/a.ts")  # named from the root
    assert f"+mixpanel.init({VITE}, {EU});" in result.stdout


def test_flags_override_every_configuration(monorepo: Path) -> None:
    result = cli(monorepo, "--diff", "--js-token", "window.TOKEN", "--no-eu", ".")
    assert result.stdout.count("+mixpanel.init(window.TOKEN);") == 2


@pytest.mark.parametrize(("flag", "value"), [("--token", "os.environ["),
                                             ("--js-token", "process.env.)")])
def test_token_expressions_are_checked_up_front_naming_the_flag(
    monorepo: Path, flag: str, value: str
) -> None:
    result = cli(monorepo, "--diff", flag, value, ".")
    assert (result.returncode, result.stdout) == (2, "")
    assert f"{flag}: {value!r} is not a" in result.stderr


def test_a_bad_token_in_a_nested_configuration_names_the_file(monorepo: Path) -> None:
    write(monorepo, {"services/amp2mp.toml": 'js-token = "a b"\n'})
    result = cli(monorepo, "--diff", ".")
    assert result.returncode == 2
    assert "services/amp2mp.toml: 'js-token': 'a b' is not a JavaScript expression" in result.stderr


# --- stdin ------------------------------------------------------------------------------------

def test_stdin_with_a_filename_prints_the_diff_under_that_name(monorepo: Path) -> None:
    result = cli(monorepo, "-", "--stdin-filename", "frontend/src/new.ts", stdin=BROWSER_APP)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/frontend/src/new.ts\n+++ b/frontend/src/new.ts\n")
    assert f"+mixpanel.init({VITE}, {EU});" in result.stdout  # frontend's configuration
    assert not (monorepo / "frontend/src/new.ts").exists()


def test_stdin_with_write_prints_the_migrated_code(monorepo: Path) -> None:
    result = cli(monorepo, "--write", "-q", "-", "--stdin-filename", "services/x.js",
                 stdin=COMMONJS_APP)
    assert result.returncode == 1
    assert result.stdout == ("const mixpanel = require('mixpanel-browser');\n"
                             f"mixpanel.init(process.env.MIXPANEL_TOKEN, {EU});\n")
    plain = cli(monorepo, "--write", "-", "--stdin-filename", "x.py", stdin="x = 1\n")
    assert (plain.returncode, plain.stdout) == (0, "x = 1\n")


def test_stdin_check_lists_what_is_left(repo: Path) -> None:
    result = cli(repo, "--check", "-", "--stdin-filename", "device.js", stdin=JS_MANUAL)
    assert result.returncode == 1
    assert "device.js:2:1: AJ15 " in result.stdout


def test_stdin_needs_a_filename_and_no_other_path(repo: Path) -> None:
    for args in (["-"], ["-", ".", "--stdin-filename", "a.py"], ["--stdin-filename", "a.py", "."]):
        result = cli(repo, *args, stdin="x = 1\n")
        assert result.returncode == 2, args
        assert "stdin" in result.stderr


# --- the summary ------------------------------------------------------------------------------

def test_the_summary_shows_manifest_and_lockfile_follow_ups_without_verbose(repo: Path) -> None:
    write(repo, {"web/package.json": '{\n  "dependencies": {\n    "amplitude-js": "^8.21.0"\n  }\n}\n',
                 "web/package-lock.json": "{}\n", "web/app.js": COMMONJS_APP})
    commit(repo)
    result = cli(repo, "--diff", ".")
    lines = result.stderr.splitlines()
    assert "  web/package.json: would change" in " ".join(lines)
    assert any(line.startswith("  web/package.json:1:1: review MANIFEST regenerate "
                               "package-lock.json") for line in lines), result.stderr


def test_the_summary_names_skipped_files_that_mention_amplitude(repo: Path) -> None:
    write(repo, {"big.py": "# padding\n" * 30 + "from amplitude import Amplitude\n"})
    commit(repo)
    result = cli(repo, "--diff", "--max-bytes", "100", ".")
    assert result.returncode == 0
    assert "skipped files that mention Amplitude (1):" in result.stderr
    assert "big.py:31:6: SKIPPED mentions Amplitude but was skipped (too-large: 332 bytes > " \
           "limit 100); pass --max-bytes 332 to include it" in result.stderr


# --- the diff: repository-relative paths, colour ---------------------------------------------

def test_the_diff_names_files_from_the_repository_root(monorepo: Path) -> None:
    frontend = monorepo / "frontend"
    result = cli(frontend, "--diff", "../services")
    assert result.stdout.startswith("--- a/services/api/s.js\n+++ b/services/api/s.js\n")
    # git applies a patch relative to the work tree's root (from a subdirectory it would skip
    # paths outside it): `git -C "$(git rev-parse --show-toplevel)" apply`, as documented.
    applied = subprocess.run('git -C "$(git rev-parse --show-toplevel)" apply', shell=True,
                             cwd=frontend, input=result.stdout, text=True, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    assert "mixpanel" in (monorepo / "services/api/s.js").read_text()
    assert "../services/api/s.js" in cli(frontend, "--diff", "-v", "../services").stderr


def test_the_diff_is_coloured_only_when_asked_or_on_a_terminal(repo: Path) -> None:
    write(repo, {"app.py": PY_APP})
    commit(repo)
    plain = cli(repo, "--diff", ".").stdout
    assert "\x1b[" not in plain
    coloured = cli(repo, "--diff", "--color", "always", ".").stdout
    assert "\x1b[32m+from mixpanel import Mixpanel\x1b[0m\n" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_the_diff_is_coloured_on_a_terminal(repo: Path) -> None:
    import pty

    write(repo, {"app.py": PY_APP})
    commit(repo)
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen([*command(), "--diff", "-q", "."], cwd=repo, stdout=child_fd,
                               stderr=subprocess.DEVNULL, env=env())
    os.close(child_fd)
    output = b""
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    os.close(main_fd)
    assert b"\x1b[32m+from mixpanel import Mixpanel\x1b[0m" in output


# --- exit codes -------------------------------------------------------------------------------

def test_exit_codes_of_the_console_script(repo: Path) -> None:
    write(repo, {"plain.py": "x = 1\n"})
    commit(repo)
    assert cli(repo, "--check", ".").returncode == 0  # nothing to change, nothing left
    assert cli(repo, "--check", "missing").returncode == 2  # usage
    write(repo, {"amp2mp.toml": "exlude = []\n"})
    bad = cli(repo, "--check", ".")
    assert bad.returncode == 2 and "did you mean 'exclude'?" in bad.stderr  # configuration
    (repo / "amp2mp.toml").unlink()
    write(repo, {"app.py": PY_APP})
    assert cli(repo, "--check", ".").returncode == 1  # changes needed
    write(repo, {"broken.py": "from amplitude import Amplitude\ndef f(:\n"})
    broken = cli(repo, "--check", ".")
    assert broken.returncode == 123  # a file could not be processed; the others still ran
    assert "error broken.py: syntax-error" in broken.stderr
    assert "would migrate app.py" in broken.stdout


def test_a_report_on_stdout_stays_parseable_under_check(repo: Path) -> None:
    write(repo, {"device.js": JS_MANUAL})
    commit(repo)
    result = cli(repo, "--check", "--report", "-", ".")
    assert result.returncode == 1
    assert json.loads(result.stdout)["files"][0]["path"] == "device.js"
    assert "device.js:2:1: AJ15 " in result.stderr
    clash = cli(repo, "--check", "--output-format", "github", "--report", "-", ".")
    assert clash.returncode == 2 and "both print on stdout" in clash.stderr
