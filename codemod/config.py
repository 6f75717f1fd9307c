"""Project configuration: `[tool.amp2mp-codemod]` in pyproject.toml, or a standalone amp2mp.toml.

Hierarchical, like ruff's: every directory holding an `amp2mp.toml` (top-level keys) or a
`pyproject.toml` with a `[tool.amp2mp-codemod]` table configures its subtree, its keys merged
over those of the configuration files above it; in one directory `amp2mp.toml` wins. Keys are
validated strictly, since a misspelt `exclude` that is silently ignored rewrites the files the
user meant to protect, and so are the token expressions, which are pasted into every rewritten
file. Globs are gitignore-style and relative to the configuration file's directory.
Command-line flags override every key.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue
from .options import Options

if TYPE_CHECKING:  # imported by the first exclude/include glob: most runs have none
    import pathspec

# The rule catalogue, loaded only when a rule id must be checked: a run that names no rule
# (the common pre-commit case) does not parse the 120-odd rule files before it needs them.
CatalogueLoader = Callable[[], Catalogue]

STANDALONE = "amp2mp.toml"
PYPROJECT = "pyproject.toml"
TABLE = "amp2mp-codemod"
_LIST_KEYS = ("include", "exclude", "select", "ignore")
_STR_KEYS = ("token", "js-token", "revenue-event")
_BOOL_KEYS = ("eu", "todo-comments")
KEYS = (*_LIST_KEYS, *_STR_KEYS, *_BOOL_KEYS)


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """One project's settings; `None` means "not set", so the built-in default applies."""

    path: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    token: str | None = None
    js_token: str | None = None
    revenue_event: str | None = None
    eu: bool | None = None
    todo_comments: bool | None = None
    given: frozenset[str] = frozenset()  # the keys its file sets (field names)

    @property
    def root(self) -> Path:
        """The directory globs are relative to."""
        return self.path.parent if self.path is not None else Path.cwd()

    @cached_property
    def exclude_spec(self) -> pathspec.GitIgnoreSpec:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(self.exclude)

    @cached_property
    def include_spec(self) -> pathspec.GitIgnoreSpec:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(self.include)


def _table(path: Path) -> Mapping[str, Any] | None:
    """The tool's table in `path`, or None when a pyproject.toml does not configure the tool."""
    if sys.version_info >= (3, 11):  # imported here: most runs find no configuration file
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get(TABLE)
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.{TABLE}] must be a table")
        return table
    return data


def load_config(path: Path, catalogue: CatalogueLoader) -> Config:
    """Read and validate one configuration file; errors name the file and the key."""
    table = _table(path) or {}
    where = f"{path} [tool.{TABLE}]" if path.name == PYPROJECT else str(path)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (allowed: {', '.join(KEYS)})"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {key!r} must be a list of strings")
            value = tuple(value)
        elif key in _STR_KEYS:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: {key!r} must be a non-empty string")
        elif not isinstance(value, bool):
            raise ConfigError(f"{where}: {key!r} must be true or false")
        values[key.replace("-", "_")] = value
    check_rule_ids((*values.get("select", ()), *values.get("ignore", ())), where, catalogue)
    for key, language in (("token", "python"), ("js_token", "javascript")):
        if key in values:
            check_expression(values[key], language, f"{where}: {key.replace('_', '-')!r}")
    return Config(path=path, given=frozenset(values), **values)


def check_expression(expression: str, language: str, where: str) -> None:
    """A token expression must parse as one expression of its language: it is pasted into
    every rewritten file, where a typo would break them all."""
    if language == "python":
        import ast

        try:
            ast.parse(expression.strip(), mode="eval")
        except SyntaxError as exc:
            raise ConfigError(f"{where}: {expression!r} is not a Python expression: "
                              f"{exc.msg}") from exc
        return
    import tree_sitter
    import tree_sitter_javascript

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))
    tree = parser.parse(f"({expression}\n);".encode())
    statements = [node for node in tree.root_node.children if node.type != "comment"]
    if tree.root_node.has_error or len(statements) != 1:
        raise ConfigError(f"{where}: {expression!r} is not a JavaScript expression")


