"""The SDK registry (`rules/sdks.toml`): every Amplitude package and Mixpanel target, once.

Bindings, imports, the dependency manifests, the runner's distribution sniffing and the
report all read this one table; no module spells an Amplitude package name (a test holds
them to it). Validated like the rules: an unknown key, section or reference is an error
naming the file and the key.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .catalogue import RuleError, _check_keys

WHERE = "rules/sdks.toml"
STATUSES = ("migrate", "report")
ROLES = ("types", "dropped", "detect")
CLIENT_FORMS = ("module", "getInstance", "createInstance", "constructor", "init")
_SECTIONS = {"language", "target", "sdk", "package", "api"}
_API_KEYS = {"languages", "ingest_hosts", "read_hosts", "paths"}
API_PATH_KINDS = ("events", "identify", "groupidentify")
_LANGUAGE_KEYS = {"global_caveats", "scope", "plugin_prefix"}
_TARGET_KEYS = {"language", "package", "version", "poetry_version", "manifest_note"}
_SDK_KEYS = {"language", "packages", "clients", "target", "status", "reason", "alternative",
             "caveats", "manifest_note", "camel_keys", "module_exports", "client_config",
             "async_calls", "exported_by"}
_PACKAGE_KEYS = {"language", "role", "swap", "shares_module", "sniffed", "module", "reason",
                 "alternative"}


@dataclass(frozen=True)
class Target:
    """A Mixpanel SDK calls are migrated to."""

    name: str
    language: str
    package: str
    version: str
    poetry_version: str
    manifest_note: str


@dataclass(frozen=True)
class Sdk:
    """An Amplitude SDK: `family` names it in rule matches (`family:method`)."""

    family: str
    language: str
    packages: tuple[str, ...]
    clients: tuple[str, ...]
    target: str
    status: str
    reason: str = ""  # status "report": why its calls are left as they are
    alternative: str = ""  # status "report": what Mixpanel offers instead
    caveats: tuple[str, ...] = ()  # raised where a file imports it
    manifest_note: str = ""  # what to do by hand once a manifest swaps it, besides the target's
    camel_keys: bool = False  # event objects may spell their keys camelCase (`userId`, `eventType`)
    module_exports: tuple[str, ...] = ()  # named exports that are the SDK, not types
    client_config: str = ""  # what the module-level Mixpanel client is constructed with, after the token
    async_calls: bool = False  # its calls already return Promises: the rewrites carry the awaits
    exported_by: tuple[tuple[str, str], ...] = ()  # (package, export): another package's name for it


@dataclass(frozen=True)
class Report:
    """Why a file importing a package the tool does not migrate is left to a human."""

    package: str
    reason: str
    alternative: str
    caveats: tuple[str, ...]


@dataclass(frozen=True)
class Package:
    """An Amplitude package that is not an SDK the rules migrate."""

    name: str
    language: str
    role: str
    swap: str | None
    shares_module: bool  # Python: installs a top-level `amplitude` as the SDK does
    sniffed: bool = False  # Python: named alone in a manifest, it says `amplitude` is not the SDK
    module: str = ""  # Python: the top-level module it installs, when imports of it are reported
    reason: str = ""
    alternative: str = ""


@dataclass(frozen=True)
class Api:
    """An Amplitude API code calls by hand (no package): its hosts, by whether each is the EU
    data centre, and what an ingestion host's paths receive."""

    name: str
    languages: tuple[str, ...]
    ingest_hosts: dict[str, bool]
    read_hosts: dict[str, bool]
    paths: dict[str, str]


