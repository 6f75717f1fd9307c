"""Rules and caveats as data.

Every Amplitude API concept the tool knows is a TOML file under `rules/<language>/`, validated
here with errors that name the file and the key (ast-grep's schema discipline). A simple
mapping is data (`action`/`template`, with the `arity` a template takes); what data cannot
express names a transform that the language package registers. The caveat catalogue is
`rules/caveats.toml`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .cachedir import stat_lines
from .messages import FACTS, fill, unknown_facts

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:  # Python 3.10 has it only here
        from importlib.abc import Traversable

    from .sdks import Registry

Safety = Literal["safe", "review", "manual"]
SAFETIES: tuple[str, ...] = ("safe", "review", "manual")
ACTIONS: tuple[str, ...] = ("transform", "template", "delete", "manual", "report")

_RULE_KEYS = {
    "id", "slug", "language", "sdk", "spec", "amplitude", "mixpanel", "safety", "caveats",
    "match", "fix", "docs", "messages",
}
_MATCH_KEYS = {"methods", "constructor", "attribute", "detector", "split"}
# How rules that claim one method tell their sites apart. `arguments`: the named transform
# picks the rule by the call's arguments, as each rule's `amplitude` shape shows; it is handed
# the first of them by id (file order), the plain case, and names the others itself.
SPLITS: tuple[str, ...] = ("arguments",)
_FIX_KEYS = {"action", "transform", "template", "arity"}
_DOC_KEYS = {"what", "why", "before", "after"}
_CAVEAT_KEYS = {"title", "scope", "trigger", "explanation", "action", "docs"}
_CAVEAT_OPTIONAL = {"message"}  # the finding's text at a site (`codemod/messages.py`)


class RuleError(ValueError):
    """A rule or caveat file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Docs:
    what: str
    why: str
    before: str
    after: str


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    language: str
    sdk: str
    spec: str
    amplitude: str
    mixpanel: str
    safety: Safety
    caveats: tuple[str, ...]
    methods: tuple[str, ...]
    constructor: str | None
    attribute: str | None
    detector: str | None
    action: str
    transform: str | None
    template: str | None
    arity: int | None  # a template's number of arguments; another count is left manual
    docs: Docs
    source: str
    split: str | None = None  # how it shares its methods with other rules (SPLITS)
    # (caveat, template): what this rule's sites say for a caveat instead of its own message
    messages: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Caveat:
    id: str
    title: str
    scope: Literal["global", "site"]
    trigger: str
    explanation: str
    action: str
    docs: str
    message: str | None = None  # a template of `codemod/messages.py`; None: the title