# A rule that implements a row of the mapping is named after it (AP02, AN11); the others
# (imports, requires, clients, unresolved uses) serve every row of their language.
_ROW_ID = re.compile(r"[A-Z]{2}\d{2}")


def rules_named(selector: str, catalogue: Catalogue) -> frozenset[str]:
    """The rule ids one `select`/`ignore` entry names (ruff's selectors): an id, an id prefix
    (`AN`, `AP0`), a slug, an SDK's package name (`amplitude-js`, `@amplitude/analytics-node`)
    or a language (`python`, `javascript`)."""
    rules = catalogue.rules.values()
    key = selector.strip()
    exact = {rule.id for rule in rules if rule.id == key or rule.slug == key}
    if exact:
        return frozenset(exact)
    lowered = key.lower()
    named = {rule.id for rule in rules if rule.sdk.lower() == lowered or rule.language == lowered}
    if named:
        return frozenset(named)
    return frozenset(rule.id for rule in rules if key and rule.id.startswith(key))


def check_rule_ids(ids: Iterable[str], where: str, catalogue: CatalogueLoader) -> None:
    """Every `select`/`ignore` entry must name some rule: a typo would silently rewrite it."""
    ids = list(ids)
    if not ids:
        return
    known = catalogue()
    for rule_id in ids:
        if not rules_named(rule_id, known):
            choices = sorted({r.id for r in known.rules.values()}
                             | {r.sdk for r in known.rules.values()})
            close = difflib.get_close_matches(rule_id, choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where}: unknown rule id {rule_id!r}{hint} (an id, a prefix "
                              "such as AN or AP0, a slug, an SDK package or a language)")


def disabled_rules(config: Config, catalogue: CatalogueLoader) -> frozenset[str]:
    """Rules outside `select` (when given) plus those in `ignore`.

    The rules that are no row of the mapping (imports, requires, clients) follow the rows
    selected: selecting one SDK's rows migrates that SDK's imports too, unless they are
    ignored by name.
    """
    if config.select is None and not config.ignore:
        return frozenset()
    known = catalogue()
    ignored = {rid for selector in config.ignore for rid in rules_named(selector, known)}
    if config.select is None:
        return frozenset(ignored)
    selected = {rid for selector in config.select for rid in rules_named(selector, known)}
    languages = {known.rules[rid].language for rid in selected if rid in known.rules}
    selected |= {rule.id for rule in known.rules.values()
                 if rule.language in languages and not _ROW_ID.fullmatch(rule.id)}
    return frozenset(({rule.id for rule in known.rules.values()} - selected) | ignored)


def to_options(config: Config, catalogue: CatalogueLoader, base: Options | None = None) -> Options:
    """The engine's options: configured values over the built-in defaults."""
    base = base or Options()
    return replace(
        base,
        token=config.token or base.token,
        js_token=config.js_token or base.js_token,
        token_explicit=config.token is not None or base.token_explicit,
        js_token_explicit=config.js_token is not None or base.js_token_explicit,
        revenue_event=config.revenue_event or base.revenue_event,
        todo_comments=base.todo_comments if config.todo_comments is None else config.todo_comments,
        eu=base.eu if config.eu is None else config.eu,
        disabled_rules=disabled_rules(config, catalogue),
    )


def _relative(config: Config, path: str | Path) -> str | None:
    try:
        return Path(os.path.abspath(path)).relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return None


def is_excluded(config: Config, path: str | Path) -> bool:
    """True when an `exclude` glob matches the file or one of its folders."""
    if not config.exclude:  # the common case: no path arithmetic per file
        return False
    rel = _relative(config, path)
    return rel is not None and config.exclude_spec.match_file(rel)


def is_included(config: Config, path: str | Path) -> bool:
    """True without `include` globs; otherwise the file must match one of them."""
    if not config.include:
        return True
    rel = _relative(config, path)
    return rel is not None and config.include_spec.match_file(rel)


def _config_in(folder: Path) -> Path | None:
    standalone = folder / STANDALONE
    pyproject = folder / PYPROJECT
    if standalone.is_file():
        return standalone
    if pyproject.is_file() and _table(pyproject) is not None:
        return pyproject
    return None


