"""Dependency manifests (spec §3.10): swap the Amplitude package for Mixpanel's, or say why not.

A manifest is edited only when its project's source no longer needs Amplitude after the run:
every source file under the manifest's directory (the run's rewritten bytes where it rewrote
the file, the bytes on disk otherwise, including files the run excluded) is free of Amplitude
imports. Otherwise the manifest is reported, not edited: removing a package that code still
imports breaks the install.

Edits are made on the text, never by re-serialising (package.json keeps its indentation and
key order; TOML keeps its comments), and every edited manifest is parsed again and compared
with the intended data before it is offered, black's paranoid check applied to manifests.
Each manifest becomes a `FileResult` (language `manifest`) so diffs, writes, the summary and
the reports treat it like a source file.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from .discovery import Listing, PathNames, discover, display_path, split_path
from .engine import JS_SUFFIXES, LANGUAGES
from .prefilter import may_use_amplitude
from .results import Change, FileResult, Finding
from .sdks import load_registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

RULE = "MANIFEST"
_REGISTRY = load_registry()
_PY_TARGET = _REGISTRY.targets[_REGISTRY.python_sdk.target]
PY_REQUIREMENT = f"{_PY_TARGET.package}{_PY_TARGET.version}"
POETRY_VERSION = _PY_TARGET.poetry_version
PIPFILE_VERSION = _PY_TARGET.version
PY_SDK = _REGISTRY.python_sdk.packages[0]
JS_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
LOCKFILES = ("package-lock.json", "yarn.lock", "pnpm-lock.yaml")
PY_SUFFIXES = frozenset(LANGUAGES)

_PY_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+amplitude[ \t.]|import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*"
                        rb"amplitude\b)", re.MULTILINE)
# A module a JavaScript source imports or requires; the registry says whether it is Amplitude's.
_JS_IMPORT = re.compile(rb"""(?:\bfrom|\brequire\s*\(|\bimport\s*\(|\bimport)\s*["']([^"'\s]+)["']""")
# A requirement line: name, extras, specifier, then markers and a comment that are kept.
_REQUIREMENT = re.compile(
    r"^(?P<indent>[ \t]*)(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?"
    r"(?P<spec>[^;#\\\n]*?)(?P<marker>[ \t]*;[^#\\\n]*?)?(?P<rest>[ \t]*(?:#.*|\\)?)$"
)


def normalise(name: str) -> str:
    """PEP 503: case-insensitive, runs of `-`, `_`, `.` are one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Edit:
    """A manifest's new text (None when it is not edited) with what changed and what to know."""

    text: str | None
    changes: list[Change]
    findings: list[Finding]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _requirement_line(line: str, number: int, kind: str) -> tuple[str | None, list[Finding]]:
    """A rewritten requirement line (None: leave it), and findings about it."""
    match = _REQUIREMENT.match(line)
    if match is None:
        return None, []
    name = normalise(match["name"])
    if name in _REGISTRY.python_others():
        return None, [Finding(number, RULE, None, "review",
                              f"{match['name']} is not {PY_SDK}; migrate it by hand")]
    if name != PY_SDK:
        return None, []
    marker = match["marker"] or ""
    rest = match["rest"] or ""
    findings = []
    if kind == "requirements" and rest.strip() == "\\":
        findings.append(Finding(number, RULE, None, "review",
                                f"the --hash lines of {PY_SDK} were dropped; regenerate "
                                "the hashes (pip-compile --generate-hashes)"))
        rest = ""
    return f"{match['indent']}{PY_REQUIREMENT}{marker}{rest}", findings


def edit_requirements(text: str) -> Edit:
    """requirements*.txt / constraints*.txt: each amplitude-analytics line becomes mixpanel."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    changes: list[Change] = []
    findings: list[Finding] = []
    skipping_hashes = False
    for number, raw in enumerate(lines, start=1):
        body = raw.rstrip("\r\n")
        ending = raw[len(body):]
        if skipping_hashes:
            skipping_hashes = body.rstrip().endswith("\\")
            continue
        new, found = _requirement_line(body, number, "requirements")
        findings.extend(found)
        if new is None:
            out.append(raw)
            continue
        skipping_hashes = body.rstrip().endswith("\\")
        changes.append(Change(number, RULE, body.strip(), new.strip()))
        out.append(new + ending)
    return Edit("".join(out) if changes else None, changes, findings)


_QUOTED = re.compile(r""""(?P<double>[^"\n]*)"|'(?P<single>[^'\n]*)'""")
_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_POETRY_KEY = re.compile(r"""^(?P<indent>\s*)(?P<q>["']?)(?P<name>[A-Za-z0-9._-]+)(?P=q)"""
                         r"""(?P<eq>\s*=\s*)(?P<value>.*?)(?P<comment>\s*#.*)?$""")