def _check_keys(where: str, table: Mapping[str, Any], allowed: set[str], required: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise RuleError(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in table:
            raise RuleError(f"{where}: missing key {key!r}")


def _str(where: str, table: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise RuleError(f"{where}: key {key!r} must be a non-empty string")
    return value


def parse_rule(where: str, data: Mapping[str, Any], caveat_ids: set[str],
               transforms: Mapping[str, frozenset[str]] | None = None) -> Rule:
    """Validate one rule table; `where` names its file in every error.

    `transforms` holds each language's transform names (`rules/transforms.toml`): a name
    outside them is an error here, when the catalogue loads, not at the first matching file.
    """
    _check_keys(where, data, _RULE_KEYS, _RULE_KEYS - {"caveats", "mixpanel", "messages"})
    match = data["match"]
    fix = data["fix"]
    docs = data["docs"]
    for name, table in (("match", match), ("fix", fix), ("docs", docs)):
        if not isinstance(table, dict):
            raise RuleError(f"{where}: [{name}] must be a table")
    _check_keys(f"{where} [match]", match, _MATCH_KEYS, set())
    _check_keys(f"{where} [fix]", fix, _FIX_KEYS, {"action"})
    _check_keys(f"{where} [docs]", docs, _DOC_KEYS, _DOC_KEYS)
    safety = _str(where, data, "safety")
    if safety not in SAFETIES:
        raise RuleError(f"{where}: safety must be one of {', '.join(SAFETIES)}, not {safety!r}")
    action = _str(f"{where} [fix]", fix, "action")
    if action not in ACTIONS:
        raise RuleError(f"{where} [fix]: action must be one of {', '.join(ACTIONS)}")
    if action == "transform" and "transform" not in fix:
        raise RuleError(f"{where} [fix]: action 'transform' needs a 'transform' name")
    if "transform" in fix and transforms is not None:
        language = _str(where, data, "language")
        known = transforms.get(language, frozenset())
        if fix["transform"] not in known:
            raise RuleError(f"{where} [fix]: unknown transform {fix['transform']!r} (the "
                            f"{language} transforms: {', '.join(sorted(known))})")
    if action == "template" and "template" not in fix:
        raise RuleError(f"{where} [fix]: action 'template' needs a 'template'")
    arity = fix.get("arity")
    if action == "template" and (not isinstance(arity, int) or isinstance(arity, bool) or arity < 0):
        raise RuleError(f"{where} [fix]: action 'template' needs an 'arity', the number of "
                        "arguments its {args} takes")
    caveats = data.get("caveats", [])
    if not isinstance(caveats, list) or not all(isinstance(c, str) for c in caveats):
        raise RuleError(f"{where}: caveats must be a list of caveat ids")
    for caveat in caveats:
        if caveat not in caveat_ids:
            raise RuleError(f"{where}: unknown caveat id {caveat!r}")
    methods = match.get("methods", [])
    if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
        raise RuleError(f"{where} [match]: methods must be a list of method names")
    if not (methods or match.get("constructor") or match.get("attribute") or match.get("detector")):
        raise RuleError(f"{where} [match]: needs methods, constructor, attribute or detector")
    messages = data.get("messages", {})
    if not isinstance(messages, dict):
        raise RuleError(f"{where}: [messages] must be a table of caveat id = template")
    for caveat, template in messages.items():
        if caveat not in caveats:
            raise RuleError(f"{where} [messages]: {caveat!r} is not one of the rule's caveats")
        _check_template(f"{where} [messages] {caveat}", template)
    split = match.get("split")
    if split is not None and split not in SPLITS:
        raise RuleError(f"{where} [match]: split must be one of {', '.join(SPLITS)}, not {split!r}")
    return Rule(
        id=_str(where, data, "id"),
        slug=_str(where, data, "slug"),
        language=_str(where, data, "language"),
        sdk=_str(where, data, "sdk"),
        spec=_str(where, data, "spec"),
        amplitude=_str(where, data, "amplitude"),
        mixpanel=_str(where, data, "mixpanel", ""),
        safety=safety,  # type: ignore[arg-type]
        caveats=tuple(caveats),
        methods=tuple(methods),
        constructor=match.get("constructor"),
        attribute=match.get("attribute"),
        detector=match.get("detector"),
        action=action,
        transform=fix.get("transform"),
        template=fix.get("template"),
        arity=arity,
        docs=Docs(**{key: _str(f"{where} [docs]", docs, key) for key in _DOC_KEYS}),
        source=where,
        split=split,
        messages=tuple(sorted(messages.items())),
    )


def _check_template(where: str, template: Any) -> None:
    if not isinstance(template, str) or not template.strip():
        raise RuleError(f"{where}: a message template must be a non-empty string")
    try:
        unknown = unknown_facts(template)
    except ValueError as exc:
        raise RuleError(f"{where}: not a valid template: {exc}") from exc
    if unknown:
        raise RuleError(f"{where}: unknown fact(s) {', '.join(unknown)} (a site gives "
                        f"{', '.join(FACTS)})")


def parse_caveats(where: str, data: Mapping[str, Any]) -> dict[str, Caveat]:
    caveats: dict[str, Caveat] = {}
    for cid, table in data.items():
        if not isinstance(table, dict):
            raise RuleError(f"{where}: [{cid}] must be a table")
        _check_keys(f"{where} [{cid}]", table, _CAVEAT_KEYS | _CAVEAT_OPTIONAL, _CAVEAT_KEYS)
        scope = _str(f"{where} [{cid}]", table, "scope")
        if scope not in ("global", "site"):
            raise RuleError(f"{where} [{cid}]: scope must be 'global' or 'site'")
        fields = {key: _str(f"{where} [{cid}]", table, key) for key in _CAVEAT_KEYS}
        message = table.get("message")
        if message is not None:
            _check_template(f"{where} [{cid}] message", message)
        caveats[cid] = Caveat(id=cid, **fields, message=message)  # type: ignore[arg-type]
    return caveats


def parse_transforms(where: str, data: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """`rules/transforms.toml`: per language, the names of the transforms it registers."""
    names: dict[str, frozenset[str]] = {}
    for language, listed in data.items():
        if not isinstance(listed, list) or not all(isinstance(n, str) and n for n in listed):
            raise RuleError(f"{where}: key {language!r} must be a list of transform names")
        if len(set(listed)) != len(listed):
            raise RuleError(f"{where}: key {language!r} lists a transform twice")
        names[language] = frozenset(listed)
    return names


def _load_toml(path: Traversable, where: str) -> dict[str, Any]:
    # Imported here: a catalogue read from its snapshot needs no TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{where}: {exc}") from exc


@dataclass(frozen=True)
class Catalogue:
    rules: dict[str, Rule]
    caveats: dict[str, Caveat]
    sdks: Registry  # rules/sdks.toml: the SDKs the rules' `family:method` matches name

    def site_message(self, rule: str, caveat: str, facts: Mapping[str, str]) -> str:
        """What a finding of `caveat` raised by `rule` says at a site with these facts."""
        known = self.caveats[caveat]
        found = self.rules.get(rule)
        template = dict(found.messages).get(caveat, known.message) if found else known.message
        return fill(template, known.title, facts)

    def for_language(self, language: str) -> list[Rule]:
        return [rule for rule in self.rules.values() if rule.language == language]

    def by_method(self, language: str) -> dict[str, list[Rule]]:
        table: dict[str, list[Rule]] = {}
        for rule in self.for_language(language):
            for method in rule.methods:
                table.setdefault(method, []).append(rule)
        return table


_loaded: Catalogue | None = None
SNAPSHOT = "catalogue.pickle"


def load_catalogue() -> Catalogue:
    """Every rule and caveat shipped in the `codemod.rules` package data, read once a process."""
    global _loaded
    if _loaded is None:
        _loaded = _parse_catalogue()
    return _loaded


def load_catalogue_from(folder: Path) -> Catalogue:
    """`load_catalogue`, from a snapshot in the cache folder while the rule files are unchanged.

    tomllib is pure Python: the 124 rule files take ~20 ms to parse, more than a one-file
    pre-commit run spends on its file; the snapshot unpickles in ~1 ms. It holds the `stat`
    of every rule file and of this module (and the Python version) it was made from, and is
    used only while they are the same; a snapshot that cannot be read or written is not used.
    """
    global _loaded
    if _loaded is not None:
        return _loaded
    made_from = _snapshot_source()
    if made_from is None:
        return load_catalogue()
    import pickle
    import tempfile

    path = folder / SNAPSHOT
    try:
        source, loaded = pickle.loads(path.read_bytes())
        if source == made_from and isinstance(loaded, Catalogue):
            _loaded = loaded
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
            ValueError):
        pass
    catalogue = load_catalogue()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".catalogue-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((made_from, catalogue), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
    return catalogue


def _snapshot_source() -> str | None:
    """What the parsed catalogue depends on, as text; None when the rules are not files."""
    root = resources.files("codemod.rules")
    if not isinstance(root, Path):
        return None
    parts = [f"{sys.version} {__file__} {os.stat(__file__).st_mtime_ns}",
             *stat_lines([root], (".toml",))]
    return "\n".join(parts)


def load_catalogue_dir(root: Path) -> Catalogue:
    """A catalogue from a folder laid out as `rules/` is (an SDK added as data, in a test)."""
    return _parse_catalogue(root)


def _parse_catalogue(root: Traversable | None = None) -> Catalogue:
    from .sdks import WHERE, read_registry

    root = root if root is not None else resources.files("codemod.rules")
    caveats = parse_caveats("rules/caveats.toml", _load_toml(root / "caveats.toml", "caveats"))
    transforms = parse_transforms("rules/transforms.toml",
                                  _load_toml(root / "transforms.toml", "rules/transforms.toml"))
    rules: dict[str, Rule] = {}
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name):
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if not entry.name.endswith(".toml"):
                continue
            where = f"rules/{folder.name}/{entry.name}"
            rule = parse_rule(where, _load_toml(entry, where), set(caveats), transforms)
            if rule.id in rules:
                raise RuleError(f"{where}: duplicate rule id {rule.id!r} ({rules[rule.id].source})")
            rules[rule.id] = rule
    _check_dispatch(rules)
    sdks = read_registry((root / "sdks.toml").read_text(encoding="utf-8"), WHERE)
    for rule in rules.values():
        for method in rule.methods:
            family = method.split(":", 1)[0] if ":" in method else None
            if family is not None and family not in sdks.sdks:
                raise RuleError(f"{rule.source} [match]: method {method!r} names no SDK of {WHERE}")
    return Catalogue(rules=rules, caveats=caveats, sdks=sdks)


def _check_dispatch(rules: dict[str, Rule]) -> None:
    """Rules sharing a method (for one SDK: methods are `family:method`) must share its fix,
    since the engine dispatches on the method name, and must say how they split: otherwise
    the second rule would never be chosen, and nothing would tell."""
    fixes: dict[tuple[str, str], Rule] = {}
    for rule in rules.values():
        for method in rule.methods:
            first = fixes.setdefault((rule.language, method), rule)
            if first is rule:
                continue
            if (first.action, first.transform, first.template) != (
                rule.action, rule.transform, rule.template
            ):
                raise RuleError(
                    f"{rule.source}: method {method!r} is fixed differently in {first.source}"
                )
            for claimant, other in ((rule, first), (first, rule)):
                if claimant.split is None:
                    raise RuleError(
                        f"{claimant.source} [match]: method {method!r} is also claimed by "
                        f"{other.source}; say how they split (split = \"arguments\")"
                    )
