#!/usr/bin/env python3
"""amp2mp-codemod's own benchmark against its peers, in one run, on generated trees.

    python bench/run.py                          # small + large, every peer (about 45 min)
    python bench/run.py --sizes small --peers rg,amp2mp,amp2mp-warm,ast-grep   # about 1 min
    python bench/run.py --sizes tiny --runs 1    # smoke test of the harness itself

For each tree size it generates a seeded tree with `bench/gen_tree.py` (into the scratch
folder, never into the repository), then for every tool:

1. times the dry-run / diff command (`--runs` timed runs after `--warmup` untimed ones; the
   median is quoted; output goes to /dev/null);
2. runs the write command once on a fresh `cp -a` copy and scores the copy against the sites
   the generator planted (for amp2mp-codemod also its `--report` JSON: a site it reported
   instead of rewriting counts as handled).

amp2mp-codemod runs twice: `amp2mp` with `--no-cache` (every file read and parsed, as every
peer does) and `amp2mp-warm`, the default command with the result cache its warm-up runs
filled (in `<scratch>/cache`, emptied first), checked to print the same diff.

Peak RSS is `ru_maxrss` of `wait4()` on the tool's process: the largest single process of
the tree (the tool or one of its workers), the same figure `/usr/bin/time -v` prints as
"Maximum resident set size". Wall times include process start-up.

Missing peers are installed on demand into `<scratch>/tools` with `bench/setup_peers.sh`
(pinned versions); a peer that still cannot be found is reported in the table, not fatal.

Then the "one changed file in pre-commit" measurement: `amp2mp-codemod --diff FILE` on a file
without Amplitude and on one with, against `amp2mp-codemod --version`, interleaved round by
round with each file touched first, plus which heavy modules each imported
(`python -X importtime`).

Not part of the test suite. Standard library only (the peers are external programs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import score  # noqa: E402  (bench/score.py, copied from the shared benchmark)

SIZES = {"tiny": 300, "small": 2000, "large": 20000}
# amp2mp runs twice: cold (`--no-cache`, every file read and parsed: the comparison with the
# peers, none of which caches) and warm (the default, with the result cache of earlier runs,
# as on a developer's second run or in pre-commit --all-files).
ALL_PEERS = ["rg", "amp2mp", "amp2mp-warm", "ast-grep", "jscodeshift", "libcst"]
AMP2MP = ("amp2mp", "amp2mp-warm")
# Goals of issue 7 (ratios of medians measured in the same run).
GOAL_SMALL_X_RG = 20
GOAL_LARGE_X_RG = 10
GOAL_X_FASTER_THAN_ASTGREP = 10
GOAL_PEAK_MIB = 300
GOAL_ONE_FILE_X_VERSION = 3
IMPORT_LIBCST = "(reference) python -c \"import libcst\""
MANIFESTS = {"package.json", "pyproject.toml", "requirements.txt", "setup.cfg", "Pipfile",
             "requirements-dev.txt"}
HEAVY_MODULES = ("libcst", "esprima", "tree_sitter", "rich", "pathspec", "click")
# Text that still names the Amplitude API after a rewrite: a region that keeps it was not
# migrated. (`amp.track(uid, "x", {...})` keeps the user's variable name and is migrated.)
AMPLITUDE_API = re.compile(
    r"BaseEvent|EventOptions|\bIdentify\(|logEvent|getInstance|\bamplitude\.|\bAmplitude\(|"
    r"@amplitude/|amplitude-js"
)
FURNITURE = re.compile(r"\bimport\b|\brequire\(|TODO\(amp2mp\)|^\s*$|^\s*[})],?\s*$|^\s*\w+,?\s*$")


# --------------------------------------------------------------------------------------------
# running things
# --------------------------------------------------------------------------------------------
def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None,
          timeout: float | None = None) -> dict:
    """One run: wall seconds, CPU seconds (user+sys of the tree), peak RSS KiB, exit code."""
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    except OSError as exc:
        return {"error": str(exc)}
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return {"error": f"timed out after {timeout:g} s"}
        time.sleep(0.01)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rc": proc.returncode}


def peak_rss_kib(cmd: list[str], cwd: Path | None = None, env: dict | None = None,
                 timeout: float | None = None) -> int | None:
    """Peak RSS of one run under GNU time (`%M`), the largest single process of the tree.

    Not taken from the timed runs: `wait4()` on a child that Python forked also counts the
    pages the child shared with this process before it exec'd the tool.
    """
    gnu_time = "/usr/bin/time"
    if not os.access(gnu_time, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        result = timed([gnu_time, "-f", "%M", "-o", out.name, *cmd], cwd, env, timeout)
        if "error" in result:
            return None
        try:
            return int(open(out.name).read().split()[-1])
        except (ValueError, IndexError):
            return None


def measure(cmd: list[str], runs: int, warmup: int, cwd: Path | None = None,
            env: dict | None = None, timeout: float | None = None) -> dict:
    for _ in range(warmup):
        timed(cmd, cwd, env, timeout)
    return summary([timed(cmd, cwd, env, timeout) for _ in range(runs)])


def summary(samples: list[dict]) -> dict:
    """Median and spread of timed runs, or the first run's error."""
    failed = [s for s in samples if "error" in s]
    if failed:
        return {"error": failed[0]["error"]}
    walls = [s["wall"] for s in samples]
    return {
        "median": statistics.median(walls), "min": min(walls), "max": max(walls), "n": len(walls),
        "cpu": statistics.median(s["cpu"] for s in samples),
        "rc": samples[-1]["rc"], "walls": walls,
    }