_PEP621_TABLES = ("project", "project.optional-dependencies", "dependency-groups")


def _poetry_table(table: str) -> bool:
    return table in ("tool.poetry.dependencies", "tool.poetry.dev-dependencies") or bool(
        re.fullmatch(r"tool\.poetry\.group\.[^.]+\.dependencies", table))


def _swap_strings(line: str, number: int, changes: list[Change], findings: list[Finding]) -> str:
    """Rewrite every quoted requirement string for amplitude-analytics on one line."""
    def swap(match: re.Match[str]) -> str:
        quote = '"' if match["double"] is not None else "'"
        body = match["double"] if match["double"] is not None else match["single"]
        new, found = _requirement_line(body, number, "strings")
        findings.extend(found)
        if new is None:
            return match.group(0)
        changes.append(Change(number, RULE, match.group(0), f"{quote}{new}{quote}"))
        return f"{quote}{new}{quote}"

    return _QUOTED.sub(swap, line)


def _swap_key(raw: str, number: int, version: str, changes: list[Change],
              findings: list[Finding]) -> str:
    """`amplitude-analytics = "..."` (or an inline table) in a Poetry or Pipfile table."""
    match = _POETRY_KEY.match(raw.rstrip("\r\n"))
    if match is None:
        return raw
    name = normalise(match["name"])
    if name in _REGISTRY.python_others():
        findings.append(Finding(number, RULE, None, "review",
                                f"{match['name']} is not {PY_SDK}; migrate it by hand"))
    if name != PY_SDK:
        return raw
    value = match["value"]
    if value.startswith("{"):
        value = re.sub(r"""version\s*=\s*(["'])[^"']*\1""", f'version = "{version}"', value)
    else:
        value = f'"{version}"'
    new = f"{match['indent']}mixpanel{match['eq']}{value}{match['comment'] or ''}"
    changes.append(Change(number, RULE, raw.strip(), new.strip()))
    return new + raw[len(raw.rstrip("\r\n")):]


def _edit_toml_tables(text: str, strings: Callable[[str], bool], keys: Callable[[str], bool],
                      version: str) -> Edit:
    """Requirement strings in the tables `strings` accepts, dependency keys in those of `keys`."""
    lines = text.splitlines(keepends=True)
    changes: list[Change] = []
    findings: list[Finding] = []
    table = ""
    for index, raw in enumerate(lines):
        header = _TABLE.match(raw)
        if header:
            table = header.group(1).replace('"', "").replace("'", "")
        elif strings(table):
            lines[index] = _swap_strings(raw, index + 1, changes, findings)
        elif keys(table):
            lines[index] = _swap_key(raw, index + 1, version, changes, findings)
    findings.extend(_python_floor(text))
    return Edit("".join(lines) if changes else None, changes, findings)


def edit_pyproject(text: str) -> Edit:
    """PEP 621 dependency strings and Poetry dependency keys; the rest of the file is kept."""
    return _edit_toml_tables(text, lambda table: table in _PEP621_TABLES, _poetry_table,
                             POETRY_VERSION)


def edit_pipfile(text: str) -> Edit:
    """Pipfile `[packages]` / `[dev-packages]` keys."""
    return _edit_toml_tables(text, lambda table: False,
                             lambda table: table in ("packages", "dev-packages"), PIPFILE_VERSION)


