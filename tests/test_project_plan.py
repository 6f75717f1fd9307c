"""The project plan (`codemod/project/`): a client shared across modules is never half-migrated.

Property: for each Python project fixture and any subset of the calls on its shared client
made manual (the method swapped for `add`, a plugin call no rule rewrites), the run either
moves the client to Mixpanel with every use of it rewritten in every module (no Amplitude
call left, no Amplitude object handed to it), or leaves every module that touches it as it
was, TODO comments aside, so no Mixpanel call runs without a Mixpanel init and no Amplitude
call is left on a client whose Amplitude init was removed. The same for the JavaScript
fixtures (an exported instance, a CommonJS module), where a moved client must also be reached
by its Mixpanel init in every module calling it. Also: a run over part of the
project (pre-commit's staged files) does not decide a client it cannot see whole.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projectkit import migrated_files, read_tree, run_tree, substituted, write_tree

from codemod import cache as cache_module
from codemod.cache import ResultCache
from codemod.cli import _together
from codemod.console import Output
from codemod.discovery import discover
from codemod.options import ClientFact, Options
from codemod.project import index as project_index
from codemod.project.checks import check
from codemod.project.plan import Plan, Shared
from codemod.results import FileResult
from codemod.runner import Job, run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
CASES = sorted(c for c in FIXTURES.iterdir() if (c / "input" / "config.py").is_file())
CALL = re.compile(r"\b(client|analytics|config\.client)\.(track|flush)\(")
TODO = re.compile(r"^[ \t]*# TODO\(amp2mp\).*\n", re.MULTILINE)


def _sites(case: Path) -> list[tuple[str, int]]:
    """(file, line index) of every call on the shared client outside its module."""
    found = []
    for path in sorted((case / "input").rglob("*.py")):
        name = path.relative_to(case / "input").as_posix()
        for number, line in enumerate(path.read_text().splitlines()):
            if name != "config.py" and CALL.search(line):
                found.append((name, number))
    return found


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_shared_client_moves_whole_or_not_at_all(data: st.DataObject, tmp_path_factory) -> None:
    case = data.draw(st.sampled_from(CASES))
    sites = _sites(case)
    manual = data.draw(st.sets(st.sampled_from(sites), max_size=len(sites)))
    files = read_tree(case / "input")
    files = substituted(files, manual, CALL, r"\1.add(")
    after = migrated_files(tmp_path_factory.mktemp("project"), files)
    blocked = bool(manual) or case.name.endswith("one-manual")
    if "Mixpanel(" in after["config.py"]:
        assert not blocked, "a client with a manual use was moved to Mixpanel"
        for name, text in after.items():
            assert "amplitude" not in text and ".add(" not in text, (name, text)
    else:
        assert blocked, "a client whose every use has a rewrite stayed on Amplitude"
        for name, text in after.items():
            assert TODO.sub("", text) == files[name], f"{name} changed beside a held client"


# The JavaScript cases: per fixture, its creating module, and a method of its SDK no rule
# rewrites (amplitude-js `sendEvents`, analytics-node `add`), swapped in at a reader's call.
JS_CASES = {"js-exported-instance": ("src/lib/amplitude.js", "sendEvents"),
            "js-commonjs": ("analytics.js", "add")}
JS_CALL = re.compile(r"\b(instance|analytics)\.(logEvent|setUserId|track)\(")
JS_TODO = re.compile(r"^[ \t]*// TODO\(amp2mp\).*\n", re.MULTILINE)
JS_IMPORT = re.compile(r"""(?:from|require\()\s*['"](\.[^'"]*)['"]""")
JS_CLIENT_CALL = re.compile(r"\b(?:instance|analytics|mixpanel)\.[\w.]+\(")
JS_INIT = re.compile(r"\b(?:mixpanel|Mixpanel|instance|analytics)\.init\(")


def _initialised(name: str, files: dict[str, str], seen: frozenset[str] = frozenset()) -> bool:
    """Whether module `name` holds a Mixpanel init or imports (however far down) one that
    does: resolved here by hand, as a bundler would, not by the tool's index."""
    if JS_INIT.search(files[name]):
        return True
    for spelled in JS_IMPORT.findall(files[name]):
        base = os.path.normpath(os.path.join(os.path.dirname(name), spelled))
        found = next((c for c in (base, f"{base}.js", f"{base}.ts", f"{base}/index.js")
                      if c in files), None)
        if found is not None and found not in seen and _initialised(found, files, seen | {name}):
            return True
    return False


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_shared_javascript_client_moves_whole_or_not_at_all(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The JavaScript form of the property above, on the exported-instance (ES modules, a
    TypeScript reader) and CommonJS fixtures; and where the client moved, every module calling
    it is reached by its Mixpanel init (the run's JS-ORDER check agrees: it reports nothing)."""
    name = data.draw(st.sampled_from(sorted(JS_CASES)))
    case = FIXTURES / name
    creator, manual_method = JS_CASES[name]
    files = read_tree(case / "input")
    sites = [(path, number) for path, text in files.items() if path != creator
             for number, line in enumerate(text.splitlines()) if JS_CALL.search(line)]
    manual = data.draw(st.sets(st.sampled_from(sites), max_size=len(sites)))
    files = substituted(files, manual, JS_CALL, rf"\1.{manual_method}(")
    tree = tmp_path_factory.mktemp("project")
    write_tree(tree, files)
    results = run_tree(tree)
    after = {path: (r.output or b"").decode() if r.status == "changed" else files[path]
             for path, r in results.items()}
    if "mixpanel" in after[creator]:
        assert not manual, "a client with a manual use was moved to Mixpanel"
        for path, text in after.items():
            assert "amplitude-js" not in text and "@amplitude/" not in text, (path, text)
            assert not re.search(r"\.(logEvent|setUserId)\(|(?<![\w$])(user|device)_id:", text), (path, text)
            if JS_CLIENT_CALL.search(text):
                assert _initialised(path, after), f"no Mixpanel init reaches {path}"
        assert not [f for r in results.values() for f in r.findings if f.rule == "JS-ORDER"]
    else:
        assert manual, "a client whose every use has a rewrite stayed on Amplitude"
        for path, text in after.items():
            assert JS_TODO.sub("", text) == files[path], f"{path} changed beside a held client"


@pytest.mark.parametrize("named", [["config.py", "handlers/signup.py"], ["handlers/signup.py"]],
                         ids=["creator-named", "reader-named"])
def test_a_partial_run_does_not_decide_a_client_it_cannot_see_whole(
    tmp_path: Path, named: list[str]
) -> None:
    """Pre-commit passes only the staged files: the client is held, and the run says why.
    A named creator makes the run index the whole work tree (who else reads it?); a named
    reader, only the modules it imports."""
    case = FIXTURES / "python-config-module"
    write_tree(tmp_path, read_tree(case / "input"))
    (tmp_path / ".git").mkdir()  # the project root the partial run finds
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        pairs = run(named, [Path(n) for n in named], Options(), jobs=1)
    finally:
        os.chdir(cwd)
    results = {job.display: result for job, result in pairs}
    assert all(r.status == "unchanged" for r in results.values()), results
    kept = [f.message for f in results[named[0]].findings if f.rule == "CLIENT-KEPT"]
    assert kept and any("is not in this run" in k or "created on config.py:5" in k
                        for k in kept), kept
    assert any(f.rule == "CLIENT-KEPT" for f in results["handlers/signup.py"].findings)


def test_a_reader_is_withheld_when_its_client_was_not_migrated_where_it_is_created() -> None:
    """The checks after the run: a gate failure in the creating module, or a rewrite that
    drops the imported name, withholds every reader's rewrite."""
    plan = Plan(shared=[Shared("config.py", "client", ("a.py", "b.py"), held=False)])
    reader = FileResult("a.py", "python", "changed", output=b"client.track('u', 'E')\n")
    untouched = FileResult("b.py", "python", "unchanged")
    for creator in (FileResult("config.py", "python", "error", reason="rewrite-not-stable"),
                    FileResult("config.py", "python", "changed", output=b"mp = Mixpanel(T)\n")):
        checked = dict(check(plan, [("config", creator), ("a", reader), ("b", untouched)]))
        assert checked["a"].status == "error" and checked["a"].output is None
        assert checked["a"].reason.startswith("project-inconsistent"), checked["a"].reason
        assert checked["b"] == untouched and checked["config"] == creator
    fine = FileResult("config.py", "python", "changed", output=b"client = Mixpanel(T)\n")
    assert dict(check(plan, [("config", fine), ("a", reader)]))["a"] == reader


def test_the_cache_answers_a_module_only_for_the_decision_it_was_migrated_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manual use added in one handler changes what `config.py` becomes: the warm run must
    not serve config.py's cached rewrite, whose bytes did not change."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0)
    case = FIXTURES / "python-config-module"
    root = tmp_path / "tree"
    write_tree(root, read_tree(case / "input"))

    def statuses() -> dict[str, str]:
        cache = ResultCache.open(tmp_path / "cache")
        assert cache is not None
        pairs = run(discover([str(root)]), [root], Options(), jobs=1, cache=cache)
        return {Path(job.display).name: result.status for job, result in pairs}

    assert statuses()["config.py"] == "changed"
    assert statuses()["config.py"] == "changed"  # warm
    (root / "handlers" / "plugins.py").write_text(
        "from config import client\n\n\ndef install(plugin):\n    client.add(plugin)\n")
    held = statuses()
    assert held["config.py"] == "unchanged" and held["signup.py"] == "unchanged", held
    # The same file edited back: its cached dry run (which blocked) is not served again.
    (root / "handlers" / "plugins.py").write_text(
        "from config import client\n\n\ndef install(plugin):\n    client.flush()\n")
    moved = statuses()
    assert moved["config.py"] == "changed" and moved["plugins.py"] == "changed", moved


def test_a_warm_run_reads_no_unchanged_file_for_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file's index summary and each dry run of a module sharing a client are kept in
    the result cache: a warm run reads no unchanged file for them (`plain.py`, the package's
    `__init__.py`, `config.py`); only the readers the index parses for their imports."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0)
    case = FIXTURES / "python-config-module-one-manual"
    root = tmp_path / "tree"
    write_tree(root, read_tree(case / "input"))
    (root / "plain.py").write_text("import json\n\nprint(json.dumps({}))\n")
    opened: list[str] = []
    real_open = open

    def spy(path: object, *args: object, **kwargs: object) -> object:
        opened.append(os.path.basename(str(path)))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(project_index, "open", spy, raising=False)
    runs = []
    for _ in range(2):
        opened.clear()
        cache = ResultCache.open(tmp_path / "cache")
        assert cache is not None
        run(discover([str(root)]), [root], Options(), jobs=1, cache=cache)
        runs.append(sorted(opened))
    handlers = ["billing.py", "plugins.py", "search.py", "shutdown.py", "signup.py"]
    # Cold: every file once for its summary, the readers the index parses, then every module
    # touching the client, planned dry. Warm: only the readers the index parses.
    assert runs[0] == sorted([*handlers, *handlers, *handlers, "config.py", "config.py",
                              "__init__.py", "plain.py"]), runs[0]
    assert runs[1] == handlers, runs[1]


def test_interactive_review_moves_a_shared_client_in_every_module_or_in_none() -> None:
    """Declining one module's rewrite of a shared client keeps the others' from being written."""
    shared = (ClientFact("config", "client", "config.py:5"),)
    jobs = [Job(name, name, b"", Options(clients=facts))
            for name, facts in (("config.py", (ClientFact("", "client", "config.py:5"),)),
                                ("a.py", shared), ("b.py", shared), ("c.py", ()))]
    changed = [(job, FileResult(job.path, "python", "changed", output=b"x")) for job in jobs]
    accepted = [pair for pair in changed if pair[0].path != "a.py"]
    kept = _together(changed, accepted, Output(quiet=True, color="never"))
    assert [job.path for job, _ in kept] == ["c.py"]
    assert _together(changed, changed, Output(color="never")) == changed
