"""Counts for the issue-6 resolving note: scenarios per SDK and what each declares.

Read from the scenario files, so `pytest tests/differential` prints the same table the note
quotes: a scenario is *exact* when it declares nothing, *caveat* when it declares documented
differences (by id), *manual* when it only checks that the tool left a site for a human, and
*rule bug* when it is a strict expected failure naming a rule bug.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITES = {"python": ("python_scenarios", "*.py"), "node": ("node_scenarios", "*.js"),
          "browser": ("browser_scenarios", "*.js"), "react-native": ("rn_scenarios", "*.js")}
CAVEAT = re.compile(r"(?:#|//)\s*differs:\s*(ID\d{3})")
MANUAL = re.compile(r"#\s*manual\s*$", re.M)
BUG = re.compile(r"^#\s*rule bug:", re.M)


def classify(text: str) -> tuple[str, list[str]]:
    if BUG.search(text):
        return "rule bug", []
    if MANUAL.search(text):
        return "manual", []
    caveats = CAVEAT.findall(text)
    return ("caveat" if caveats else "exact"), caveats


def lines() -> list[str]:
    out = []
    for sdk, (folder, pattern) in SUITES.items():
        kinds: Counter[str] = Counter()
        caveats: Counter[str] = Counter()
        for path in sorted((HERE / folder).glob(pattern)):
            kind, ids = classify(path.read_text())
            kinds[kind] += 1
            caveats.update(ids)
        total = sum(kinds.values())
        detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        ids = ", ".join(f"{cid}×{n}" for cid, n in sorted(caveats.items())) or "none"
        out.append(f"{sdk}: {total} scenarios ({detail}); declared caveat sites: {ids}")
    return out