def edit_setup_py(text: str) -> Edit:
    """Requirement strings in setup.py; the result must still parse as Python."""
    changes: list[Change] = []
    findings: list[Finding] = []
    lines = [_swap_strings(raw, index + 1, changes, findings)
             for index, raw in enumerate(text.splitlines(keepends=True))]
    findings.extend(_python_floor(text))
    new = "".join(lines)
    if changes:
        try:
            ast.parse(new)
        except SyntaxError:
            return Edit(None, [], [*findings, Finding(changes[0].line, RULE, None, "review",
                                                      "setup.py could not be edited safely; "
                                                      "edit it by hand")])
    return Edit(new if changes else None, changes, findings)


def _python_floor(text: str) -> list[Finding]:
    """mixpanel 5.x needs Python 3.9; say so when the project allows older interpreters."""
    match = re.search(r"""(?:requires-python|python_requires|python)\s*=\s*["']?[^"'\n]*?"""
                      r"""(?:>=?|\^|~=?)\s*3\.([0-8])\b""", text)
    if match is None:
        return []
    return [Finding(_line_of(text, match.start()), RULE, None, "review",
                    f"the project allows Python 3.{match.group(1)}, but mixpanel 5.x requires "
                    f"Python >= 3.9 ({PY_SDK} allowed >= 3.6)")]


def edit_setup_cfg(text: str) -> Edit:
    """setup.cfg `[options] install_requires`: the requirement lines of that one key."""
    lines = text.splitlines(keepends=True)
    changes: list[Change] = []
    findings: list[Finding] = []
    section = ""
    in_key = False
    for index, raw in enumerate(lines):
        body = raw.rstrip("\r\n")
        header = re.match(r"^\[([^\]]+)\]", body)
        if header:
            section, in_key = header.group(1).strip(), False
            continue
        key = re.match(r"^([A-Za-z_][\w-]*)\s*[=:]\s*(.*)$", body)
        if key:
            in_key = section == "options" and key.group(1) == "install_requires"
            value_at = key.start(2)
        elif in_key and body[:1] in (" ", "\t"):
            value_at = 0
        else:
            in_key = in_key and not body.strip()
            continue
        if not in_key or not body[value_at:].strip():
            continue
        new, found = _requirement_line(body[value_at:], index + 1, "setup.cfg")
        findings.extend(found)
        if new is not None:
            changes.append(Change(index + 1, RULE, body.strip(), (body[:value_at] + new).strip()))
            lines[index] = body[:value_at] + new + raw[len(body):]
    findings.extend(_python_floor(text))
    return Edit("".join(lines) if changes else None, changes, findings)


def _string_end(text: str, start: int) -> int:
    """The index after the JSON string that opens at `start`."""
    index = start + 1
    while text[index] != '"':
        index += 2 if text[index] == "\\" else 1
    return index + 1


def _members(text: str, open_brace: int) -> tuple[list[tuple[str, int, int]], int]:
    """(key, start of the key, end of the value) of an object's members, and its closing brace."""
    members: list[tuple[str, int, int]] = []
    index = open_brace + 1
    depth = 0
    key: tuple[str, int] | None = None
    expect_key = True
    while True:
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            if depth == 0 and expect_key:
                key = (json.loads(text[index:end]), index)
                expect_key = False
            index = end
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            if depth == 0:
                if key is not None:
                    members.append((key[0], key[1], _value_end(text, index)))
                return members, index
            depth -= 1
        elif char == "," and depth == 0:
            if key is not None:
                members.append((key[0], key[1], _value_end(text, index)))
            key, expect_key = None, True
        index += 1


def _value_end(text: str, stop: int) -> int:
    """The end of a member's value: `stop` (a comma or brace) with whitespace before it trimmed."""
    while text[stop - 1] in " \t\r\n":
        stop -= 1
    return stop