def candidate_command(explicit: str | None) -> list[str]:
    """The installed entry point beside this interpreter (no pyenv shim), else `-m codemod`."""
    if explicit:
        return explicit.split()
    script = Path(sys.executable).parent / "amp2mp-codemod"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "codemod"]


class Tools:
    """Where each peer is, installing the missing ones on demand."""

    def __init__(self, folder: Path, install: bool) -> None:
        self.venv = folder / "venv"
        self.npm = folder / "npm"
        self.install = install
        self.tried = False
        self.notes: dict[str, str] = {}

    def _setup(self) -> None:
        if self.tried or not self.install:
            return
        self.tried = True
        print(f"   installing peers into {self.venv.parent} (bench/setup_peers.sh) ...", flush=True)
        log = self.venv.parent / "setup.log"
        self.venv.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "w") as fh:
            subprocess.run(["bash", str(HERE / "setup_peers.sh"), str(self.venv), str(self.npm)],
                           stdout=fh, stderr=subprocess.STDOUT, check=False)

    def find(self, peer: str) -> str | None:
        for attempt in range(2):
            path = {
                "rg": shutil.which("rg"),
                "ast-grep": str(self.venv / "bin" / "ast-grep"),
                "jscodeshift": str(self.npm / "node_modules" / ".bin" / "jscodeshift"),
                "libcst": str(self.venv / "bin" / "python"),
            }[peer]
            ok = path is not None and os.access(path, os.X_OK)
            if ok and peer == "libcst":
                ok = subprocess.run([path, "-c", "import libcst"], capture_output=True).returncode == 0
            if ok:
                return path
            if attempt == 0 and peer != "rg":
                self._setup()
            elif attempt == 0 and peer == "rg" and self.install and os.geteuid() == 0:
                subprocess.run(["apt-get", "install", "-y", "-qq", "ripgrep"], capture_output=True)
        self.notes[peer] = "not installed" + (" (setup failed: see tools/setup.log)" if self.tried else "")
        return None


