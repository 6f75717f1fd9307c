"""`amp2mp-codemod rules`, `amp2mp-codemod explain ID` and the generated docs/rules.md."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from codemod.catalogue import load_catalogue
from codemod.cli import main
from codemod.ruletable import markdown_page

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rules_lists_every_rule_with_sdk_calls_and_safety() -> None:
    catalogue = load_catalogue()
    result = invoke("rules", "--format", "table")  # piped, the default is one line per rule
    assert result.exit_code == 0, result.output
    for rule in catalogue.rules.values():
        assert rule.id in result.output
    assert "amplitude-analytics" in result.output
    assert "client.track(BaseEvent(E, user_id=U))" in result.output
    for column in ("SDK", "Amplitude", "Mixpanel", "safety"):
        assert column in result.output


def test_rules_json_and_language_filter() -> None:
    result = invoke("rules", "--format", "json", "--language", "python")
    rows = json.loads(result.output)
    ap02 = next(row for row in rows if row["id"] == "AP02")
    assert ap02 == {
        "id": "AP02", "slug": "track-user-event", "sdk": "amplitude-analytics",
        "amplitude": "client.track(BaseEvent(E, user_id=U))",
        "mixpanel": 'client.track(U, E, {"$user_id": U})', "safety": "safe",
    }


def test_explain_rule_has_ruff_sections_in_order() -> None:
    result = invoke("explain", "AP02")
    assert result.exit_code == 0
    sections = ["# AP02 (track-user-event)", "## What it does", "## Why", "## Example",
                "from the test fixture fixtures/", "```diff", "## Fix safety",
                "## Identity caveats"]
    positions = [result.output.index(section) for section in sections]
    assert positions == sorted(positions)
    # The example is a real rewrite the fixtures prove, not the rule's template.
    assert '+    client.track(uid, "Go", {"$user_id": uid})' in result.output
    assert "spec section" not in result.output
    assert "- ID006: " in result.output
    assert "https://docs.mixpanel.com/" in result.output


def test_explain_accepts_a_slug_in_any_case() -> None:
    assert invoke("explain", "Track-User-Event").output == invoke("explain", "AP02").output


def test_explain_a_slug_shared_by_several_sdks_asks_for_an_id() -> None:
    sharing = [r.id for r in load_catalogue().rules.values() if r.slug == "track"]
    result = invoke("explain", "track")
    assert len(sharing) > 1
    assert result.exit_code == 2
    assert all(rule_id in result.output for rule_id in sharing)
    assert "give an id" in result.output


def test_explain_caveat() -> None:
    caveat = load_catalogue().caveats["ID013"]
    result = invoke("explain", "id013")
    assert result.exit_code == 0
    assert result.output.startswith(f"# ID013: {caveat.title}\n")
    for section in ("## Explanation", "## Mixpanel action", "## Docs", caveat.docs,
                    "## Rules that raise it"):
        assert section in result.output


def test_explain_unknown_id_exits_2_with_a_suggestion() -> None:
    result = invoke("explain", "AP2")
    assert result.exit_code == 2
    assert "no rule or caveat 'AP2'" in result.output
    assert "Did you mean" in result.output and "AP02" in result.output


def test_docs_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown_page(load_catalogue()), (
        "docs/rules.md is stale; regenerate it with: python -m codemod.ruletable > docs/rules.md"
    )
    assert invoke("rules", "--format", "markdown").output == DOCS.read_text(encoding="utf-8")


def test_rules_piped_prints_one_line_per_rule() -> None:
    catalogue = load_catalogue()
    lines = invoke("rules").output.splitlines()
    assert len(lines) == len(catalogue.rules)
    assert ('AP02 track-user-event [amplitude-analytics, safe] '
            'client.track(BaseEvent(E, user_id=U)) -> client.track(U, E, {"$user_id": U})') in lines


def test_explain_accepts_every_id_the_tool_prints() -> None:
    catalogue = load_catalogue()
    ids = [*catalogue.rules, *catalogue.caveats, "MANIFEST", "LEFTOVER", "SKIPPED",
           "JS-UNRESOLVED", "js-imports"]
    for rule_id in ids:
        result = invoke("explain", rule_id)
        assert result.exit_code == 0, (rule_id, result.output)
        assert result.output.startswith("# "), rule_id


def test_rule_docs_use_no_spec_placeholders_or_sections() -> None:
    """The spec is not shipped: its placeholders and section numbers mean nothing to a user."""
    import re

    pages = [DOCS.read_text(encoding="utf-8"),
             (DOCS.parent / "usage.md").read_text(encoding="utf-8"),
             (DOCS.parent.parent / "README.md").read_text(encoding="utf-8")]
    catalogue = load_catalogue()
    pages += [invoke("explain", key).output for key in (*catalogue.rules, *catalogue.caveats)]
    for page in pages:
        assert not re.search(r"\b(MAPCFG\w*|EVPROPS|DID|REV|IDPROPS)\b|§|\b[Ss]pec (section )?\d", page), \
            page[:200]
