"""The rule and caveat documentation, rendered from the catalogue: `rules`, `explain`, docs/rules.md.

The catalogue (rules/**/*.toml, rules/caveats.toml) is the only source; the command output and
the generated page read it through the functions here, so the docs are never written twice.
Regenerate the page with `python -m codemod.ruletable > docs/rules.md`.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

from .catalogue import Catalogue, Caveat, Rule, load_catalogue

LANGUAGE_NAMES = {"python": "Python", "javascript": "JavaScript / TypeScript"}
FENCES = {"python": "python", "javascript": "js"}
SAFETY_TEXT = {
    "safe": "Safe: the rewrite keeps the call's behaviour. It is applied and listed as `info` in "
            "the report.",
    "review": "Review: the rewrite is applied, and every site is reported for review because "
              "behaviour can differ (see the identity caveats below).",
    "manual": "Manual: the site is not rewritten. It is reported as `manual` and marked with a "
              "`# TODO(amp2mp)` comment (unless `todo-comments = false`) for a human to migrate.",
}
GENERATED_HEADER = (
    "<!-- Generated from rules/**/*.toml and rules/caveats.toml by\n"
    "     `python -m codemod.ruletable > docs/rules.md`; do not edit by hand. -->\n"
)


def rule_rows(catalogue: Catalogue) -> list[tuple[str, str, str, str, str, str]]:
    """One row per rule: id, slug, SDK, Amplitude call, Mixpanel call, safety; in id order."""
    return [
        (r.id, r.slug, r.sdk, r.amplitude, r.mixpanel or "—", r.safety)
        for r in sorted(catalogue.rules.values(), key=lambda r: (r.language, r.id))
    ]


def compact_lines(rows: list[tuple[str, str, str, str, str, str]]) -> list[str]:
    """`rules` off a terminal: one line per rule, for grep and scripts."""
    return [f"{rid} {slug} [{sdk}, {safety}] {' '.join(amp.split())} -> {' '.join(mp.split())}"
            for rid, slug, sdk, amp, mp, safety in rows]


def _cell(text: str) -> str:
    """A Markdown table cell: code span, pipes escaped so the table keeps its columns."""
    text = " ".join(text.split()).replace("|", "\\|")
    return "—" if text == "—" else f"`{text}`"


def markdown_page(catalogue: Catalogue) -> str:
    """docs/rules.md: every rule by language, then every caveat, from the catalogue."""
    out = [GENERATED_HEADER, "\n# Rules and identity caveats\n\n",
           "Print one entry with `amp2mp-codemod explain ID`; list them with "
           "`amp2mp-codemod rules`.\n"]
    for language in sorted({r.language for r in catalogue.rules.values()}):
        out.append(f"\n## {LANGUAGE_NAMES.get(language, language)}\n\n")
        out.append("| id | slug | SDK | Amplitude | Mixpanel | safety | caveats |\n")
        out.append("| --- | --- | --- | --- | --- | --- | --- |\n")
        for rule in sorted(catalogue.for_language(language), key=lambda r: r.id):
            caveats = ", ".join(rule.caveats) or "—"
            out.append(
                f"| {rule.id} | {rule.slug} | {rule.sdk} | {_cell(rule.amplitude)} | "
                f"{_cell(rule.mixpanel or '—')} | {rule.safety} | {caveats} |\n"
            )
    out.append("\n## Identity caveats\n\n| id | scope | title |\n| --- | --- | --- |\n")
    for caveat in catalogue.caveats.values():
        title = " ".join(caveat.title.split()).replace("|", "\\|")
        out.append(f"| [{caveat.id}]({caveat.docs}) | {caveat.scope} | {title} |\n")
    return "".join(out)


def find(catalogue: Catalogue, key: str) -> list[Rule | Caveat]:
    """Rules by id or slug, or a caveat by id; case-insensitive.

    Slugs name the concept and repeat across SDKs (`track` is a rule of each JavaScript SDK),
    so a slug can match several rules; an id matches one.
    """
    wanted = key.strip().lower()
    by_id: list[Rule | Caveat] = [r for r in catalogue.rules.values() if r.id.lower() == wanted]
    by_id += [c for c in catalogue.caveats.values() if c.id.lower() == wanted]
    if by_id:
        return by_id
    return [r for r in catalogue.rules.values() if r.slug.lower() == wanted]


def suggestions(catalogue: Catalogue, key: str) -> list[str]:
    """Close ids and slugs for a did-you-mean, best first."""
    names = {name.lower(): name for rule in catalogue.rules.values() for name in (rule.id, rule.slug)}
    names.update({cid.lower(): cid for cid in catalogue.caveats})
    names.update({tid.lower(): tid for tid in TOOL_IDS})
    close = difflib.get_close_matches(key.strip().lower(), list(names), n=3, cutoff=0.5)
    return [names[name] for name in close]


def explain_rule(rule: Rule, catalogue: Catalogue) -> str:
    """A rule's documentation in ruff's layout, plus the caveats it raises."""
    fence = FENCES.get(rule.language, "")
    lines = [
        f"# {rule.id} ({rule.slug})",
        "",
        f"SDK: {rule.sdk} ({LANGUAGE_NAMES.get(rule.language, rule.language)})",
        f"Amplitude: {rule.amplitude}",
        f"Mixpanel:  {rule.mixpanel or '(no equivalent)'}",
        "",
        "## What it does",
        rule.docs.what.strip(),
        "",
        "## Why",
        rule.docs.why.strip(),
        "",
        "## Example",
        *_example(rule, fence),
        "",
        "## Fix safety",
        SAFETY_TEXT[rule.safety],
        "",
        "## Identity caveats",
    ]
    if not rule.caveats:
        lines.append("None.")
    for cid in rule.caveats:
        caveat = catalogue.caveats[cid]
        lines.append(f"- {cid}: {caveat.title}")
        lines.append(f"  {caveat.docs}")
        lines.append(f"  (amp2mp-codemod explain {cid})")
    return "\n".join(lines) + "\n"


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLE_LINES = 40


def fixture_example(rule_id: str, fixtures: Path = FIXTURES) -> tuple[str, str] | None:
    """(fixture name, diff) of the smallest fixture whose expected report names the rule:
    a real before/after the test suite proves, not the rule's template."""
    from .diff import unified_diff

    best: tuple[int, str, str] | None = None
    for report in sorted(fixtures.glob("*/*/expected-report.json")):
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        named = {entry[1] for key in ("changes", "findings") for entry in data.get(key, [])}
        if rule_id not in named:
            continue
        case = report.parent
        inputs = sorted(case.glob("input.*"))
        if not inputs:
            continue
        before = inputs[0].read_bytes()
        expected = case / f"expected{inputs[0].suffix}"
        after = expected.read_bytes() if expected.exists() else before
        patch = unified_diff(inputs[0].name, before, after).decode("utf-8", "replace")
        body = patch if patch else before.decode("utf-8", "replace")
        size = body.count("\n")
        name = f"{case.parent.name}/{case.name}" + ("" if patch else " (left as it is)")
        if best is None or size < best[0]:
            best = (size, name, body)
    return None if best is None else (best[1], best[2])