def configs_above(directory: str, seen: dict[Path, Path | None] | None = None) -> list[Path]:
    """The configuration files from the outermost down to `directory` (one per directory:
    `amp2mp.toml` wins over a `pyproject.toml` with a `[tool.amp2mp-codemod]` table).
    `seen` remembers each folder's answer across calls: a tree's folders share their parents,
    and a pyproject.toml is parsed once."""
    seen = {} if seen is None else seen
    found = []
    here = Path(os.path.abspath(directory))
    for folder in (here, *here.parents):
        if folder not in seen:
            seen[folder] = _config_in(folder)
        config = seen[folder]
        if config is not None:
            found.append(config)
    return found[::-1]


def merge(parent: Config, child: Config) -> Config:
    """`child`'s keys over `parent`'s: a nested configuration refines its subtree."""
    values = {key: getattr(child, key) for key in child.given}
    return replace(parent, path=child.path, given=parent.given | child.given, **values)


class Hierarchy:
    """Configuration per directory, ruff-style: the nearest file applies to its subtree,
    merged over every configuration file above it.

    With `explicit` (`--config FILE`) that one file applies everywhere. `flags` are the
    command line's values, applied over every merged configuration. Include and exclude
    globs stay relative to the file that wrote them: a file is excluded when any
    configuration above it excludes it, and the nearest configuration with `include` decides
    what is included.
    """

    def __init__(self, catalogue: CatalogueLoader, flags: Callable[[Config], Config],
                 base: Options, explicit: Path | None = None) -> None:
        self.catalogue = catalogue
        self.flags = flags
        self.base = base
        self.explicit = load_config(explicit, catalogue) if explicit else None
        self._loaded: dict[Path, Config] = {}
        self._chains: dict[str, tuple[Config, ...]] = {}
        self._folders: dict[Path, Path | None] = {}
        self._options: dict[tuple[Path | None, ...], Options] = {}

    def _load(self, path: Path) -> Config:
        if path not in self._loaded:
            self._loaded[path] = load_config(path, self.catalogue)
        return self._loaded[path]

    def chain(self, directory: str) -> tuple[Config, ...]:
        """The configurations that apply in `directory`, outermost first."""
        key = os.path.abspath(directory or os.curdir)
        if key not in self._chains:
            if self.explicit is not None:
                self._chains[key] = (self.explicit,)
            else:
                self._chains[key] = tuple(self._load(p)
                                          for p in configs_above(key, self._folders))
        return self._chains[key]

    def merged(self, directory: str) -> Config:
        config = Config()
        for layer in self.chain(directory):
            config = merge(config, layer)
        return self.flags(config)

    def options_for(self, path: str) -> Options:
        """The engine's options for one file."""
        chain = self.chain(os.path.dirname(os.path.abspath(path)))
        key = tuple(layer.path for layer in chain)
        if key not in self._options:
            self._options[key] = to_options(self.merged(os.path.dirname(os.path.abspath(path))),
                                            self.catalogue, self.base)
        return self._options[key]

    def _wanted(self, path: str) -> bool:
        chain = self.chain(os.path.dirname(os.path.abspath(path)))
        if any(is_excluded(layer, path) for layer in chain):
            return False
        including = [layer for layer in chain if layer.include]
        return not including or is_included(including[-1], path)

    def excluded(self, path: str) -> bool:
        return any(is_excluded(layer, path)
                   for layer in self.chain(os.path.dirname(os.path.abspath(path))))

    def select_files(self, given: Iterable[str], files: Iterable[str],
                     force_exclude: bool) -> list[str]:
        """Apply each file's include/exclude to the discovered files.

        A file named on the command line is taken as given unless `force_exclude` (ruff's
        `--force-exclude`, which pre-commit needs because it names every staged file): then
        only the excludes apply to it, never the includes.
        """
        explicit = {os.path.normpath(os.path.abspath(p)) for p in given if os.path.isfile(p)}
        kept = []
        for path in files:
            if explicit and os.path.normpath(os.path.abspath(path)) in explicit:
                if not (force_exclude and self.excluded(path)):
                    kept.append(path)
            elif self._wanted(path):
                kept.append(path)
        return kept
