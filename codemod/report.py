"""The JSON report: a contract other tools read (schema version 1).

`{"version": 1, "files": [...], "summary": {...}, "caveats": {...}}`; each file lists its
changes and findings with 1-based lines of the original file. Unchanged files the run looked
at are listed too, so a reader can tell "looked at, nothing to do" from "never seen".
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .catalogue import Catalogue
from .results import FileResult
from .sdks import load_registry


def summarize(results: Iterable[FileResult]) -> dict[str, Any]:
    results = list(results)
    statuses = Counter(r.status for r in results)
    caveats: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for result in results:
        for finding in result.findings:
            severities[finding.severity] += 1
            if finding.caveat:
                caveats[finding.caveat] += 1
        if result.status == "skipped":
            skipped[result.reason.split(":", 1)[0]] += 1
    for language in sorted({r.language for r in results if r.status == "changed"}):
        # Identity caveats that hold for a whole migration, reported once whenever a file changed.
        for caveat in load_registry().global_caveats(language):
            caveats.setdefault(caveat, 0)
    return {
        "files": len(results),
        "changed": statuses["changed"],
        "unchanged": statuses["unchanged"],
        "skipped": statuses["skipped"],
        "error": statuses["error"],
        "changes": sum(len(r.changes) for r in results),
        "findings": dict(sorted(severities.items())),
        "skipped_reasons": dict(sorted(skipped.items())),
        "caveats": dict(sorted(caveats.items())),
    }


def file_entry(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "language": result.language,
        "status": result.status,
        "reason": result.reason,
        "changes": [
            {"line": c.line, "rule": c.rule, "before": c.before, "after": c.after}
            for c in result.changes
        ],
        "findings": [
            {"line": f.line, "rule": f.rule, "caveat": f.caveat, "severity": f.severity,
             "message": f.message}
            for f in result.findings
        ],
    }


def build_report(results: list[FileResult], catalogue: Catalogue) -> dict[str, Any]:
    summary = summarize(results)
    caveats = {
        cid: {
            "title": catalogue.caveats[cid].title,
            "explanation": catalogue.caveats[cid].explanation.strip(),
            "docs": catalogue.caveats[cid].docs,
        }
        for cid in summary["caveats"]
        if cid in catalogue.caveats
    }
    return {
        "version": 1,
        "files": [file_entry(r) for r in results],
        "summary": summary,
        "caveats": caveats,
    }


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
