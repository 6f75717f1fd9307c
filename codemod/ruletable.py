"""The rule and caveat documentation, rendered from the catalogue: `rules`, `explain`, docs/rules.md.

The catalogue (rules/**/*.toml, rules/caveats.toml) is the only source; the command output and
the generated page read it through the functions here, so the docs are never written twice.
Regenerate the page with `python -m codemod.ruletable > docs/rules.md`.
"""

from __future__ import annotations

import difflib
import sys

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
    close = difflib.get_close_matches(key.strip().lower(), list(names), n=3, cutoff=0.5)
    return [names[name] for name in close]


def explain_rule(rule: Rule, catalogue: Catalogue) -> str:
    """A rule's documentation in ruff's layout, plus the caveats it raises."""
    fence = FENCES.get(rule.language, "")
    lines = [
        f"# {rule.id} ({rule.slug})",
        "",
        f"SDK: {rule.sdk} ({LANGUAGE_NAMES.get(rule.language, rule.language)}), "
        f"spec section {rule.spec}",
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
        "Before:",
        f"```{fence}",
        rule.docs.before.strip("\n"),
        "```",
        "After:",
        f"```{fence}",
        rule.docs.after.strip("\n"),
        "```",
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
