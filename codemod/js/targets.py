"""The Mixpanel JavaScript SDKs a migration writes for, and how each spells its calls.

One object per JavaScript target of the SDK registry (`rules/sdks.toml` `[target.*]`): the
import and the module-level client it needs, its people, group and opt-out spellings, and
what kind of SDK it is (a server SDK names the user in every call and keeps no identity; an
instance SDK is used through a client the module constructs). Transforms ask the site's
target instead of testing SDK family names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JsTarget:
    name: str
    binding: str  # what its import binds
    client: str  # the module-level client statement it needs ("" when the import is the client)
    server: bool  # every call names its user (`distinct_id`); no identity state to set
    instance: bool  # used through `new Mixpanel(...)`, which the module creates
    named_instances: bool  # `mixpanel[name]` reaches a named instance
    people: str  # the people accessor on the client
    set_once: str
    group: str  # the group accessor on the client ("" for a server SDK: `groups.*` calls)
    per_key: bool  # people unset and list operations, and group setters, take one key at a time
    group_cached: bool  # the group accessor returns its first group for any arguments (ID026)
    opt_out: str
    opt_in: str
    module_note: tuple[str | None, str] | None  # (caveat, note) where the import lands
    promises: frozenset[str] = frozenset()  # client methods that return a Promise (its typings)
    # Its typings say `export =`: a default import of it needs esModuleInterop (or a bundler,
    # or Node's ESM), and is `import * as` without.
    export_assignment: bool = False

    def import_text(self, package: str, esm: bool, kind: str, semi: str, newline: str,
                    token: str, config: str | None, with_client: bool = True,
                    default_import: bool = True) -> str:
        """The import of `package` (a quoted literal), ESM or CommonJS as the Amplitude one
        was, with the module-level client the target needs. `default_import` is False where
        the project's tsconfig gives a CommonJS package no default export."""
        if esm or (kind == "import" and self.binding.startswith("{")):
            binding = self.binding if default_import or not self.export_assignment else (
                f"* as {self.binding}")
            head = f"import {binding} from {package}{semi}"
        else:
            head = f"{kind} {self.binding} = require({package}){semi}"
        if not self.client or not with_client:
            return head
        config_text = f", {config}" if config else ""
        return head + newline + self.client.format(token=token, config=config_text) + semi


BROWSER = JsTarget(
    name="browser", binding="mixpanel", client="", server=False, instance=False,
    named_instances=True, people="people", set_once="set_once", group="get_group",
    per_key=False, group_cached=False,
    opt_out="opt_out_tracking({delete_user: false})", opt_in="opt_in_tracking()",
    module_note=None,
)
NODE = JsTarget(
    name="node", binding="Mixpanel", client="const mixpanel = Mixpanel.init({token}{config})",
    server=True, instance=False, named_instances=False, people="people", set_once="set_once",
    group="", per_key=False, group_cached=False, opt_out="", opt_in="",
    module_note=("ID023", "one Mixpanel client per module: every module's init options must match"),
    export_assignment=True,
)
REACT_NATIVE = JsTarget(
    name="react-native", binding="{ Mixpanel }",
    client="const mixpanel = new Mixpanel({token}, false{config})", server=False, instance=True,
    named_instances=False, people="getPeople()", set_once="setOnce", group="getGroup",
    per_key=True, group_cached=True, opt_out="optOutTracking()",
    opt_in="optInTracking()",
    module_note=(None, "the module now creates its own Mixpanel instance: share one instance "
                 "across modules and call init() on it once"),
    promises=frozenset({"init", "identify", "hasOptedOutTracking", "getSuperProperties",
                        "eventElapsedTime", "getDistinctId", "getDeviceId"}),
)
TARGETS = {target.name: target for target in (BROWSER, NODE, REACT_NATIVE)}
