"""What a user decides for a run, shared by every language."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileFacts:
    """What the project around one file says about it, read by the runner (the engine does
    no I/O).

    `service_worker`: a `manifest.json` names the file as a Chrome extension's
    `background.service_worker`. `default_import`: whether the nearest `tsconfig.json` lets
    `import X from 'cjs-package'` compile and run (`esModuleInterop`, a bundler's or Node's
    ESM resolution); None when no tsconfig.json was found.
    """

    service_worker: bool = False
    default_import: bool | None = None


@dataclass(frozen=True)
class ClientFact:
    """What the project plan (`codemod/project/`) says about one client binding of a file.

    A client created in one module and used in others is migrated all or nothing across the
    project, so the module alone cannot decide it. `module` is how this file reaches the
    client: `""` for the file's own module-level binding `name`, otherwise the module as
    its import spells it (`config`, `.config`, `app.config`), from which `name` is imported
    or read as an attribute. `held` keeps the client on Amplitude here because `blockers`
    (`path:line` each) have no rewrite; `origin` is where it is created (`path:line`).

    JavaScript modules import what another module exports (`name` is the export's name:
    `default`, `instance`, `module.exports` for a whole CommonJS export), so a reader also
    gets what the export is in its own module: the SDK `family` and the binding's `role`,
    `member` and amplitude-js `instance` (see `codemod/js/bindings.py`).

    A plugin's `inject('amplitude', client)` or `app.config.globalProperties.$amplitude =
    client`, an Express `app.locals.amplitude = client`, a `window.amplitude = client` share a
    client by name, not by module (`codemod/js/shared.py`): `injected` is that name as readers
    spell it (`$amplitude`, `locals.amplitude`, `window.amplitude`), for the module setting it
    (`module` `""`) and for each file reading it (`module` is then that name, which no
    import spells).

    A React context carries a client too (`createContext(amplitude)`, `<Ctx.Provider
    value={amplitude}>`): its module's fact names the `context` (its local name there), whose
    `createContext`/`value` then name the Mixpanel client; a reader's fact says `via` what
    the imported name gives the client: `hook` (calling it, `useAmplitude()`), `context`
    (`useContext` of it), or `unknown` (a shape the tool does not follow: every use holds).
    """

    module: str
    name: str
    origin: str
    held: bool = False
    blockers: tuple[str, ...] = ()
    family: str = ""
    role: str = ""
    member: str = ""
    instance: str | None = None
    injected: str = ""
    context: str = ""
    via: str = ""


def shared_by_name(name: str) -> bool:
    """Whether a shared client's name is one modules read by name (`$amplitude`,
    `locals.amplitude`, `window.amplitude`), not one they import."""
    return name.startswith(("$", "locals.", "window."))


def injected_as(name: str) -> str:
    """The name an injected client takes once migrated: `amplitude` becomes `mixpanel`, a
    name that does not say Amplitude (`analytics`) stays."""
    return name.replace("amplitude", "mixpanel").replace("Amplitude", "Mixpanel")


@dataclass(frozen=True)
class Options:
    """Run-wide choices: the CLI's flags and the project's configuration land here.

    `python_distribution` is the Amplitude distribution the project's manifest names (for
    example `django-amplitude`), when one was found: it tells which package `import amplitude`
    really is. `eu` sends to Mixpanel's EU host even where the Amplitude client did not set
    an EU server zone (a project whose data must stay in the EU). `token`/`js_token` are
    the fallback when a site's token cannot be derived from its Amplitude key
    (`codemod/tokens.py`); set explicitly (`*_explicit`), they are used everywhere instead.
    `facts` is the one field that differs per file.
    """

    token: str = 'os.environ["MIXPANEL_TOKEN"]'
    js_token: str = "process.env.MIXPANEL_TOKEN"
    token_explicit: bool = False
    js_token_explicit: bool = False
    revenue_event: str = "Revenue"
    todo_comments: bool = True
    eu: bool = False
    python_distribution: str | None = None
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = 2_000_000
    facts: FileFacts = field(default_factory=FileFacts)  # per file: see `FileFacts`
    # The project plan's facts about this file's clients (set per file, never by a user).
    clients: tuple[ClientFact, ...] = ()
    # React contexts the project creates with a Mixpanel client (`project/summary.py`): a
    # migrated context keeps its name (`AmplitudeContext`), and reading it is no Amplitude use.
    settled_contexts: frozenset[str] = field(default_factory=frozenset)