def commands(peer: str, exe: str, tree: Path, candidate: list[str], report: Path | None = None
             ) -> tuple[list[str], list[str] | None, Path | None, dict | None]:
    """(dry-run command, write command or None, cwd, env) for a peer on a tree."""
    t = str(tree)
    if peer == "rg":
        return [exe, "-l", "-i", "amplitude", t], None, None, None
    if peer == "amp2mp":
        # the write run works from inside the tree on ".", so report paths are tree-relative
        write = [*candidate, "--write", "--allow-dirty", "--no-cache", "-q"]
        if report is not None:
            write += ["--report", str(report)]
        return [*candidate, "--diff", "--no-cache", "-q", t], [*write, "."], tree, candidate_env()
    if peer == "amp2mp-warm":  # same output as cold (checked in main), so not scored again
        return [*candidate, "--diff", "-q", t], None, tree, candidate_env()
    if peer == "ast-grep":
        base = [exe, "scan", "-c", str(HERE / "peers" / "astgrep" / "sgconfig.yml")]
        return [*base, t], [*base, "-U", t], None, None
    if peer == "jscodeshift":
        base = [exe, "-t", str(HERE / "peers" / "jscodeshift" / "transform.js"), "--parser=tsx",
                "--extensions=js,jsx,ts,tsx", f"--ignore-config={t}/.gitignore"]
        return [exe, "--dry", "--print", *base[1:], t], [*base, t], None, None
    if peer == "libcst":
        env = dict(os.environ, PYTHONPATH=str(HERE / "peers" / "libcst"))
        base = [exe, "-m", "libcst.tool", "codemod", "-x", "amp2mp_libcst.AmplitudeToMixpanel",
                "--no-format", "--hide-progress"]
        return [*base, "-u", "3", "."], [*base, "."], tree, env
    raise ValueError(peer)


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------
def score_copy(truth: dict, orig: Path, edited: Path, report: Path | None) -> dict:
    """Sites handled (rewritten or reported) and edits off the planted sites.

    A site is *rewritten* when a changed region overlaps its lines and no longer names the
    Amplitude API, and *reported* when the tool's report has a finding on one of its lines.
    A changed region off every site is *supporting* when it is in an Amplitude file and
    touches Amplitude code (the imports, an `Identify()` built before the call, an event
    built into a variable) or only adds a TODO(amp2mp) comment; anything else is a *wrong
    edit*, split by where it is (ignored folder, look-alike file, other file, Amplitude file).
    """
    ignored = set(truth.get("ignored_dirs", ["node_modules", ".venv"]))
    decoys = set(truth.get("decoy_files", []))
    amp_files = set(truth["amp_files"])
    sites_by_file: dict[str, list[dict]] = {}
    for site in truth["sites"]:
        sites_by_file.setdefault(site["file"], []).append(site)
    findings: dict[str, set[int]] = {}
    if report is not None and report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        for entry in data.get("files", []):
            path = os.path.normpath(entry["path"]).replace(os.sep, "/")
            findings[path] = {f["line"] for f in entry.get("findings", [])}
    orig_files = score.walk_files(str(orig))
    edit_files = score.walk_files(str(edited))
    res = {"planted": len(truth["sites"]), "rewritten": 0, "reported": 0, "handled": 0,
           "track_planted": sum(1 for s in truth["sites"] if s["track"]), "track_handled": 0,
           "supporting_edits": 0, "manifest_edits": 0, "wrong_edits": 0,
           "wrong_ignored": 0, "wrong_lookalike": 0,
           "wrong_other": 0, "wrong_in_amp_files": 0, "files_changed": 0,
           "ignored_files_changed": 0, "missed": [], "wrong_examples": [],
           "by_kind": {}}
    changed_regions: dict[str, list] = {}
    for rel in sorted(set(orig_files) & set(edit_files)):
        with open(orig_files[rel], "rb") as fh:
            ob = fh.read()
        with open(edit_files[rel], "rb") as fh:
            nb = fh.read()
        if ob != nb:
            relp = rel.replace(os.sep, "/")
            res["files_changed"] += 1
            if score.in_ignored(rel, ignored):
                res["ignored_files_changed"] += 1
            changed_regions[relp] = _regions(ob, nb)
    for site in truth["sites"]:
        regions = changed_regions.get(site["file"], [])
        lines = range(site["line"], site["end_line"] + 1)
        rewritten = any(a <= site["end_line"] and b >= site["line"] and new.strip()
                        and not AMPLITUDE_API.search(new) and "TODO(amp2mp)" not in new
                        for a, b, new, _ in regions) or any(
            a <= site["end_line"] and b >= site["line"] and not new.strip() for a, b, new, _ in regions)
        reported = any(line in findings.get(site["file"], ()) for line in lines)
        kind = res["by_kind"].setdefault(site["kind"], [0, 0])
        kind[1] += 1
        if rewritten:
            res["rewritten"] += 1
        elif reported:
            res["reported"] += 1
        if rewritten or reported:
            res["handled"] += 1
            kind[0] += 1
            if site["track"]:
                res["track_handled"] += 1
        elif len(res["missed"]) < 12:
            res["missed"].append(f"{site['file']}:{site['line']} {site['kind']}")
    for rel, regions in changed_regions.items():
        planted = sites_by_file.get(rel, [])
        for a, b, new, old in regions:
            if any(a <= s["end_line"] and b >= s["line"] for s in planted):
                continue
            if (os.path.basename(rel) in MANIFESTS and not score.in_ignored(rel, ignored)
                    and "amplitude" in old.lower()):
                res["manifest_edits"] += 1  # the dependency swap (amplitude -> mixpanel)
                continue
            if rel in amp_files and (
                AMPLITUDE_API.search(old) or "amplitude" in old.lower()
                or all(FURNITURE.search(x) for x in (new.splitlines() or [""]))
            ):
                res["supporting_edits"] += 1
                continue
            res["wrong_edits"] += 1
            where = ("wrong_ignored" if score.in_ignored(rel, ignored) else
                     "wrong_lookalike" if rel in decoys else
                     "wrong_in_amp_files" if rel in amp_files else "wrong_other")
            res[where] += 1
            if len(res["wrong_examples"]) < 8:
                res["wrong_examples"].append(f"{rel}:{a}")
    return res