def _example(rule: Rule, fence: str) -> list[str]:
    found = fixture_example(rule.id)
    if found is None:  # no fixture ships with this installation: the rule's own example
        return ["Before:", f"```{fence}", rule.docs.before.strip("\n"), "```",
                "After:", f"```{fence}", rule.docs.after.strip("\n"), "```"]
    name, body = found
    lines = body.rstrip("\n").split("\n")
    if len(lines) > EXAMPLE_LINES:
        lines = [*lines[:EXAMPLE_LINES], f"... ({len(lines) - EXAMPLE_LINES} more lines)"]
    kind = "diff" if body.startswith("---") else fence
    return [f"Before and after, from the test fixture fixtures/{name}:", f"```{kind}", *lines,
            "```"]


# Ids the tool prints that are not rules of the catalogue.
TOOL_IDS = {
    "MANIFEST": (
        "Dependency manifests",
        "A dependency manifest (package.json, requirements*.txt, pyproject.toml, setup.cfg, "
        "setup.py, Pipfile) that names an Amplitude package. Once no source of its project "
        "imports Amplitude, the package is swapped for its Mixpanel SDK's "
        "(the Python SDK for mixpanel, the browser SDKs for mixpanel-browser, Node for "
        "mixpanel, React Native for mixpanel-react-native; rules/sdks.toml holds every "
        "pair); before that it is reported, not edited. Lockfiles are never edited: regenerate "
        "them (npm install, pip-compile). --no-manifests leaves every manifest alone.",
    ),
    "LEFTOVER": (
        "Amplitude left on a line nothing else reports",
        "A TODO(amp2mp) comment an earlier --write put above a site left for a human, or a "
        "line that still refers to Amplitude after the run and carries no other finding: an "
        "import, require(), dynamic import() or type-only import of an Amplitude package, a "
        "test's jest.mock()/vi.mock() of one, importScripts() of the Amplitude bundle, an "
        "inline HTML event-handler attribute calling the snippet's global, a class "
        "implementing an SDK plugin interface, or an injected or global client ($amplitude, "
        "Vue.prototype.$amplitude, globalProperties.$amplitude, inject/provide('amplitude'), "
        "window/globalThis/self.amplitude, app.locals.amplitude, useContext(AmplitudeContext)). "
        "Every such line carries a finding, in changed and unchanged files; --check fails "
        "while any LEFTOVER is there. Migrate the site by hand, then delete the comment.",
    ),
    "CLIENT-KEPT": (
        "A client kept on Amplitude, whole, until its blocking uses are fixed",
        "A client (Python client = Amplitude(...); in JavaScript the SDK's instance in the "
        "file, or a createInstance() variable) is migrated only when every use of it in "
        "the file has a rewrite: its creation, its init and each call. When one use has none "
        "(a manual rule, client.add(plugin), client.configuration.x = ..., the client passed "
        "on or stored, an init whose options cannot be mapped), the client and all its uses "
        "stay on Amplitude: half a migration would call Amplitude methods on a Mixpanel "
        "client. The finding on its creation lists the blocking lines; each blocking use "
        "carries its own finding and TODO(amp2mp); the other uses carry a CLIENT-KEPT finding "
        "only. Fix the blocking uses, then run again to migrate the client.",
    ),
    "SKIPPED": (
        "A skipped file that mentions Amplitude",
        "A file the run did not migrate (too large for --max-bytes, not decodable, binary, an "
        "Amplitude import inside a block, ...) whose bytes mention Amplitude. The message "
        "gives the reason and what would include the file (for example pass --max-bytes N). "
        "--check fails while such a file is left.",
    ),
}