def edit_package_json(text: str, also: Collection[str] = ()) -> Edit:
    """Swap Amplitude packages in the four dependency sections, editing only their members.

    `also` names the Mixpanel packages the migrated sources import besides each swap's target
    (a Next.js route that used the browser SDK now imports the Node `mixpanel`): each one
    the manifest lacks is added beside the first swapped member, so the project still
    installs what its code imports.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return Edit(None, [], [Finding(1, RULE, None, "review", "package.json does not parse")])
    if not isinstance(data, dict):
        return Edit(None, [], [])
    top, _ = _members(text, text.index("{"))
    spans: list[tuple[int, int, str]] = []  # (start, end, replacement), in text order
    changes: list[Change] = []
    findings: list[Finding] = []
    expected = json.loads(text)
    listed = {name for section in JS_SECTIONS if isinstance(data.get(section), dict)
              for name in data[section]}
    missing = sorted(set(also) - listed - {t.package for name in listed
                                           if (t := _REGISTRY.swap_of(name)) is not None})
    for section, key_start, _ in top:
        if section not in JS_SECTIONS or not isinstance(data[section], dict):
            continue
        brace = text.index("{", text.index(":", _string_end(text, key_start)))
        members, closing = _members(text, brace)
        present = set(data[section])
        kept: list[tuple[int, str]] = []  # (original position, member text)
        for position, (name, start, end) in enumerate(members):
            line = _line_of(text, start)
            swap = _REGISTRY.swap_of(name)
            if swap is not None:
                target, version = swap.package, swap.version
                if target not in present:
                    present.add(target)
                    entry = f"{json.dumps(target)}: {json.dumps(version)}"
                    kept.append((position, entry))
                    changes.append(Change(line, RULE, text[start:end], entry))
                    expected[section] = _renamed(expected[section], name, target, version)
                    findings += [Finding(line, RULE, None, "review", note)
                                 for note in _REGISTRY.swap_notes(name)]
                    for package in missing:
                        added = _REGISTRY.target_named(package)
                        assert added is not None  # `plan` passes target packages only
                        entry = f"{json.dumps(package)}: {json.dumps(added.version)}"
                        kept.append((position, entry))
                        present.add(package)
                        changes.append(Change(line, RULE, "(added)", entry))
                        expected[section] = {**expected[section], package: added.version}
                    missing = []
                    continue
                # The target is already there (another SDK swapped into it): what this SDK
                # needs by hand is still said (Expo's AsyncStorage next to the legacy RN SDK).
                findings += [Finding(line, RULE, None, "review", note)
                             for note in _REGISTRY.swap_notes(name) if note != swap.manifest_note]
            elif _REGISTRY.is_plugin(name):
                findings.append(Finding(line, RULE, None, "review",
                                        f"{name} was removed: its functionality (session replay, "
                                        "attribution, page views, autocapture...) is not migrated"))
            elif not _REGISTRY.dropped(name):
                kept.append((position, text[start:end]))
                continue
            changes.append(Change(line, RULE, text[start:end], "(removed)"))
            expected[section] = {k: v for k, v in expected[section].items() if k != name}
        if len(kept) == len(members) and all(text[m[1]:m[2]] == t for (_, t), m in
                                             zip(kept, members, strict=True)):
            continue
        if not kept:
            spans.append((brace, closing + 1, "{}"))
            continue
        # Each kept member is followed by the separator that followed it in the original.
        pieces = []
        for index, (position, member) in enumerate(kept):
            pieces.append(member)
            if index + 1 < len(kept):
                # the separator that followed it, or (an added member after the last one)
                # the one before it
                after = position if position + 1 < len(members) else position - 1
                pieces.append(text[members[after][2]:members[after + 1][1]]
                              if after >= 0 else ", ")
        spans.append((members[0][1], members[-1][2], "".join(pieces)))
    if not spans:
        return Edit(None, [], findings)
    new = text
    for start, end, replacement in sorted(spans, reverse=True):
        new = new[:start] + replacement + new[end:]
    if json.loads(new) != expected:  # the paranoid check: the data is exactly what was meant
        return Edit(None, [], [*findings, Finding(1, RULE, None, "review",
                                                  "package.json could not be edited safely; "
                                                  "edit it by hand")])
    return Edit(new, changes, findings)


def _renamed(section: dict, old: str, new: str, version: str) -> dict:
    return {(new if k == old else k): (version if k == old else v) for k, v in section.items()}


EDITORS: dict[str, Callable[[str], Edit]] = {
    "package.json": edit_package_json,
    "pyproject.toml": edit_pyproject,
    "setup.cfg": edit_setup_cfg,
    "setup.py": edit_setup_py,
    "Pipfile": edit_pipfile,
}


def editor_for(name: str) -> Callable[[str], Edit] | None:
    if name in EDITORS:
        return EDITORS[name]
    if re.fullmatch(r"(requirements|constraints).*\.txt", name):
        return edit_requirements
    return None


def is_python_manifest(name: str) -> bool:
    return name != "package.json" and editor_for(name) is not None


def needs_amplitude(path: str | Path, data: bytes) -> bool:
    """Does this source still import an Amplitude package?"""
    if not may_use_amplitude(data):
        return False
    if os.path.splitext(path)[1].lower() in PY_SUFFIXES:
        return _PY_IMPORT.search(data) is not None
    return any(_REGISTRY.keeps_manifest(m.group(1).decode("utf-8", "replace"))
               for m in _JS_IMPORT.finditer(data))


def _manifest_dirs(sources: Iterable[str | Path]) -> set[Path]:
    """The nearest directory with a manifest above each source (not above a git work tree)."""
    # Each directory is listed once, not once per source below it: a 20,000-file tree has a
    # few hundred directories, and its sources share a few hundred spellings of them.
    by_spelling: dict[str, str | None] = {}
    nearest: dict[str, str | None] = {}
    for spelled in {split_path(os.fspath(source))[0] for source in sources}:
        by_spelling[spelled] = _nearest(os.path.abspath(spelled or os.curdir), nearest)
    return {Path(found) for found in by_spelling.values() if found is not None}


def _nearest(start: str, nearest: dict[str, str | None]) -> str | None:
    visited = []
    directory = start
    result: str | None = None
    while True:
        if directory in nearest:
            result = nearest[directory]
            break
        visited.append(directory)
        manifests, is_top = _listing(directory)
        if manifests:
            result = directory
            break
        parent = os.path.dirname(directory)
        if is_top or parent == directory:
            break
        directory = parent
    for key in visited:
        nearest[key] = result
    return result


def _listing(directory: str | Path) -> tuple[list[str], bool]:
    """The manifests among a directory's files, and whether it is a git work tree's top.

    One `scandir`: its entries know their type without a `stat` each.
    """
    manifests = []
    is_top = False
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name == ".git":
                    is_top = True
                elif editor_for(entry.name) is not None and entry.is_file():
                    manifests.append(entry.name)
    except OSError:
        pass
    return sorted(manifests), is_top


@dataclass(frozen=True)
class ManifestChange:
    path: Path
    display: str
    data: bytes
    result: FileResult


SHOWN = 3  # importers named in the finding; one more only tells that there are others


def _importers(
    directory: Path, final: Mapping[str, bytes], kinds: set[str], clean: Set[str] = frozenset(),
    listing: Listing | None = None,
) -> dict[str, list[str]]:
    """The project's first source files (in discovery order) that still import Amplitude.

    Only `SHOWN + 1` per language are needed, so the scan stops there: in a one-file
    pre-commit run in a project still full of Amplitude, that is a few hundred files read,
    not all of them.
    """
    still: dict[str, list[str]] = {"python": [], "javascript": []}
    open_kinds = set(kinds)  # the languages still short of SHOWN + 1 importers
    names = PathNames()  # the run's keys are resolved paths, named the runner's way
    for source in listing.under(directory) if listing else discover([str(directory)]):
        if not open_kinds:
            break
        suffix = os.path.splitext(source)[1].lower()
        kind = "python" if suffix in PY_SUFFIXES else "javascript" if suffix in JS_SUFFIXES else None
        if kind not in open_kinds:
            continue
        key = names.of(source)[1]
        if key in clean:
            continue
        try:
            if key in final:
                data = final[key]
            else:
                with open(source, "rb") as handle:
                    data = handle.read()
        except OSError:
            continue
        if needs_amplitude(source, data):
            still[kind].append(display_path(source))
            if len(still[kind]) > SHOWN:
                open_kinds.discard(kind)
    return still


def plan(
    sources: Iterable[str | Path], final: Mapping[str, bytes], clean: Set[str] = frozenset(),
    listing: Listing | None = None,
) -> list[ManifestChange]:
    """Every manifest naming an Amplitude package in the projects holding `sources`.

    `final` maps the resolved path of each file the run rewrote to its new bytes; `clean`
    holds the resolved paths the run found without an Amplitude import; every other
    source file of a project is read from disk. `listing`, the run's discovery, saves walking
    a project the run already walked. A project is only scanned when one of its
    manifests names an Amplitude package.
    """
    out: list[ManifestChange] = []
    for directory in sorted(_manifest_dirs(sources)):
        edits = []
        for name in _listing(directory)[0]:
            manifest = directory / name
            editor = editor_for(name)
            assert editor is not None
            try:
                data = manifest.read_bytes()
                text = data.decode("utf-8")
                edit = edit_package_json(text, _imported_targets(directory, final)) if (
                    name == "package.json") else editor(text)
            except (OSError, UnicodeDecodeError):
                continue
            if edit.text is not None or edit.findings:
                edits.append((manifest, data, edit))
        if not edits:
            continue
        still = _importers(directory, final, {_kind(m) for m, _, _ in edits}, clean, listing)
        for manifest, data, edit in edits:
            out.append(_manifest(manifest, data, edit, still[_kind(manifest)]))
    return out


def _imported_targets(directory: Path, final: Mapping[str, bytes]) -> set[str]:
    """The Mixpanel JavaScript packages the run's rewrites under `directory` import."""
    top = os.path.join(os.path.realpath(directory), "")
    return {
        package for path, data in final.items()
        if path.startswith(top) and os.path.splitext(path)[1].lower() in JS_SUFFIXES
        for match in _JS_IMPORT.finditer(data)
        if _REGISTRY.target_named(package := match.group(1).decode("utf-8", "replace"))
    }


