"""All or nothing per client (`codemod/clients.py`) in JavaScript, on fixture inputs.

For every JS fixture input with one namespace or default import of an Amplitude package
and an `init()` of its shared instance, and any subset of its rules made manual: when the
init is still Amplitude's, no call goes to `mixpanel`; when the init was rewritten, no call
is left on the Amplitude namespace.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from fixturekit import case_options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.catalogue import Catalogue, load_catalogue
from codemod.engine import migrate_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "js"
_IMPORT = re.compile(r"import (?:\* as )?(\w+) from '(?:amplitude-js|@amplitude/analytics-\w+)'"
                     r"|const (\w+) = require\(['\"](?:amplitude-js|@amplitude/analytics-\w+)")
CATALOGUE = load_catalogue()
JS_RULES = sorted(r.id for r in CATALOGUE.for_language("javascript") if r.action != "manual")


def _cases() -> list[tuple[Path, str, str]]:
    found = []
    for source in sorted(FIXTURES.glob("*/input.*")):
        text = source.read_text(encoding="utf-8", errors="replace")
        names = {a or b for a, b in _IMPORT.findall(text)}
        if len(names) != 1:
            continue
        name = names.pop()
        init = re.search(rf"^\s*({name}(?:\.getInstance\(\))?\.init\([^\n]*\);)$", text, re.M)
        if init:
            found.append((source, name, init.group(1)))
    return found


CASES = _cases()


def _manual(rules: frozenset[str]) -> Catalogue:
    changed = {rid: dataclasses.replace(rule, action="manual") if rid in rules else rule
               for rid, rule in CATALOGUE.rules.items()}
    return dataclasses.replace(CATALOGUE, rules=changed)


def test_there_are_cases() -> None:
    assert len(CASES) >= 5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASES), st.sets(st.sampled_from(JS_RULES), max_size=4))
def test_no_shared_instance_is_left_half_migrated(case: tuple[Path, str, str],
                                                  manual_rules: set[str]) -> None:
    source, name, init = case
    path, options = case_options(source.parent, source.name)
    result = migrate_source(source.read_bytes(), path, options,
                            _manual(frozenset(manual_rules)))
    if result.status != "changed":
        return
    assert result.output is not None
    output = result.output.decode("utf-8", "replace")
    code = "\n".join(line for line in output.splitlines() if not line.strip().startswith("//"))
    if init in code:
        assert not re.search(r"\bmixpanel\.(?!init\b)\w+\(", code), output
    else:
        assert not re.search(rf"\b{name}\.(?!Identify\b|Revenue\b)\w+\(", code), output