def explain_tool_id(key: str) -> str | None:
    entry = TOOL_IDS.get(key.strip().upper())
    if entry is None:
        return None
    title, text = entry
    return f"# {key.strip().upper()}: {title}\n\n{text}\n"


def explain_caveat(caveat: Caveat, catalogue: Catalogue) -> str:
    """A caveat's title, explanation, what to do in Mixpanel, its docs and the rules raising it."""
    scope = ("global: reported once for a run that changed files" if caveat.scope == "global"
             else "site: reported at every site that raises it")
    raised_by = [r.id for r in catalogue.rules.values() if caveat.id in r.caveats]
    lines = [
        f"# {caveat.id}: {caveat.title}",
        "",
        f"Scope: {scope}",
        f"Trigger: {' '.join(caveat.trigger.split())}",
        "",
        "## Explanation",
        caveat.explanation.strip(),
        "",
        "## Mixpanel action",
        caveat.action.strip(),
        "",
        "## Docs",
        caveat.docs,
        "",
        "## Rules that raise it",
        ", ".join(raised_by) if raised_by else "None in this catalogue (raised by the engine).",
    ]
    return "\n".join(lines) + "\n"


def explain(entry: Rule | Caveat, catalogue: Catalogue) -> str:
    if isinstance(entry, Rule):
        return explain_rule(entry, catalogue)
    return explain_caveat(entry, catalogue)


if __name__ == "__main__":  # pragma: no cover - the regeneration command named in the header
    sys.stdout.write(markdown_page(load_catalogue()))
