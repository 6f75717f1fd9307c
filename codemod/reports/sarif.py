"""SARIF 2.1.0 for code scanning: one result per finding, the rewrite as a `fix`.

Each finding becomes a result with its rule id, a level (`info` -> note, `review` -> warning,
`manual` -> error: a human must act), a message and a location. A rewrite travels as a fix on
the finding it explains (or on a result of its own when the rule raised no finding), as byte
replacements computed from the original and the rewritten file, so applying every fix of a
file reproduces the rewrite exactly. Files that failed are tool execution notifications.
"""

from __future__ import annotations

import base64
import difflib
import json
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..catalogue import Catalogue
from ..results import Change, FileResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"info": "note", "review": "warning", "manual": "error"}
RULE_LEVELS = {"safe": "note", "review": "warning", "manual": "error"}


def _uri(path: str) -> str:
    return path.replace("\\", "/")


def _location(path: str, line: int) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path)},
                                 "region": {"startLine": max(line, 1)}}}


def _content(data: bytes) -> dict[str, str]:
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"binary": base64.b64encode(data).decode("ascii")}


def hunks(before: bytes, after: bytes) -> list[tuple[int, int, dict[str, Any]]]:
    """(first line, last line, replacement) for each differing run of lines, lines 1-based."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    offsets = [0]
    for line in old:
        offsets.append(offsets[-1] + len(line))
    found = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replacement = {
            "deletedRegion": {"byteOffset": offsets[i1], "byteLength": offsets[i2] - offsets[i1]},
            "insertedContent": _content(b"".join(new[j1:j2])),
        }
        found.append((i1 + 1, max(i2, i1 + 1), replacement))
    return found


def _owner(changes: tuple[Change, ...], first: int, last: int) -> int:
    """The change a hunk belongs to: one whose line it covers, else the nearest one."""
    inside = [i for i, c in enumerate(changes) if first <= c.line <= last]
    if inside:
        return inside[0]
    return min(range(len(changes)), key=lambda i: (abs(changes[i].line - first), i))


def _rule_descriptor(rule_id: str, catalogue: Catalogue) -> dict[str, Any]:
    rule = catalogue.rules.get(rule_id)
    if rule is None:
        return {"id": rule_id}
    return {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": f"{rule.amplitude} -> {rule.mixpanel or '(manual)'}"},
        "fullDescription": {"text": " ".join(rule.docs.what.split())},
        "help": {"text": f"{' '.join(rule.docs.why.split())} "
                         f"(amp2mp-codemod explain {rule.id})"},
        "defaultConfiguration": {"level": RULE_LEVELS[rule.safety]},
        "properties": {"safety": rule.safety, "caveats": list(rule.caveats)},
    }


def _file_results(
    result: FileResult, catalogue: Catalogue, before: bytes | None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    carriers: dict[tuple[int, str], dict[str, Any]] = {}
    for finding in result.findings:
        message = " ".join(finding.message.split())
        properties: dict[str, Any] = {"severity": finding.severity}
        if finding.caveat:
            caveat = catalogue.caveats.get(finding.caveat)
            docs = f" See {caveat.docs}" if caveat else ""
            message = f"{finding.caveat}: {message}.{docs}"
            properties["caveat"] = finding.caveat
        entry = {"ruleId": finding.rule, "level": LEVELS[finding.severity],
                 "message": {"text": message},
                 "locations": [_location(result.path, finding.line)], "properties": properties}
        out.append(entry)
        carriers.setdefault((finding.line, finding.rule), entry)
    if result.status != "changed" or result.output is None or before is None or not result.changes:
        return out
    owned: dict[int, list[dict[str, Any]]] = {}
    for first, last, replacement in hunks(before, result.output):
        owned.setdefault(_owner(result.changes, first, last), []).append(replacement)
    for index, change in enumerate(result.changes):
        if index not in owned:
            continue
        carrier = carriers.get((change.line, change.rule))
        if carrier is None:
            carrier = {"ruleId": change.rule, "level": "note",
                       "message": {"text": f"rewritten: {' '.join(change.before.split())} -> "
                                           f"{' '.join(change.after.split())}"},
                       "locations": [_location(result.path, change.line)],
                       "properties": {"severity": "info"}}
            carriers[(change.line, change.rule)] = carrier
            out.append(carrier)
        fixes = carrier.setdefault("fixes", [{
            "description": {"text": f"amp2mp-codemod rewrite ({change.rule})"},
            "artifactChanges": [{"artifactLocation": {"uri": _uri(result.path)},
                                 "replacements": []}],
        }])
        fixes[0]["artifactChanges"][0]["replacements"].extend(owned[index])
    return out


def build_sarif(
    results: list[FileResult], catalogue: Catalogue, originals: Mapping[str, bytes]
) -> dict[str, Any]:
    sarif_results = []
    for result in results:
        sarif_results.extend(_file_results(result, catalogue, originals.get(result.path)))
    for entry in sarif_results:
        for fix in entry.get("fixes", []):
            for change in fix["artifactChanges"]:
                change["replacements"].sort(key=lambda r: r["deletedRegion"]["byteOffset"])
    rule_ids = sorted({entry["ruleId"] for entry in sarif_results})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    for entry in sarif_results:
        entry["ruleIndex"] = index[entry["ruleId"]]
    failures = [
        {"level": "error", "message": {"text": f"{r.path}: {r.reason}"},
         "locations": [_location(r.path, 1)]}
        for r in results if r.status == "error"
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "amp2mp-codemod",
                "version": __version__,
                "rules": [_rule_descriptor(rule_id, catalogue) for rule_id in rule_ids],
            }},
            "invocations": [{"executionSuccessful": not failures,
                             "toolExecutionNotifications": failures}],
            "results": sarif_results,
        }],
    }


def render_sarif(
    results: list[FileResult], catalogue: Catalogue, originals: Mapping[str, bytes]
) -> str:
    return json.dumps(build_sarif(results, catalogue, originals), indent=2,
                      ensure_ascii=False) + "\n"