@dataclass(frozen=True)
class Registry:
    languages: dict[str, dict[str, Any]]
    targets: dict[str, Target]
    sdks: dict[str, Sdk]
    packages: dict[str, Package]
    apis: dict[str, Api]

    @property
    def http_api(self) -> Api:
        return next(iter(self.apis.values()))

    # --- JavaScript ------------------------------------------------------------------------
    def families(self, language: str = "javascript") -> dict[str, str]:
        """Package -> family, for the SDKs whose calls are migrated."""
        return {package: sdk.family for sdk in self.sdks.values()
                if sdk.language == language and sdk.status == "migrate"
                for package in sdk.packages}

    def hosted(self, language: str = "javascript") -> dict[tuple[str, str], str]:
        """(package, export) -> family, for migrated SDKs another package exports by name."""
        return {pair: sdk.family for sdk in self.sdks.values()
                if sdk.language == language and sdk.status == "migrate" for pair in sdk.exported_by}

    def type_packages(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.packages.values() if p.role == "types")

    def target_of(self, family: str) -> Target:
        return self.targets[self.sdks[family].target]

    def target_named(self, package: str, language: str = "javascript") -> Target | None:
        """The Mixpanel target whose package is `package`."""
        return next((t for t in self.targets.values()
                     if t.package == package and t.language == language), None)

    def swap_of(self, package: str) -> Target | None:
        """The Mixpanel target a manifest puts in place of `package`, if it swaps it."""
        for sdk in self.sdks.values():
            if sdk.language == "javascript" and package in sdk.packages:
                return self.targets[sdk.target]
        entry = self.packages.get(package)
        if entry is not None and entry.swap is not None:
            return self.targets[entry.swap]
        return None

    def swap_notes(self, package: str) -> list[str]:
        """What to do by hand once a manifest swaps `package`: the SDK's, then the target's."""
        target = self.swap_of(package)
        if target is None:
            return []
        own = next((s.manifest_note for s in self.sdks.values()
                    if s.language == "javascript" and package in s.packages), "")
        return [note for note in (own, target.manifest_note) if note]

    def dropped(self, package: str) -> bool:
        """Packages a manifest swap removes with nothing in their place."""
        entry = self.packages.get(package)
        return entry is not None and entry.language == "javascript" and entry.role in (
            "types", "dropped")

    def reported(self, package: str) -> Report | None:
        """A JavaScript package whose imports are reported, not migrated."""
        for sdk in self.sdks.values():
            if sdk.language == "javascript" and sdk.status == "report" and package in sdk.packages:
                return Report(package, sdk.reason, sdk.alternative, sdk.caveats)
        entry = self.packages.get(package)
        if entry is not None and entry.language == "javascript" and entry.role == "detect":
            return Report(package, entry.reason, entry.alternative, ())
        return None

    def keeps_manifest(self, package: str) -> bool:
        """Whether an import of `package` keeps the project's manifest on Amplitude.

        A separate product the manifest keeps (Experiment, session replay) does not; a
        plugin does, because the swap removes plugins with the SDK.
        """
        entry = self.packages.get(package)
        if entry is not None and entry.role == "detect" and entry.swap is None and (
            not self.is_plugin(package)
        ):
            return False
        if self.swap_of(package) is not None or self.dropped(package):
            return True
        return package.startswith(self.languages["javascript"]["scope"])

    def is_plugin(self, package: str) -> bool:
        return package.startswith(self.languages["javascript"]["plugin_prefix"])

    # --- Python ----------------------------------------------------------------------------
    @property
    def python_sdk(self) -> Sdk:
        return next(s for s in self.sdks.values() if s.language == "python")

    def python_others(self) -> tuple[str, ...]:
        """Python distributions that are not the SDK the rules migrate."""
        return tuple(p.name for p in self.packages.values() if p.language == "python")

    def python_sniffed(self) -> tuple[str, ...]:
        """Distributions whose presence in a manifest decides what `import amplitude` is."""
        return (*self.python_sdk.packages,
                *(p.name for p in self.packages.values()
                  if p.language == "python" and (p.shares_module or p.sniffed)))

    def python_reported(self) -> dict[str, Report]:
        """Module -> why a Python file importing it is reported (look-alike distributions)."""
        return {p.module: Report(p.name, p.reason, p.alternative, ())
                for p in self.packages.values() if p.language == "python" and p.module}

    def python_colliding(self) -> frozenset[str]:
        """Distributions that install a top-level `amplitude` module of their own."""
        return frozenset(p.name for p in self.packages.values()
                         if p.language == "python" and p.shares_module)

    def global_caveats(self, language: str) -> tuple[str, ...]:
        return tuple(self.languages.get(language, {}).get("global_caveats", ()))


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RuleError(f"{where} must be a table")
    return value


