"""The Mixpanel token follows the project's convention (`codemod/tokens.py`): one case per
convention, run through the engine, plus the name swap and the explicit override."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod.cli import main
from codemod.engine import migrate_source
from codemod.options import Options
from codemod.tokens import KeyRef, derive, swap_name

BROWSER = "import * as amplitude from '@amplitude/analytics-browser';\n"
NODE = "const amplitude = require('@amplitude/analytics-node');\n"
RN = "import * as amplitude from '@amplitude/analytics-react-native';\n"
PYTHON = "from amplitude import Amplitude\n"

# (case, file name, source, the token expression written, the variable the report names)
CONVENTIONS = [
    ("cra", "src/analytics.js", BROWSER + "amplitude.init(process.env.REACT_APP_AMPLITUDE_KEY);\n",
     "process.env.REACT_APP_MIXPANEL_TOKEN", "REACT_APP_MIXPANEL_TOKEN"),
    ("next-client", "app/providers.tsx",
     "'use client';\n" + BROWSER + "amplitude.init(process.env.NEXT_PUBLIC_AMPLITUDE_API_KEY!);\n",
     "process.env.NEXT_PUBLIC_MIXPANEL_TOKEN!", "NEXT_PUBLIC_MIXPANEL_TOKEN"),
    ("next-server", "lib/analytics.ts",
     NODE + "amplitude.init(process.env.AMPLITUDE_API_KEY as string);\n"
     "export const t = (u: string) => amplitude.track('E', {}, { user_id: u });\n",
     "process.env.MIXPANEL_TOKEN as string", "MIXPANEL_TOKEN"),
    ("vite", "src/main.ts", BROWSER + "amplitude.init(import.meta.env.VITE_AMPLITUDE_API_KEY);\n",
     "import.meta.env.VITE_MIXPANEL_TOKEN", "VITE_MIXPANEL_TOKEN"),
    ("expo", "App.tsx", RN + "amplitude.init(process.env.EXPO_PUBLIC_AMPLITUDE_API_KEY!);\n",
     "new Mixpanel(process.env.EXPO_PUBLIC_MIXPANEL_TOKEN!, false)", "EXPO_PUBLIC_MIXPANEL_TOKEN"),
    ("vue-cli", "src/main.js", BROWSER + "amplitude.init(process.env.VUE_APP_AMPLITUDE_KEY);\n",
     "process.env.VUE_APP_MIXPANEL_TOKEN", "VUE_APP_MIXPANEL_TOKEN"),
    ("nuxt-3", "plugins/amplitude.client.ts",
     BROWSER + "export default defineNuxtPlugin(() => {\n"
     "  amplitude.init(useRuntimeConfig().public.amplitudeApiKey);\n});\n",
     "useRuntimeConfig().public.mixpanelToken", "mixpanelToken"),
    ("nuxt-2", "plugins/amplitude.js",
     BROWSER + "export default ({ $config }) => { amplitude.init($config.amplitudeKey); };\n",
     "$config.mixpanelToken", "mixpanelToken"),
    ("react-native-config", "src/analytics.ts",
     "import Config from 'react-native-config';\n" + RN + "amplitude.init(Config.AMPLITUDE_KEY);\n",
     "new Mixpanel(Config.MIXPANEL_TOKEN, false)", "MIXPANEL_TOKEN"),
    ("node-service", "server.js",
     NODE + "amplitude.init(process.env.AMPLITUDE_API_KEY);\n"
     "module.exports = (u) => amplitude.track('E', {}, { user_id: u });\n",
     "Mixpanel.init(process.env.MIXPANEL_TOKEN)", "MIXPANEL_TOKEN"),
    ("prefix-without-amplitude", "src/index.js", BROWSER + "amplitude.init(process.env.REACT_APP_KEY);\n",
     "process.env.REACT_APP_MIXPANEL_TOKEN", "REACT_APP_MIXPANEL_TOKEN"),
    ("django-settings", "app/analytics.py",
     PYTHON + "from django.conf import settings\nclient = Amplitude(settings.AMPLITUDE_API_KEY)\n",
     "Mixpanel(settings.MIXPANEL_TOKEN)", "MIXPANEL_TOKEN"),
    ("os-environ", "worker.py",
     PYTHON + 'import os\nclient = Amplitude(os.environ["AMPLITUDE_API_KEY"])\n',
     'Mixpanel(os.environ["MIXPANEL_TOKEN"])', "MIXPANEL_TOKEN"),
    ("os-getenv", "worker.py",
     PYTHON + 'import os\nclient = Amplitude(api_key=os.getenv("AMPLITUDE_KEY", ""))\n',
     'Mixpanel(os.getenv("MIXPANEL_TOKEN", ""))', "MIXPANEL_TOKEN"),
]


@pytest.mark.parametrize(("case", "path", "source", "expression", "variable"), CONVENTIONS,
                         ids=[c[0] for c in CONVENTIONS])
def test_the_token_follows_the_convention(case: str, path: str, source: str, expression: str,
                                          variable: str) -> None:
    result = migrate_source(source.encode(), path, Options())
    assert result.status == "changed", result.reason
    assert result.output is not None
    assert expression in result.output.decode()
    notes = [f.message for f in result.findings if f.caveat == "ID010" and variable in f.message]
    assert notes and f"define {variable} " in notes[0]


def _migrated(path: str, source: str) -> tuple[str, list[str]]:
    result = migrate_source(source.encode(), path, Options())
    assert result.output is not None, result.reason
    return result.output.decode(), [f.message for f in result.findings]


# (case, file name, source, what the output holds, what a finding says)
REPORTED = [
    ("parameter", "wrapper.ts",
     BROWSER + "export function start(apiKey: string) {\n  amplitude.init(apiKey);\n}\n",
     "mixpanel.init(apiKey);", "every caller of start() must now pass the Mixpanel project token"),
    ("parameter-asserted", "wrapper.ts",
     BROWSER + "export const start = (apiKey?: string) => amplitude.init(apiKey!);\n",
     "mixpanel.init(apiKey!)", "every caller of start() must now pass the Mixpanel project token"),
    ("python-parameter", "wrapper.py",
     PYTHON + "def make(key):\n    client = Amplitude(key)\n    client.flush()\n",
     "client = Mixpanel(key)", "every caller of make() must now pass the Mixpanel project token"),
    ("module-level-client", "server.js",
     NODE + "function setup(apiKey) { amplitude.init(apiKey); }\n"
     "module.exports = (u) => amplitude.track('E', {}, { user_id: u });\n",
     "Mixpanel.init(process.env.MIXPANEL_TOKEN)",
     "created when the module loads, where it is not in scope"),
]
LITERAL = "is written in the code and is no Mixpanel token"
REPORTED += [
    ("literal-js", "main.js", BROWSER + "amplitude.init('0123abcd');\n",
     "mixpanel.init(process.env.MIXPANEL_TOKEN)", LITERAL),
    ("literal-ts-string-typed", "main.ts", BROWSER + "amplitude.init('0123abcd');\n",
     "mixpanel.init(process.env.MIXPANEL_TOKEN!)", LITERAL),
    ("literal-vite-file", "main.ts",
     BROWSER + "const v = import.meta.env.VITE_RELEASE;\namplitude.init('0123abcd');\n",
     "mixpanel.init(import.meta.env.VITE_MIXPANEL_TOKEN)", LITERAL),
    ("literal-prefix-of-the-file", "main.js",
     BROWSER + "const v = process.env.NEXT_PUBLIC_RELEASE;\namplitude.init('0123abcd');\n",
     "mixpanel.init(process.env.NEXT_PUBLIC_MIXPANEL_TOKEN)", LITERAL),
    ("literal-html-page", "page.html",
     "<script type=\"module\">\n" + BROWSER + "amplitude.init('0123abcd');\n</script>\n",
     "mixpanel.init('YOUR_MIXPANEL_TOKEN')", LITERAL),
    ("literal-python", "app.py", PYTHON + 'client = Amplitude("0123abcd")\n',
     'Mixpanel(os.environ["MIXPANEL_TOKEN"])', LITERAL),
]


@pytest.mark.parametrize(("case", "path", "source", "expected", "message"), REPORTED,
                         ids=[c[0] for c in REPORTED])
def test_what_cannot_be_derived_is_kept_or_defaulted_and_reported(
        case: str, path: str, source: str, expected: str, message: str) -> None:
    text, messages = _migrated(path, source)
    assert expected in text and "0123abcd" not in text
    assert any(message in m for m in messages), messages


def test_an_explicit_token_overrides_the_derivation() -> None:
    source = BROWSER + "amplitude.init(import.meta.env.VITE_AMPLITUDE_API_KEY);\n"
    options = Options(js_token="window.env.token", js_token_explicit=True)
    result = migrate_source(source.encode(), "main.ts", options)
    assert result.output is not None
    assert "mixpanel.init(window.env.token)" in result.output.decode()


def test_the_flags_and_the_configuration_count_as_explicit(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    (tmp_path / "main.js").write_text(BROWSER + "amplitude.init(process.env.REACT_APP_AMPLITUDE_KEY);\n")
    (tmp_path / "app.py").write_text(PYTHON + "from django.conf import settings\n"
                                     "client = Amplitude(settings.AMPLITUDE_API_KEY)\n")

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, [*args, "--diff", "-j", "1", "main.js", "app.py"])
        assert result.exit_code == 1, result.output
        return result.stdout

    derived = run()
    assert "+mixpanel.init(process.env.REACT_APP_MIXPANEL_TOKEN);" in derived
    assert "+client = Mixpanel(settings.MIXPANEL_TOKEN)" in derived
    flagged = run("--js-token", "window.env.token", "--token", "config.TOKEN")
    assert "+mixpanel.init(window.env.token);" in flagged
    assert "+client = Mixpanel(config.TOKEN)" in flagged
    (tmp_path / "amp2mp.toml").write_text('js-token = "window.env.token"\n')
    configured = run()
    assert "+mixpanel.init(window.env.token);" in configured
    assert "+client = Mixpanel(settings.MIXPANEL_TOKEN)" in configured


@pytest.mark.parametrize(("name", "swapped"), [
    ("AMPLITUDE_API_KEY", "MIXPANEL_TOKEN"),
    ("VITE_AMPLITUDE_API_KEY", "VITE_MIXPANEL_TOKEN"),
    ("REACT_APP_AMPLITUDE_KEY", "REACT_APP_MIXPANEL_TOKEN"),
    ("NEXT_PUBLIC_AMPLITUDE_API_KEY", "NEXT_PUBLIC_MIXPANEL_TOKEN"),
    ("AMPLITUDE_EU_API_KEY", "MIXPANEL_EU_TOKEN"),
    ("AMPLITUDE_KEY_PROD", "MIXPANEL_TOKEN_PROD"),
    ("amplitudeKey", "mixpanelToken"),
    ("amplitudeApiKey", "mixpanelToken"),
    ("amplitudeAPIKey", "mixpanelToken"),
    ("AmplitudeKey", "MixpanelToken"),
    ("publicAmplitudeKey", "publicMixpanelToken"),
    ("amplitude_api_key", "mixpanel_token"),
    ("ANALYTICS_KEY", None),
])
def test_the_amplitude_part_of_a_name_is_swapped(name: str, swapped: str | None) -> None:
    assert swap_name(name) == swapped


def test_a_name_read_from_an_object_without_amplitude_in_it_is_not_derived() -> None:
    text = "config.analyticsKey"
    assert derive(KeyRef("name", text, base="config", start=7, end=len(text))) is None