def _regions(old_b: bytes, new_b: bytes) -> list[tuple[int, int, str, str]]:
    """score.changed_regions plus the old text; a pure insertion spans the lines on both sides.

    (score.py attaches an insertion to the line before it only, so a rewrite that the diff
    aligns as "insert the new call, then delete the old one" looked like an edit off the site.)
    """
    old = old_b.decode("utf-8", "replace").splitlines()
    new = new_b.decode("utf-8", "replace").splitlines()
    out = []
    matcher = score.difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 == i1:
            first, last, old_text = max(1, i1), i1 + 1, ""
        else:
            first, last, old_text = i1 + 1, i2, "\n".join(old[i1:i2])
        out.append((first, last, "\n".join(new[j1:j2]), old_text))
    return out


# --------------------------------------------------------------------------------------------
# the pre-commit measurement
# --------------------------------------------------------------------------------------------
def heavy_imports(candidate: list[str], args: list[str], cwd: Path) -> list[str]:
    proc = subprocess.run([_python_of(candidate), "-X", "importtime", "-m", "codemod", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)
    found = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:"):
            name = line.rsplit("|", 1)[-1].strip()
            top = name.split(".")[0]
            if top in HEAVY_MODULES:
                found.add(top)
    return sorted(found)


def _same_output(warm: list[str], cold: list[str], cwd: Path | None) -> bool:
    """Whether a warm run prints byte for byte what a cold one prints."""
    outputs = [subprocess.run(cmd, cwd=cwd, env=candidate_env(), capture_output=True).stdout
               for cmd in (warm, cold)]
    return outputs[0] == outputs[1]


def candidate_env() -> dict:
    """The environment amp2mp runs in: with bytecode caching, as any installed package has.

    An editable install has no `.pyc` files until Python writes them, and a machine that sets
    PYTHONDONTWRITEBYTECODE (CI images often do) would recompile the tool's modules on every
    start; a `pip install` compiles them once. The warm-up runs write the cache.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def precommit(tree: Path, truth: dict, candidate: list[str], runs: int) -> list[dict]:
    """The one-file commands, interleaved round by round (each ratio to `--version` then
    compares runs made at the same moment of a machine whose speed drifts), after 2 warm-up
    rounds; every file is touched before each run, as pre-commit's files were just edited.

    A last, reference row times `python -c "import libcst"` with the tool's interpreter: the
    floor of any run that migrates a Python file, since the spec makes libcst its parser."""
    plain = _plain_files(tree, truth)[0]
    amp_py = next(f for f in truth["amp_files"] if f.endswith(".py"))
    amp_js = next((f for f in truth["amp_files"] if not f.endswith(".py")), None)
    cases = [("--version", ["--version"]),
             ("--diff, one file without Amplitude", ["--diff", plain]),
             ("--diff, one Python file with Amplitude", ["--diff", amp_py])] + (
                [("--diff, one JS/TS file with Amplitude", ["--diff", amp_js])] if amp_js else [])
    commands = {label: [*candidate, *args] for label, args in cases}
    commands[IMPORT_LIBCST] = [_python_of(candidate), "-c", "import libcst"]
    touched = {label: args[-1] for label, args in cases if len(args) > 1}
    samples: dict[str, list[dict]] = {label: [] for label in commands}
    for round_ in range(2 + runs):
        for label, cmd in commands.items():
            if label in touched:
                os.utime(tree / touched[label])
            sample = timed(cmd, tree, candidate_env())
            if round_ >= 2:
                samples[label].append(sample)
    rows = []
    for label, cmd in commands.items():
        m = summary(samples[label])
        m["rss_kib"] = peak_rss_kib(cmd, cwd=tree, env=candidate_env())
        heavy = ["libcst"] if label == IMPORT_LIBCST else heavy_imports(candidate, cmd[len(candidate):], tree)
        m.update(label=label, file=touched.get(label, ""), heavy=heavy)
        rows.append(m)
    return rows


def _python_of(candidate: list[str]) -> str:
    """The interpreter the candidate command runs on."""
    if candidate[0].endswith(("python", "python3")):
        return candidate[0]
    return sys.executable


def _plain_files(tree: Path, truth: dict) -> list[str]:
    skip = set(truth["amp_files"]) | set(truth.get("decoy_files", []))
    out = []
    for d, dirs, files in os.walk(tree):
        dirs[:] = sorted(x for x in dirs if x not in (".git", "node_modules", ".venv"))
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(d, f), tree)
            if rel not in skip and rel.endswith(".py"):
                with open(os.path.join(tree, rel), "rb") as fh:
                    if b"amplitude" not in fh.read():
                        out.append(rel)
                        if len(out) >= 1:
                            return out
    return out


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------
def fmt_ratio(x: float | None) -> str:
    return "-" if x is None else (f"{x:.1f}" if x >= 1 else f"{x:.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "amp2mp-bench"),
                    help="folder for trees, copies, tools and results, outside the repository "
                         "(default: %(default)s)")
    ap.add_argument("--sizes", default="small,large", help="tiny, small, large (default: %(default)s)")
    ap.add_argument("--peers", default=",".join(ALL_PEERS), help="default: %(default)s")
    ap.add_argument("--runs", type=int, default=None,
                    help="timed runs per slow tool (default: 3 on small, 1 on large)")
    ap.add_argument("--fast-runs", type=int, default=7,
                    help="timed runs of amp2mp (default: %(default)s; rg gets at least 10)")
    ap.add_argument("--fast-warmup", type=int, default=2,
                    help="untimed amp2mp runs first (default: %(default)s)")
    ap.add_argument("--warmup", type=int, default=None, help="untimed runs first (default 1 small, 0 large)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--candidate", help="the amp2mp-codemod command (default: the entry point "
                                        "installed beside this Python, else python -m codemod)")
    ap.add_argument("--no-install", action="store_true", help="do not install missing peers")
    ap.add_argument("--no-score", action="store_true", help="skip the write runs and scoring")
    ap.add_argument("--no-precommit", action="store_true", help="skip the one-file measurement")
    ap.add_argument("--regen", action="store_true", help="regenerate trees that already exist")
    ap.add_argument("--timeout", type=float, default=None, help="seconds a single run may take")
    a = ap.parse_args(argv)

    scratch = Path(a.scratch).resolve()
    repo = HERE.parent
    if scratch == repo or repo in scratch.parents:
        ap.error("--scratch must be outside the repository")
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    peers = [p.strip() for p in a.peers.split(",") if p.strip()]
    for s in sizes:
        if s not in SIZES:
            ap.error(f"unknown size {s}")
    for p in peers:
        if p not in ALL_PEERS:
            ap.error(f"unknown peer {p}")
    if "rg" not in peers:
        peers.insert(0, "rg")  # the floor every ratio is taken against
    candidate = candidate_command(a.candidate)
    tools = Tools(scratch / "tools", not a.no_install)
    results_dir = scratch / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    # The result cache lives in the scratch folder, emptied first: the warm rows' warm-up
    # runs fill it, and nothing from the user's own cache takes part.
    cache_dir = scratch / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    os.environ["AMP2MP_CACHE_DIR"] = str(cache_dir)
    env_line = (f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; {os.cpu_count()} cores; "
                f"python {sys.version.split()[0]}; candidate: {' '.join(candidate)}")
    print(env_line, flush=True)
    all_rows: list[dict] = []
    pre_rows: list[dict] = []
    for size in sizes:
        tree = scratch / "trees" / size
        truth_path = scratch / "trees" / f"{size}.truth.json"
        params_ok = False
        if truth_path.exists() and not a.regen:
            t = json.loads(truth_path.read_text())
            params_ok = t["params"]["files"] == SIZES[size] and t["params"]["seed"] == a.seed
        if not params_ok:
            print(f"== {size}: generating {SIZES[size]} files (seed {a.seed})", flush=True)
            subprocess.run([sys.executable, str(HERE / "gen_tree.py"), "--files", str(SIZES[size]),
                            "--amp-ratio", "0.02", "--seed", str(a.seed), "--out", str(tree),
                            "--truth", str(truth_path), "--force"], check=True)
        else:
            print(f"== {size}: reusing {tree}", flush=True)
        truth = json.loads(truth_path.read_text())
        slow_runs = a.runs if a.runs is not None else (3 if size != "large" else 1)
        warm = a.warmup if a.warmup is not None else (1 if size != "large" else 0)
        for peer in peers:
            exe = "" if peer in AMP2MP else tools.find(peer)
            row = {"tree": size, "peer": peer, "files": truth["source_files"]}
            all_rows.append(row)
            if exe is None:
                row["error"] = tools.notes.get(peer, "missing")
                print(f"-- {size} / {peer}: {row['error']}", flush=True)
                continue
            report = scratch / "work" / f"{size}-{peer}.report.json"
            dry, write, cwd, env = commands(peer, exe, tree, candidate, report)
            fast = peer in ("rg", *AMP2MP)
            if peer == "rg":  # the floor: cheap, so always measured well
                runs, w = max(a.fast_runs, 10), 2
            elif fast:
                runs, w = a.fast_runs, a.fast_warmup
            else:
                runs, w = slow_runs, warm
            print(f"-- {size} / {peer}: {runs} timed runs", flush=True)
            row.update(measure(dry, runs, w, cwd, env, a.timeout))
            row["cmd"] = " ".join(dry)
            if "error" in row:
                print(f"   failed: {row['error']}", flush=True)
                continue
            if fast:
                row["rss_kib"] = peak_rss_kib(dry, cwd, env, a.timeout)
            print(f"   median {row['median']:.3f} s", flush=True)
            if peer == "amp2mp-warm":
                row["same_as_cold"] = _same_output(dry, [*dry[:-1], "--no-cache", dry[-1]], cwd)
                print(f"   warm output identical to cold: {row['same_as_cold']}", flush=True)
            if peer == "rg":
                listed = subprocess.run(dry, capture_output=True, text=True).stdout.split()
                rel = {os.path.relpath(x, tree) for x in listed}
                row["rg_amp_files"] = len(rel & set(truth["amp_files"]))
                row["rg_listed"] = len(rel)
                continue
            if a.no_score or write is None:
                continue
            copy = scratch / "work" / f"{size}-{peer}"
            if copy.is_symlink():
                copy.unlink()
            shutil.rmtree(copy, ignore_errors=True)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.mkdir()
            # copy the contents: `cp -a TREE COPY` would copy a symlinked tree as a link
            subprocess.run(["cp", "-a", f"{tree.resolve()}/.", str(copy)], check=True)
            if copy.is_symlink() or copy.resolve() == tree.resolve():
                raise SystemExit(f"refusing to write: {copy} is the original tree")
            report.unlink(missing_ok=True)
            _, write, cwd, env = commands(peer, exe, copy, candidate, report if peer == "amp2mp" else None)
            row["write_rss_kib"] = peak_rss_kib(write, cwd, env, a.timeout)
            row["score"] = score_copy(truth, tree, copy, report if peer == "amp2mp" else None)
            sc = row["score"]
            print(f"   handled {sc['handled']}/{sc['planted']} (tracking {sc['track_handled']}/"
                  f"{sc['track_planted']}), wrong edits {sc['wrong_edits']}", flush=True)
            shutil.rmtree(copy, ignore_errors=True)
        if not a.no_precommit and size == sizes[0]:
            print(f"-- {size}: one changed file in pre-commit", flush=True)
            pre_rows = precommit(tree, truth, candidate, max(a.fast_runs, 15))

    text = render(all_rows, pre_rows, env_line)
    (results_dir / "summary.md").write_text(text)
    (results_dir / "results.json").write_text(json.dumps({"rows": all_rows, "precommit": pre_rows},
                                                         indent=1, default=str))
    print()
    print(text)
    print(f"(saved to {results_dir}/summary.md and results.json)")
    return 0


def render(rows: list[dict], pre: list[dict], env_line: str) -> str:
    out = [f"Run: {env_line}", "",
           "| tree | tool | median wall s | min–max s (n) | CPU s | peak RSS MiB | × rg | "
           "sites handled (rewritten + reported) | tracking sites handled | wrong edits |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    floor = {r["tree"]: r.get("median") for r in rows if r["peer"] == "rg"}
    for r in rows:
        if "median" not in r:
            out.append(f"| {r['tree']} | {r['peer']} | – | – | – | – | – | {r.get('error', '')} | – | – |")
            continue
        base = floor.get(r["tree"])
        ratio = r["median"] / base if base else None
        sc = r.get("score")
        if r["peer"] == "rg":
            other = r.get("rg_listed", 0) - r.get("rg_amp_files", 0)
            handled = f"lists {r.get('rg_amp_files', '?')} Amplitude files (+{other} other)"
            track = wrong = "–"
        elif sc:
            handled = f"{sc['handled']}/{sc['planted']} ({sc['rewritten']} + {sc['reported']})"
            track = f"{sc['track_handled']}/{sc['track_planted']}"
            wrong = str(sc["wrong_edits"])
            if sc["wrong_edits"]:
                parts = [f"{sc[k]} {k[6:].replace('_', ' ')}" for k in
                         ("wrong_ignored", "wrong_lookalike", "wrong_other", "wrong_in_amp_files") if sc[k]]
                wrong += " (" + ", ".join(parts) + ")"
        else:
            handled = track = wrong = "–"
        rss = max(r.get("rss_kib") or 0, r.get("write_rss_kib") or 0) / 1024
        out.append(f"| {r['tree']} | {r['peer']} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} "
                   f"({r['n']}) | {r['cpu']:.2f} | {rss:.0f} | {fmt_ratio(ratio)} | {handled} | "
                   f"{track} | {wrong} |")
    out += ["", "Goals (issue 7), from the medians above:", ""]
    by = {(r["tree"], r["peer"]): r for r in rows if "median" in r}
    for tree, goal in (("tiny", GOAL_SMALL_X_RG), ("small", GOAL_SMALL_X_RG),
                       ("large", GOAL_LARGE_X_RG)):
        rg, ag = by.get((tree, "rg")), by.get((tree, "ast-grep"))
        for peer, label in (("amp2mp", "cold, --no-cache"), ("amp2mp-warm", "warm cache")):
            run = by.get((tree, peer))
            if run and rg:
                x = run["median"] / rg["median"]
                out.append(f"- {tree}: amp2mp --diff ({label}) = {x:.1f}× rg -l (goal ≤ {goal}×): "
                           f"{'met' if x <= goal else 'NOT met'}")
            if run and ag and tree == "large":
                x = ag["median"] / run["median"]
                out.append(f"- {tree}: amp2mp ({label}) is {x:.1f}× faster than ast-grep (goal ≥ "
                           f"{GOAL_X_FASTER_THAN_ASTGREP}×): "
                           f"{'met' if x >= GOAL_X_FASTER_THAN_ASTGREP else 'NOT met'}")
            if run and "same_as_cold" in run:
                out.append(f"- {tree}: the warm run's diff is byte-identical to the cold run's: "
                           f"{'yes' if run['same_as_cold'] else 'NO'}")
        amp = by.get((tree, "amp2mp"))
        if amp:
            mib = max(amp.get("rss_kib") or 0, amp.get("write_rss_kib") or 0) / 1024
            out.append(f"- {tree}: amp2mp peak RSS {mib:.0f} MiB (goal < {GOAL_PEAK_MIB} MiB): "
                       f"{'met' if mib < GOAL_PEAK_MIB else 'NOT met'}")
        if amp and amp.get("score"):
            sc = amp["score"]
            out.append(f"- {tree}: {sc['handled']}/{sc['planted']} planted sites handled, "
                       f"{sc['wrong_edits']} wrong edits, {sc['ignored_files_changed']} files "
                       f"changed in ignored folders, {sc['supporting_edits']} supporting edits "
                       f"(imports, Identify() set-up, TODO comments) in Amplitude files, "
                       f"{sc['manifest_edits']} dependency edits in manifests")
            if sc["missed"]:
                out.append(f"  - first missed sites: {', '.join(sc['missed'][:6])}")
            kinds = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(sc["by_kind"].items()))
            out.append(f"  - by kind: {kinds}")
            if sc["wrong_examples"]:
                out.append(f"  - wrong edits at: {', '.join(sc['wrong_examples'])}")
    if pre:
        out += ["", "One changed file in pre-commit (run from inside the tree, the file named "
                    "as pre-commit passes it):", "",
                "| command | median wall s | min–max s (n) | peak RSS MiB | × --version "
                "| heavy modules imported |",
                "|---|---|---|---|---|---|"]
        version = pre[0].get("median")
        for r in pre:
            if "median" not in r:
                out.append(f"| {r['label']} | {r.get('error')} | | | | |")
                continue
            out.append(f"| {r['label']} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} ({r['n']}) | "
                       f"{(r['rss_kib'] or 0) / 1024:.0f} | "
                       f"{fmt_ratio(r['median'] / version if version else None)} | "
                       f"{', '.join(r['heavy']) or 'none'} |")
        out.append("")
        out.append(f"Goal: one file < {GOAL_ONE_FILE_X_VERSION}× --version.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
