"""What a caveat's finding says at one site: a template from the TOML, filled with the site.

A caveat's title names a topic ("Groups need Group Analytics"); a reader of a report needs
to know what this line did and what to check. Each caveat may carry a `message` template in
`rules/caveats.toml`, and a rule may override it for its own sites (`[messages]` in its
TOML); both are data, checked when the catalogue loads, and filled here with the facts of the
site. A caveat without a template says its title, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

# The facts every site can give: `code` the Amplitude code as written, `rewrite` what
# replaced it ("(deleted)" when nothing did), `token` the Mixpanel token expression the run
# writes.
FACTS: tuple[str, ...] = ("code", "rewrite", "token")
_WIDTH = 70


def placeholders(template: str) -> set[str]:
    """The `{names}` a template uses."""
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def unknown_facts(template: str) -> list[str]:
    """Placeholders of a template that no site fills (an error when the catalogue loads)."""
    return sorted(placeholders(template) - set(FACTS))


def short(code: str) -> str:
    """One line of code as a report shows it: blanks collapsed, long code cut."""
    flat = " ".join(code.split())
    return flat if len(flat) <= _WIDTH else flat[: _WIDTH - 3] + "..."


def site_facts(before: str, after: str, token: str) -> dict[str, str]:
    return {"code": short(before), "rewrite": short(after) if after else "(deleted)",
            "token": token}


def fill(template: str | None, title: str, facts: Mapping[str, str]) -> str:
    """The finding's message: the template filled with the site's facts, else the title."""
    if template is None:
        return title
    return template.format_map(facts)