def _kind(manifest: Path) -> str:
    """The language whose sources a manifest's Amplitude dependency serves."""
    return "python" if is_python_manifest(manifest.name) else "javascript"


def _manifest(path: Path, data: bytes, edit: Edit, importers: list[str]) -> ManifestChange:
    display = display_path(path)
    if edit.text is not None and (path.name.endswith(".toml") or path.name == "Pipfile"):
        try:
            tomllib.loads(edit.text)
        except tomllib.TOMLDecodeError:
            return ManifestChange(path, display, data, FileResult(
                display, "manifest", "error", reason="manifest-edit-does-not-parse"))
    findings = tuple(edit.findings)
    if edit.text is not None and importers:
        shown = ", ".join(importers[:SHOWN]) + (" ..." if len(importers) > SHOWN else "")
        findings += (Finding(edit.changes[0].line, RULE, None, "review",
                             f"not edited: the Amplitude package is still imported by {shown}; "
                             "swap the dependency once those are migrated"),)
    if edit.text is None or importers:
        return ManifestChange(path, display, data,
                              FileResult(display, "manifest", "unchanged", findings=findings))
    lockfiles = [name for name in LOCKFILES if (path.parent / name).exists()]
    if path.name == "package.json" and lockfiles:
        findings += (Finding(1, RULE, None, "review",
                             f"regenerate {', '.join(lockfiles)}: lockfiles are not edited"),)
    return ManifestChange(path, display, data, FileResult(
        display, "manifest", "changed", output=edit.text.encode("utf-8"),
        changes=tuple(edit.changes), findings=findings))
