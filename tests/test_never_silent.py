"""The never-silent post-condition: after a run, every line that still refers to Amplitude
carries a finding, in changed and unchanged files alike, and `--check` fails on it.

The fixtures hold one case per shape (`fixtures/js/leftover-*`); here the condition is
checked over every fixture with a definition of "imports Amplitude" the post-condition does
not use (`manifests.needs_amplitude`, which decides manifest swaps), and through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli_contract import cli, commit, git, write
from test_fixtures import CASES, _input, _run

from codemod.engine import migrate_source
from codemod.manifests import needs_amplitude
from codemod.references import references

SHAPES = {
    # An Alpine.js `@click` reads the component's scope: not a handler the page migrates.
    "page.html": ('<button @click="amplitude.getInstance().logEvent(\'A\')">A</button>\n', [1]),
    "native.vue": ('<template><b onclick="amplitude.getInstance().logEvent(\'A\')">A</b>'
                   '</template>\n', [1]),
    "banner.vue": ('<template><b @click="$amplitude.track(\'A\')">A</b></template>\n', [1]),
    "sw.js": ("importScripts('amplitude.min.js');\n", [1]),
    "app.test.js": ("jest.mock('amplitude-js');\n", [1]),
    "lazy.js": ("export const load = () => import('@amplitude/analytics-browser');\n", [1]),
    "types.ts": ("import type { BaseEvent } from '@amplitude/analytics-types';\n"
                 "export const f = (e: BaseEvent) => e;\n", [1]),
    "plugin.ts": ("import type { EnrichmentPlugin } from '@amplitude/analytics-types';\n"
                  "export class P implements EnrichmentPlugin {}\n", [1, 2]),
    "page.js": ("export default { methods: { go() { this.$amplitude.logEvent('A'); } } };\n", [1]),
    "plugin.js": ("export default (ctx, inject) => { inject('amplitude', ctx.client); };\n", [1]),
    "vue.js": ("app.config.globalProperties.$amplitude = client;\n", [1]),
    "proto.js": ("Vue.prototype.$amplitude = client;\n", [1]),
    "server.js": ("app.locals.amplitude = client;\n", [1]),
    "global.js": ("globalThis.amplitude.track('A');\n", [1]),
    "hook.jsx": ("const a = useContext(AmplitudeContext);\n", [1]),
}


def _migrate(case: Path):
    source = _input(case)
    return source, _run(case, source.read_bytes())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_every_import_left_in_a_fixture_carries_a_finding(case: Path) -> None:
    """Each import of an Amplitude package that the output still holds is on a line of the
    input that has a finding (found by its text: an import line a run keeps is not edited)."""
    source, result = _migrate(case)
    if result.status not in ("changed", "unchanged"):
        return
    before = source.read_bytes().splitlines()
    after = (result.output or source.read_bytes()).splitlines()
    said = {f.line for f in result.findings}
    for line in after:
        if line.strip().startswith((b"//", b"#", b"*", b"/*")):
            continue
        if needs_amplitude(source.name, line) and line in before:
            lines = {n for n, b in enumerate(before, start=1) if b == line}
            assert lines & said, f"{line!r} is left without a finding"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_no_fixture_that_imports_amplitude_ends_unchanged_and_silent(case: Path) -> None:
    source, result = _migrate(case)
    code = b"\n".join(line for line in source.read_bytes().splitlines()
                      if not line.strip().startswith((b"//", b"#", b"*", b"/*")))
    if result.status == "unchanged" and needs_amplitude(source.name, code):
        assert any(f.severity != "info" for f in result.findings)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_is_a_finding_on_its_line(name: str) -> None:
    text, lines = SHAPES[name]
    result = migrate_source(text.encode(), name)
    assert [(f.line, f.rule, f.severity) for f in result.findings
            if f.rule == "LEFTOVER"] == [(line, "LEFTOVER", "manual") for line in lines], result


def test_a_line_a_rewrite_moved_is_found_in_the_input() -> None:
    """In a changed file the finding is anchored to the input's line, not the output's."""
    text = ("import amplitude from 'amplitude-js';\n"
            "amplitude.getInstance().init('KEY');\n"
            "amplitude.getInstance().logEvent('A');\n"
            "globalThis.amplitude.logEvent('B');\n")
    result = migrate_source(text.encode(), "app.js")
    assert result.status == "changed"
    assert result.output is not None and b"globalThis.amplitude" in result.output
    assert [f.line for f in result.findings if f.rule == "LEFTOVER"] == [4]


def test_a_page_handler_is_migrated_or_carries_a_finding() -> None:
    """An HTML page's `onclick` moves with the page's init and leaves nothing to report, or
    stays with it, each handler that stays on a line with a manual finding."""
    page = ("<script>amplitude.getInstance().init('K');</script>\n"
            "<button onclick=\"amplitude.getInstance().logEvent('A')\">A</button>\n")
    moved = migrate_source(page.encode(), "page.html")
    assert moved.status == "changed"
    assert moved.output is not None and b"amplitude.getInstance" not in moved.output
    assert [f for f in moved.findings if f.rule == "LEFTOVER"] == []
    kept = page + "<button onclick=\"amplitude.getInstance().setDeviceId('d')\">D</button>\n"
    held = migrate_source(kept.encode(), "page.html")
    assert held.status == "unchanged"
    assert {1, 2, 3} <= {f.line for f in held.findings if f.severity == "manual"}


def test_comments_and_other_packages_are_not_references() -> None:
    text = ("// window.amplitude used to live here\n"
            "import amplitudeMeter from 'audio-amplitude';\n"
            "const amplitude = 0.5;\n")
    assert references("a.js", text) == []


def test_check_fails_on_each_shape(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, {name: text for name, (text, _) in SHAPES.items()})
    commit(repo)
    check = cli(repo, "--check", "-q", ".")
    assert check.returncode == 1, check.stderr
    flagged = {line.split(":", 1)[0] for line in check.stdout.splitlines()
               if " LEFTOVER " in line}
    assert flagged == set(SHAPES)
