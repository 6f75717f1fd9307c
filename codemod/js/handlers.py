"""Inline event-handler attributes of an HTML page, migrated with the page's scripts.

`<button onclick="amplitude.getInstance().logEvent('Buy')">` calls the same snippet global
(`window.amplitude`) as the page's `<script>` that initialises it. Migrating the scripts
without the handlers would leave the handlers calling an Amplitude instance nothing
initialises any more: tracking stops without an error. So each `on*` attribute of an `.html`
page that names Amplitude is read as what the browser compiles it to, the body of a function
(`return` is allowed), and migrated by the same rules, under the same client decision, as the
page's scripts (`codemod/js/language.py`): all or nothing per page.

The page is the unit because the snippet global lives in the page's window: each page of a
static site loads the snippet and calls `init()` again when it is opened, so two pages never
share an instance, and one page whose handler has no rewrite keeps that page (its init
included) on Amplitude without holding the others. A global initialised in a script file
the page loads (`<script src="/js/analytics.js">`) is decided in that file on its own, as
any script file using the global is: a page that calls the global without initialising it
says so at each such `<script src>` (a `JS-SNIPPET` review finding), since the two must
end on the same SDK.

A handler is read only when its text is exactly the code: a value holding a character
reference (`&quot;`, `&amp;`) is one the tool does not rewrite through, and blocks the
page's client instead, as does a handler that does not parse, or that still names the global
once its calls are rewritten (`if (window.amplitude) ...`, `send(amplitude)`), or a
`javascript:` URL naming Amplitude (`href="javascript:amplitude..."`), which no rule
rewrites. A rewrite is written back in the attribute's own quoting: generated strings take
the other quote, and any character that would end the attribute or start a character
reference is written as an entity; the value is then decoded again and must give the
migrated code exactly, or the handler blocks. No TODO comment can go inside an attribute: a
handler that blocks is reported by its findings only.

`.vue` templates are not handled here: `@click="amplitude.track()"` reads the component's
properties, not the page's global, and no rule rewrites a template (see `_template_reads`);
such an attribute stays a `LEFTOVER` (`codemod/references.py`), as an HTML page's Alpine.js
`@click` does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .edits import Edit, apply_edits
from .estree import ParseError, iter_nodes, parse_js


@dataclass(frozen=True)
class Attribute:
    """One attribute of a start tag (found by `language.scan_markup`): its lower-cased
    `name`, and the span of its value in the text (`start == end` for a bare attribute) with
    the `quote` around it (`"`, `'`, or `""` when unquoted or bare)."""

    name: str
    start: int
    end: int
    quote: str


PREFIX = "function onhandler(event) {"
SUFFIX = "\n}"
_NAME = re.compile(r"on[a-z]+")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}
_OTHER_QUOTE = {'"': "'", "'": '"'}
_UNQUOTED = re.compile(r"[^\s\"'=<>`]+")
_REFERENCE_START = re.compile(r"&(?=[A-Za-z#])")


def is_handler(attribute: Attribute) -> bool:
    """Whether an attribute is an inline event handler (`onclick`, `onsubmit`, ...)."""
    return bool(_NAME.fullmatch(attribute.name)) and attribute.start < attribute.end


def unreadable(value: str) -> str | None:
    """Why a handler's value cannot be migrated as written, or None when it is the code."""
    if html.unescape(value) != value:
        return ("holds HTML character references (`&...;`), which the tool does not rewrite "
                "through")
    return None


def string_quote(attribute: Attribute) -> str | None:
    """The quote generated strings take inside the attribute: the one that does not end it."""
    return _OTHER_QUOTE.get(attribute.quote)


def write_back(attribute: Attribute, code: str) -> str | None:
    """`code` as the text of the attribute's value in its own quoting, or None when it cannot
    be written there so that the browser reads back exactly `code`."""
    raw = _REFERENCE_START.sub("&amp;", code)
    if attribute.quote:
        raw = raw.replace(attribute.quote, _ENTITIES[attribute.quote])
    elif not _UNQUOTED.fullmatch(raw):
        return None
    return raw if html.unescape(raw) == code else None


def written(text: str, attribute: Attribute, chunk: str, edits: list[Edit]) -> list[Edit] | None:
    """A handler's edits (planned on `PREFIX + value + SUFFIX`) as edits of the page, each
    replacement written in the attribute's quoting; None when one falls outside the value, or
    when the value they make does not read back as the migrated code or does not parse."""
    low, high = len(PREFIX), len(chunk) - len(SUFFIX)
    if any(not (low <= e.start and e.end <= high) for e in edits):
        return None
    value = chunk[low:high]
    code = apply_edits(value, [Edit(e.start - low, e.end - low, e.replacement) for e in edits])
    raws = [write_back(attribute, e.replacement) if e.replacement else "" for e in edits]
    if any(raw is None for raw in raws):
        return None
    placed = [Edit(attribute.start + e.start - low, attribute.start + e.end - low, raw or "")
              for e, raw in zip(edits, raws, strict=True)]
    raw_value = apply_edits(value, [Edit(e.start - attribute.start, e.end - attribute.start,
                                         e.replacement) for e in placed])
    if html.unescape(raw_value) != code or (not attribute.quote and not _UNQUOTED.fullmatch(
            raw_value)) or (attribute.quote and attribute.quote in raw_value):
        return None
    if isinstance(parse_js(PREFIX + code + SUFFIX, ".js", sliced=False), ParseError):
        return None
    return placed


def names_amplitude(chunk: str, edits: list[Edit]) -> bool:
    """Whether a handler's code still names the `amplitude` global once its planned edits are
    made (`if (window.amplitude) ...`, `send(amplitude)`): a use no rule follows. A string
    that says Amplitude is no use of it."""
    parsed = parse_js(apply_edits(chunk, edits), ".js", sliced=False)
    return isinstance(parsed, ParseError) or any(
        node["type"] == "Identifier" and node["name"] == "amplitude"
        for node in iter_nodes(parsed.program))