def _strings(where: str, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: key {key!r} must be a list of strings")
    return tuple(value)


def _one_of(where: str, table: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = table.get(key)
    if value not in allowed:
        raise RuleError(f"{where}: key {key!r} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def parse_registry(where: str, data: Mapping[str, Any]) -> Registry:
    """Validate the registry; every error names `where` and the section and key."""
    _check_keys(where, data, _SECTIONS, _SECTIONS)
    languages: dict[str, dict[str, Any]] = {}
    for name, raw in _table(f"{where} [language]", data["language"]).items():
        table = _table(f"{where} [language.{name}]", raw)
        _check_keys(f"{where} [language.{name}]", table, _LANGUAGE_KEYS, {"global_caveats"})
        _strings(f"{where} [language.{name}]", table, "global_caveats")
        languages[name] = table
    for key in ("scope", "plugin_prefix"):
        if not isinstance(languages.get("javascript", {}).get(key), str):
            raise RuleError(f"{where} [language.javascript]: missing key {key!r}")
    targets: dict[str, Target] = {}
    for name, raw in _table(f"{where} [target]", data["target"]).items():
        here = f"{where} [target.{name}]"
        table = _table(here, raw)
        _check_keys(here, table, _TARGET_KEYS, {"language", "package", "version"})
        _one_of(here, table, "language", tuple(languages))
        targets[name] = Target(name, table["language"], table["package"], table["version"],
                               table.get("poetry_version", table["version"]),
                               table.get("manifest_note", ""))
    sdks: dict[str, Sdk] = {}
    owner: dict[str, str] = {}
    for family, raw in _table(f"{where} [sdk]", data["sdk"]).items():
        here = f"{where} [sdk.{family}]"
        table = _table(here, raw)
        _check_keys(here, table, _SDK_KEYS, {"language", "packages", "clients", "target", "status"})
        language = _one_of(here, table, "language", tuple(languages))
        target = _one_of(here, table, "target", tuple(targets))
        if targets[target].language != language:
            raise RuleError(f"{here}: target {target!r} is not a {language} SDK")
        clients = _strings(here, table, "clients")
        for form in clients:
            if form not in CLIENT_FORMS:
                raise RuleError(f"{here}: unknown client form {form!r} "
                                f"(allowed: {', '.join(CLIENT_FORMS)})")
        names = _strings(here, table, "packages")
        for package in names:
            if package in owner:
                raise RuleError(f"{here}: package {package!r} is already in [sdk.{owner[package]}]")
            owner[package] = family
        status = _one_of(here, table, "status", STATUSES)
        note = table.get("manifest_note", "")
        if not isinstance(note, str):
            raise RuleError(f"{here}: key 'manifest_note' must be a string")
        camel = table.get("camel_keys", False)
        if not isinstance(camel, bool):
            raise RuleError(f"{here}: key 'camel_keys' must be true or false")
        config = table.get("client_config", "")
        if not isinstance(config, str):
            raise RuleError(f"{here}: key 'client_config' must be a string")
        async_calls = table.get("async_calls", False)
        if not isinstance(async_calls, bool):
            raise RuleError(f"{here}: key 'async_calls' must be true or false")
        hosts = _table(f"{here} exported_by", table.get("exported_by", {}))
        if not all(isinstance(v, str) and v for v in hosts.values()):
            raise RuleError(f"{here}: key 'exported_by' maps each package to the name it exports")
        sdks[family] = Sdk(family, language, names, clients, target, status,
                           *_report_keys(here, table, status == "report"),
                           _strings(here, table, "caveats"), note, camel,
                           _strings(here, table, "module_exports"), config, async_calls,
                           tuple(sorted(hosts.items())))
    packages: dict[str, Package] = {}
    for name, raw in _table(f"{where} [package]", data["package"]).items():
        here = f'{where} [package."{name}"]'
        table = _table(here, raw)
        _check_keys(here, table, _PACKAGE_KEYS, {"language", "role"})
        if name in owner:
            raise RuleError(f"{here}: {name!r} is already a package of [sdk.{owner[name]}]")
        swap = table.get("swap")
        if swap is not None and swap not in targets:
            raise RuleError(f"{here}: key 'swap' names no target: {swap!r}")
        language = _one_of(here, table, "language", tuple(languages))
        role = _one_of(here, table, "role", ROLES)
        module = table.get("module", "")
        if not isinstance(module, str) or (module and language != "python"):
            raise RuleError(f"{here}: key 'module' names the module a Python package installs")
        reported = role == "detect" and (language != "python" or bool(module))
        packages[name] = Package(name, language, role, swap, bool(table.get("shares_module", False)),
                                 bool(table.get("sniffed", False)), module,
                                 *_report_keys(here, table, reported))
    if sum(1 for s in sdks.values() if s.language == "python") != 1:
        raise RuleError(f"{where} [sdk]: exactly one Python SDK is migrated")
    apis = {name: _api(f"{where} [api.{name}]", name, raw, tuple(languages))
            for name, raw in _table(f"{where} [api]", data["api"]).items()}
    if len(apis) != 1:
        raise RuleError(f"{where} [api]: exactly one HTTP API is recognised")
    return Registry(languages, targets, sdks, packages, apis)


def _api(here: str, name: str, raw: Any, languages: tuple[str, ...]) -> Api:
    table = _table(here, raw)
    _check_keys(here, table, _API_KEYS, _API_KEYS)
    for language in _strings(here, table, "languages"):
        if language not in languages:
            raise RuleError(f"{here}: key 'languages' names no language: {language!r}")
    hosts: dict[str, dict[str, bool]] = {}
    for key in ("ingest_hosts", "read_hosts"):
        value = _table(f"{here} {key}", table[key])
        if not all(isinstance(eu, bool) for eu in value.values()):
            raise RuleError(f"{here}: key {key!r} maps each host to true (EU) or false")
        hosts[key] = dict(value)
    paths = _table(f"{here} paths", table["paths"])
    for path, kind in paths.items():
        if kind not in API_PATH_KINDS:
            raise RuleError(f"{here}: key 'paths': {path!r} must receive one of "
                            f"{', '.join(API_PATH_KINDS)}, not {kind!r}")
    return Api(name, tuple(table["languages"]), hosts["ingest_hosts"], hosts["read_hosts"],
               dict(paths))


def _report_keys(where: str, table: Mapping[str, Any], reported: bool) -> tuple[str, str]:
    """`reason` and `alternative`: required where imports are reported, else absent."""
    values = []
    for key in ("reason", "alternative"):
        value = table.get(key)
        if reported and (not isinstance(value, str) or not value.strip()):
            raise RuleError(f"{where}: missing key {key!r} (a reported package says why and what "
                            "Mixpanel offers)")
        if not reported and value is not None:
            raise RuleError(f"{where}: key {key!r} is only for reported packages")
        values.append(value or "")
    return values[0], values[1]


def read_registry(text: str, where: str) -> Registry:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{where}: {exc}") from exc
    return parse_registry(where, data)


@cache
def load_registry() -> Registry:
    """The registry shipped in the `codemod.rules` package data, read once a process."""
    text = (resources.files("codemod.rules") / "sdks.toml").read_text(encoding="utf-8")
    return read_registry(text, WHERE)

