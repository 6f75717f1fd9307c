"""The token convention, run (issue 16): a scenario reads its Amplitude key the way its
bundler expects (`import.meta.env.VITE_*`, `process.env.REACT_APP_*`, `NEXT_PUBLIC_*`), both
sides go through that bundler's define step, and every request mixpanel-browser sends must
carry the token the project defines under the Mixpanel name.

The define step is what Vite's `define`/`import.meta.env` replacement and webpack's
DefinePlugin (CRA, Next.js) do: a variable with the convention's prefix becomes its value, any
other `import.meta.env.X`/`process.env.X` becomes `undefined`, so a token read from a name the
bundler does not inline (the old `process.env.MIXPANEL_TOKEN`) arrives as nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from codemod.engine import migrate_source
from codemod.options import Options

from jsrun import (
    _mixpanel_payload,
    assert_equivalent,
    browser_amplitude,
    browser_mixpanel,
    declared_differences,
    run_node,
)

SCENARIOS = Path(__file__).parent / "browser_token_scenarios"
# scenario -> (the prefix its bundler inlines, the project's environment)
PROJECTS = {
    "vite": ("VITE_", {"VITE_AMPLITUDE_API_KEY": "amplitude-key", "VITE_MIXPANEL_TOKEN": "vite-token"}),
    "cra": ("REACT_APP_", {"REACT_APP_AMPLITUDE_KEY": "amplitude-key",
                           "REACT_APP_MIXPANEL_TOKEN": "cra-token", "MIXPANEL_TOKEN": "not-inlined"}),
    "next-client": ("NEXT_PUBLIC_", {"NEXT_PUBLIC_AMPLITUDE_API_KEY": "amplitude-key",
                                     "NEXT_PUBLIC_MIXPANEL_TOKEN": "next-token"}),
}
_ENV = re.compile(r"\b(?:import\.meta\.env|process\.env)\.([A-Za-z_][A-Za-z0-9_]*)")


def define(source: str, prefix: str, env: dict[str, str]) -> str:
    """The bundler's define step: inlined variables become literals, the rest `undefined`."""
    def value(match: re.Match[str]) -> str:
        name = match[1]
        return json.dumps(env[name]) if name.startswith(prefix) and name in env else "undefined"

    return _ENV.sub(value, source)


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_the_token_arrives_the_way_the_convention_delivers_it(name: str, js_sdks: Path,
                                                               tmp_path: Path) -> None:
    prefix, env = PROJECTS[name]
    path = SCENARIOS / f"{name}.js"
    source = path.read_text()
    result = migrate_source(path.read_bytes(), path.name, Options())
    assert result.status == "changed", result.reason
    assert result.output is not None
    token_name = next(k for k in env if k.startswith(prefix) and "MIXPANEL" in k)
    assert any(f"define {token_name} " in f.message for f in result.findings)
    original = tmp_path / "original" / path.name
    migrated = tmp_path / "migrated" / path.name
    for target, text in ((original, source), (migrated, result.output.decode())):
        target.parent.mkdir()
        target.write_text(define(text, prefix, env))
    captured, _ = run_node("run-browser.js", "mixpanel", migrated)
    assert captured["requests"], "mixpanel-browser sent nothing: the token did not arrive"
    for request in captured["requests"]:
        payload = _mixpanel_payload(request["body"])
        for message in payload if isinstance(payload, list) else [payload]:
            token = message.get("$token") or message.get("properties", {}).get("token")
            assert token == env[token_name], request
    declared = declared_differences(source)
    assert_equivalent(browser_amplitude(original), browser_mixpanel(migrated, source, result.changes),
                      declared, migrated.read_text())
